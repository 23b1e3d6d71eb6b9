"""``ecomap views list|show|delete`` and ``ecomap map --view NAME``, through the CLI on both
backends (the tiny ecosystem; the views saved through the service, as the API saves them)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from backends import BACKENDS
from neo4j_server import Neo4jServer, fresh_store
from typer.testing import CliRunner

from app.cli import app as cli_app
from app.filters import FilterSpec
from app.services import views
from app.services.importing import import_files
from app.services.people import Person
from app.services.view_options import ViewOptions
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore

Ecomap = Callable[..., Any]
SMALL = {"buffer_pool_bytes": 128 * 1024**2, "max_db_size_bytes": 8 * 1024**3}
ANA = Person(name="ana", role="viewer", signed_in=True)
BO = Person(name="bo", role="editor", signed_in=True)


def _save(store: GraphStore) -> None:
    """ana's shared view of mech's companies, and bo's private view of Italy."""
    views.save(
        store,
        ANA,
        "mech firms",
        filters=FilterSpec(clusters=["mech"], kinds=["company"]),
        options=ViewOptions(
            color_by="sector", size_by="pagerank", tab="brokers", positions={"acme": (1, 2)}
        ),
        shared=True,
    )
    views.save(store, BO, "Italy", filters=FilterSpec(countries=["IT"]))
    views.save(store, BO, "circles", options=ViewOptions(max_nodes=2, color_by="kind"))


@pytest.fixture(params=BACKENDS)
def ecomap(
    request: pytest.FixtureRequest, tmp_path: Path, tiny_ecosystem: tuple[Path, Path]
) -> Iterator[Ecomap]:
    """``ecomap ARGS...`` on the tiny ecosystem of each backend, with two saved views."""
    runner = CliRunner()
    if request.param == "embedded":
        db = tmp_path / "eco.lbug"
        with EmbeddedStore(db, **SMALL) as store:
            import_files(store, list(tiny_ecosystem))
            _save(store)
        yield lambda *args: runner.invoke(cli_app, ["--db", str(db), *args])
        return
    server: Neo4jServer = request.getfixturevalue("neo4j_server")
    with fresh_store(server) as store:
        import_files(store, list(tiny_ecosystem))
        _save(store)
        yield lambda *args: runner.invoke(cli_app, list(args), env=server.env())


def test_list_and_show_every_view(ecomap: Ecomap) -> None:
    listed = ecomap("views", "list")
    assert listed.exit_code == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split() == [
        "name",
        "owner",
        "shared",
        "filters",
        "colour",
        "size",
        "layout",
        "saved",
    ]
    assert lines[1].startswith("Italy") and "bo" in lines[1] and "--country IT" in lines[1]
    assert "--kind company --cluster mech" in lines[3] and "pagerank" in lines[3]
    as_json = json.loads(ecomap("views", "list", "--json").stdout)
    assert [(v["name"], v["owner"], v["shared"], v["pinned"]) for v in as_json] == [
        ("Italy", "bo", False, 0),
        ("circles", "bo", False, 0),
        ("mech firms", "ana", True, 1),
    ]
    assert as_json[2]["options"]["positions"] == {}
    shown = ecomap("views", "show", "mech firms")
    assert shown.exit_code == 0, shown.stderr
    assert re.search(
        r"explorer link\s+/\?kind=company&cluster=mech&color-by=sector&size-by=pagerank"
        r"&tab=brokers",
        shown.stdout,
    )
    assert re.search(r"pinned positions\s+1", shown.stdout)
    whole = json.loads(ecomap("views", "show", "mech firms", "--json").stdout)
    assert whole["options"]["positions"] == {"acme": [1.0, 2.0]} and whole["owner"] == "ana"
    missing = ecomap("views", "show", "nope")
    assert missing.exit_code == 2 and "no saved view named 'nope'" in missing.stderr


def test_delete_any_view(ecomap: Ecomap) -> None:
    deleted = ecomap("views", "delete", "Italy", "--json")
    assert deleted.exit_code == 0, deleted.stderr
    assert json.loads(deleted.stdout)["name"] == "Italy"
    names = [v["name"] for v in json.loads(ecomap("views", "list", "--json").stdout)]
    assert names == ["circles", "mech firms"]
    again = ecomap("views", "delete", "Italy")
    assert again.exit_code == 2 and "no saved view named 'Italy'" in again.stderr
    for name in names:
        assert ecomap("views", "delete", name).exit_code == 0
    empty = ecomap("views", "list")
    assert empty.exit_code == 0 and empty.stdout == "" and "no saved views" in empty.stderr


def test_map_draws_a_view_with_the_filters_given_beside_it(ecomap: Ecomap, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    drawn = ecomap("map", "--view", "mech firms", "-o", str(out), "--json")
    assert drawn.exit_code == 0, drawn.stderr
    assert json.loads(drawn.stdout)["organizations"] == 1  # acme: mech's only company
    assert "pins 1 position" in drawn.stderr  # kept with the view, not drawn
    page = out.read_text(encoding="utf-8")
    assert "mech firms" in page  # the view's name is the title
    # a filter given replaces the view's of the same name; the others stay
    combined = ecomap(
        "map", "--view", "mech firms", "--kind", "institution", "-o", str(out), "--json"
    )
    assert combined.exit_code == 0, combined.stderr
    assert json.loads(combined.stdout)["organizations"] == 1  # polito
    # the view's node limit: above it the map draws circles, unless --max-nodes says otherwise
    circles = json.loads(ecomap("map", "--view", "circles", "-o", str(out), "--json").stdout)
    assert circles["aggregated"] and circles["drawn_nodes"] < circles["organizations"]
    given = ecomap("map", "--view", "circles", "--max-nodes", "100", "-o", str(out), "--json")
    assert not json.loads(given.stdout)["aggregated"]
    unknown = ecomap("map", "--view", "nope", "-o", str(out))
    assert unknown.exit_code == 2 and "no saved view named 'nope'" in unknown.stderr


def test_draw_clusters_and_the_old_view_option(ecomap: Ecomap, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    new = ecomap("map", "--draw", "clusters", "-o", str(out), "--json")
    assert new.exit_code == 0, new.stderr
    old = ecomap("map", "--view", "clusters", "-o", str(out), "--json")
    assert old.exit_code == 0, old.stderr
    assert "'--view clusters' is now '--draw clusters'" in old.stderr
    assert json.loads(old.stdout) == json.loads(new.stdout)
    bad = ecomap("map", "--draw", "nope", "-o", str(out))
    assert bad.exit_code == 2 and "network|clusters" in bad.stderr


def test_report_on_a_view_with_the_filters_given_beside_it(ecomap: Ecomap, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    made = ecomap("report", "--view", "mech firms", "-o", str(out), "--no-map", "--json")
    assert made.exit_code == 0, made.stderr
    assert json.loads(made.stdout)["organizations"] == 1  # acme: mech's only company
    assert "mech firms" in out.read_text(encoding="utf-8")  # the view's name is the title
    combined = ecomap(
        "report", "--view", "Italy", "--kind", "company", "-o", str(out), "--no-map", "--json"
    )
    assert combined.exit_code == 0, combined.stderr
    assert json.loads(combined.stdout)["organizations"] == 2  # acme and bolt
    unknown = ecomap("report", "--view", "nope", "-o", str(out))
    assert unknown.exit_code == 2 and "no saved view named 'nope'" in unknown.stderr
