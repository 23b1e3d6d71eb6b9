"""The ``GraphStore`` protocol: the one interface both database backends implement."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable

import networkx as nx

from app.changes import Change, ChangeSet, RelKey
from app.domain import Organization, Relationship, StoreCounts
from app.filters import FilterSpec
from app.people import User
from app.suggestions import Dismissal
from app.views import ViewRecord
from app.vocabulary import Kind, RelType

__all__ = [
    "ClosesOnExit",
    "GraphData",
    "GraphPath",
    "GraphStore",
    "OrganizationPage",
    "PathResult",
    "ProgressCallback",
    "Subgraph",
    "WriteSummary",
]

#: Called with (rows done, rows in all) while a long write runs.
ProgressCallback = Callable[[int, int], None]


@dataclass(slots=True)
class WriteSummary:
    """What an upsert changed. An import of data already in the store changes nothing."""

    organizations_created: int = 0
    organizations_updated: int = 0
    organizations_unchanged: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.organizations_created
            + self.organizations_updated
            + self.relationships_created
            + self.relationships_updated
        )


@dataclass(slots=True)
class GraphData:
    """Everything in a store as plain rows (lists stay lists, missing values are ``None``)."""

    organizations: list[dict[str, Any]] = field(default_factory=list)
    relationships: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Subgraph:
    """The induced subgraph of a FilterSpec; ``truncated`` when the node cap cut it."""

    graph: nx.Graph  # nx.MultiDiGraph unless collapsed
    truncated: bool
    limit: int


@dataclass(slots=True)
class OrganizationPage:
    """One page of a filtered, id-sorted organization listing."""

    items: list[Organization]
    offset: int
    limit: int
    has_more: bool
    total: int  #: how many organizations match, in all


@dataclass(frozen=True, slots=True)
class GraphPath:
    """One path: ``nodes`` in order and the relationship ``types`` between them.

    Paths are walked regardless of direction; ``directions[i]`` is ``"->"`` when the i-th
    relationship points from ``nodes[i]`` to ``nodes[i + 1]`` and ``"<-"`` otherwise.
    """

    nodes: list[str]
    types: list[str]
    directions: list[str]


@dataclass(slots=True)
class PathResult:
    """All shortest paths between two organizations (none when they are not connected
    within ``max_length``); ``truncated`` when more than ``limit`` paths exist."""

    source: str
    target: str
    max_length: int
    paths: list[GraphPath]
    truncated: bool
    limit: int

    @property
    def length(self) -> int | None:
        return len(self.paths[0].types) if self.paths else None


class ClosesOnExit:
    """``with store:`` closes the store when the block ends (a store defines ``close``)."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@runtime_checkable
class GraphStore(Protocol):
    """A graph database holding one ecosystem.

    Stores are context managers; they receive their connection settings and never read
    globals. Every write is atomic: it either lands whole or leaves the store as it was.
    A method called on the store itself runs in a transaction of its own; several calls share
    one state, or one transaction, inside :meth:`read_session` or :meth:`write_session`.
    """

    #: ``"embedded"`` or ``"neo4j"``.
    backend: str

    def read_session(self) -> AbstractContextManager[GraphStore]:
        """A view of the store on which every read sees one committed state, for the whole
        block (a view's own sessions are the view itself)."""

    def write_session(self) -> AbstractContextManager[GraphStore]:
        """A view of the store whose reads and writes are one transaction, committed when
        the block ends and rolled back if it raises; write sessions take turns."""

    def version(self) -> str:
        """A token that changes with every committed write, by any process: results keyed
        on it are never stale."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def close(self) -> None:
        """Release the database; the store cannot be used afterwards."""

    def setup_schema(self) -> None:
        """Create tables, constraints and indexes that do not exist yet (idempotent)."""

    def upsert(
        self,
        organizations: Sequence[Organization],
        relationships: Sequence[Relationship],
        *,
        progress: ProgressCallback | None = None,
    ) -> WriteSummary:
        """Insert or update organizations (by id) and relationships (by source, type, target).

        Rows equal to what is stored are left alone. Raises ``StoreError`` and writes
        nothing if the database refuses any part.
        """

    def get_organization(self, org_id: str) -> Organization:
        """The organization with this id; ``NotFoundError`` if there is none."""

    def delete_organization(self, org_id: str) -> None:
        """Delete an organization and its relationships; ``NotFoundError`` if absent
        (:meth:`delete` of one organization)."""

    def organization_kinds(self, ids: Iterable[str] | None = None) -> dict[str, Kind]:
        """Map stored ids (all, or those of ``ids`` that exist) to their kind."""

    # -- records by identity (edits, history) -------------------------------------------------

    def organizations_by_id(self, ids: Iterable[str]) -> dict[str, Organization]:
        """The stored organizations among ``ids``, by id (absent ids are left out)."""

    def relationships_by_key(self, keys: Iterable[RelKey]) -> dict[RelKey, Relationship]:
        """The stored relationships among ``keys`` ((source, type, target); a symmetric
        type's key is looked up as stored, smaller id first), by their stored key."""

    def relationships_of(self, org_ids: Iterable[str]) -> list[Relationship]:
        """Every stored relationship with an end among ``org_ids`` (``MEMBER_OF``
        included), sorted by key: what deleting those organizations removes with them."""

    def delete(self, org_ids: Sequence[str] = (), rel_keys: Sequence[RelKey] = ()) -> None:
        """Delete these relationships, then these organizations with every relationship
        they have, in one transaction; ``NotFoundError`` (nothing deleted) if one of them
        is not stored."""

    # -- history -----------------------------------------------------------------------------

    def append_change_set(self, author: str, source: str, changes: Sequence[Change]) -> int:
        """Record one change set, stamped now (UTC), in the current transaction (call it in
        the write session of the write it records); returns its id, one more than the
        largest so far (1 for the first)."""

    def change_sets(
        self,
        *,
        entity: str | None = None,
        since: str | None = None,
        after: int | None = None,
        limit: int = 20,
    ) -> tuple[list[ChangeSet], bool]:
        """Change sets, newest first, at most ``limit``, and whether more were left out.

        ``entity``: only the sets that touched it (an organization id also matches the
        relationships it is an end of), with only those changes; ``since``: recorded at or
        after this ISO date or time; ``after``: only sets with a larger id (oldest first
        then, for the conflicts of a revert).
        """

    def change_set(self, change_id: int) -> ChangeSet:
        """One change set, whole; ``NotFoundError`` if there is none with this id."""

    def restore_change_sets(self, change_sets: Sequence[ChangeSet]) -> None:
        """Store change sets as another database recorded them (their ids, times and
        authors kept; an export's ``history.jsonl``), in the current transaction;
        ``ConflictError`` if this store holds change sets already."""

    # -- people ----------------------------------------------------------------------------

    def add_user(self, user: User) -> None:
        """Store a person; ``ConflictError`` if one has this name already."""

    def users(self) -> list[User]:
        """Every person, by name."""

    def remove_user(self, name: str) -> None:
        """Forget a person; ``NotFoundError`` if there is none with this name."""

    def user_by_token(self, token_digest: str) -> User | None:
        """The person whose token has this digest, if any."""

    # -- dismissed suggestions -------------------------------------------------------------

    def dismiss_link(self, dismissal: Dismissal) -> None:
        """Store a dismissed suggestion, replacing any earlier one of the same pair (one
        transaction; the version token changes)."""

    def dismissed_links(self) -> list[Dismissal]:
        """Every dismissed suggestion, newest first (pairs of the same second by ids)."""

    def restore_link(self, source: str, target: str) -> Dismissal:
        """Forget the dismissal of a pair (named in either order) and return it;
        ``NotFoundError`` if the pair is not dismissed."""

    # -- saved views -----------------------------------------------------------------------

    def save_view(self, view: ViewRecord) -> None:
        """Store a saved view, replacing any of the same name (in the current write
        transaction, or one of its own; the version token changes). Who may replace whose
        view is :mod:`app.services.views`'s rule, checked in the same write session."""

    def saved_views(self) -> list[ViewRecord]:
        """Every saved view, by name."""

    def saved_view(self, name: str) -> ViewRecord | None:
        """The saved view of this name, if any."""

    def delete_view(self, name: str) -> ViewRecord:
        """Forget a saved view and return it; ``NotFoundError`` if there is none so named."""

    def counts(self) -> StoreCounts:
        """Node and relationship counts, in all and by kind and type."""

    def export(self) -> GraphData:
        """Every organization and relationship, sorted by id and by (source, type, target)."""

    def to_networkx(self, *, include_clusters: bool = False) -> nx.MultiDiGraph:
        """The whole graph as NetworkX (see :func:`app.store.graph.build_graph`)."""

    def subgraph(
        self,
        spec: FilterSpec,
        *,
        include_clusters: bool = False,
        collapsed: bool = False,
        brief: bool = False,
    ) -> Subgraph:
        """The organizations matching ``spec`` and the relationships among them.

        At most ``spec.limit`` (or the store's ``max_nodes``) organizations, the first by id;
        ``rel_types`` restricts the edges. Nodes carry every property plus ``clusters``, or
        with ``brief`` only :data:`~app.vocabulary.ANALYSIS_PROPERTIES` plus ``clusters``.
        ``collapsed`` returns the collaboration network (an undirected ``nx.Graph``, see
        ``graph_analytics.collaboration_network``) instead of the typed multigraph, built
        straight from the rows: cheaper when no analysis needs the types' directions.
        """

    def list_organizations(
        self, spec: FilterSpec, *, offset: int = 0, limit: int = 100
    ) -> OrganizationPage:
        """Organizations matching ``spec``, sorted by id, ``limit`` from ``offset``."""

    def ego_network(
        self,
        org_id: str,
        *,
        hops: int = 1,
        rel_types: Sequence[RelType] = (),
        include_clusters: bool = False,
    ) -> Subgraph:
        """``org_id`` and every organization within ``hops`` (1-3) relationships of it, in
        either direction, with the relationships among them (the induced subgraph).

        ``rel_types`` restricts both the walk and the edges. Cluster nodes are neither
        walked through nor returned unless ``include_clusters``; membership stays a node
        attribute. ``NotFoundError`` if ``org_id`` does not exist.
        """

    def shortest_paths(
        self,
        source: str,
        target: str,
        *,
        max_length: int = 6,
        rel_types: Sequence[RelType] = (),
        include_clusters: bool = False,
        limit: int = 100,
    ) -> PathResult:
        """All shortest paths (at most ``limit``) of at most ``max_length`` (1-10)
        relationships between two organizations, walked in either direction, not through
        Cluster nodes unless ``include_clusters``. ``NotFoundError`` if either is absent."""
