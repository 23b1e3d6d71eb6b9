"""Missing-link suggestions a person acts on: accept one (the tie is created) or dismiss it
(the pair is never suggested again, until the dismissal is restored).

- :func:`accept` creates the tie through :func:`app.services.editing.put_relationship`, so
  it is one change set that ``ecomap revert`` undoes, with the evidence
  :func:`evidence_of` (``suggested by EcoMap: ra, score 0.833; accepted by ana``), and
  forgets any dismissal of the pair in the same transaction;
- :func:`dismiss` stores a :class:`~app.suggestions.Dismissal` (the pair, the suggestion's
  method and score, who and when); :func:`dismissed` / :func:`dismissed_page` list them,
  newest first, and :func:`restore` forgets one;
- :func:`dismissed_pairs` is what the analyses leave out (``links_of(...,
  exclude_pairs=...)``), read in the read session that reads their network.

Dismissals are not change sets: they say nothing about the ecosystem, only about what EcoMap
suggests. Every write changes the store's version, so no cached analysis outlives one.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass

from app.changes import rel_entity
from app.domain import Relationship
from app.errors import ConflictError, InvalidInputError, NotFoundError, excerpt
from app.filters import FilterSpec
from app.services import editing
from app.services.analyze import fetch_network
from app.services.freshness import timestamp
from app.store.base import GraphStore
from app.suggestions import Dismissal, DismissedPage
from app.vocabulary import Kind, RelType
from graph_analytics.links import LINK_METHODS, score_pairs

__all__ = [
    "Accepted",
    "accept",
    "dismiss",
    "dismissed",
    "dismissed_page",
    "dismissed_pairs",
    "evidence_of",
    "pair_score",
    "restore",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Accepted:
    """An accepted suggestion: the tie as stored, and the change set that created it."""

    relationship: Relationship
    change_id: int | None


def evidence_of(method: str, score: float, author: str) -> str:
    """The ``evidence`` of a tie created from a suggestion.

    >>> evidence_of("ra", 0.8333333, "ana")
    'suggested by EcoMap: ra, score 0.833; accepted by ana'
    """
    return f"suggested by EcoMap: {method}, score {score:.3g}; accepted by {author}"


def _check_method(method: str) -> None:
    if method not in LINK_METHODS:
        raise InvalidInputError(
            f"unknown method {excerpt(method)}; use one of {', '.join(LINK_METHODS)}"
        )


def _require(store: GraphStore, source: str, target: str) -> dict[str, Kind]:
    """The kinds of the two organizations of a pair: :class:`~app.errors.InvalidInputError`
    for an organization paired with itself, :class:`~app.errors.NotFoundError` if one is
    not stored."""
    if source == target:
        raise InvalidInputError(
            f"a suggestion pairs two organizations, not {excerpt(source)} twice"
        )
    kinds = store.organization_kinds([source, target])
    for end in (source, target):
        if end not in kinds:
            raise NotFoundError(f"no organization with id {excerpt(end)}")
    return kinds


def accept(
    store: GraphStore,
    source: str,
    target: str,
    *,
    rel_type: RelType | str = RelType.COLLABORATES_WITH,
    method: str,
    score: float,
    author: str,
    source_label: str,
) -> Accepted:
    """Create the suggested tie ``source -[rel_type]-> target``, as one change set by
    ``author`` from ``source_label`` (e.g. ``ecomap suggestions accept``), and forget any
    dismissal of the pair, in one transaction.

    Parameters
    ----------
    store : GraphStore
        A store open for writing (or its write session).
    source, target : str
        The organizations; both must be stored.
    rel_type : RelType
        The tie's type (a collaboration by default); it must connect their kinds.
    method, score
        The suggestion accepted: its method (``ra``, ``aa``, ``jaccard``, ``cn``, ``pa``) and
        score, written into the tie's ``evidence`` (:func:`evidence_of`).
    author, source_label : str
        Who accepts, and from where, for the change set.

    Raises
    ------
    NotFoundError
        If an organization is not stored.
    ConflictError
        If the tie exists already (named), or the type does not connect their kinds.
    InvalidInputError
        For an unknown method, or an organization paired with itself.
    """
    _check_method(method)
    kind = RelType(rel_type)
    key = (source, kind.value, target)
    with store.write_session() as view:
        _require(view, source, target)
        if view.relationships_by_key([key]):
            raise ConflictError(f"the tie {excerpt(rel_entity(key))} exists already")
        evidence = evidence_of(method, score, author)
        rel, _, change_id = editing.put_relationship(
            view, key, {"evidence": evidence}, author=author, source=source_label
        )
        with suppress(NotFoundError):  # the pair was dismissed, or not
            view.restore_link(source, target)
    logger.info("suggestion accepted by %s: %s (change %s)", author, rel_entity(key), change_id)
    return Accepted(rel, change_id)


def dismiss(
    store: GraphStore, source: str, target: str, *, method: str, score: float, author: str
) -> Dismissal:
    """Dismiss the suggestion of a pair (either order): it is never suggested again; a pair
    dismissed before is dismissed anew (by ``author``, now).

    Raises
    ------
    NotFoundError
        If an organization is not stored.
    InvalidInputError
        For an unknown method, or an organization paired with itself.
    """
    _check_method(method)
    with store.write_session() as view:
        _require(view, source, target)
        dismissal = Dismissal.model_validate(
            {
                "source": source,
                "target": target,
                "method": method,
                "score": score,
                "by": author,
                "at": timestamp(),
            }
        )
        view.dismiss_link(dismissal)
    logger.info("suggestion dismissed by %s: %s and %s", author, *dismissal.pair)
    return dismissal


def dismissed(store: GraphStore) -> list[Dismissal]:
    """Every dismissed suggestion, newest first."""
    return store.dismissed_links()


def dismissed_page(store: GraphStore, *, offset: int = 0, limit: int = 100) -> DismissedPage:
    """The dismissed suggestions from ``offset``, at most ``limit``, newest first."""
    found = store.dismissed_links()
    items = found[offset : offset + limit]
    return DismissedPage(
        items=items, offset=offset, limit=limit, has_more=offset + limit < len(found)
    )


def restore(store: GraphStore, source: str, target: str) -> Dismissal:
    """Forget the dismissal of a pair (either order), which may be suggested again; returns
    it. :class:`~app.errors.NotFoundError` if the pair is not dismissed."""
    restored = store.restore_link(source, target)
    logger.info("dismissal restored: %s and %s", *restored.pair)
    return restored


def dismissed_pairs(store: GraphStore) -> frozenset[tuple[str, str]]:
    """The dismissed pairs (smaller id first), for ``links_of(..., exclude_pairs=...)``;
    read it in the read session that reads the analysis's network."""
    return frozenset(d.pair for d in store.dismissed_links())


def pair_score(store: GraphStore, source: str, target: str, *, method: str = "ra") -> float:
    """The score ``method`` gives the pair in the whole organization network (0 when one of
    them is not in it, e.g. a cluster); :class:`~app.errors.NotFoundError` if one is not
    stored."""
    _check_method(method)
    with store.read_session() as view:
        _require(view, source, target)
        graph = fetch_network(view, FilterSpec()).graph
    if source not in graph or target not in graph:
        return 0.0
    return score_pairs(graph, [(source, target)], method=method)[0]
