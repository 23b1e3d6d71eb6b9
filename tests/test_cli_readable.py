"""Human output of nested reports: rounded numbers, cut lists, tables, never a raw dict."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.cli.readable import SHOWN, print_readable


def test_nested_report_reads_as_lines_and_tables(capsys: pytest.CaptureFixture[str]) -> None:
    print_readable(
        {
            "nodes": 1325,
            "density": 0.1672473867595819,
            "components": {"count": 3, "largest_share": 0.9},
            "isolates": [f"org-{i}" for i in range(1000)],
            "brokers": {"top": [{"id": "a", "betweenness": 0.25}], "estimated": False},
            "empty": [],
        }
    )
    out = capsys.readouterr().out
    assert "{" not in out and "[" not in out
    assert "1,325" in out
    assert "0.167" in out and "0.1672" not in out
    assert "count: 3, largest share: 0.900" in out
    assert "1,000: org-0, org-1" in out and f"org-{SHOWN}" not in out
    assert f"and {1000 - SHOWN:,} more" in out
    assert "betweenness" in out and "0.250" in out and "estimated" in out and "no" in out
    assert "empty" in out and "none" in out


def test_health_prints_no_raw_json(runner: CliRunner, tmp_db: Path) -> None:
    assert (
        runner.invoke(app, ["--db", str(tmp_db), "demo", "--out", str(tmp_db.parent)]).exit_code
        == 0
    )
    result = runner.invoke(app, ["--db", str(tmp_db), "analyze", "health", "--kind", "company"])
    assert result.exit_code == 0, result.output
    assert "{" not in result.stdout and '"' not in result.stdout
    assert "density" in result.stdout and "k core" in result.stdout
