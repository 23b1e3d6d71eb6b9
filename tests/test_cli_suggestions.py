"""``ecomap suggestions accept|dismiss|dismissed|restore`` and ``ecomap links`` leaving
dismissed pairs out, through the CLI on both backends (the tiny ecosystem; author ``ana``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from backends import BACKENDS
from neo4j_server import Neo4jServer, fresh_store
from typer.testing import CliRunner

from app.cli import app as cli_app
from app.services.importing import import_files
from graph_analytics.links import score_pairs

Ecomap = Callable[..., Any]
#: The tiny ecosystem's collaboration network (conftest), clusters aside.
TINY_NETWORK = nx.Graph(
    [("acme", "cogs"), ("acme", "bolt"), ("acme", "polito"), ("bolt", "fund"), ("bolt", "polito")]
)


@pytest.fixture(params=BACKENDS)
def ecomap(
    request: pytest.FixtureRequest, tmp_path: Path, tiny_ecosystem: tuple[Path, Path]
) -> Iterator[Ecomap]:
    """``ecomap ARGS...`` on the tiny ecosystem of each backend, as ``ECOMAP_AUTHOR=ana``."""
    runner = CliRunner()
    if request.param == "embedded":
        prefix, env = ["--db", str(tmp_path / "eco.lbug")], {"ECOMAP_AUTHOR": "ana"}
        loaded = runner.invoke(cli_app, [*prefix, "import", *map(str, tiny_ecosystem)], env=env)
        assert loaded.exit_code == 0, loaded.stderr
        yield lambda *args, **more: runner.invoke(cli_app, [*prefix, *args], env=env | more)
        return
    server: Neo4jServer = request.getfixturevalue("neo4j_server")
    env = server.env() | {"ECOMAP_AUTHOR": "ana"}
    with fresh_store(server) as store:
        import_files(store, list(tiny_ecosystem))
        yield lambda *args, **more: runner.invoke(cli_app, list(args), env=env | more)


def pairs(ecomap: Ecomap) -> set[tuple[str, str]]:
    found = ecomap("links", "--top", "100", "--json")
    assert found.exit_code == 0, found.stderr
    return {
        (min(s["source"], s["target"]), max(s["source"], s["target"]))
        for s in json.loads(found.stdout)
    }


def test_dismiss_list_and_restore(ecomap: Ecomap) -> None:
    assert ("acme", "fund") in pairs(ecomap)
    dismissed = ecomap("suggestions", "dismiss", "fund", "acme", "--method", "aa", "--json")
    assert dismissed.exit_code == 0, dismissed.stderr
    made = json.loads(dismissed.stdout)
    aa = score_pairs(TINY_NETWORK, [("acme", "fund")], method="aa")[0]
    assert (made["source"], made["target"], made["method"], made["by"]) == (
        "acme",
        "fund",
        "aa",
        "ana",
    )
    assert made["score"] == pytest.approx(aa)
    assert ("acme", "fund") not in pairs(ecomap)
    listed = ecomap("suggestions", "dismissed", "--json")
    assert json.loads(listed.stdout) == [made]
    text = ecomap("suggestions", "dismissed")
    assert text.exit_code == 0 and "acme" in text.stdout and "fund" in text.stdout
    assert f"{aa:.3f}" in text.stdout
    restored = ecomap("suggestions", "restore", "fund", "acme")
    assert restored.exit_code == 0 and "restored acme and fund" in restored.stderr
    assert ("acme", "fund") in pairs(ecomap)
    again = ecomap("suggestions", "restore", "acme", "fund")
    assert again.exit_code == 2 and "no dismissed suggestion" in again.stderr
    empty = ecomap("suggestions", "dismissed")
    assert empty.exit_code == 0 and empty.stdout == "" and "no suggestion dismissed" in empty.stderr


def test_accept_prints_the_change_set_that_revert_undoes(ecomap: Ecomap) -> None:
    assert ecomap("suggestions", "dismiss", "acme", "fund").exit_code == 0
    accepted = ecomap("suggestions", "accept", "fund", "acme", "--method", "cn")
    assert accepted.exit_code == 0, accepted.stderr
    change = accepted.stdout.strip()
    assert change.isdigit()
    evidence = "suggested by EcoMap: cn, score 1; accepted by ana"
    assert evidence in accepted.stderr
    last = json.loads(ecomap("history", "--limit", "1", "--json").stdout)[0]
    assert (str(last["id"]), last["author"], last["source"]) == (
        change,
        "ana",
        "ecomap suggestions accept",
    )
    assert {
        "entity": "acme COLLABORATES_WITH fund",
        "field": "evidence",
        "before": None,
        "after": evidence,
    } in last["changes"]
    assert json.loads(ecomap("suggestions", "dismissed", "--json").stdout) == []
    refused = ecomap("suggestions", "accept", "acme", "fund")
    assert refused.exit_code == 2 and "exists already" in refused.stderr
    reverted = ecomap("revert", change)
    assert reverted.exit_code == 0 and reverted.stdout.strip() == str(int(change) + 1)
    assert ("acme", "fund") in pairs(ecomap)
    typed = ecomap("suggestions", "accept", "cogs", "bolt", "--type", "supplies", "--json")
    assert typed.exit_code == 0, typed.stderr
    answer = json.loads(typed.stdout)
    assert answer["relationship"]["type"] == "SUPPLIES" and answer["change_id"] == int(change) + 2


@pytest.mark.parametrize(
    "args",
    [
        ("accept", "acme", "nope"),
        ("accept", "acme", "fund", "--method", "magic"),
        ("accept", "acme", "fund", "--type", "LIKES"),
        ("accept", "acme", "cogs", "--type", "MEMBER_OF"),
        ("accept", "acme", "acme"),
        ("dismiss", "nope", "acme"),
        ("dismiss", "acme", "fund", "--method", "magic"),
    ],
)
def test_refusals_exit_2_and_write_nothing(ecomap: Ecomap, args: tuple[str, ...]) -> None:
    before = ecomap("history", "--json").stdout
    refused = ecomap("suggestions", *args)
    assert refused.exit_code == 2, (refused.stdout, refused.stderr)
    assert "Traceback" not in refused.stderr
    assert ecomap("history", "--json").stdout == before
    assert json.loads(ecomap("suggestions", "dismissed", "--json").stdout) == []


def test_terminal_output_escapes_control_characters(ecomap: Ecomap) -> None:
    dismissed = ecomap("suggestions", "dismiss", "acme", "fund", ECOMAP_AUTHOR="ana\x1b[2J")
    assert dismissed.exit_code == 0, dismissed.stderr
    assert "\x1b" not in dismissed.stderr and "ana\\x1b[2J" in dismissed.stderr
    listed = ecomap("suggestions", "dismissed")
    assert "\x1b" not in listed.stdout and "ana\\x1b[2J" in listed.stdout
    as_json = json.loads(ecomap("suggestions", "dismissed", "--json").stdout)
    assert as_json[0]["by"] == "ana\x1b[2J"
