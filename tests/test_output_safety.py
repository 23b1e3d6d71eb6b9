"""What a user stored reaches a terminal or a spreadsheet as text, never as a command.

Terminal output writes control characters out as escapes (issue 13: ANSI sequences stored
in ``city`` reached the terminal raw); CSV exports escape cells a spreadsheet would run as a
formula (``=cmd|' /C calc'!A0``) and import back unchanged.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.cli.common import terminal_safe
from app.domain import Organization, Relationship
from app.ingest.spreadsheet import FORMULA_TRIGGERS, escape_formula, unescape_formula
from app.store.embedded import EmbeddedStore

#: Sequences a terminal acts on: clear screen, window title, a C1 CSI, a bidi override, BEL.
HOSTILE_TEXT = "Turin\x1b[2J\x1b]0;owned\x07 \x9b31m \u202egnp.exe \r\x08x"
_ACTIVE = ("\x1b", "\x07", "\x9b", "\u202e", "\r", "\x08")


@pytest.fixture
def hostile_db(tmp_db: Path) -> Path:
    """A store holding text with control characters, as data written before today's input
    rules (or by another application on a shared Neo4j) may hold it."""
    org = Organization.model_construct(
        id="ansi",
        name="Ansi Corp",
        kind="company",
        city=HOSTILE_TEXT,
        description=HOSTILE_TEXT,
        sectors=[],
        tags=[HOSTILE_TEXT],
    )
    with EmbeddedStore(tmp_db, buffer_pool_bytes=128 * 1024**2) as store:
        store.upsert([org, Organization(id="k", name="K", kind="cluster")], [])
    return tmp_db


@pytest.mark.parametrize(
    "args",
    [["orgs"], ["orgs", "--json"], ["ego", "ansi", "--json"], ["export", "--format", "json"]],
    ids=["orgs", "orgs-json", "ego-json", "export-json-stdout"],
)
def test_terminal_output_carries_no_control_characters(
    hostile_db: Path, runner: CliRunner, args: list[str], tmp_path: Path
) -> None:
    if args[0] == "export":
        args = [*args, "-o", str(tmp_path / "out.json")]
    result = runner.invoke(app, ["--db", str(hostile_db), *args])
    assert result.exit_code == 0, result.output
    output = result.stdout + result.stderr
    assert not [c for c in _ACTIVE if c in output], repr(output[:500])
    if args[0] == "orgs" and "--json" not in args:
        assert "Turin\\x1b[2J" in result.stdout  # shown, written out
    if "--json" in args:
        document = json.loads(result.stdout)  # the escapes are JSON's: the data is intact
        assert HOSTILE_TEXT in _strings(document)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value
    if isinstance(items, list | type({}.values())):
        return [text for item in items for text in _strings(item)]
    return []


def test_terminal_safe_keeps_ordinary_text() -> None:
    text = "Zürich\tGenève\n東京 — naïve 🚀"
    assert terminal_safe(text) == text
    assert terminal_safe("a\x1bb\x9bc\u202ed") == "a\\x1bb\\x9bc\\u202ed"


FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "'=already quoted",
    "''-two apostrophes",
]


@pytest.mark.parametrize("text", [*FORMULAS, "'plain apostrophe", "Acme", "a=b", ""])
def test_formula_escape_round_trips(text: str) -> None:
    escaped = escape_formula(text)
    assert unescape_formula(escaped) == text
    assert not escaped.startswith(FORMULA_TRIGGERS)


def test_csv_export_neutralises_formulas_and_imports_back(
    store: EmbeddedStore, runner: CliRunner, tmp_path: Path
) -> None:
    orgs = [
        Organization(
            id=f"f{i}",
            name=text,
            kind="company",
            city=text,
            tags=[text.replace("|", "!")],
            lat=-3.5,
            lon=-7.25,
        )
        for i, text in enumerate(FORMULAS)
    ]
    orgs.append(Organization(id="k", name="K", kind="cluster"))
    rels = [Relationship(source="f0", target="k", type="MEMBER_OF", evidence="=1+1")]
    store.upsert(orgs, rels)
    before = store.export()
    db = store.path
    store.close()
    out = tmp_path / "csv"
    result = runner.invoke(app, ["--db", str(db), "export", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with (out / "organizations.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for column in ("name", "city", "tags"):
            assert not row[column].startswith(FORMULA_TRIGGERS), row
        if row["id"] != "k":
            assert row["lat"] == "-3.5"  # numbers stay numbers
    with (out / "relationships.csv").open(newline="", encoding="utf-8") as handle:
        assert next(csv.DictReader(handle))["evidence"] == "'=1+1"

    again = tmp_path / "again.lbug"
    orgs_csv, rels_csv = out / "organizations.csv", out / "relationships.csv"
    result = runner.invoke(app, ["--db", str(again), "import", str(orgs_csv), str(rels_csv)])
    assert result.exit_code == 0, result.output
    with EmbeddedStore(again, buffer_pool_bytes=128 * 1024**2, read_only=True) as reopened:
        after = reopened.export()

    def content(rows: list[dict[str, object]]) -> list[dict[str, object]]:
        # the records were never verified: the import that creates them verifies them
        skipped = ("updated_at", "source", "verified_at", "verified_by")
        return sorted(({k: v for k, v in r.items() if k not in skipped} for r in rows), key=repr)

    assert content(after.organizations) == content(before.organizations)
    assert content(after.relationships) == content(before.relationships)
