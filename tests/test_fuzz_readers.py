"""Property-based fuzzing of every reader: CSV, .xlsx, node-link JSON and CORDIS.

Each input, structured (random tables of hostile cells) or byte-level (random bytes, and
valid files with bytes flipped, cut or inserted), must either read or come back as located
problems: reading and validating it never raises. ``make test`` runs a bounded share
(:func:`examples`); ``make fuzz`` (``ECOMAP_FUZZ=1``) runs the long profile.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from csvdata import ORG_HEADER, REL_HEADER
from hostile.corpus import sheet_xml, xlsx_bytes
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import MAX_COLUMN_TEXT, MAX_MESSAGE_TEXT, Problem
from app.ingest.cordis import read_cordis
from app.ingest.nodelink import read_node_link_json
from app.ingest.readers import Table, read_csv, read_xlsx
from app.ingest.validate import validate_tables
from app.vocabulary import Kind

#: Limit of the decompressed input during fuzzing (small, so that size checks fire too).
MAX_BYTES = 256 * 1024


def examples(bounded: int) -> int:
    """``bounded`` examples in ``make test``; the profile's (long) number under make fuzz."""
    return settings().max_examples if os.environ.get("ECOMAP_FUZZ") else bounded


@contextmanager
def written(name: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def check(tables: list[Table]) -> None:
    """Validate the tables (iterating every record); every problem is located and short."""
    result = validate_tables(tables, stored_kinds={"acme": Kind.COMPANY})
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert isinstance(problem.line, int) and problem.line >= 0
        assert problem.file and problem.message
        assert len(problem.column) <= MAX_COLUMN_TEXT + 1
        assert len(problem.message) <= MAX_MESSAGE_TEXT + 1


def read_and_check(reader: Callable[[Path], list[Table]], name: str, data: bytes) -> None:
    with written(name, data) as path:
        check(reader(path))


def _csv(path: Path) -> list[Table]:
    return [read_csv(path, max_bytes=MAX_BYTES)]


def _xlsx(path: Path) -> list[Table]:
    return read_xlsx(path, max_bytes=MAX_BYTES)


def _json(path: Path) -> list[Table]:
    return read_node_link_json(path, max_bytes=MAX_BYTES)


def _cordis(path: Path) -> list[Table]:
    return read_cordis(path, max_bytes=MAX_BYTES).tables


# -- strategies ------------------------------------------------------------------------------

_HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "acme",
        "a/b",
        "..",
        "\x00",
        "\x1b[31m",
        "\ufeff",
        "\u202e",
        "'=cmd",
        "nan",
        "inf",
        "-1",
        "1e400",
        "9" * 30,
        "2019-02-30",
        "company",
        "cluster",
        "MEMBER_OF",
        "COLLABORATES_WITH",
        "IT",
        "UK",
        "https://x.example",
        "//x",
        "javascript:x",
        "a|b|c",
        '"',
        ",",
        "\n",
        "\r",
    ]
)
_CELL = st.one_of(_HOSTILE_TEXT, st.text(max_size=40), st.text(min_size=200, max_size=600))
_ORG_COLUMNS = ORG_HEADER.split(",")
_REL_COLUMNS = REL_HEADER.split(",")
_COLUMN = st.one_of(st.sampled_from([*_ORG_COLUMNS, *_REL_COLUMNS]), st.text(max_size=12))


def _tables(cell: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[list[str], list[list[Any]]]]:
    """A header (mostly real columns) and rows of ``cell`` values, ragged now and then."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[list[str], list[list[Any]]]:
        base = draw(st.sampled_from([_ORG_COLUMNS, _REL_COLUMNS, ["id", "name", "kind"]]))
        header = list(base)
        if draw(st.booleans()):
            header = draw(st.lists(_COLUMN, min_size=1, max_size=8))
        width = len(header)
        row = st.lists(cell, min_size=max(width - 1, 0), max_size=width + 1)
        return header, draw(st.lists(row, max_size=6))

    return build()


def _csv_text(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    import csv

    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def _mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with a few bytes flipped, cut out or inserted, or cut short."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 16))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[at:]
    return bytes(data)


_VALID_CSV = (
    f"{ORG_HEADER}\nacme2,Acme,company,sme,C28|M72,robotics,Turin,Piedmont,IT,45.07,7.69,"
    '120,2004,https://acme.example,"Robots, arms"\nk1,Cluster,cluster,,,,,,,,,,,,\n'
).encode()
_VALID_JSON = json.dumps(
    {
        "directed": True,
        "nodes": [
            {"id": "a1", "name": "A", "kind": "company", "tags": ["x", "y"], "lat": 1, "lon": 2},
            {"id": "k1", "name": "K", "kind": "cluster"},
        ],
        "links": [{"source": "a1", "target": "k1", "type": "MEMBER_OF", "weight": 2}],
    },
    indent=1,
).encode()
_VALID_CORDIS = (
    b"rcn,role,pic,type,country,start_year\n1,coordinator,111,PRC,DE,2015\n"
    b"1,participant,222,HES,IT,2015\n2,participant,111,PRC,NA,NA\n"
)
_VALID_XLSX = xlsx_bytes()


# -- CSV -------------------------------------------------------------------------------------


@settings(max_examples=examples(150))
@given(_tables(_CELL))
def test_csv_structured(table: tuple[list[str], list[list[Any]]]) -> None:
    read_and_check(_csv, "orgs.csv", _csv_text(*table))


_HUGE_CSV_CELL = st.integers(100_000, 300_000).map(
    lambda n: f"{ORG_HEADER}\na1,A,company,,,,,,,,,,,,{'d' * n}\n".encode()
)


@settings(max_examples=examples(100))
@given(st.one_of(st.binary(max_size=400), _mutated(_VALID_CSV), _HUGE_CSV_CELL))
def test_csv_bytes(data: bytes) -> None:
    read_and_check(_csv, "orgs.csv", data)


# -- JSON ------------------------------------------------------------------------------------

_JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    _CELL,
)
_JSON_VALUE = st.recursive(
    _JSON_SCALAR,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def _node_link(draw: st.DrawFn) -> bytes:
    def element(columns: list[str]) -> st.SearchStrategy[dict[str, Any]]:
        keys = st.one_of(st.sampled_from(columns), st.sampled_from([c.upper() for c in columns]))
        return st.dictionaries(keys, _JSON_VALUE, max_size=6)

    document: dict[str, Any] = {
        "nodes": draw(st.lists(st.one_of(element(_ORG_COLUMNS), _JSON_VALUE), max_size=4)),
        draw(st.sampled_from(["links", "edges"])): draw(
            st.lists(element(_REL_COLUMNS), max_size=4)
        ),
    }
    if draw(st.booleans()):
        document["graph"] = draw(_JSON_VALUE)
    text = json.dumps(document, indent=draw(st.sampled_from([None, 1])))
    return text.encode("utf-8", "surrogatepass")


@settings(max_examples=examples(150))
@given(_node_link())
def test_json_structured(data: bytes) -> None:
    read_and_check(_json, "eco.json", data)


_JSONISH = st.text(alphabet='{}[]",: \n0123456789.eE-+tnfalsrue\\u"abcdnodeslink', max_size=120)


_DEEP_JSON = st.tuples(st.integers(1, 60_000), st.sampled_from(["[]", "{}"])).map(
    lambda d: ('{"nodes": [' + d[1][0] * d[0] + d[1][1] * d[0] + "]}").encode()
)


@settings(max_examples=examples(150))
@given(
    st.one_of(st.binary(max_size=200), _JSONISH.map(str.encode), _mutated(_VALID_JSON), _DEEP_JSON)
)
def test_json_bytes(data: bytes) -> None:
    read_and_check(_json, "eco.json", data)


# -- .xlsx -----------------------------------------------------------------------------------

_XML_CELL = st.one_of(_CELL, st.text(alphabet="<>&;!'\"[]DOCTYPE ENTITY", max_size=20))


@settings(max_examples=examples(60))
@given(_tables(_XML_CELL))
def test_xlsx_structured(table: tuple[list[str], list[list[Any]]]) -> None:
    header, rows = table
    cells = [[str(c) for c in row] for row in [header, *rows]]
    clean = [["".join(ch for ch in c if ch.isprintable()) for c in row] for row in cells]
    read_and_check(_xlsx, "eco.xlsx", xlsx_bytes(sheet_xml(clean)))


_SHEET = sheet_xml([["id", "name", "kind", "employees"], ["a1", "A", "company", "3"]]).encode()


@settings(max_examples=examples(80))
@given(
    st.one_of(
        st.binary(max_size=300),
        _mutated(_VALID_XLSX),
        _mutated(_SHEET).map(xlsx_bytes),
    )
)
def test_xlsx_bytes(data: bytes) -> None:
    read_and_check(_xlsx, "eco.xlsx", data)


# -- CORDIS ----------------------------------------------------------------------------------

_CORDIS_COLUMNS = ["rcn", "role", "pic", "type", "country", "start_year", "start_date"]
_CORDIS_CELL = st.one_of(
    _CELL,
    st.sampled_from(["PRC", "HES", "REC", "NA", "EL", "coordinator", "2015", "2015-01-01"]),
    st.integers(0, 10**12).map(str),
)


@st.composite
def _cordis_rows(draw: st.DrawFn) -> bytes:
    header = draw(st.permutations(_CORDIS_COLUMNS).map(lambda cs: cs[: len(cs) - 1]))
    rows = draw(
        st.lists(st.lists(_CORDIS_CELL, min_size=len(header), max_size=len(header)), max_size=8)
    )
    data = _csv_text(header, rows)
    return gzip.compress(data, mtime=0) if draw(st.booleans()) else data


@settings(max_examples=examples(150))
@given(_cordis_rows())
def test_cordis_structured(data: bytes) -> None:
    read_and_check(_cordis, "parts.csv", data)


@settings(max_examples=examples(100))
@given(
    st.one_of(
        st.binary(max_size=300),
        _mutated(_VALID_CORDIS),
        _mutated(gzip.compress(_VALID_CORDIS, mtime=0)),
    )
)
def test_cordis_bytes(data: bytes) -> None:
    read_and_check(_cordis, "parts.csv.gz", data)
