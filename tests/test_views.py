"""Saved views (app.views, the stores' ``save_view`` / ``saved_views`` / ``saved_view`` /
``delete_view``, app.services.views and app.services.view_options), on both backends: views
round trip and change the version, a write is one transaction, who sees, replaces and deletes
what, the bounds, a view read back after its options changed meaning, the explorer link, and
an embedded database made before views."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import ladybug
import pytest
from backends import BACKENDS, tiny_store
from pydantic import ValidationError

from app.errors import (
    AuthenticationError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from app.filters import FilterSpec
from app.services import views
from app.services.people import Person
from app.services.view_options import (
    DEFAULT_OPTIONS,
    MAX_POSITIONS,
    TAB_KEYS,
    ViewOptions,
    check_view_name,
    link,
)
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore
from app.store.lbug import q
from app.views import ViewRecord
from app.web import TABS

SMALL = {"buffer_pool_bytes": 128 * 1024**2, "max_db_size_bytes": 8 * 1024**3}
ANA = Person(name="ana", role="viewer", signed_in=True)
BO = Person(name="bo", role="editor", clusters=["mech"], signed_in=True)
ADA = Person(name="ada", role="admin", signed_in=True)
NOBODY = Person(name="anonymous", role=None, signed_in=False)


@pytest.fixture(params=BACKENDS)
def tiny(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """The tiny ecosystem (conftest) on each backend; no view yet."""
    with tiny_store(request, request.param, tmp_path) as store:
        assert store.saved_views() == []
        yield store


def record(
    name: str, owner: str = "ana", at: str = "2026-01-01T00:00:00Z", **extra: object
) -> ViewRecord:
    values = {"shared": False, "filters": "{}", "display": "{}", "created_at": at, "updated_at": at}
    return ViewRecord.model_validate({"name": name, "owner": owner, **values, **extra})


# -- the stores ------------------------------------------------------------------------------------


def test_views_round_trip_by_name_and_delete(tiny: GraphStore) -> None:
    before = tiny.version()
    text = json.dumps({"color_by": "sector", "positions": {"acme": [1.5, -2.0]}})
    tiny.save_view(record("zeta", shared=True, filters='{"kinds": ["company"]}', display=text))
    assert tiny.version() != before
    tiny.save_view(record("Alpha view", owner="bo"))
    assert [v.name for v in tiny.saved_views()] == ["Alpha view", "zeta"]
    zeta = tiny.saved_view("zeta")
    assert zeta == record("zeta", shared=True, filters='{"kinds": ["company"]}', display=text)
    assert tiny.saved_view("nope") is None
    # saved again: replaced, its first save's time kept
    tiny.save_view(record("zeta", at="2026-02-02T00:00:00Z", shared=False))
    again = tiny.saved_view("zeta")
    assert again is not None and (again.shared, again.display) == (False, "{}")
    assert (again.created_at, again.updated_at) == ("2026-01-01T00:00:00Z", "2026-02-02T00:00:00Z")
    version = tiny.version()
    assert tiny.delete_view("zeta") == again
    assert tiny.version() != version
    assert [v.name for v in tiny.saved_views()] == ["Alpha view"]
    version = tiny.version()
    with pytest.raises(NotFoundError, match="no saved view named 'zeta'"):
        tiny.delete_view("zeta")
    assert tiny.version() == version


def test_views_are_written_in_the_write_session(tiny: GraphStore) -> None:
    with pytest.raises(RuntimeError), tiny.write_session() as writer:
        writer.save_view(record("a"))
        assert [v.name for v in writer.saved_views()] == ["a"]
        raise RuntimeError("rolled back")
    assert tiny.saved_views() == []
    with tiny.write_session() as writer:
        writer.save_view(record("a"))
        writer.delete_view("a")
        writer.save_view(record("b"))
    assert [v.name for v in tiny.saved_views()] == ["b"]


def test_organization_reads_do_not_see_views(tiny: GraphStore) -> None:
    before = (tiny.counts(), tiny.export(), tiny.organization_kinds())
    tiny.save_view(record("a"))
    assert (tiny.counts(), tiny.export(), tiny.organization_kinds()) == before


# -- who saves, sees and deletes what --------------------------------------------------------------


def test_any_role_saves_its_own_views_and_replaces_them(tiny: GraphStore) -> None:
    spec = FilterSpec(clusters=["mech"], kinds=["company"], min_employees=10)
    options = ViewOptions(color_by="sector", selection="acme", tab="brokers")
    made = views.save(tiny, ANA, "Mech firms", filters=spec, options=options)
    assert made.created and made.view.owner == "ana" and not made.view.shared
    assert made.view.filters == spec and made.view.options == options
    assert (
        made.view.link
        == "/?kind=company&cluster=mech&min_employees=10&color-by=sector&org=acme&tab=brokers"
    )
    again = views.save(tiny, ANA, "Mech firms", shared=True)
    assert not again.created and again.view.shared
    assert again.view.created_at == made.view.created_at
    assert again.view.filters == FilterSpec() and again.view.options == DEFAULT_OPTIONS
    version = tiny.version()
    with pytest.raises(ConflictError, match="another person's view"):
        views.save(tiny, ADA, "Mech firms")  # even an admin: the name is ana's
    with pytest.raises(AuthenticationError, match="needs a token"):
        views.save(tiny, NOBODY, "mine")
    with pytest.raises(InvalidInputError, match="not a valid view name"):
        views.save(tiny, ANA, "a/b")
    assert tiny.version() == version
    open_server = Person(name="anonymous", role="admin", signed_in=False)
    assert views.save(tiny, open_server, "local").view.owner == "anonymous"


def test_each_sees_their_own_and_the_shared_views_an_admin_all(tiny: GraphStore) -> None:
    positions = {"acme": (0.0, 1.0), "bolt": (2.0, 3.0)}
    views.save(tiny, ANA, "ana private", options=ViewOptions(positions=positions))
    views.save(tiny, ANA, "ana shared", shared=True, options=ViewOptions(positions=positions))
    views.save(tiny, BO, "bo private")

    def seen(person: Person) -> list[str]:
        return [view.name for view in views.visible(tiny, person)]

    assert seen(ANA) == ["ana private", "ana shared"]
    assert seen(BO) == ["ana shared", "bo private"]
    assert seen(NOBODY) == ["ana shared"]
    assert seen(ADA) == ["ana private", "ana shared", "bo private"]
    listed = views.visible(tiny, ANA)[0]  # a list leaves the positions out, and counts them
    assert listed.options.positions == {} and listed.pinned == 2
    whole = views.resolve(tiny, "ana private", ANA)
    assert whole.options.positions == positions and whole.pinned == 2
    assert views.resolve(tiny, "ana private", ADA) == whole
    for person in (BO, NOBODY):
        with pytest.raises(NotFoundError, match="no saved view named 'ana private'"):
            views.resolve(tiny, "ana private", person)
    assert views.resolve(tiny, "ana shared", NOBODY).owner == "ana"


def test_the_owner_or_an_admin_deletes(tiny: GraphStore) -> None:
    views.save(tiny, ANA, "shared", shared=True)
    views.save(tiny, ANA, "private")
    views.save(tiny, BO, "bo's")
    with pytest.raises(PermissionDeniedError, match="only its owner or an admin"):
        views.delete(tiny, "shared", BO)
    with pytest.raises(NotFoundError):
        views.delete(tiny, "private", BO)  # not revealed
    with pytest.raises(AuthenticationError):
        views.delete(tiny, "shared", NOBODY)
    assert views.delete(tiny, "shared", ANA).name == "shared"
    assert views.delete(tiny, "bo's", ADA).owner == "bo"
    assert [v.name for v in views.visible(tiny, ADA)] == ["private"]


def test_views_are_bounded(tiny: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="at most 50000 items"):
        ViewOptions(positions={f"o{i}": (0.0, 0.0) for i in range(MAX_POSITIONS + 1)})
    with pytest.raises(ValidationError):
        ViewOptions(positions={"a": (float("nan"), 0.0)})
    with pytest.raises(ValidationError):
        ViewOptions(positions={"a": (1e12, 0.0)})
    with pytest.raises(ValidationError, match="use actors"):
        ViewOptions(tab="nope")
    with pytest.raises(ValidationError):
        ViewOptions(color_by="nope")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="filters take at most"):
        views.save(tiny, ANA, "huge", filters=FilterSpec(tags=["x" * 1000] * 100))
    monkeypatch.setattr(views, "MAX_VIEWS_PER_OWNER", 2)
    views.save(tiny, ANA, "one")
    views.save(tiny, ANA, "two")
    with pytest.raises(InvalidInputError, match="ana keeps 2 views already"):
        views.save(tiny, ANA, "three")
    views.save(tiny, ANA, "two", shared=True)  # replacing one is no new view
    views.save(tiny, BO, "three")  # another person's count


def test_a_view_whose_options_changed_meaning_opens_without_them(tiny: GraphStore) -> None:
    filters = json.dumps({"kinds": ["company"], "gone_filter": ["x"], "countries": [1]})
    display = json.dumps({"color_by": "sector", "tab": "renamed-tab", "extra": 1})
    tiny.save_view(record("old", filters=filters, display=display))
    view = views.resolve(tiny, "old", ANA)
    assert view.filters == FilterSpec(kinds=["company"])
    assert view.options == ViewOptions(color_by="sector")


# -- names, links, combining -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", " lead", "trail ", "a/b", "a?b", "a#b", "50%", "..", "x\ty"])
def test_names_that_cannot_name_a_view(name: str) -> None:
    with pytest.raises(InvalidInputError):
        check_view_name(name)


def test_the_link_is_the_explorers_url() -> None:
    assert tuple(key for key, _ in TABS) == TAB_KEYS
    spec = FilterSpec(
        kinds=["company"],
        sectors=["C13"],
        rel_types=["SUPPLIES"],
        search="Val mora",
        founded_to=2020,
    )
    options = ViewOptions(size_by="pagerank", layout="geo", selection="co-a&b", tab="actors")
    assert link(spec, options) == (
        "/?kind=company&sector=C13&rel_type=SUPPLIES&founded_to=2020&search=Val+mora"
        "&size-by=pagerank&layout=geo&org=co-a%26b"
    )


def test_filters_given_replace_the_views_filter_of_the_same_name() -> None:
    view = FilterSpec(clusters=["mech"], kinds=["company"], min_employees=10)
    assert views.combine(view, FilterSpec()) == view
    both = views.combine(view, FilterSpec(kinds=["institution"], max_employees=500))
    assert both == FilterSpec(
        clusters=["mech"], kinds=["institution"], min_employees=10, max_employees=500
    )
    with pytest.raises(InvalidInputError, match="max_employees"):
        views.combine(view, FilterSpec(max_employees=5))


# -- an embedded database made before views --------------------------------------------------------


def test_an_old_embedded_database_opens_without_the_view_table(tmp_path: Path) -> None:
    path = tmp_path / "old.lbug"
    database = ladybug.Database(str(path), buffer_pool_size=SMALL["buffer_pool_bytes"])
    connection = ladybug.Connection(database)
    for name in ("create_company", "create_institution", "create_cluster", "create_user_table"):
        connection.execute(q(name))  # the tables an earlier version made
    connection.close()
    database.close()
    with EmbeddedStore(path, read_only=True, **SMALL) as old:
        assert old.saved_views() == [] and old.saved_view("a") is None
        with old.read_session() as view:
            assert views.visible(view, ADA) == []
    with EmbeddedStore(path, **SMALL) as store:  # opened for writing: the table is made
        views.save(store, ANA, "a")
    with EmbeddedStore(path, read_only=True, **SMALL) as again:
        assert [v.name for v in views.visible(again, ANA)] == ["a"]
