"""``ecomap history``, ``revert``, ``delete``, ``import --dry-run`` and ``demo``'s refusal,
through the CLI on a fresh embedded database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from app.cli import app as cli_app


def ecomap(runner: CliRunner, db: Path, *args: str) -> Any:
    return runner.invoke(cli_app, ["--db", str(db), *args], env={"ECOMAP_AUTHOR": "ana"})


def test_history_revert_and_delete(
    runner: CliRunner, tmp_db: Path, tiny_ecosystem: tuple[Path, Path], write_csv: Any
) -> None:
    assert ecomap(runner, tmp_db, "import", *map(str, tiny_ecosystem)).exit_code == 0
    names = write_csv("names.csv", "id,name\nacme,Acme Robotics SpA\n")
    dry = ecomap(runner, tmp_db, "import", str(names), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "acme" in dry.stdout and "Acme Robotics SpA" in dry.stdout
    assert "nothing was written" in dry.stderr
    assert ecomap(runner, tmp_db, "import", str(names)).exit_code == 0
    listed = ecomap(runner, tmp_db, "history", "acme", "--json")
    change_sets = json.loads(listed.stdout)
    assert [c["id"] for c in change_sets] == [2, 1]
    assert change_sets[0]["author"] == "ana" and change_sets[0]["source"] == "names.csv"
    # the edit also verifies the record: verified_at changes when a second has passed
    assert [c for c in change_sets[0]["changes"] if c["field"] != "verified_at"] == [
        {"entity": "acme", "field": "name", "before": "Acme Robotics", "after": "Acme Robotics SpA"}
    ]
    reverted = ecomap(runner, tmp_db, "revert", "2")
    assert reverted.exit_code == 0 and reverted.stdout.strip() == "3"
    deleted = ecomap(runner, tmp_db, "delete", "org", "bolt", "--json")
    answer = json.loads(deleted.stdout)
    assert answer["organizations"] == ["bolt"] and len(answer["ties"]) == 4
    assert ecomap(runner, tmp_db, "delete", "rel", "cogs", "supplies", "acme").exit_code == 0
    assert ecomap(runner, tmp_db, "delete", "rel", "cogs", "SUPPLIES", "acme").exit_code == 2
    assert ecomap(runner, tmp_db, "delete", "rel", "cogs", "LIKES", "acme").exit_code == 2
    text = ecomap(runner, tmp_db, "history", "--limit", "2")
    assert "change 5" in text.stdout and "older change sets left out" in text.stderr
    refused = ecomap(runner, tmp_db, "revert", "1")
    assert refused.exit_code == 1 and "later changes touch" in refused.stderr


def test_demo_refuses_a_database_with_other_data(
    runner: CliRunner, tmp_db: Path, tmp_path: Path, tiny_ecosystem: tuple[Path, Path]
) -> None:
    assert ecomap(runner, tmp_db, "import", *map(str, tiny_ecosystem)).exit_code == 0
    refused = ecomap(runner, tmp_db, "demo", "--out", str(tmp_path / "out"))
    assert refused.exit_code == 2 and "--into-existing" in refused.stderr
    assert json.loads(ecomap(runner, tmp_db, "stats", "--json").stdout)["nodes"] == 6
