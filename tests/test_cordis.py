"""The CORDIS importer (``--format cordis``): mapping, ties, projects, errors, CLI and API.

The fixture in tests/data/cordis/ is described in its README; every expected value below is
computed by hand from it.
"""

from __future__ import annotations

import csv
import gzip
import json
import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.api import create_app
from app.cli import app
from app.errors import MAX_QUOTED, ImportValidationError
from app.fields import MAX_CELL_LENGTH
from app.filters import FilterSpec
from app.ingest.cordis import read_cordis
from app.ingest.limits import size_message
from app.services.importing import ImportReport, import_files
from app.settings import Settings
from app.store.embedded import EmbeddedStore

WriteCsv = Callable[[str, str], Path]

DATA = Path(__file__).parent / "data" / "cordis"
PARTICIPATIONS = DATA / "participations.csv"
PROJECTS = DATA / "projects.csv"
SLICE = Path(__file__).resolve().parents[2] / "shared/data/cordis-h2020/slice_dk_se"

HEADER = "rcn,role,pic,type,country,start_year"

#: id -> (name, kind, type, country) of the fixture's organizations.
ORGANIZATIONS = {
    "pic-100000001": ("University 100000001 (DK)", "institution", "university", "DK"),
    "pic-100000002": ("Company 100000002 (SE)", "company", "company", "SE"),
    "pic-100000003": (
        "Research organisation 100000003 (GB)",
        "institution",
        "research_institute",
        "GB",
    ),
    "pic-100000004": ("Public body 100000004 (GR)", "institution", "government", "GR"),
    "pic-100000005": ("Organisation 100000005 (NA)", "institution", "other", "NA"),
    "pic-100000006": ("Company 100000006 (DK)", "company", "company", "DK"),
}

#: (source, target) -> (weight, since, rcns) without the projects file (1005 has no year).
TIES = {
    ("01", "02"): (3.0, "2015", "1001, 1002, 1003"),
    ("01", "03"): (1.0, "2015", "1001"),
    ("02", "03"): (1.0, "2015", "1001"),
    ("01", "04"): (1.0, "2016", "1002"),
    ("02", "04"): (1.0, "2016", "1002"),
    ("01", "05"): (1.0, "2017", "1003"),
    ("02", "05"): (1.0, "2017", "1003"),
    ("03", "04"): (1.0, None, "1005"),
    ("03", "06"): (1.0, None, "1005"),
    ("04", "06"): (1.0, None, "1005"),
    ("05", "06"): (1.0, "2019", "1006"),
}

#: What a page of the explorer sends with its requests (an upload needs it).
CSRF = {"X-EcoMap-CSRF": "1"}


def pic(suffix: str) -> str:
    return f"pic-1000000{suffix}"


def load(store: EmbeddedStore, path: Path = PARTICIPATIONS, **options: Any) -> ImportReport:
    return import_files(store, [path], fmt="cordis", **options)


def organizations(store: EmbeddedStore) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in store.export().organizations}


def ties(store: EmbeddedStore) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["source"], row["target"]): row for row in store.export().relationships}


# -- mapping ---------------------------------------------------------------------------------


def test_every_activity_type_and_country_code_maps_onto_the_data_model(
    store: EmbeddedStore,
) -> None:
    report = load(store)
    assert report.rows_read == 16 and report.rows_rejected == 0 and report.problems == []
    found = organizations(store)
    assert {k: (o["name"], o["kind"], o["type"], o["country"]) for k, o in found.items()} == (
        ORGANIZATIONS
    )
    assert {o["source"] for o in found.values()} == {"CORDIS H2020"}
    assert all(o["tags"] == [] for o in found.values())
    # 01 coordinates 1001 and 1003; 05's two rows in 1003 count once, its role there is
    # partner; 06's projects span 2018-2019 (1005 has no year without the projects file).
    assert found[pic("01")]["description"] == (
        "CORDIS H2020: 3 projects, 2 as coordinator (2015-2017). PIC 100000001, activity type HES."
    )
    assert found[pic("05")]["description"].startswith("CORDIS H2020: 2 projects, 1 as coordinator")
    assert "(2018-2019)" in found[pic("06")]["description"]


def test_ties_have_hand_computed_weights_since_and_evidence(store: EmbeddedStore) -> None:
    load(store)
    found = ties(store)
    expected = {(pic(a), pic(b)): value for (a, b), value in TIES.items()}
    assert found.keys() == expected.keys()  # stored once, from the smaller id to the larger
    for key, (weight, since, rcns) in expected.items():
        row = found[key]
        assert row["type"] == "COLLABORATES_WITH"
        assert (row["weight"], row["since"]) == (weight, since), key
        noun = "project" if weight == 1 else "projects"
        assert row["evidence"] == f"CORDIS H2020: {weight:g} shared {noun} (rcn {rcns})"


def test_projects_file_adds_programme_tags_and_fills_start_years(store: EmbeddedStore) -> None:
    report = load(store, projects=PROJECTS)
    assert report.rows_read == 16 + 6
    assert report.files == [str(PARTICIPATIONS), str(PROJECTS)]
    assert report.notes == ["1 project(s) are not in projects.csv: no programme tags for them"]
    tags = {k: o["tags"] for k, o in organizations(store).items()}
    assert tags == {
        pic("01"): ["Innovation in SMEs", "LEIT", "MSCA", "SC1"],
        pic("02"): ["Innovation in SMEs", "LEIT", "MSCA", "SC1"],
        pic("03"): ["SC1", "SC5"],
        pic("04"): ["MSCA", "SC5"],
        pic("05"): ["Innovation in SMEs", "LEIT"],  # 1006 is not in the projects file
        pic("06"): ["ERC", "SC5"],
    }
    found = ties(store)
    assert {found[(pic(a), pic(b))]["since"] for a, b in [("03", "04"), ("03", "06")]} == {"2014"}
    assert found[(pic("01"), pic("02"))]["since"] == "2015"  # the participations' years win
    assert "(2014-2019)" in organizations(store)[pic("06")]["description"]


def test_projects_file_with_one_row_per_programme_part(
    store: EmbeddedStore, write_csv: WriteCsv
) -> None:
    parts = write_csv("parts.csv", "rcn,programme_part\n1001,SC1\n1003,LEIT\n1003,FET\n")
    load(store, projects=parts)
    assert organizations(store)[pic("05")]["tags"] == ["FET", "LEIT"]


def test_evidence_names_the_first_five_projects(store: EmbeddedStore, write_csv: WriteCsv) -> None:
    rows = [f"{rcn},participant,{p},PRC,DE,2020" for rcn in range(17, 10, -1) for p in "ab"]
    path = write_csv("many.csv", "\n".join([HEADER, *rows]))
    load(store, path)
    (tie,) = ties(store).values()
    assert (tie["weight"], tie["since"]) == (7.0, "2020")
    assert tie["evidence"] == "CORDIS H2020: 7 shared projects (rcn 11, 12, 13, 14, 15, …)"


def test_a_pic_with_several_types_or_countries_keeps_the_most_frequent(
    store: EmbeddedStore, write_csv: WriteCsv, caplog: pytest.LogCaptureFixture
) -> None:
    rows = [
        "1,participant,7,PRC,DE,2015",
        "2,participant,7,PRC,AT,2016",
        "3,participant,7,HES,AT,2017",  # PRC 2 : HES 1; AT and DE tie, AT started later
        "1,participant,8,REC,FR,2015",
    ]
    path = write_csv("mixed.csv", "\n".join([HEADER, *rows]))
    with caplog.at_level(logging.INFO, logger="app.ingest.cordis"):
        report = load(store, path)
    assert report.notes == [
        "1 PIC(s) appear with different activity types or countries (e.g. 7); "
        "kept the most frequent (ties: the latest start)"
    ]
    assert [r.name for r in caplog.records] == ["app.ingest.cordis"]
    org = organizations(store)["pic-7"]
    assert (org["kind"], org["country"], org["name"]) == ("company", "AT", "Company 7 (AT)")
    assert "3 projects" in org["description"]


# -- idempotency, atomicity, problems ----------------------------------------------------------


def test_importing_twice_changes_nothing(store: EmbeddedStore) -> None:
    load(store, projects=PROJECTS)
    before = store.export()
    again = load(store, projects=PROJECTS).summary
    assert (again.organizations_unchanged, again.relationships_unchanged) == (6, 11)
    assert not again.changed
    assert store.export() == before


def test_gzip_input_reads_like_plain_csv(store: EmbeddedStore, tmp_path: Path) -> None:
    packed = tmp_path / "participations.csv.gz"
    with PARTICIPATIONS.open("rb") as plain, gzip.open(packed, "wb") as out:
        shutil.copyfileobj(plain, out)
    plain_input = read_cordis(PARTICIPATIONS)
    packed_input = read_cordis(packed)
    assert [list(t.records) for t in packed_input.tables] == [
        list(t.records) for t in plain_input.tables
    ]
    assert load(store, packed).summary.relationships_created == 11


BAD_ROWS = f"""
{HEADER},in_region
1,participant,11,PRC,DE,2015,1
1,participant,12,XYZ,DE,2015,1
1,participant,13,HES,ZZ,2015,1
1,participant,NA,HES,FR,2015,1
1,participant,14,HES,FR,20x5,0
1,participant,15,HES,UK,2015
"""


def test_a_bad_row_writes_nothing_and_every_problem_is_located(
    store: EmbeddedStore, write_csv: WriteCsv
) -> None:
    path = write_csv("bad.csv", BAD_ROWS)
    load(store)  # a valid file first: the bad one must not touch it
    with pytest.raises(ImportValidationError) as caught:
        load(store, path)
    assert [str(p) for p in caught.value.problems] == [
        "bad.csv:3: type: unknown activity type 'XYZ'; expected PRC, HES, REC, PUB, OTH",
        "bad.csv:4: country: unknown country code 'ZZ' (ISO 3166-1 alpha-2, UK or EL)",
        "bad.csv:5: pic: required value is missing",
        "bad.csv:6: start_year: expected a year (2019), got '20x5'",
        "bad.csv:7: -: expected 7 cells, found 6",
    ]
    assert store.counts().nodes == 6 and "pic-11" not in organizations(store)


def test_valid_only_skips_and_reports_the_bad_rows(
    store: EmbeddedStore, write_csv: WriteCsv
) -> None:
    report = load(store, write_csv("bad.csv", BAD_ROWS), valid_only=True)
    assert (report.rows_read, report.rows_rejected, len(report.problems)) == (6, 5, 5)
    assert set(organizations(store)) == {"pic-11"}


def test_missing_columns_are_named_on_line_1(store: EmbeddedStore, write_csv: WriteCsv) -> None:
    path = write_csv("short.csv", "rcn,role,pic,country\n1,participant,11,DE\n")
    projects = write_csv("projects.csv", "rcn,start_year\n1,2015\n")
    with pytest.raises(ImportValidationError) as caught:
        load(store, path, projects=projects)
    assert [str(p) for p in caught.value.problems] == [
        "projects.csv:1: programme_parts or programme_part: required column is missing",
        "short.csv:1: type: required column is missing",
        "short.csv:1: start_year or start_date: required column is missing",
    ]


def test_bad_projects_rows_and_unreadable_files(store: EmbeddedStore, write_csv: WriteCsv) -> None:
    projects = write_csv("p.csv", "rcn,start_date,programme_parts\n1001,2015-01-01,SC1\nNA,x,ERC\n")
    with pytest.raises(ImportValidationError) as caught:
        load(store, projects=projects)
    assert [str(p) for p in caught.value.problems] == [
        "p.csv:3: rcn: required value is missing",
        "p.csv:3: start_date: expected an ISO date (2019-05-31), got 'x'",
    ]
    broken = write_csv("broken.csv.gz", "")
    broken.write_bytes(gzip.compress(PARTICIPATIONS.read_bytes())[:200])
    with pytest.raises(ImportValidationError, match=r"broken\.csv\.gz:\d+: -: cannot read"):
        load(store, broken)
    assert store.counts().nodes == 0


def test_cordis_takes_one_file_and_projects_only_go_with_cordis(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    with pytest.raises(ImportValidationError, match="one CORDIS participations file"):
        import_files(store, [PARTICIPATIONS, PROJECTS], fmt="cordis")
    with pytest.raises(ImportValidationError, match="with the cordis format only"):
        import_files(store, [PARTICIPATIONS], fmt="csv", projects=PROJECTS)
    with pytest.raises(ImportValidationError, match="no such file"):
        load(store, projects=tmp_path / "absent.csv")


def test_progress_reports_each_phase(store: EmbeddedStore) -> None:
    phases: dict[str, tuple[int, int]] = {}
    load(store, progress=lambda phase, done, total: phases.__setitem__(phase, (done, total)))
    assert phases == {
        "reading": (16, 16),
        "pairing": (6, 6),
        "validating": (17, 17),
        "writing": (17, 17),
    }


# -- CLI and API -------------------------------------------------------------------------------


def test_cli_import_with_projects_then_stats(runner: CliRunner, tmp_db: Path) -> None:
    args = ["--db", str(tmp_db), "import", "--format", "cordis", str(PARTICIPATIONS)]
    result = runner.invoke(app, [*args, "--projects", str(PROJECTS), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["organizations_created"] == 6
    assert report["summary"]["relationships_created"] == 11
    assert report["notes"] == ["1 project(s) are not in projects.csv: no programme tags for them"]
    stats = json.loads(runner.invoke(app, ["--db", str(tmp_db), "stats", "--json"]).stdout)
    assert stats["by_kind"] == {"company": 2, "institution": 4, "cluster": 0}
    again = runner.invoke(app, [*args, "--projects", str(PROJECTS)])
    assert again.exit_code == 0 and "6 unchanged" in again.stderr and "11 unchanged" in again.stderr
    assert "note: 1 project(s) are not in projects.csv" in again.stderr


def test_cli_reports_bad_rows_and_exits_2(
    runner: CliRunner, tmp_db: Path, write_csv: WriteCsv
) -> None:
    path = write_csv("bad.csv", BAD_ROWS)
    result = runner.invoke(app, ["--db", str(tmp_db), "import", "--format", "cordis", str(path)])
    assert result.exit_code == 2
    assert "bad.csv:3: type: unknown activity type 'XYZ'" in result.stderr
    assert "nothing was imported" in result.stderr
    wrong = runner.invoke(app, ["--db", str(tmp_db), "import", str(path), "--projects", str(path)])
    assert wrong.exit_code == 2 and "with the cordis format only" in wrong.stderr


@pytest.fixture
def client(store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(api_key=None), store=store), headers=CSRF) as test_client:
        yield test_client


def test_api_import_accepts_cordis_with_a_projects_upload(client: TestClient) -> None:
    files = [
        ("files", ("participations.csv", PARTICIPATIONS.read_bytes(), "text/csv")),
        ("projects", ("projects.csv", PROJECTS.read_bytes(), "text/csv")),
    ]
    response = client.post("/api/import", files=files, data={"format": "cordis"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["files"] == ["participations.csv", "projects.csv"]
    assert report["summary"]["relationships_created"] == 11 and len(report["notes"]) == 1
    organization = client.get(f"/api/organizations/{pic('06')}").json()
    assert organization["tags"] == ["ERC", "SC5"]
    bad = [("files", ("bad.csv", BAD_ROWS.lstrip().encode(), "text/csv"))]
    refused = client.post("/api/import", files=bad, data={"format": "cordis"})
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["text"].startswith("bad.csv:3: type:")


# -- the real DK+SE slice (../shared/data) -----------------------------------------------------


@pytest.mark.skipif(not SLICE.is_dir(), reason="the CORDIS data is not at ../shared/data")
def test_the_real_dk_se_slice_matches_the_data_readme(store: EmbeddedStore) -> None:
    report = load(store, SLICE / "participations_dk_se.csv")
    assert (report.rows_read, report.rows_rejected) == (28_212, 0)
    assert report.summary.organizations_created == 10_572
    with (SLICE / "organisations_dk_se.csv").open(newline="", encoding="utf-8") as handle:
        regional = {
            f"pic-{row['pic']}" for row in csv.DictReader(handle) if row["in_region"] == "1"
        }
    assert len(regional) == 1_235
    with (SLICE / "edges_dk_se.csv").open(newline="", encoding="utf-8") as handle:
        expected = {
            (f"pic-{row['source_pic']}", f"pic-{row['target_pic']}"): float(
                row["n_shared_projects"]
            )
            for row in csv.DictReader(handle)
        }
    expected = {(min(a, b), max(a, b)): w for (a, b), w in expected.items()}
    graph = store.subgraph(FilterSpec(countries=["DK", "SE"]), collapsed=True).graph
    assert set(graph) == regional
    found = {(min(a, b), max(a, b)): w for a, b, w in graph.edges(data="weight")}
    assert len(found) == len(expected) == 4_075
    assert found == expected


# -- hostile input (issue 13): bombs, huge cells and values are located problems --------------


def _gzip_bomb(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "bomb.csv.gz"
    body = f"{HEADER}\n".encode() + b"1,participant,111,PRC,DE,2015\n" * rows
    path.write_bytes(gzip.compress(body, mtime=0))
    return path


def test_gzip_is_counted_as_it_expands(tmp_path: Path) -> None:
    bomb = _gzip_bomb(tmp_path, 10_000)  # 300 KB of rows in about 1 KB
    assert bomb.stat().st_size < 5_000
    [problem] = read_cordis(bomb, max_bytes=100_000).tables[0].problems
    assert problem.file == "bomb.csv.gz" and problem.line > 1000
    assert problem.message == size_message(100_000)
    assert read_cordis(bomb, max_bytes=1_000_000).tables[0].problems == []


def test_cordis_limit_comes_from_the_import_service(store: EmbeddedStore, tmp_path: Path) -> None:
    bomb = _gzip_bomb(tmp_path, 10_000)
    with pytest.raises(ImportValidationError) as info:
        load(store, bomb, max_input_bytes=100_000)
    assert [p.message for p in info.value.problems] == [size_message(100_000)]
    assert store.counts().nodes == 0


def test_huge_cells_and_values_are_located_and_quoted_short(
    store: EmbeddedStore, write_csv: WriteCsv
) -> None:
    huge = "X" * (MAX_CELL_LENGTH + 1)
    path = write_csv(
        "p.csv",
        f"{HEADER}\n1,participant,111,PRC,DE,2015\n1,participant,222,{'Q' * 5000},DE,2015\n"
        f"1/2,participant,333,PRC,DE,2015\n1,participant,{huge},PRC,DE,2015\n",
    )
    with pytest.raises(ImportValidationError) as info:
        load(store, path)
    found = [(p.line, p.column) for p in info.value.problems]
    assert found == [(3, "type"), (4, "rcn"), (5, "-")]  # the file is not read past line 5
    assert all(p.message.count("Q") <= MAX_QUOTED for p in info.value.problems)
