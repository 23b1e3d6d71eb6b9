"""A corpus of malformed inputs for every reader (CSV, .xlsx, node-link JSON, CORDIS).

Each :class:`Case` is one attempted import that must be refused with located problems; the
store it runs against holds the tiny ecosystem of ``tests/conftest.py`` (ids acme, bolt,
cogs, polito, fund, mech). The files are generated here, small: size limits are tested with
``ECOMAP_MAX_INPUT_MB=1`` (:data:`MAX_INPUT_MB`), so a bomb needs only a few KiB.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from csvdata import ORG_HEADER, REL_HEADER

from app.fields import (
    MAX_CELL_LENGTH,
    MAX_ID_LENGTH,
    MAX_LIST_ITEM_LENGTH,
    MAX_LIST_ITEMS,
    MAX_LONG_TEXT_LENGTH,
    MAX_NAME_LENGTH,
    MAX_SHORT_TEXT_LENGTH,
)
from app.ingest.limits import MAX_COLUMNS, MAX_JSON_DEPTH, MAX_SHEET_ROWS

__all__ = ["CASES", "MAX_INPUT_MB", "Case", "xlsx_bytes"]

#: The input limit the corpus runs under (MiB).
MAX_INPUT_MB = 1
_OVER = MAX_INPUT_MB * 1024 * 1024 + 1
_BIG_CELL = MAX_CELL_LENGTH + 1
_HUGE_INT = "9" * 5000
_CORDIS_HEADER = "rcn,role,pic,type,country,start_year"
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@dataclass(frozen=True)
class Case:
    """One refused import: files as (name, bytes), an optional format and projects file."""

    name: str
    files: tuple[tuple[str, bytes], ...]
    fmt: str | None = None
    projects: tuple[str, bytes] | None = None
    tags: tuple[str, ...] = field(default=())


def _org_row(**cells: str) -> str:
    base = {"id": "zz1", "name": "Zed", "kind": "company"}
    base.update(cells)
    columns = ORG_HEADER.split(",")
    return ",".join(_csv_cell(base.get(c, "")) for c in columns)


def _csv_cell(value: str) -> str:
    if any(ch in value for ch in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _orgs(*rows: str, header: str = ORG_HEADER) -> tuple[tuple[str, bytes], ...]:
    return (("orgs.csv", "\n".join((header, *rows, "")).encode()),)


def _rels(*rows: str) -> tuple[tuple[str, bytes], ...]:
    text = "\n".join((REL_HEADER, *rows, ""))
    return (("rels.csv", text.encode()),)


def _with_org_file(*rels: str) -> tuple[tuple[str, bytes], ...]:
    """A valid one-row organizations file and the given relationship rows."""
    return (*_orgs(_org_row(id="new1", name="New")), *_rels(*rels))


def _csv_cases() -> list[Case]:
    c: list[Case] = []

    def org(label: str, /, **cells: str) -> None:
        c.append(Case(f"csv-{label}", _orgs(_org_row(**cells))))

    def raw(name: str, data: bytes, file: str = "orgs.csv") -> None:
        c.append(Case(f"csv-{name}", ((file, data),)))

    header = ORG_HEADER.encode()
    raw("latin1", header + "\nzz1,Caf\xe9,company,,,,,,,,,,,,\n".encode("latin-1"))
    raw("utf16", (ORG_HEADER + "\nzz1,Zed,company,,,,,,,,,,,,\n").encode("utf-16"))
    raw("surrogate-bytes", header + b"\nzz1,\xed\xa0\x80,company,,,,,,,,,,,,\n")
    raw("nul-in-name", header + b"\nzz1,Z\x00ed,company,,,,,,,,,,,,\n")
    raw("nul-in-city", header + b"\nzz1,Zed,company,,,,Tu\x00rin,,,,,,,,\n")
    raw("only-bom", b"\xef\xbb\xbf")
    raw("empty", b"")
    raw("bom-then-bad-row", b"\xef\xbb\xbf" + header + b"\nzz1,Zed\n")
    raw("ragged-short", header + b"\nzz1,Zed,company\n")
    raw("ragged-long", header + b"\nzz1,Zed,company,,,,,,,,,,,,,,,,\n")
    raw("unterminated-quote", header + b'\nzz1,"Zed,company,,,,,,,,,,,,\n')
    raw("huge-cell", header + b"\nzz1,Zed,company,,,,,,,,,,,," + b"d" * _BIG_CELL + b"\n")
    raw("huge-quoted-cell", header + b'\nzz1,"' + b"n" * (4 * _BIG_CELL) + b'",company\n')
    raw("huge-header-cell", b"id,name,kind," + b"x" * _BIG_CELL + b"\n")
    raw("too-large", header + b"\n" + b"zz1,Zed,company,,,,,,,,,,,,\n" * (_OVER // 28 + 1))
    raw("wide-header", (",".join(f"c{i}" for i in range(MAX_COLUMNS * 10)) + "\n").encode())
    raw("header-twice", b"id,name,kind,name\nzz1,Zed,company,Zed\n")
    raw("unknown-column", b"id,name,kind,colour\nzz1,Zed,company,red\n")
    raw("missing-column", b"id,kind\nzz1,company\n")
    raw("duplicate-ids", header + b"\nzz1,Zed,company,,,,,,,,,,,,\nzz1,Zed2,company,,,,,,,,,,,,\n")
    org("city-5mb-capped", city="c" * (MAX_SHORT_TEXT_LENGTH + 1))
    org("region-long", region="r" * (MAX_SHORT_TEXT_LENGTH + 1))
    org("type-long", type="t" * (MAX_SHORT_TEXT_LENGTH + 1))
    org("type-bad", type="Big Thing!")
    org("name-long", name="n" * (MAX_NAME_LENGTH + 1))
    org("name-missing", name="")
    org("description-long", description="d" * (MAX_LONG_TEXT_LENGTH + 1))
    org("tags-many", tags="|".join(f"t{i}" for i in range(MAX_LIST_ITEMS * 10)))
    org("tag-long", tags="ok|" + "t" * (MAX_LIST_ITEM_LENGTH + 1))
    org("sectors-many", sectors="|".join(f"C{i}" for i in range(MAX_LIST_ITEMS + 1)))
    org("tag-control", tags="ok|\x1b[31mred")
    org("id-long", id="i" * (MAX_ID_LENGTH + 1))
    for label, bad_id in [
        ("slash", "a/b"),
        ("backslash", "a\\b"),
        ("question", "a?b"),
        ("hash", "a#b"),
        ("percent", "a%2Fb"),
        ("control", "a\x01b"),
        ("ansi", "\x1b[2Jx"),
        ("bidi", "a\u202eb"),
        ("dotdot", ".."),
        ("del", "a\x7fb"),
    ]:
        org(f"id-{label}", id=bad_id)
    org("city-ansi", city="\x1b[31mTurin")
    org("city-c1-control", city="Tur\x9bin")
    org("employees-int64", employees=str(2**63))
    org("employees-20-digits", employees="99999999999999999999")
    org("employees-5000-digits", employees=_HUGE_INT)
    org("employees-negative", employees="-1")
    org("employees-float-text", employees="1e30")
    org("employees-words", employees="many")
    org("founded-int64", founded=str(2**64))
    org("founded-5000-digits", founded=_HUGE_INT)
    org("founded-nan", founded="nan")
    org("lat-nan", lat="nan", lon="0")
    org("lat-inf", lat="inf", lon="0")
    org("lon-1e400", lat="0", lon="1e400")
    org("lat-range", lat="91", lon="0")
    org("lat-alone", lat="45")
    org("website-ctrl-javascript", website="\x01javascript:alert(1)")
    org("website-protocol-relative", website="//evil.example/x")
    org("website-javascript", website="javascript:alert(1)")
    org("website-data", website="data:text/html,<script>alert(1)</script>")
    org("website-no-host", website="https://")
    org("website-space", website="https://a b.example")
    org("country-bad", country="XX")
    org("country-long", country="Italy" * 2000)
    org("kind-bad", kind="planet")
    org("kind-change", id="acme", kind="cluster")
    return c


def _rel_cases() -> list[Case]:
    c: list[Case] = []

    def rel(name: str, row: str, *, with_orgs: bool = False) -> None:
        files = _with_org_file(row) if with_orgs else _rels(row)
        c.append(Case(f"rels-{name}", files))

    rel("unknown-endpoint", "acme,nobody,SUPPLIES,,,,")
    rel("self-loop", "acme,acme,SUPPLIES,,,,")
    rel("member-of-company", "acme,bolt,MEMBER_OF,,,,")
    rel("weight-nan", "acme,bolt,SUPPLIES,nan,,,")
    rel("weight-inf", "acme,bolt,SUPPLIES,inf,,,")
    rel("weight-zero", "acme,bolt,SUPPLIES,0,,,")
    rel("weight-words", "acme,bolt,SUPPLIES,heavy,,,")
    rel("weight-1e400", "acme,bolt,SUPPLIES,1e400,,,")
    rel("since-words", "acme,bolt,SUPPLIES,,May 2019,,")
    rel("since-bad-date", "acme,bolt,SUPPLIES,,2019-02-30,,")
    rel("since-long", "acme,bolt,SUPPLIES,,2019" + "0" * MAX_CELL_LENGTH + ",,")
    rel("until-before-since", "acme,bolt,SUPPLIES,,2020,2019,")
    rel("type-unknown", "acme,bolt,OWNS,,,,")
    rel("endpoint-slash", "acme,a/b,SUPPLIES,,,,")
    rel("endpoint-long", "acme," + "x" * (MAX_ID_LENGTH + 1) + ",SUPPLIES,,,,")
    rel("endpoint-control", "acme,b\x1bolt,SUPPLIES,,,,")
    rel("evidence-long", "acme,bolt,SUPPLIES,,,," + "e" * (MAX_LONG_TEXT_LENGTH + 1))
    rel("evidence-huge-cell", "acme,bolt,SUPPLIES,,,," + "e" * _BIG_CELL)
    rel("to-new-org-unknown", "new1,ghost,COLLABORATES_WITH,,,,", with_orgs=True)
    dup = _rels("acme,bolt,SUPPLIES,,,,", "acme,bolt,SUPPLIES,2,,,")
    c.append(Case("rels-duplicate", dup))
    sym = _rels("acme,polito,COLLABORATES_WITH,,,,", "polito,acme,COLLABORATES_WITH,,,,")
    c.append(Case("rels-symmetric-duplicate", sym))
    return c


def _json(text: str | bytes, name: str = "eco.json") -> Case:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return Case(f"json-{name.removesuffix('.json')}", ((name, data),), fmt="json")


def _node(extra: str = "") -> str:
    return '{"id": "zz1", "name": "Zed", "kind": "company"' + extra + "}"


def _json_cases() -> list[Case]:
    node = _node()
    deep = "[" * 100_000 + "]" * 100_000
    cases = [
        _json('{"nodes": [' + node + ",]}", "trailing-comma-array.json"),
        _json('{"nodes": [' + node + '], "links": [],}', "trailing-comma-object.json"),
        _json('{"nodes": [{"id": "zz1", "name": "Zed", "kind": "company",}]}', "comma-elem.json"),
        _json(
            '{"nodes": [{"id": "x-b", "ID": "x-c", "name": "X", "kind": "company"}]}', "dup-case"
        ),
        _json('{"nodes": [{"id": "x-b", "id": "x-c", "name": "X", "kind": "company"}]}', "dup-key"),
        _json('{"nodes": [' + node + '], "nodes": []}', "dup-nodes.json"),
        _json('{"nodes": [' + node + '], "Nodes": []}', "dup-nodes-case.json"),
        _json('{"nodes": [], "links": [], "edges": []}', "links-and-edges.json"),
        _json('{"nodes": [' + _node(', "tags": ' + deep) + "]}", "deep-value.json"),
        _json('{"nodes": [' + node + '], "graph": ' + deep + "}", "deep-graph.json"),
        _json(deep, "deep-top.json"),
        _json("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), "just-too-deep.json"),
        _json("[" + node + "]", "array.json"),
        _json('{"links": []}', "no-nodes.json"),
        _json('{"nodes": {"id": "zz1"}}', "nodes-object.json"),
        _json('{"nodes": [42]}', "element-number.json"),
        _json('{"nodes": [' + _node(', "colour": "red"') + "]}", "unknown-field.json"),
        _json('{"nodes": [' + _node(', "description": "' + "d" * _BIG_CELL + '"') + "]}", "big"),
        _json('{"nodes": [' + _node(', "tags": ["t"]' + "") + "]}" + "x", "extra-data.json"),
        _json(
            '{"nodes": [' + _node(', "tags": [' + ",".join(['"t"'] * 20_000) + "]") + "]}", "tags"
        ),
        _json('{"nodes": [' + _node(', "employees": ' + _HUGE_INT) + "]}", "huge-int.json"),
        _json('{"nodes": [' + _node(', "employees": 1e30') + "]}", "employees-float.json"),
        _json('{"nodes": [' + _node(', "employees": true') + "]}", "employees-bool.json"),
        _json('{"nodes": [' + _node(', "founded": 18446744073709551616') + "]}", "founded-u64"),
        _json('{"nodes": [' + _node(', "lat": NaN, "lon": 0') + "]}", "nan.json"),
        _json('{"nodes": [' + _node(', "lat": Infinity, "lon": 0') + "]}", "infinity.json"),
        _json('{"nodes": [' + _node(', "city": "\\ud800"') + "]}", "lone-surrogate.json"),
        _json('{"nodes": [{"id": "\\udfff", "name": "X", "kind": "company"}]}', "surrogate-id"),
        _json('{"nodes": [' + _node(', "city": {"a": 1}') + "]}", "city-object.json"),
        _json('{"nodes": [' + _node(', "city": "\\u001b[31mred"') + "]}", "city-ansi.json"),
        _json(
            '{"nodes": [' + _node("".join(f', "k{i}": 1' for i in range(1000))) + "]}",
            "many-keys.json",
        ),
        _json('{"nodes": [' + node, "truncated.json"),
        _json('{"nodes": [{"id": "x/y", "name": "X", "kind": "company"}]}', "id-slash.json"),
        _json('{"nodes": [' + _node(', "website": "\\u0001javascript:x"') + "]}", "website"),
        _json("", "empty.json"),
        _json(('{"nodes": [' + node + "]}").encode("utf-16"), "utf16.json"),
        _json(b'{"nodes": [{"id": "zz1", "name": "Caf\xe9", "kind": "company"}]}', "latin1"),
        _json(
            '{"nodes": [' + node + '], "links": [{"source": "zz1", "target": "zz1", '
            '"type": "SUPPLIES"}]}',
            "self-loop.json",
        ),
        _json(
            '{"nodes": [' + node + '], "links": [{"source": "zz1", "target": "acme", '
            '"type": "MEMBER_OF"}]}',
            "member-of-company.json",
        ),
        _json('{"nodes": [' + node + "," + node + "]}", "duplicate-ids.json"),
        _json('{"nodes": [' + _node(', "pad": "' + " " * _OVER + '"') + "]}", "too-large.json"),
    ]
    return cases


# -- .xlsx -----------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{extra}</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<workbook xmlns="{_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>{extra}</Relationships>'
)
_SST_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
)
_SST_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(rows: list[list[str]], *, prolog: str = "") -> str:
    """A worksheet of inline strings."""
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{_column(i)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for i, v in enumerate(row)
        )
        body.append(f'<row r="{r}">{cells}</row>')
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{_NS}">'
        f"<sheetData>{''.join(body)}</sheetData></worksheet>"
    )


_GOOD_ROWS = [["id", "name", "kind"], ["zz1", "Zed", "company"]]


def xlsx_bytes(
    sheet: str | bytes | None = None,
    *,
    sheet_name: str = "organizations",
    shared: str | None = None,
    members: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """A minimal workbook: one sheet (XML given or :data:`_GOOD_ROWS`), optional shared
    strings, extra or replaced ``members``; members named in ``drop`` are left out."""
    files: dict[str, bytes] = {
        "[Content_Types].xml": _CONTENT_TYPES.format(extra=_SST_TYPE if shared else "").encode(),
        "_rels/.rels": _ROOT_RELS.encode(),
        "xl/workbook.xml": _WORKBOOK.replace("{sheet}", sheet_name).encode(),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.format(
            extra=_SST_REL if shared else ""
        ).encode(),
    }
    data = sheet if sheet is not None else sheet_xml(_GOOD_ROWS)
    files["xl/worksheets/sheet1.xml"] = data.encode() if isinstance(data, str) else data
    if shared is not None:
        files["xl/sharedStrings.xml"] = shared.encode()
    files.update(members or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            if name not in drop:
                archive.writestr(name, content)
    return out.getvalue()


_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def _shared_sheet(count: int) -> str:
    cells = "".join(f'<c r="{_column(i)}1" t="s"><v>{i}</v></c>' for i in range(count))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"><sheetData>'
        f'<row r="1">{cells}</row></sheetData></worksheet>'
    )


def _sst(*strings: str, raw: str = "") -> str:
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_NS}">{items}{raw}</sst>'


def number_sheet(column: str, value: str) -> str:
    """:data:`_GOOD_ROWS` and one numeric cell ``value`` in ``column``."""
    header = "".join(
        f'<c r="{_column(i)}1" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate([*_GOOD_ROWS[0], column])
    )
    row = "".join(
        f'<c r="{_column(i)}2" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(_GOOD_ROWS[1])
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"><sheetData>'
        f'<row r="1">{header}</row><row r="2">{row}<c r="D2"><v>{value}</v></c></row>'
        "</sheetData></worksheet>"
    )


def _xlsx_cases() -> list[Case]:
    def case(label: str, data: bytes) -> Case:
        return Case(f"xlsx-{label}", ((f"{label}.xlsx", data),))

    good = xlsx_bytes()
    sheet = sheet_xml(_GOOD_ROWS)
    rows_with = lambda *extra: sheet_xml([*_GOOD_ROWS, *extra])  # noqa: E731
    zeros = sheet.replace("</sheetData>", "</sheetData>" + " " * _OVER)
    huge_attr = sheet.replace('<row r="2">', '<row r="2" spans="' + "1" * (_OVER * 2 // 3) + '">')
    # faults after many rows: openpyxl meets them while iterating, not while opening
    late = sheet_xml([*_GOOD_ROWS, *([["yy", "Y", "company"]] * 3000), ["zz9", "Zed", "company"]])
    laughs = sheet.replace("<worksheet", _LAUGHS + "<worksheet", 1)
    wide = sheet_xml([[f"c{i}" for i in range(MAX_COLUMNS + 1)], ["x"]])
    return [
        case("not-a-zip", b"id,name,kind\nzz1,Zed,company\n"),
        case("truncated-zip", good[: len(good) // 2]),
        case("empty", b""),
        case("zip-bomb", xlsx_bytes(zeros)),
        case("truncated-sheet", xlsx_bytes(sheet[: len(sheet) - 40])),
        case("undefined-entity", xlsx_bytes(sheet.replace(">Zed<", ">&zed;<"))),
        case("undefined-entity-late", xlsx_bytes(late.replace(">Zed<", ">&zed;<"))),
        case("truncated-sheet-late", xlsx_bytes(late[: len(late) - 40])),
        case("entity-bomb", xlsx_bytes(laughs.replace(">Zed<", ">&lol9;<"))),
        case(
            "xxe",
            xlsx_bytes(
                sheet.replace(
                    "<worksheet",
                    '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet',
                    1,
                ).replace(">Zed<", ">&x;<")
            ),
        ),
        case(
            "shared-strings-bomb",
            xlsx_bytes(
                _shared_sheet(3),
                shared=_sst("id", "name", "kind")
                .replace("<sst", _LAUGHS + "<sst", 1)
                .replace(">kind<", ">&lol9;<"),
            ),
        ),
        case(
            "doctype-in-workbook",
            xlsx_bytes(
                members={
                    "xl/workbook.xml": _WORKBOOK.replace("{sheet}", "organizations")
                    .replace("<workbook", "<!DOCTYPE workbook><workbook", 1)
                    .encode()
                }
            ),
        ),
        case("cell-too-long", xlsx_bytes(rows_with(["zz2", "n" * _BIG_CELL, "company"]))),
        case(
            "shared-string-too-long",
            xlsx_bytes(_shared_sheet(3), shared=_sst("id", "name", "k" * _BIG_CELL)),
        ),
        case(
            "rich-text-too-long",
            xlsx_bytes(
                _shared_sheet(3),
                shared=_sst(
                    "id",
                    "name",
                    raw="<si>" + "<r><t>abcdefghij</t></r>" * (_BIG_CELL // 10 + 1) + "</si>",
                ),
            ),
        ),
        case("attribute-too-long", xlsx_bytes(huge_attr)),
        case("row-beyond-excel", xlsx_bytes(sheet.replace('<row r="2">', f'<row r="{10**10}">'))),
        case(
            "row-just-beyond",
            xlsx_bytes(sheet.replace('<row r="2">', f'<row r="{MAX_SHEET_ROWS + 1}">')),
        ),
        case("cell-ref-beyond", xlsx_bytes(sheet.replace('r="A2"', 'r="ZZZZ2"'))),
        case("no-organizations-sheet", xlsx_bytes(sheet_name="Sheet1")),
        case("wide-header", xlsx_bytes(wide)),
        case(
            "bad-number",
            xlsx_bytes(number_sheet("employees", "abc").replace('<c r="D2">', '<c r="D2" t="n">')),
        ),
        case(
            "shared-index-out-of-range",
            xlsx_bytes(
                _shared_sheet(3).replace("<v>2</v>", "<v>999</v>"),
                shared=_sst("id", "name", "kind"),
            ),
        ),
        case("no-workbook", xlsx_bytes(drop=("xl/workbook.xml",))),
        case(
            "bad-values",
            xlsx_bytes(
                sheet_xml(
                    [
                        ["id", "name", "kind", "employees", "lat", "lon", "website"],
                        ["a/b", "Zed", "company", "1e30", "nan", "0", "//evil"],
                    ]
                )
            ),
        ),
        case("huge-employees", xlsx_bytes(number_sheet("employees", _HUGE_INT[:400]))),
        case("employees-int64", xlsx_bytes(number_sheet("employees", str(2**63)))),
        case("founded-float-huge", xlsx_bytes(number_sheet("founded", "1E+300"))),
        case("lat-inf", xlsx_bytes(number_sheet("lat", "1E+400"))),
    ]


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _cordis_cases() -> list[Case]:
    def case(
        label: str,
        data: bytes,
        file: str = "parts.csv",
        projects: tuple[str, bytes] | None = None,
    ) -> Case:
        return Case(f"cordis-{label}", ((file, data),), fmt="cordis", projects=projects)

    good = f"{_CORDIS_HEADER}\n1,coordinator,111,PRC,DE,2015\n1,participant,222,HES,IT,2015\n"

    def row(line: str) -> bytes:
        return f"{_CORDIS_HEADER}\n1,coordinator,111,PRC,DE,2015\n{line}\n".encode()

    csv_bomb = (_CORDIS_HEADER + "\n").encode() + b"1,participant,333,PRC,DE,2015\n" * (
        _OVER // 30 + 1
    )
    gz_good = _gzip(good.encode())
    return [
        case("gzip-bomb", _gzip(csv_bomb), "bomb.csv.gz"),
        case("gzip-bomb-one-line", _gzip(b"rcn," + b"x" * _OVER), "line.csv.gz"),
        case("gzip-truncated", gz_good[: len(gz_good) // 2], "cut.csv.gz"),
        case("gzip-corrupt", gz_good[:12] + b"\xff" * 40 + gz_good[52:], "bad.csv.gz"),
        case("plain-too-large", csv_bomb),
        case("latin1", (good + "1,participant,333,PRC,D\xc9,2015\n").encode("latin-1")),
        case("missing-column", b"rcn,role,pic\n1,coordinator,111\n"),
        case("no-year-column", b"rcn,role,pic,type,country\n1,coordinator,111,PRC,DE\n"),
        case("empty", b""),
        case("huge-cell", row("1,participant," + "9" * _BIG_CELL + ",PRC,DE,2015")),
        case("wide-header", (",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n").encode()),
        case("pic-slash", row("1,participant,12/34,PRC,DE,2015")),
        case("pic-long", row("1,participant," + "9" * 51 + ",PRC,DE,2015")),
        case("pic-nul", row("1,participant,33\x003,PRC,DE,2015")),
        case("rcn-weird", row("1/../2,participant,333,PRC,DE,2015")),
        case("rcn-long", row("1" * 51 + ",participant,333,PRC,DE,2015")),
        case("type-unknown", row("1,participant,333,XYZ,DE,2015")),
        case("country-bad", row("1,participant,333,PRC,XX,2015")),
        case("year-words", row("1,participant,333,PRC,DE,20x5")),
        case("year-huge", row("1,participant,333,PRC,DE," + _HUGE_INT)),
        case("ragged", row("1,participant,333")),
        case("unterminated-quote", row('1,participant,"333,PRC,DE,2015')),
        case(
            "projects-part-too-long",
            good.encode(),
            projects=("projects.csv", b"rcn,programme_parts\n1,SC1;" + b"P" * 300 + b"\n"),
        ),
        case(
            "projects-bad-rcn",
            good.encode(),
            projects=("projects.csv", b"rcn,programme_parts\n1/2,SC1\n"),
        ),
        case(
            "projects-gzip-bomb",
            good.encode(),
            projects=(
                "projects.csv.gz",
                _gzip(b"rcn,programme_parts\n" + b"1,SC1\n" * (_OVER // 6 + 1)),
            ),
        ),
    ]


CASES: list[Case] = [
    *_csv_cases(),
    *_rel_cases(),
    *_json_cases(),
    *_xlsx_cases(),
    *_cordis_cases(),
]
