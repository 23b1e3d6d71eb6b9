"""Accepted and dismissed missing-link suggestions (app.suggestions, the stores'
``dismiss_link`` / ``dismissed_links`` / ``restore_link``, app.services.suggestions), on
both backends: dismissals round trip and change the version; an accepted suggestion is a tie
with its evidence, one change set that ``revert`` undoes; a dismissed pair is never
suggested, a restored one is again; an embedded database made before dismissals opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ladybug
import pytest
from backends import BACKENDS, tiny_store
from pydantic import ValidationError

from app.errors import ConflictError, InvalidInputError, NotFoundError
from app.filters import FilterSpec
from app.services import history, suggestions
from app.services.analyze import fetch_network
from app.services.links import links_of
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore
from app.store.lbug import q
from app.suggestions import Dismissal
from graph_analytics.links import score_pairs

SMALL = {"buffer_pool_bytes": 128 * 1024**2, "max_db_size_bytes": 8 * 1024**3}
#: The tiny ecosystem's suggestions by ra, each 1/3: one shared partner of degree 3.
SUGGESTED = {("acme", "fund"), ("bolt", "cogs"), ("cogs", "polito"), ("fund", "polito")}


@pytest.fixture(params=BACKENDS)
def tiny(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """The tiny ecosystem (conftest) on each backend; no dismissal yet."""
    with tiny_store(request, request.param, tmp_path) as store:
        assert store.dismissed_links() == []
        yield store


def dismissal(source: str, target: str, at: str, **extra: object) -> Dismissal:
    values = {"method": "ra", "score": 0.5, "by": "ana", "at": at, **extra}
    return Dismissal.model_validate({"source": source, "target": target, **values})


def suggested(store: GraphStore, spec: FilterSpec | None = None) -> set[tuple[str, str]]:
    """The pairs ``links_of`` suggests, the dismissed ones left out as the analyses do."""
    with store.read_session() as view:
        network, dismissed = fetch_network(view, spec), suggestions.dismissed_pairs(view)
    found = links_of(network, top_n=100, exclude_pairs=dismissed)
    pairs = ((str(s.source), str(s.target)) for s in found.root)
    return {(min(pair), max(pair)) for pair in pairs}


def test_a_dismissal_names_its_pair_smaller_id_first() -> None:
    d = dismissal("zeta", "acme", "2026-01-01T00:00:00Z")
    assert d.pair == ("acme", "zeta") and d.key == '["acme", "zeta"]'
    with pytest.raises(ValidationError, match="not 'acme' twice"):
        dismissal("acme", "acme", "now")
    with pytest.raises(ValidationError):
        dismissal("a", "b", "now", method="magic")
    with pytest.raises(ValidationError):
        dismissal("a", "b", "now", score=float("nan"))


# -- the stores ------------------------------------------------------------------------------------


def test_dismissals_round_trip_newest_first_and_restore(tiny: GraphStore) -> None:
    before = tiny.version()
    tiny.dismiss_link(dismissal("fund", "acme", "2026-01-01T00:00:00Z"))
    assert tiny.version() != before
    tiny.dismiss_link(dismissal("cogs", "polito", "2026-01-03T00:00:00Z", method="cn", score=1))
    tiny.dismiss_link(dismissal("bolt", "cogs", "2026-01-02T00:00:00Z", by="Luca Bianchi"))
    assert [d.pair for d in tiny.dismissed_links()] == [
        ("cogs", "polito"),
        ("bolt", "cogs"),
        ("acme", "fund"),
    ]
    assert tiny.dismissed_links()[0] == dismissal(
        "polito", "cogs", "2026-01-03T00:00:00Z", method="cn", score=1.0
    )
    # dismissed again (either order): one record, the latest
    tiny.dismiss_link(dismissal("acme", "fund", "2026-01-04T00:00:00Z", by="bo", score=0.25))
    found = tiny.dismissed_links()
    assert len(found) == 3 and found[0] == dismissal(
        "acme", "fund", "2026-01-04T00:00:00Z", by="bo", score=0.25
    )
    version = tiny.version()
    assert tiny.restore_link("fund", "acme") == found[0]
    assert tiny.version() != version
    assert [d.pair for d in tiny.dismissed_links()] == [("cogs", "polito"), ("bolt", "cogs")]
    version = tiny.version()
    with pytest.raises(NotFoundError, match="no dismissed suggestion of 'fund' and 'acme'"):
        tiny.restore_link("fund", "acme")
    assert tiny.version() == version


def test_dismissals_are_written_in_the_write_session(tiny: GraphStore) -> None:
    with pytest.raises(RuntimeError), tiny.write_session() as view:
        view.dismiss_link(dismissal("acme", "fund", "2026-01-01T00:00:00Z"))
        assert [d.pair for d in view.dismissed_links()] == [("acme", "fund")]
        raise RuntimeError("rolled back")
    assert tiny.dismissed_links() == []
    with tiny.write_session() as view:
        view.dismiss_link(dismissal("acme", "fund", "2026-01-01T00:00:00Z"))
        view.restore_link("acme", "fund")
        view.dismiss_link(dismissal("bolt", "cogs", "2026-01-01T00:00:00Z"))
    assert [d.pair for d in tiny.dismissed_links()] == [("bolt", "cogs")]


def test_organization_reads_do_not_see_dismissals(tiny: GraphStore) -> None:
    before = (tiny.counts(), tiny.export(), tiny.organization_kinds())
    tiny.dismiss_link(dismissal("acme", "fund", "2026-01-01T00:00:00Z"))
    assert (tiny.counts(), tiny.export(), tiny.organization_kinds()) == before


# -- the service -----------------------------------------------------------------------------------


def test_accept_creates_the_tie_as_one_change_set_that_revert_undoes(tiny: GraphStore) -> None:
    suggestions.dismiss(tiny, "fund", "acme", method="ra", score=0.5, author="bo")
    accepted = suggestions.accept(
        tiny, "fund", "acme", method="ra", score=1 / 3, author="ana", source_label="test"
    )
    rel = accepted.relationship
    assert (rel.source, rel.type.value, rel.target) == ("acme", "COLLABORATES_WITH", "fund")
    assert rel.evidence == "suggested by EcoMap: ra, score 0.333; accepted by ana"
    key = ("acme", "COLLABORATES_WITH", "fund")
    assert tiny.relationships_by_key([key])[key].evidence == rel.evidence
    assert tiny.dismissed_links() == []  # accepting forgets the dismissal
    change = tiny.change_set(accepted.change_id or 0)
    assert (change.author, change.source) == ("ana", "test")
    assert {c.entity for c in change.changes} == {"acme COLLABORATES_WITH fund"}
    assert history.revert(tiny, change.id, author="ana") == change.id + 1
    assert tiny.relationships_by_key([key]) == {}
    assert ("acme", "fund") in suggested(tiny)


def test_accept_refuses_an_existing_tie_and_unknown_organizations(tiny: GraphStore) -> None:
    version, sets = tiny.version(), tiny.change_sets()[0]
    with pytest.raises(ConflictError, match="'acme COLLABORATES_WITH polito' exists already"):
        suggestions.accept(
            tiny, "acme", "polito", method="ra", score=1, author="a", source_label="t"
        )
    with pytest.raises(ConflictError, match="'cogs SUPPLIES acme' exists already"):
        suggestions.accept(
            tiny,
            "cogs",
            "acme",
            rel_type="SUPPLIES",
            method="cn",
            score=1,
            author="a",
            source_label="t",
        )
    with pytest.raises(ConflictError, match="MEMBER_OF"):  # a company is no cluster
        suggestions.accept(
            tiny,
            "acme",
            "cogs",
            rel_type="MEMBER_OF",
            method="ra",
            score=1,
            author="a",
            source_label="t",
        )
    with pytest.raises(NotFoundError, match="'nope'"):
        suggestions.accept(tiny, "acme", "nope", method="ra", score=1, author="a", source_label="t")
    with pytest.raises(InvalidInputError, match="unknown method"):
        suggestions.accept(tiny, "acme", "fund", method="xx", score=1, author="a", source_label="t")
    with pytest.raises(InvalidInputError, match="not 'acme' twice"):
        suggestions.dismiss(tiny, "acme", "acme", method="ra", score=1, author="a")
    with pytest.raises(NotFoundError, match="'nope'"):
        suggestions.dismiss(tiny, "nope", "acme", method="ra", score=1, author="a")
    assert (tiny.version(), tiny.change_sets()[0]) == (version, sets)
    assert tiny.dismissed_links() == []


def test_a_dismissed_pair_is_never_suggested_until_restored(tiny: GraphStore) -> None:
    assert suggested(tiny) == SUGGESTED
    made = suggestions.dismiss(tiny, "polito", "fund", method="ra", score=1 / 3, author="ana")
    assert (made.source, made.target, made.by) == ("fund", "polito", "ana")
    assert made.at.endswith("Z") and made.at[:2] == "20"
    assert suggested(tiny) == SUGGESTED - {("fund", "polito")}
    assert suggestions.dismissed(tiny) == [made]
    assert suggestions.dismissed_pairs(tiny) == {("fund", "polito")}
    page = suggestions.dismissed_page(tiny, offset=0, limit=1)
    assert (page.items, page.has_more) == ([made], False)
    assert suggestions.dismissed_page(tiny, offset=1, limit=1).items == []
    assert suggestions.restore(tiny, "fund", "polito") == made
    assert suggested(tiny) == SUGGESTED
    with pytest.raises(NotFoundError):
        suggestions.restore(tiny, "polito", "fund")


def test_pair_score_is_the_methods_score_in_the_whole_network(tiny: GraphStore) -> None:
    graph = fetch_network(tiny).graph
    for method in ("ra", "aa", "jaccard", "cn", "pa"):
        want = score_pairs(graph, [("acme", "fund")], method=method)[0]
        assert suggestions.pair_score(tiny, "fund", "acme", method=method) == want
    assert suggestions.pair_score(tiny, "acme", "mech") == 0.0  # a cluster: not in the network
    with pytest.raises(NotFoundError):
        suggestions.pair_score(tiny, "acme", "nope")


# -- an embedded database made before dismissals ---------------------------------------------------


def test_an_old_embedded_database_opens_without_the_dismissal_table(tmp_path: Path) -> None:
    path = tmp_path / "old.lbug"
    database = ladybug.Database(str(path), buffer_pool_size=SMALL["buffer_pool_bytes"])
    connection = ladybug.Connection(database)
    for name in ("create_company", "create_institution", "create_cluster", "create_user_table"):
        connection.execute(q(name))  # the tables an earlier version made
    connection.execute("CREATE (:Company {id: 'a', name: 'A', kind: 'company'})")
    connection.close()
    database.close()
    with EmbeddedStore(path, read_only=True, **SMALL) as old:
        assert old.dismissed_links() == []
        with old.read_session() as view:
            assert view.dismissed_links() == [] and suggestions.dismissed_pairs(view) == set()
    with EmbeddedStore(path, **SMALL) as store:  # opened for writing: the table is made
        store.dismiss_link(dismissal("a", "b", "2026-01-01T00:00:00Z"))
        assert [d.pair for d in store.dismissed_links()] == [("a", "b")]
    with EmbeddedStore(path, read_only=True, **SMALL) as again:
        assert [d.pair for d in again.dismissed_links()] == [("a", "b")]
