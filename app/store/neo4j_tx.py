"""Units of work of the Neo4j store: functions that run inside one managed transaction.

Each takes the ``neo4j.ManagedTransaction`` that ``session.execute_read`` or
``session.execute_write`` hands to a transaction function (see :mod:`app.store.neo4j`), runs
statements from ``cypher/neo4j/`` and fetches their records before the function returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from app.domain import Organization
from app.errors import NotFoundError
from app.store.diff import (
    ORG_CONTENT,
    REL_CONTENT,
    RelKey,
    RelRow,
    by_labels,
    chunks,
    org_content,
)
from app.store.explore import check_walk
from app.store.filtering import NO_MATCH, FilterRead, constraints_in_use, filter_statement_name
from app.store.identity import joinable
from app.store.queries import query
from app.vocabulary import RELATIONSHIP_PROPERTIES, Kind, RelType

if TYPE_CHECKING:
    from neo4j import ManagedTransaction

__all__ = [
    "Reached",
    "Row",
    "ends",
    "filter_statement",
    "kinds_of",
    "locate",
    "merge_organizations",
    "merge_relationships",
    "now",
    "q",
    "relationship_rows",
    "require",
    "rows",
    "stored_organizations",
    "stored_relationships",
    "walk",
    "walk_parameters",
]

T = TypeVar("T")
Row = dict[str, Any]
#: id -> (element id, distance) of the organizations a walk reached.
Reached = dict[str, tuple[str, int]]

_REL_KEYS = ("source", "target", *RELATIONSHIP_PROPERTIES)


def now() -> str:
    """The time a write stamps on what it writes (UTC, to the second)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def q(name: str, **slots: Any) -> str:
    """Statement ``name`` of the Neo4j dialect, its slots filled (see :func:`query`)."""
    return query("neo4j", name, **slots)


def rows(tx: ManagedTransaction, statement: str, parameters: Row | None = None) -> list[Row]:
    """Run one statement and fetch its records as dicts."""
    return tx.run(statement, parameters or {}).data()


def filter_statement(read: FilterRead, parameters: dict[str, Any], *, anchored: bool) -> str:
    """The statement of a filtered ``read`` (anchored at the clusters it names when
    ``anchored``) with the clauses of the constraints in use only (see
    :func:`~app.store.filtering.constraints_in_use`), less the one the statement enforces
    itself (kinds by label, or clusters by the anchor)."""
    enforced = "clusters" if anchored else "kinds"
    name = filter_statement_name(read, anchored=anchored)
    return q(name, where=constraints_in_use(parameters) - {enforced})


def locate(tx: ManagedTransaction, ids: Sequence[str]) -> dict[str, tuple[Kind, str]]:
    """id -> (kind, element id) of the stored organizations among ``ids``."""
    found = rows(tx, q("locate_organizations"), {"ids": list(ids)})
    return {row["id"]: (Kind(row["kind"]), row["element_id"]) for row in found}


def require(tx: ManagedTransaction, *org_ids: str) -> dict[str, str]:
    """id -> element id of each organization; ``NotFoundError`` for the first one absent."""
    found = locate(tx, org_ids)
    for org_id in org_ids:
        if org_id not in found:
            raise NotFoundError(f"no organization with id {org_id!r}")
    return {org_id: element_id for org_id, (_, element_id) in found.items()}


def walk_parameters(rel_types: Sequence[RelType], include_clusters: bool) -> dict[str, Any]:
    """Parameters of ``walk_step``: the kinds a walk may enter, the types it may follow."""
    kinds = [k.value for k in Kind if include_clusters or k is not Kind.CLUSTER]
    types = [RelType(t).value for t in rel_types]
    return {"kinds": kinds, "has_rel_types": bool(types), "rel_types": types or [NO_MATCH]}


def walk(
    tx: ManagedTransaction,
    start: str,
    depth: int,
    parameters: dict[str, Any],
    *,
    cap: int | None = None,
    stop: str | None = None,
    keep: Callable[[str, int], bool] | None = None,
    budget: int | None = None,
    what: str = "the walk",
) -> Reached:
    """Breadth-first search from the node ``start`` (an element id), level by level.

    Why this walk: each level is one ``walk_step`` statement over the whole frontier, which
    follows every relationship of the frontier nodes once, in either direction, to nodes of
    ``parameters["kinds"]`` over relationships of ``parameters["rel_types"]``; nodes already
    seen are dropped here, in Python. The cost is that of a BFS, a few round trips (one per
    level, at most ``depth``) whatever the hubs. A variable-length pattern (``-[*1..k]-``
    with predicates on its nodes and relationships) may enumerate every path instead,
    exponential around hubs on a 100k-node graph, unless the planner picks a pruning expand,
    which depends on the query's shape and the server's version; ``shortestPath`` needs a
    known target; ``SHORTEST`` path patterns need Neo4j 5.21 or later. Element ids from one
    level address the next one (``elementId`` is stable within a transaction), so no step
    looks anything up by id.

    After each level, more than ``budget`` nodes reached raise ``BudgetExceededError``
    (:func:`~app.store.explore.check_walk`, ``what`` names the walk in the message), as in
    the embedded store. The walk stops early once the levels done hold ``cap`` nodes or more
    (an ego network keeps the nearest ones only, and a later level cannot displace them),
    once ``stop`` (an id) is reached, or when the frontier is empty. ``keep(id, distance)``
    prunes nodes that cannot matter: they are neither returned nor expanded. ``start`` is
    never returned.
    """
    statement = q("walk_step")
    seen, frontier = {start}, [start]
    reached: Reached = {}
    for distance in range(1, depth + 1):
        next_frontier: list[str] = []
        for row in rows(tx, statement, {"frontier": frontier, **parameters}):
            element_id = row["element_id"]
            if element_id in seen:
                continue
            seen.add(element_id)
            if keep is None or keep(row["id"], distance):
                reached[row["id"]] = (element_id, distance)
                next_frontier.append(element_id)
        frontier = next_frontier
        if budget is not None:
            check_walk(len(reached), budget, walk=what, hops=distance)
        if not frontier or stop in reached or (cap is not None and len(reached) >= cap):
            break
    return reached


def stored_organizations(
    tx: ManagedTransaction, ids: Sequence[str], batch_size: int
) -> dict[str, Row]:
    """id -> stored row of the organizations among ``ids`` (id-index seeks, in batches)."""
    statement = q("organizations_by_id")
    found: dict[str, Row] = {}
    for chunk in chunks(list(dict.fromkeys(ids)), batch_size):
        found.update((row["id"], row) for row in rows(tx, statement, {"ids": list(chunk)}))
    return found


def kinds_of(tx: ManagedTransaction, ids: Sequence[str], batch_size: int) -> dict[str, Kind]:
    """id -> kind of the stored organizations among ``ids`` (id-index seeks, in batches)."""
    found: dict[str, Kind] = {}
    for chunk in chunks(list(dict.fromkeys(ids)), batch_size):
        found.update((i, kind) for i, (kind, _) in locate(tx, chunk).items())
    return found


def ends(keys: Sequence[RelKey]) -> list[Row]:
    """Relationship keys as the ``{source, target}`` rows of the keyed statements."""
    return [{"source": source, "target": target} for source, _, target in keys]


def relationship_rows(
    tx: ManagedTransaction, keys: Iterable[RelKey], kinds: dict[str, Kind], batch_size: int
) -> dict[RelKey, Row]:
    """(source, type, target) -> stored row of the relationships among ``keys`` (stored keys)
    whose ends are both stored (``kinds``: their stored kinds) and of kinds the type joins."""
    wanted = [k for k in dict.fromkeys(keys) if joinable(k, kinds)]
    found: dict[RelKey, Row] = {}
    for (rel_type, from_kind, to_kind), group in by_labels(wanted, kinds).items():
        statement = q(
            "relationships_by_key",
            rel_type=RelType(rel_type),
            from_label=from_kind,
            to_label=to_kind,
        )
        for chunk in chunks(group, batch_size):
            for r in rows(tx, statement, {"keys": ends(chunk)}):
                found[(r["source"], r["type"], r["target"])] = r
    return found


def stored_relationships(
    tx: ManagedTransaction, keys: Iterable[RelKey], kinds: dict[str, Kind], batch_size: int
) -> dict[RelKey, tuple[Any, ...]]:
    """(source, type, target) -> stored :data:`~app.store.diff.REL_CONTENT` values of the
    relationships among ``keys`` whose ends are both stored (``kinds``: their stored kinds)."""
    found = relationship_rows(tx, keys, kinds, batch_size)
    return {key: tuple(row[name] for name in REL_CONTENT) for key, row in found.items()}


def _org_row(org: Organization, now: str) -> Row:
    row = dict(zip(ORG_CONTENT, org_content(org), strict=True))
    row["kind"] = Kind(org.kind).value
    row["updated_at"] = now
    return row


def merge_organizations(
    tx: ManagedTransaction,
    organizations: dict[Kind, list[Organization]],
    now: str,
    batch_size: int,
    advance: Callable[[int], None],
) -> None:
    """MERGE organizations by id, in batches per label, stamped ``now``."""
    for kind in Kind:
        statement = q("merge_organizations", label=kind)
        for chunk in chunks(organizations.get(kind, []), batch_size):
            rows(tx, statement, {"rows": [_org_row(org, now) for org in chunk]})
            advance(len(chunk))


def merge_relationships(
    tx: ManagedTransaction,
    relationships: Sequence[RelRow],
    kinds: dict[str, Kind],
    batch_size: int,
    advance: Callable[[int], None],
) -> None:
    """MERGE relationships in batches per (type, source label, target label); ``kinds`` maps
    every endpoint (stored or being written) to its kind."""
    for (rel_type, from_kind, to_kind), group in by_labels(relationships, kinds).items():
        statement = q(
            "merge_relationships",
            rel_type=RelType(rel_type),
            from_label=from_kind,
            to_label=to_kind,
        )
        for chunk in chunks(group, batch_size):
            batch = [dict(zip(_REL_KEYS, (r[0], *r[2:]), strict=True)) for r in chunk]
            rows(tx, statement, {"rows": batch})
            advance(len(chunk))
