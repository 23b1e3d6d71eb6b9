"""Readers and validation: every problem reported at once, as FILE:LINE: column: message."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from csvdata import ORG_HEADER, REL_HEADER
from hostile.corpus import CASES, sheet_xml, xlsx_bytes

from app.fields import MAX_CELL_LENGTH, MAX_SHORT_TEXT_LENGTH
from app.ingest.limits import MAX_JSON_DEPTH, size_message
from app.ingest.nodelink import read_node_link_json
from app.ingest.readers import read_csv, read_xlsx
from app.ingest.validate import validate_tables
from app.vocabulary import Kind

WriteCsv = Callable[[str, str], Path]


def problems_of(*paths: Path, stored: dict[str, Kind] | None = None) -> list[str]:
    tables = []
    for path in paths:
        if path.suffix == ".csv":
            tables.append(read_csv(path))
        elif path.suffix == ".xlsx":
            tables.extend(read_xlsx(path))
        else:
            tables.extend(read_node_link_json(path))
    return [str(p) for p in validate_tables(tables, stored_kinds=stored or {}).problems]


def test_multiline_cells_keep_line_numbers_right(write_csv: WriteCsv) -> None:
    orgs = write_csv(
        "orgs.csv",
        f"""
        {ORG_HEADER}
        a,Alpha,company,,,,,,,,,,,,"two
        lines"
        b,Beta,company,,,,,,XX,,,,,,
        """,
    )
    assert problems_of(orgs) == [
        "orgs.csv:4: country: 'XX' is not an ISO 3166-1 alpha-2 country code"
    ]


def test_all_problems_are_reported_in_file_and_line_order(write_csv: WriteCsv) -> None:
    orgs = write_csv(
        "orgs.csv",
        f"""
        {ORG_HEADER}
        a,Alpha,company,sme,,,,,IT,45,7,10,2001,,
        b,,company,,,,,,,,,,,,
        c,Gamma,planet,,,,,,,95,0,,,,
        a,Alpha again,company,,,,,,,,,,,,
        k,Cluster,cluster,,,,,,,,,,,,
        u,Uni,institution,university,,,,,,,,,,,
        """,
    )
    rels = write_csv(
        "rels.csv",
        f"""
        {REL_HEADER}
        a,u,COLLABORATES_WITH,2,2019,,
        u,a,COLLABORATES_WITH,1,,,
        a,a,SUPPLIES,,,,
        a,zz,SUPPLIES,,,,
        a,u,MEMBER_OF,,,,
        b,k,MEMBER_OF,,,,
        u,a,FUNDS,1,2021,2020,
        """,
    )
    assert problems_of(orgs, rels) == [
        "orgs.csv:3: name: required value is missing",
        "orgs.csv:4: kind: Input should be 'company', 'institution' or 'cluster' (got 'planet')",
        "orgs.csv:4: lat: Input should be less than or equal to 90 (got '95')",
        "orgs.csv:5: id: duplicate id 'a' (first on line 2)",
        "rels.csv:3: -: duplicate relationship (the same pair in either direction), "
        "first on line 2",
        "rels.csv:4: target: a relationship cannot connect an organization to itself",
        "rels.csv:5: target: unknown organization 'zz' (neither in the input nor in the store)",
        "rels.csv:6: type: MEMBER_OF goes from company/institution to cluster, "
        "not from company to institution",
        "rels.csv:7: source: 'b' is not imported: its row (line 3) has errors",
        "rels.csv:8: until: until (2020) is before since (2021)",
    ]


def test_header_problems(write_csv: WriteCsv) -> None:
    orgs = write_csv("orgs.csv", "id,name,colour,colour\na,A,red,red\n")
    assert problems_of(orgs) == [
        "orgs.csv:1: colour: unknown column; expected "
        "id,name,kind,type,sectors,tags,city,region,country,lat,lon,employees,founded,"
        "website,description,source,verified_at,verified_by",
        "orgs.csv:1: colour: column appears twice in the header",
    ]
    # Without a kind column a row can update a stored organization; a new one is refused.
    names = write_csv("names.csv", "id,name\na,A\n")
    assert problems_of(names) == ["names.csv:2: kind: required value is missing"]
    no_id = write_csv("no_id.csv", "name,kind\nA,company\n")
    assert problems_of(no_id)[0] == "no_id.csv:1: id: required column is missing"


def test_row_shape_encoding_and_blank_lines(write_csv: WriteCsv, tmp_path: Path) -> None:
    orgs = write_csv("orgs.csv", "\ufeffid,name,kind\na,A,company\n\nb,B\n,,\nc,C,company\n")
    assert problems_of(orgs) == ["orgs.csv:4: -: expected 3 cells, found 2"]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,name,kind\na,A,company\nb,Caf\xe9,company\n".encode("latin-1"))
    assert problems_of(latin) == ["latin.csv:3: -: the file is not UTF-8 text"]
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert problems_of(empty) == ["empty.csv:1: -: the file is empty"]


def test_relationships_file_alone_and_store_endpoints(write_csv: WriteCsv) -> None:
    rels = write_csv("rels.csv", f"{REL_HEADER}\nx,k,MEMBER_OF,,,,\nx,y,MEMBER_OF,,,,\n")
    stored = {"x": Kind.COMPANY, "k": Kind.CLUSTER, "y": Kind.COMPANY}
    assert read_csv(rels).kind == "relationships"
    assert problems_of(rels, stored=stored) == [
        "rels.csv:3: type: MEMBER_OF goes from company/institution to cluster, "
        "not from company to company"
    ]


def test_kind_cannot_change_against_the_store(write_csv: WriteCsv) -> None:
    orgs = write_csv("orgs.csv", "id,name,kind\nx,X,institution\n")
    assert problems_of(orgs, stored={"x": Kind.COMPANY}) == [
        "orgs.csv:2: kind: organization 'x' is stored as a company; its kind cannot change "
        "to institution (delete it first)"
    ]


def test_valid_rows_are_returned_with_provenance(write_csv: WriteCsv) -> None:
    orgs = write_csv("orgs.csv", "id,name,kind,sectors\na,A,company,C29|M72\nb,B,company,\n")
    rels = write_csv("rels.csv", f"{REL_HEADER}\nb,a,collaborates_with,2.5,2019,,joint project\n")
    result = validate_tables([read_csv(orgs), read_csv(rels)], stored_kinds={})
    assert result.problems == []
    assert (result.rows_read, result.rows_rejected) == (3, 0)
    assert [o.source for o in result.organizations] == ["orgs.csv", "orgs.csv"]
    assert result.organizations[0].sectors == ["C29", "M72"]
    assert result.relationships[0].key == ("a", "COLLABORATES_WITH", "b")


def test_xlsx_sheets_are_located_by_sheet_and_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "organizations"
    sheet.append(["id", "name", "kind", "employees", "lat", "lon"])
    sheet.append(["a", "A", "company", 12, 45.5, 7.25])
    sheet.append(["b", "B", "company", -4, None, None])
    rels = book.create_sheet("relationships")
    rels.append(["source", "target", "type", "weight", "since"])
    rels.append(["a", "b", "SUPPLIES", 2, 2019])
    rels.append(["a", "c", "SUPPLIES", 1, None])
    path = tmp_path / "eco.xlsx"
    book.save(path)
    assert problems_of(path) == [
        "eco.xlsx[organizations]:3: employees: Input should be greater than or equal to 0 "
        "(got '-4')",
        "eco.xlsx[relationships]:2: target: 'b' is not imported: its row (line 3) has errors",
        "eco.xlsx[relationships]:3: target: unknown organization 'c' "
        "(neither in the input nor in the store)",
    ]
    result = validate_tables(read_xlsx(path), stored_kinds={})
    assert result.organizations[0].employees == 12
    assert result.organizations[0].source == "eco.xlsx[organizations]"


def test_xlsx_without_organizations_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    path = tmp_path / "wrong.xlsx"
    book.save(path)
    assert problems_of(path) == [
        "wrong.xlsx[organizations]:1: -: the workbook has no sheet named 'organizations'"
    ]


def test_node_link_json_reports_element_lines(tmp_path: Path) -> None:
    document = {
        "directed": True,
        "nodes": [
            {"id": "a", "name": "A", "kind": "company", "sectors": ["C29", "M72"]},
            {"id": "b", "name": "B", "kind": "company", "colour": "red"},
            {"id": "k", "name": "K", "kind": "cluster"},
        ],
        "edges": [
            {"source": "a", "target": "k", "type": "MEMBER_OF", "weight": 1},
            {"source": "a", "target": "b", "type": "SUPPLIES"},
        ],
    }
    path = tmp_path / "eco.json"
    path.write_text(json.dumps(document, indent=2))
    lines = path.read_text().splitlines()
    line_of_b = next(i for i, text in enumerate(lines, 1) if '"id": "b"' in text) - 1
    line_of_edge = next(i for i, text in enumerate(lines, 1) if '"target": "b"' in text) - 2
    assert problems_of(path) == [
        f"eco.json:{line_of_b}: colour: unknown field",
        f"eco.json:{line_of_edge}: target: unknown organization 'b' "
        "(neither in the input nor in the store)",
    ]
    result = validate_tables(read_node_link_json(path), stored_kinds={})
    assert result.organizations[0].sectors == ["C29", "M72"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"nodes": [\n{"id": "a",}\n]}', "eco.json:2: -: invalid JSON: Expecting property name"),
        ('[{"id": "a"}]', "eco.json:1: -: expected a JSON object"),
        ('{"links": []}', 'eco.json:1: -: the JSON object has no "nodes" array'),
    ],
)
def test_malformed_json(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "eco.json"
    path.write_text(text)
    [problem] = problems_of(path)
    assert problem.startswith(expected)


# -- numbers out of range: problems, never an overflow in the store ----------------------------

HUGE = "99999999999999999999999"  # beyond 64-bit integers


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            f"a,A,company,,,,,,,,,{HUGE},,,",
            f"orgs.csv:2: employees: Input should be less than or equal to 10000000 (got '{HUGE}')",
        ),
        (
            "a,A,company,,,,,,,,,10000001,,,",
            "orgs.csv:2: employees: Input should be less than or equal to 10000000 "
            "(got '10000001')",
        ),
        (
            "a,A,company,,,,,,,,,1e30,,,",
            "orgs.csv:2: employees: Input should be a valid integer, unable to parse string as "
            "an integer (got '1e30')",
        ),
        (f"a,A,company,,,,,,,,,,{HUGE},,", f"orgs.csv:2: founded: year {HUGE} is in the future"),
        ("a,A,company,,,,,,,inf,0,,,,", "orgs.csv:2: lat: must be a finite number"),
        ("a,A,company,,,,,,,0,nan,,,,", "orgs.csv:2: lon: must be a finite number"),
        ("a,A,company,,,,,,,1e400,0,,,,", "orgs.csv:2: lat: must be a finite number"),
    ],
    ids=[
        "employees-overflow",
        "employees-cap",
        "employees-float",
        "founded",
        "inf",
        "nan",
        "1e400",
    ],
)
def test_csv_numbers_out_of_range(write_csv: WriteCsv, cells: str, expected: str) -> None:
    orgs = write_csv("orgs.csv", f"{ORG_HEADER}\n{cells}\n")
    assert problems_of(orgs) == [expected]


def test_largest_employees_is_accepted(write_csv: WriteCsv) -> None:
    orgs = write_csv("orgs.csv", f"{ORG_HEADER}\na,A,company,,,,,,,,,10000000,,,\n")
    assert problems_of(orgs) == []


@pytest.mark.parametrize("weight", ["inf", "-inf", "nan", "1e400"])
def test_csv_weights_must_be_finite(write_csv: WriteCsv, weight: str) -> None:
    orgs = write_csv("orgs.csv", "id,name,kind\na,A,company\nb,B,company\n")
    rels = write_csv("rels.csv", f"{REL_HEADER}\na,b,SUPPLIES,{weight},,,\n")
    assert problems_of(orgs, rels) == ["rels.csv:2: weight: must be a finite number"]


def test_node_link_json_numbers_out_of_range(tmp_path: Path) -> None:
    path = tmp_path / "eco.json"
    path.write_text(
        '{"nodes": [\n'
        f'{{"id": "a", "name": "A", "kind": "company", "employees": {HUGE}}},\n'
        '{"id": "b", "name": "B", "kind": "company", "lat": 1e400, "lon": NaN,'
        f' "founded": {HUGE}}}\n'
        '], "links": [\n'
        '{"source": "a", "target": "b", "type": "SUPPLIES", "weight": Infinity}\n'
        "]}\n"
    )
    assert problems_of(path) == [
        f"eco.json:2: employees: Input should be less than or equal to 10000000 (got '{HUGE}')",
        "eco.json:3: lat: must be a finite number",
        "eco.json:3: lon: must be a finite number",
        f"eco.json:3: founded: year {HUGE} is in the future",
        "eco.json:5: weight: must be a finite number",
    ]


def test_xlsx_numbers_out_of_range(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "organizations"
    sheet.append(["id", "name", "kind", "employees", "lat", "lon"])
    sheet.append(["a", "A", "company", int(HUGE), None, None])
    sheet.append(["b", "B", "company", 2**63, None, None])
    sheet.append(["c", "C", "company", 20_000_000, 1e300, 0])
    path = tmp_path / "eco.xlsx"
    book.save(path)
    found = problems_of(path)
    assert [p.split(": ", 2)[:2] for p in found] == [
        ["eco.xlsx[organizations]:2", "employees"],
        ["eco.xlsx[organizations]:3", "employees"],
        ["eco.xlsx[organizations]:4", "lat"],
        ["eco.xlsx[organizations]:4", "employees"],
    ], found


def test_cordis_years_out_of_range(tmp_path: Path) -> None:
    from app.ingest.cordis import read_cordis

    path = tmp_path / "participations.csv"
    path.write_text(
        "rcn,role,pic,type,country,start_year,start_date\n"
        f"1,coordinator,111,PRC,DK,{HUGE},\n"
        "1,participant,222,HES,SE,,99999-01-01\n"
    )
    problems = [str(p) for p in read_cordis(path).tables[0].problems]
    assert problems == [
        f"participations.csv:2: start_year: expected a year (2019), got '{HUGE}'",
        "participations.csv:3: start_date: expected an ISO date (2019-05-31), got '99999-01-01'",
    ]


# -- hostile inputs (issue 13): caps, strict JSON, safe .xlsx; located problems, never a crash ---

_OK_NODE = '{"id": "a", "name": "A", "kind": "company"}'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"nodes": [\n' + _OK_NODE + ",\n]}", "eco.json:3: -: invalid JSON: trailing comma"),
        ('{"nodes": [' + _OK_NODE + '],\n"links": [],\n}', "eco.json:3: -: invalid JSON: trailing"),
        ('{"nodes": [' + _OK_NODE + "]} []", "eco.json:1: -: invalid JSON: extra data"),
        ('{"nodes": [], "Nodes": []}', "eco.json:1: Nodes: the key 'Nodes' appears twice"),
        ('{"nodes": [], "links": [], "edges": []}', "eco.json:1: edges: the key 'edges' appears"),
    ],
)
def test_json_is_strict(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "eco.json"
    path.write_text(text)
    [problem] = problems_of(path)
    assert problem.startswith(expected)


@pytest.mark.parametrize("second", ["ID", "id", "Id"])
def test_json_duplicate_keys_in_any_case_refuse_the_element(tmp_path: Path, second: str) -> None:
    path = tmp_path / "eco.json"
    path.write_text(
        '{"nodes": [\n{"id": "x-b", "' + second + '": "x-c", "name": "X", "kind": "company"}\n]}'
    )
    result = validate_tables(read_node_link_json(path), stored_kinds={})
    assert [str(p) for p in result.problems] == [
        f"eco.json:2: {second}: the key {second!r} appears twice in an object (keys ignore case)"
    ]
    assert result.organizations == []  # not imported under --valid-only either


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 60_000])
def test_deep_json_is_a_problem_not_a_recursion_error(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "eco.json"
    path.write_text('{"nodes": [\n{"tags": ' + "[" * depth + "]" * depth + "}]}")
    [problem] = problems_of(path)
    assert problem == f"eco.json:2: -: JSON nested deeper than {MAX_JSON_DEPTH} levels"


def test_json_integers_beyond_python_limits_are_out_of_range(tmp_path: Path) -> None:
    path = tmp_path / "eco.json"
    path.write_text(
        '{"nodes": [{"id": "a", "name": "A", "kind": "company", "employees": %s}]}' % ("9" * 5000)
    )
    [problem] = problems_of(path)
    assert problem.startswith("eco.json:1: employees:") and len(problem) < 300


def test_csv_cell_over_the_cap_is_located(write_csv: WriteCsv) -> None:
    cell = "d" * (MAX_CELL_LENGTH + 1)
    orgs = write_csv(
        "orgs.csv", f"{ORG_HEADER}\na,A,company,,,,,,,,,,,,\nb,B,company,,,,,,,,,,,,{cell}\n"
    )
    assert problems_of(orgs) == [
        f"orgs.csv:3: -: a cell is longer than {MAX_CELL_LENGTH:,} characters"
    ]
    quoted = write_csv("q.csv", f'{ORG_HEADER}\nb,"{cell * 2}",company,,,,,,,,,,,,\n')
    assert problems_of(quoted) == [
        f"q.csv:2: -: a cell is longer than {MAX_CELL_LENGTH:,} characters"
    ]


def test_values_are_quoted_by_80_characters_at_most(write_csv: WriteCsv) -> None:
    city, country = "C" * 100_000, "Italy" * 20_000
    orgs = write_csv("orgs.csv", f"{ORG_HEADER}\na,A,company,,,,{city},,{country},,,,,,\n")
    problems = problems_of(orgs)
    assert [p.split(":")[2].strip() for p in problems] == ["city", "country"]
    assert all(len(p) < 300 for p in problems)


def test_inputs_over_max_bytes_are_refused_unread(write_csv: WriteCsv, tmp_path: Path) -> None:
    orgs = write_csv("orgs.csv", f"{ORG_HEADER}\n" + "a,A,company,,,,,,,,,,,,\n" * 100)
    [problem] = read_csv(orgs, max_bytes=1000).problems
    assert str(problem) == f"orgs.csv:0: -: {size_message(1000)}"
    doc = tmp_path / "eco.json"
    doc.write_text('{"nodes": [' + ",".join([_OK_NODE] * 100) + "]}")
    assert str(read_node_link_json(doc, max_bytes=1000)[0].problems[0]).startswith("eco.json:0")


def _workbook(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "eco.xlsx"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("truncated-sheet", "malformed XML in xl/worksheets/sheet1.xml, line 1: unclosed token"),
        ("undefined-entity", "malformed XML in xl/worksheets/sheet1.xml, line 1: undefined entity"),
        ("entity-bomb", "a DOCTYPE is not allowed"),
        ("xxe", "a DOCTYPE is not allowed"),
        ("shared-strings-bomb", "xl/sharedStrings.xml, line 1: a DOCTYPE is not allowed"),
        ("cell-too-long", f"a cell is longer than {MAX_CELL_LENGTH:,} characters"),
        ("rich-text-too-long", f"a cell is longer than {MAX_CELL_LENGTH:,} characters"),
        ("row-beyond-excel", "a row beyond Excel's"),
        ("truncated-zip", "not a readable .xlsx workbook (File is not a zip file)"),
    ],
)
def test_hostile_workbooks_are_refused_before_openpyxl(
    tmp_path: Path, name: str, expected: str
) -> None:
    [case] = [c for c in CASES if c.name == f"xlsx-{name}"]
    [problem] = problems_of(_workbook(tmp_path, case.files[0][1]))
    assert problem.startswith("eco.xlsx:0: -: ") and expected in problem


def test_workbook_members_count_against_max_bytes(tmp_path: Path) -> None:
    padded = sheet_xml([["id", "name", "kind"], ["a", "A", "company"]]) + " " * 5000
    path = _workbook(tmp_path, xlsx_bytes(padded))
    [table] = read_xlsx(path, max_bytes=4000)
    assert [str(p) for p in table.problems] == [f"eco.xlsx:0: -: {size_message(4000)}"]
    assert read_xlsx(path, max_bytes=100_000)[0].problems == []


def test_unreadable_workbook_rows_are_located(tmp_path: Path) -> None:
    [case] = [c for c in CASES if c.name == "xlsx-bad-number"]
    [problem] = problems_of(_workbook(tmp_path, case.files[0][1]))
    assert problem.startswith("eco.xlsx[organizations]:2: -: unreadable row in the workbook")


def test_a_long_file_name_is_cut_to_fit_as_the_source(tmp_path: Path) -> None:
    path = tmp_path / (("n" * 240) + ".csv")
    path.write_text("id,name,kind\na,A,company\n")
    result = validate_tables([read_csv(path)], stored_kinds={})
    assert result.problems == []
    assert result.organizations[0].source == path.name[:MAX_SHORT_TEXT_LENGTH]
