"""The ``ecomap`` command line, through typer's runner, on real databases in temporary dirs."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import typer
from csvdata import ORG_HEADER, REL_HEADER
from export_oracle import ORGS, expected_export
from typer.testing import CliRunner, Result

from app.cli import app
from app.filters import FilterSpec
from app.services.sample import sample_paths
from app.store.embedded import EmbeddedStore
from app.vocabulary import Kind, RelType
from graph_analytics import METRICS

WriteCsv = Callable[[str, str], Path]


#: (file, line, column) of every problem in BAD_ORGANIZATIONS and BAD_RELATIONSHIPS.
BAD_ORGANIZATIONS = f"""
{ORG_HEADER}
a1,Alpha,company,sme,C28,,Turin,Piedmont,IT,45.0,7.6,10,2001,,
b1,,company,,,,,,,,,,,,
c1,Gamma,planet,,,,,,,,,,,,
d1,Delta,company,,,,,,XX,,,,,,
e1,Epsilon,company,,,,,,,95,0,,,,
a1,Alpha again,company,,,,,,,,,,,,
k1,Cluster One,cluster,,,,,,,,,,,,
f1,Foxtrot,company,,,,,,,,,,,,
"""
BAD_RELATIONSHIPS = f"""
{REL_HEADER}
a1,k1,MEMBER_OF,,,,
a1,zz,SUPPLIES,,,,
f1,f1,SUPPLIES,,,,
a1,f1,MEMBER_OF,,,,
f1,a1,SUPPLIES,,,,
"""
BAD_PROBLEMS = [
    ("bad_orgs.csv", 3, "name"),  # missing name
    ("bad_orgs.csv", 4, "kind"),  # not a kind
    ("bad_orgs.csv", 5, "country"),  # not an ISO code
    ("bad_orgs.csv", 6, "lat"),  # out of range
    ("bad_orgs.csv", 7, "id"),  # duplicate id
    ("bad_rels.csv", 3, "target"),  # unknown endpoint
    ("bad_rels.csv", 4, "target"),  # self-loop
    ("bad_rels.csv", 5, "type"),  # MEMBER_OF to a company
]
#: The rows of the bad pair that pass: a1, k1, f1; a1 -> k1 and f1 -> a1.
BAD_VALID_ORGS, BAD_VALID_RELS = 3, 2


def cli(runner: CliRunner, db: Path | None, *args: object) -> Result:
    prefix = ["--db", str(db)] if db is not None else []
    return runner.invoke(app, [*prefix, *(str(a) for a in args)])


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def stats(runner: CliRunner, db: Path) -> dict[str, Any]:
    result = ok(cli(runner, db, "stats", "--json"))
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def exported(runner: CliRunner, db: Path, out: Path) -> dict[str, Any]:
    ok(cli(runner, db, "export", "--format", "json", "-o", out))
    data: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return data


def without_updated_at(document: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    def strip(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in row.items() if k != "updated_at"} for row in rows]

    return strip(document["nodes"]), strip(document["links"])


def expected_counts(orgs: Path, rels: Path) -> dict[str, Any]:
    with orgs.open(newline="", encoding="utf-8") as handle:
        kinds = Counter(row["kind"].lower() for row in csv.DictReader(handle))
    with rels.open(newline="", encoding="utf-8") as handle:
        types = Counter(row["type"].upper() for row in csv.DictReader(handle))
    return {
        "nodes": sum(kinds.values()),
        "relationships": sum(types.values()),
        "by_kind": {k.value: kinds.get(k.value, 0) for k in Kind},
        "by_type": {t.value: types.get(t.value, 0) for t in RelType},
    }


@pytest.fixture
def bad_pair(write_csv: WriteCsv) -> tuple[Path, Path]:
    return write_csv("bad_orgs.csv", BAD_ORGANIZATIONS), write_csv(
        "bad_rels.csv", BAD_RELATIONSHIPS
    )


# -- import and stats ------------------------------------------------------------------------


def test_import_then_stats_json_is_pure_and_counts_the_files(
    runner: CliRunner, tmp_db: Path, tiny_ecosystem: tuple[Path, Path]
) -> None:
    ok(cli(runner, tmp_db, "import", *tiny_ecosystem))
    result = ok(cli(runner, tmp_db, "stats", "--json"))
    data = json.loads(result.stdout)  # nothing but JSON on stdout
    assert set(data) == {"nodes", "relationships", "by_kind", "by_type"}
    assert data == expected_counts(*tiny_ecosystem)
    assert data["by_kind"]["cluster"] == 1
    assert all(data["by_type"][t.value] > 0 for t in RelType)


def test_stats_as_a_table(
    runner: CliRunner, tmp_db: Path, tiny_ecosystem: tuple[Path, Path]
) -> None:
    ok(cli(runner, tmp_db, "import", *tiny_ecosystem))
    result = ok(cli(runner, tmp_db, "stats"))
    rows = {
        name: int(count)
        for name, count in (line.split() for line in result.stdout.splitlines() if line.strip())
    }
    assert (rows["organizations"], rows["relationships"]) == (6, 8)
    assert rows["cluster"] == 1 and rows["SPUN_OUT_OF"] == 1


@pytest.mark.parametrize("preloaded", [False, True], ids=["empty-store", "loaded-store"])
def test_invalid_import_reports_every_problem_and_writes_nothing(
    runner: CliRunner,
    tmp_db: Path,
    tiny_ecosystem: tuple[Path, Path],
    bad_pair: tuple[Path, Path],
    tmp_path: Path,
    preloaded: bool,
) -> None:
    if preloaded:
        ok(cli(runner, tmp_db, "import", *tiny_ecosystem))
        before = stats(runner, tmp_db)
        export_before = without_updated_at(exported(runner, tmp_db, tmp_path / "before.json"))

    result = cli(runner, tmp_db, "import", *bad_pair)

    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    for file, line, column in BAD_PROBLEMS:
        prefix = f"{file}:{line}: {column}: "
        assert any(text.startswith(prefix) for text in lines), (prefix, result.stderr)
    reported = [text for text in lines if text.startswith(("bad_orgs.csv:", "bad_rels.csv:"))]
    assert len(reported) == len(BAD_PROBLEMS), result.stderr
    assert "nothing was imported" in result.stderr
    if preloaded:
        assert stats(runner, tmp_db) == before
        after = without_updated_at(exported(runner, tmp_db, tmp_path / "after.json"))
        assert after == export_before
    elif tmp_db.exists():
        assert stats(runner, tmp_db)["nodes"] == 0
        assert stats(runner, tmp_db)["relationships"] == 0


def test_invalid_import_messages_name_the_problem(
    runner: CliRunner, tmp_db: Path, bad_pair: tuple[Path, Path]
) -> None:
    stderr = cli(runner, tmp_db, "import", *bad_pair).stderr
    assert "bad_orgs.csv:3: name: required value is missing" in stderr
    assert "bad_orgs.csv:5: country: 'XX' is not an ISO 3166-1 alpha-2 country code" in stderr
    assert "bad_orgs.csv:7: id: duplicate id 'a1' (first on line 2)" in stderr
    assert "bad_rels.csv:3: target: unknown organization 'zz'" in stderr
    assert "bad_rels.csv:4: target: a relationship cannot connect" in stderr


def test_invalid_import_json_is_pure_json_and_exits_2(
    runner: CliRunner, tmp_db: Path, bad_pair: tuple[Path, Path]
) -> None:
    result = cli(runner, tmp_db, "import", "--json", *bad_pair)
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert len(data["problems"]) == len(BAD_PROBLEMS)


def test_valid_only_loads_the_good_rows_and_reports_the_bad(
    runner: CliRunner, tmp_db: Path, bad_pair: tuple[Path, Path]
) -> None:
    result = ok(cli(runner, tmp_db, "import", "--valid-only", *bad_pair))
    for file, line, column in BAD_PROBLEMS:
        assert f"{file}:{line}: {column}: " in result.stderr
    counts = stats(runner, tmp_db)
    assert (counts["nodes"], counts["relationships"]) == (BAD_VALID_ORGS, BAD_VALID_RELS)
    assert counts["by_type"]["MEMBER_OF"] == 1
    assert counts["by_type"]["SUPPLIES"] == 1


def test_valid_only_json_report(
    runner: CliRunner, tmp_db: Path, bad_pair: tuple[Path, Path]
) -> None:
    result = ok(cli(runner, tmp_db, "import", "--valid-only", "--json", *bad_pair))
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["rows_read"] == 8 + 5
    assert report["rows_rejected"] == 8 + 5 - BAD_VALID_ORGS - BAD_VALID_RELS
    assert len(report["problems"]) == len(BAD_PROBLEMS)
    assert report["summary"]["organizations_created"] == BAD_VALID_ORGS
    assert report["summary"]["relationships_created"] == BAD_VALID_RELS


def test_importing_twice_changes_nothing(
    runner: CliRunner, tmp_db: Path, tiny_ecosystem: tuple[Path, Path]
) -> None:
    first = json.loads(ok(cli(runner, tmp_db, "import", "--json", *tiny_ecosystem)).stdout)
    counts = stats(runner, tmp_db)
    assert first["summary"]["organizations_created"] == counts["nodes"]
    assert first["summary"]["relationships_created"] == counts["relationships"]

    second = json.loads(ok(cli(runner, tmp_db, "import", "--json", *tiny_ecosystem)).stdout)

    summary = second["summary"]
    assert summary["organizations_created"] == summary["organizations_updated"] == 0
    assert summary["relationships_created"] == summary["relationships_updated"] == 0
    assert summary["organizations_unchanged"] == counts["nodes"]
    assert summary["relationships_unchanged"] == counts["relationships"]
    assert second["problems"] == []
    assert stats(runner, tmp_db) == counts


def test_import_of_a_missing_file_exits_2(runner: CliRunner, tmp_db: Path, tmp_path: Path) -> None:
    result = cli(runner, tmp_db, "import", tmp_path / "nope.csv")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


# -- export ----------------------------------------------------------------------------------


def test_csv_export_round_trips(
    runner: CliRunner, tmp_path: Path, tiny_ecosystem: tuple[Path, Path]
) -> None:
    db1, db2 = tmp_path / "one.lbug", tmp_path / "two.lbug"
    ok(cli(runner, db1, "import", *tiny_ecosystem))
    out = tmp_path / "csv-export"
    result = ok(cli(runner, db1, "export", "--format", "csv", "-o", out))
    orgs, rels = out / "organizations.csv", out / "relationships.csv"
    assert str(orgs) in result.stdout
    assert str(rels) in result.stdout

    ok(cli(runner, db2, "import", orgs, rels))

    original = without_updated_at(exported(runner, db1, tmp_path / "one.json"))
    assert without_updated_at(exported(runner, db2, tmp_path / "two.json")) == original
    assert len(original[0]) == 6
    assert len(original[1]) == 8


def test_json_export_round_trips(
    runner: CliRunner, tmp_path: Path, tiny_ecosystem: tuple[Path, Path]
) -> None:
    db1, db2 = tmp_path / "one.lbug", tmp_path / "two.lbug"
    ok(cli(runner, db1, "import", *tiny_ecosystem))
    document = tmp_path / "export.json"
    original = without_updated_at(exported(runner, db1, document))

    ok(cli(runner, db2, "import", document))

    assert without_updated_at(exported(runner, db2, tmp_path / "again.json")) == original
    assert stats(runner, db2) == expected_counts(*tiny_ecosystem)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_file_exports_read_back_with_networkx(
    runner: CliRunner, tmp_db: Path, tmp_path: Path, tiny_ecosystem: tuple[Path, Path], fmt: str
) -> None:
    ok(cli(runner, tmp_db, "import", *tiny_ecosystem))
    path = tmp_path / "out" / f"eco.{fmt}"
    result = ok(cli(runner, tmp_db, "export", "--format", fmt, "-o", path))
    assert str(path) in result.stdout

    graph = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)

    expected = expected_counts(*tiny_ecosystem)
    assert graph.number_of_nodes() == expected["nodes"]  # cluster nodes included
    assert graph.number_of_edges() == expected["relationships"]  # MEMBER_OF included
    assert graph.has_edge("acme", "mech")
    assert graph.is_directed()


def test_export_of_a_missing_database_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "missing.lbug"
    result = cli(runner, db, "export", "--format", "json", "-o", tmp_path / "x.json")
    assert result.exit_code == 1
    assert not db.exists()
    assert not (tmp_path / "x.json").exists()


CLUSTER = "cl-valmora-digital"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the bundled sample, loaded through the CLI; tests only read it."""
    db = tmp_path_factory.mktemp("sample-db") / "sample.lbug"
    ok(cli(CliRunner(), db, "import", *sample_paths()))
    return db


def rel_keys(rows: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(r["source"], r["type"], r["target"]) for r in rows}


def exported_with(runner: CliRunner, db: Path, out: Path, *filters: object) -> dict[str, Any]:
    ok(cli(runner, db, "export", "--format", "json", "-o", out, *filters))
    data: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return data


def without_updated(graph: nx.MultiDiGraph) -> tuple[dict[str, Any], set[Any]]:
    """A graph's nodes and edges with their data, ``updated_at`` aside (imports stamp it)."""
    nodes = {
        node: {k: v for k, v in attrs.items() if k != "updated_at"}
        for node, attrs in graph.nodes(data=True)
    }
    edges = {
        (u, v, k, json.dumps(d, sort_keys=True)) for u, v, k, d in graph.edges(keys=True, data=True)
    }
    return nodes, edges


def test_filtered_export_holds_the_cluster_its_members_and_their_ties(
    runner: CliRunner, sample_db: Path, tmp_path: Path
) -> None:
    selected, ids, keys = expected_export(FilterSpec(clusters=[CLUSTER]))
    out = tmp_path / "csv"
    result = ok(
        cli(runner, sample_db, "export", "--format", "csv", "-o", out, "--cluster", CLUSTER)
    )
    assert result.stdout.split() == [str(out / "organizations.csv"), str(out / "relationships.csv")]
    assert result.stderr == ""
    orgs, rels = read_rows(out / "organizations.csv"), read_rows(out / "relationships.csv")
    document = exported_with(runner, sample_db, tmp_path / "f.json", "--cluster", CLUSTER)

    for nodes, links in ((orgs, rels), (document["nodes"], document["links"])):
        assert {row["id"] for row in nodes} == ids
        assert rel_keys(links) == keys
        kinds = {row["id"]: row["kind"] for row in nodes}
        assert {i for i, kind in kinds.items() if kind == "cluster"} == ids - selected
        assert kinds[CLUSTER] == "cluster"
        assert {(s, t) for s, k, t in rel_keys(links) if k == "MEMBER_OF" and t == CLUSTER} == {
            (member, CLUSTER) for member in selected
        }
        for source, rel_type, target in rel_keys(links):
            assert source in selected  # nothing leaves from outside the selection
            assert target in selected or rel_type == "MEMBER_OF"
    everything = exported(runner, sample_db, tmp_path / "all.json")
    assert len(document["nodes"]) < len(everything["nodes"])


@pytest.mark.parametrize(
    "filters",
    [["--cluster", CLUSTER], ["--cluster", "cl-valmora-mobility", "--rel-type", "supplies"]],
    ids=["cluster", "cluster-supplies"],
)
def test_filtered_csv_export_reimports_to_the_same_subgraph(
    runner: CliRunner, sample_db: Path, tmp_path: Path, filters: list[str]
) -> None:
    out, fresh = tmp_path / "csv", tmp_path / "fresh.lbug"
    ok(cli(runner, sample_db, "export", "--format", "csv", "-o", out, *filters))
    ok(cli(runner, fresh, "import", out / "organizations.csv", out / "relationships.csv"))
    first = exported_with(runner, sample_db, tmp_path / "one.json", *filters)
    again = exported(runner, fresh, tmp_path / "two.json")  # everything in the fresh store
    assert without_updated_at(again) == without_updated_at(first)

    values = dict(zip(filters[::2], filters[1::2], strict=True))
    rel_types = [values["--rel-type"]] if "--rel-type" in values else []
    spec = FilterSpec(clusters=[values["--cluster"]], rel_types=rel_types)
    sizes = {"buffer_pool_bytes": 128 * 1024**2, "max_db_size_bytes": 8 * 1024**3}
    with EmbeddedStore(sample_db, **sizes) as old, EmbeddedStore(fresh, **sizes) as new:
        for include_clusters in (False, True):
            before = old.subgraph(spec, include_clusters=include_clusters).graph
            after = new.subgraph(spec, include_clusters=include_clusters).graph
            assert len(before) > 0
            assert without_updated(after) == without_updated(before)


def test_export_rel_type_restricts_the_relationships(
    runner: CliRunner, sample_db: Path, tmp_path: Path
) -> None:
    spec = FilterSpec(clusters=[CLUSTER], rel_types=["COLLABORATES_WITH"])
    _, ids, keys = expected_export(spec)
    document = exported_with(
        runner,
        sample_db,
        tmp_path / "f.json",
        "--cluster",
        CLUSTER,
        "--rel-type",
        "COLLABORATES_WITH",
    )
    assert {row["id"] for row in document["nodes"]} == ids
    assert rel_keys(document["links"]) == keys
    assert {r["type"] for r in document["links"]} == {"COLLABORATES_WITH", "MEMBER_OF"}
    unrestricted = rel_keys(
        exported_with(runner, sample_db, tmp_path / "all.json", "--cluster", CLUSTER)["links"]
    )
    assert keys < unrestricted
    # a relationship-type filter alone keeps every organization
    only_funds = exported_with(runner, sample_db, tmp_path / "funds.json", "--rel-type", "FUNDS")
    assert len(only_funds["nodes"]) == len(
        exported(runner, sample_db, tmp_path / "x.json")["nodes"]
    )
    assert {r["type"] for r in only_funds["links"]} == {"FUNDS", "MEMBER_OF"}


def test_filtered_graphml_export_reads_back_with_networkx(
    runner: CliRunner, sample_db: Path, tmp_path: Path
) -> None:
    _, ids, keys = expected_export(FilterSpec(clusters=[CLUSTER]))
    path = tmp_path / "f.graphml"
    ok(cli(runner, sample_db, "export", "--format", "graphml", "-o", path, "--cluster", CLUSTER))
    graph = nx.read_graphml(path, force_multigraph=True)
    assert set(graph) == ids
    assert {(u, attrs["type"], v) for u, v, attrs in graph.edges(data=True)} == keys
    assert graph.nodes[CLUSTER]["kind"] == "cluster"


def test_filtered_export_warns_when_the_node_cap_cuts_it(
    runner: CliRunner, sample_db: Path, tmp_path: Path
) -> None:
    selected, _, _ = expected_export(FilterSpec(clusters=[CLUSTER]))
    out = tmp_path / "cut.json"
    args = ["--db", str(sample_db), "export", "--format", "json", "-o", str(out)]
    cap = {"ECOMAP_MAX_NODES": "5"}
    result = runner.invoke(app, [*args, "--cluster", CLUSTER], env=cap)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert "warning" in result.stderr and "node cap of 5" in result.stderr
    document = json.loads(out.read_text("utf-8"))
    members = sorted(n["id"] for n in document["nodes"] if n["kind"] != "cluster")
    assert members == sorted(selected)[:5]
    # the unfiltered export is never cut
    whole = runner.invoke(app, args, env=cap)
    assert whole.exit_code == 0 and whole.stderr == ""
    assert len(json.loads(out.read_text("utf-8"))["nodes"]) == len(ORGS)


def test_export_filter_errors_name_the_option(
    runner: CliRunner, sample_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.json"
    bad = cli(runner, sample_db, "export", "--format", "json", "-o", out, "--kind", "planet")
    assert bad.exit_code == 2 and "--kind" in bad.stderr
    bad = cli(runner, sample_db, "export", "--format", "json", "-o", out, "--rel-type", "OWNS")
    assert bad.exit_code == 2 and "--rel-type" in bad.stderr
    assert not out.exists()


# -- missing database, generate, demo ---------------------------------------------------------


def test_stats_on_a_missing_database_exits_1_and_creates_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    db = tmp_path / "nowhere" / "eco.lbug"
    for args in (["stats"], ["stats", "--json"]):
        result = cli(runner, db, *args)
        assert result.exit_code == 1, result.stderr
        assert "no database" in result.stderr
        assert "ecomap import" in result.stderr
        assert result.stdout == ""
    assert not db.exists()
    assert not db.parent.exists()


def test_generate_writes_an_importable_deterministic_pair(
    runner: CliRunner, tmp_db: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "gen1", tmp_path / "gen2"
    result = ok(cli(runner, None, "generate", "--orgs", 200, "--out", first, "--seed", 7))
    orgs, rels = first / "organizations.csv", first / "relationships.csv"
    assert orgs.is_file()
    assert rels.is_file()
    assert str(orgs) in result.stdout
    ok(cli(runner, None, "generate", "--orgs", 200, "--out", second, "--seed", 7))
    for name in ("organizations.csv", "relationships.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()

    ok(cli(runner, tmp_db, "import", orgs, rels))

    counts = stats(runner, tmp_db)
    assert counts == expected_counts(orgs, rels)
    assert counts["nodes"] == 200


def test_generate_with_another_seed_differs(runner: CliRunner, tmp_path: Path) -> None:
    ok(cli(runner, None, "generate", "--orgs", 50, "--out", tmp_path / "a", "--seed", 1))
    ok(cli(runner, None, "generate", "--orgs", 50, "--out", tmp_path / "b", "--seed", 2))
    name = "relationships.csv"
    assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes()


def test_demo_loads_the_sample_and_is_idempotent(
    runner: CliRunner, tmp_db: Path, tmp_path: Path
) -> None:
    assert all(path.name.endswith(".csv") for path in sample_paths())
    ok(cli(runner, tmp_db, "demo"))
    counts = stats(runner, tmp_db)
    assert counts["nodes"] >= 150
    assert counts["relationships"] >= 600
    assert all(counts["by_type"][t.value] > 0 for t in RelType), counts["by_type"]
    assert all(counts["by_kind"][k.value] > 0 for k in Kind), counts["by_kind"]
    before = exported(runner, tmp_db, tmp_path / "before.json")

    again = ok(cli(runner, tmp_db, "demo", "--json"))

    printed = json.loads(again.stdout)
    assert {key: printed[key] for key in counts} == counts
    assert printed["map"] == str(tmp_db.parent / "map.html")  # the database's folder
    assert Path(printed["report"]).is_file()
    assert stats(runner, tmp_db) == counts
    assert exported(runner, tmp_db, tmp_path / "after.json") == before  # not even updated_at


# -- help and usage errors --------------------------------------------------------------------


def test_help_renders_for_the_app_and_every_command(runner: CliRunner) -> None:
    result = ok(runner.invoke(app, ["--help"]))
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert {"import", "stats", "export", "generate", "demo"} <= set(commands)
    for name in commands:
        assert name in result.stdout
        sub = ok(runner.invoke(app, [name, "--help"]))
        assert "Usage" in sub.stdout, name


def test_no_arguments_shows_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert result.exit_code in (0, 2)  # click >= 8.2 exits 2 for no_args_is_help
    assert "Usage" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["stats", "--bogus"],
        ["no-such-command"],
        ["export", "--format", "pdf", "-o", "out.pdf"],
        ["export", "-o", "out.json"],  # --format is required
        ["import"],  # ORGS is required
        ["import", "a.csv", "b.csv", "c.csv"],  # at most two files
        ["generate", "--orgs", "3", "--out", "gen"],  # below the minimum
    ],
    ids=lambda args: " ".join(args),
)
def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "eco.lbug"
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.strip()  # the reason is on stderr
    assert not db.exists()


def test_orgs_lists_filtered_pages_as_json(
    runner: CliRunner, tmp_db: Path, tiny_ecosystem: tuple[Path, Path]
) -> None:
    ok(cli(runner, tmp_db, "import", *tiny_ecosystem))
    orgs = read_rows(tiny_ecosystem[0])
    companies = sorted(row["id"] for row in orgs if row["kind"] == "company")
    first = json.loads(
        ok(cli(runner, tmp_db, "orgs", "--kind", "company", "--limit", 2, "--json")).stdout
    )
    assert [item["id"] for item in first["items"]] == companies[:2]
    assert first["has_more"] is (len(companies) > 2)
    rest = json.loads(
        ok(cli(runner, tmp_db, "orgs", "--kind", "Company", "--offset", 2, "--json")).stdout
    )
    assert [item["id"] for item in rest["items"]] == companies[2:]
    both = json.loads(
        ok(cli(runner, tmp_db, "orgs", "--kind", "company", "--kind", "cluster", "--json")).stdout
    )
    clusters = [row["id"] for row in orgs if row["kind"] == "cluster"]
    assert {item["id"] for item in both["items"]} == set(companies) | set(clusters)


def test_orgs_table_and_option_named_errors(
    runner: CliRunner, tmp_db: Path, tiny_ecosystem: tuple[Path, Path]
) -> None:
    ok(cli(runner, tmp_db, "import", *tiny_ecosystem))
    name = read_rows(tiny_ecosystem[0])[0]["name"]
    table = ok(cli(runner, tmp_db, "orgs", "--search", name.upper()[:5]))
    assert name in table.stdout
    bad = cli(runner, tmp_db, "orgs", "--kind", "planet")
    assert bad.exit_code == 2 and "--kind" in bad.stderr
    bad = cli(runner, tmp_db, "orgs", "--min-employees", 10, "--max-employees", 5)
    assert bad.exit_code == 2 and "--max-employees" in bad.stderr


def test_ego_and_path_commands(
    runner: CliRunner, tmp_db: Path, tiny_ecosystem: tuple[Path, Path]
) -> None:
    ok(cli(runner, tmp_db, "import", *tiny_ecosystem))
    orgs = {row["id"]: row for row in read_rows(tiny_ecosystem[0])}
    rels = read_rows(tiny_ecosystem[1])
    org_to_org = [r for r in rels if r["type"] != "MEMBER_OF"]
    first = org_to_org[0]
    data = json.loads(ok(cli(runner, tmp_db, "ego", first["source"], "--json")).stdout)
    neighbours = {r["target"] for r in org_to_org if r["source"] == first["source"]} | {
        r["source"] for r in org_to_org if r["target"] == first["source"]
    }
    expected = {first["source"]} | {n for n in neighbours if orgs[n]["kind"] != "cluster"}
    assert {node["id"] for node in data["nodes"]} == expected
    assert data["center"] == first["source"] and data["truncated"] is False
    paths = json.loads(
        ok(cli(runner, tmp_db, "path", first["source"], first["target"], "--json")).stdout
    )
    assert paths["length"] == 1
    assert [first["source"], first["target"]] in [p["nodes"] for p in paths["paths"]]
    text = ok(cli(runner, tmp_db, "path", first["source"], first["target"]))
    assert f"-[{first['type']}]->" in text.stdout
    missing = cli(runner, tmp_db, "ego", "no-such-org")
    assert missing.exit_code == 2 and "no-such-org" in missing.stderr
    bad = cli(runner, tmp_db, "ego", first["source"], "--rel-type", "OWNS")
    assert bad.exit_code == 2 and "--rel-type" in bad.stderr


def test_analyze_centrality_json_contract(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "sample.lbug"
    ok(cli(runner, db, "demo"))
    result = ok(
        cli(runner, db, "analyze", "centrality", "--metric", "betweenness", "--metric",
            "degree", "--top", 5, "--json")
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert set(data) == {"betweenness", "degree"}
    # every metric by default, eigenvector included although the sample has an isolate
    every = json.loads(ok(cli(runner, db, "analyze", "centrality", "--top", 3, "--json")).stdout)
    assert set(every) == set(METRICS) and all(len(rows) == 3 for rows in every.values())
    for rows in data.values():
        assert len(rows) == 5 and set(rows[0]) == {"id", "name", "score"}
        assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    # the sample's planted broker between clusters ranks first (app/sample/README.md)
    assert data["betweenness"][0]["id"] == "in-university-of-valmora"
    bad = cli(runner, db, "analyze", "centrality", "--metric", "fame")
    assert bad.exit_code == 2 and "--metric" in bad.stderr


def test_analyze_communities_and_links_contracts(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "sample.lbug"
    ok(cli(runner, db, "demo"))
    data = json.loads(ok(cli(runner, db, "analyze", "communities", "--seed", 1, "--json")).stdout)
    assert {"algorithm", "modularity", "membership"} <= set(data)
    assert data["algorithm"] == "leiden" and 0.3 < data["modularity"] < 1
    assert len(set(data["membership"].values())) == data["communities"]
    # the sample's fashion cluster is two communities in practice (app/sample/README.md)
    fashion = data["cluster_split"]["cl-valmora-fashion"]
    assert len(fashion) == 2 and sorted(fashion.values()) == [16, 26]
    again = json.loads(ok(cli(runner, db, "analyze", "communities", "--seed", 1, "--json")).stdout)
    assert again["membership"] == data["membership"]
    # every community is listed with its members, the largest first (as membership says)
    inverse: dict[int, set[str]] = {}
    for org, community in data["membership"].items():
        inverse.setdefault(community, set()).add(org)
    groups = data["groups"]
    assert {g["community"]: set(g["members"]) for g in groups} == inverse
    assert [g["size"] for g in groups] == sorted((len(m) for m in inverse.values()), reverse=True)
    assert all(len(g["top"]) == min(5, g["size"]) for g in groups)

    suggestions = json.loads(ok(cli(runner, db, "links", "--top", 5, "--json")).stdout)
    assert len(suggestions) == 5
    ends = {f"{end}_{key}" for end in ("source", "target") for key in ("name", "kind", "country")}
    assert set(suggestions[0]) == {"source", "target", "score", "reason", *ends}
    assert [s["score"] for s in suggestions] == sorted(
        (s["score"] for s in suggestions), reverse=True
    )
    own = json.loads(
        ok(cli(runner, db, "links", "--org", "co-albello-meccanica", "--top", 3, "--json")).stdout
    )
    assert all(s["source"] == "co-albello-meccanica" for s in own)
    # a planted missing link (app/sample/README.md) is among its best new partners
    assert "co-meleris-batteries" in {s["target"] for s in own}
    assert "shared partners" in own[0]["reason"]
    missing = cli(runner, db, "links", "--org", "nope")
    assert missing.exit_code == 2 and "nope" in missing.stderr


def test_analyze_brokerage_and_health(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "sample.lbug"
    ok(cli(runner, db, "demo"))
    data = json.loads(ok(cli(runner, db, "analyze", "brokerage", "--top", 3, "--json")).stdout)
    assert data["group_by"] == "clusters" and len(data["organizations"]) == 3
    first = data["organizations"][0]
    assert {"id", "name", "liaison", "total", "constraint", "effective_size"} <= set(first)
    # the sample's broker between clusters (app/sample/README.md)
    assert first["id"] == "in-university-of-valmora"
    health = json.loads(
        ok(cli(runner, db, "analyze", "health", "--cluster", "cl-valmora-fashion", "--json")).stdout
    )
    assert health["nodes"] == 42 and health["components"]["count"] == 1
    assert -1 <= health["ei_index"] < 0  # more ties inside the cluster than out
    # the two bridges between the cluster's halves are its top brokers
    top_two = {b["id"] for b in health["brokers"]["top"][:2]}
    assert top_two == {"co-filatura-torora", "co-lanificio-albaro"}
    bad = cli(runner, db, "analyze", "brokerage", "--group-by", "shoe-size")
    assert bad.exit_code == 2 and "--group-by" in bad.stderr


def test_links_scopes(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "sample.lbug"
    ok(cli(runner, db, "demo"))
    listing = ok(cli(runner, db, "orgs", "--limit", 1000, "--json")).stdout
    orgs = {o["id"]: o for o in json.loads(listing)["items"]}
    cross = json.loads(
        ok(cli(runner, db, "links", "--from", "company", "--to", "university",
               "--to", "research_institute", "--top", 10, "--json")).stdout
    )  # fmt: skip
    assert len(cross) == 10
    for s in cross:
        assert orgs[s["source"]]["kind"] == "company"
        assert orgs[s["target"]]["type"] in {"university", "research_institute"}
    fashion = "cl-valmora-fashion"
    listing = ok(cli(runner, db, "orgs", "--cluster", fashion, "--limit", 1000, "--json")).stdout
    members = {o["id"] for o in json.loads(listing)["items"]}
    inside = json.loads(
        ok(cli(runner, db, "links", "--within-cluster", fashion, "--top", 10, "--json")).stdout
    )
    assert len(inside) == 10
    assert all({s["source"], s["target"]} <= members for s in inside)
    unknown = cli(runner, db, "links", "--within-cluster", "cl-nowhere")
    assert unknown.exit_code == 2 and "cl-nowhere" in unknown.stderr
