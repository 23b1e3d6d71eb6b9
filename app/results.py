"""The answers of the service layer, one pydantic model each.

Every analysis of :mod:`app.services.analyze`, every exploration answer of
:mod:`app.services.explore` and an import's report end as one of these; the CLI prints it as a
table or, with ``--json``, as :meth:`~pydantic.BaseModel.model_dump` in JSON mode; the API
declares it as the route's ``response_model`` (validated, and the OpenAPI document shows its
schema); the notebook shows its rows as a table; the report reads its fields. The JSON shapes
are the ones ``--json`` has always printed: a model changes how a shape is written down, not
the shape.

Organization ids are text in a store; a graph a notebook user brings may number its nodes,
so an id is text or an integer (:data:`NodeId`). Scores that do not exist (a constraint of
an isolated organization, a density below two members) are ``None``, never NaN.

Examples
--------
>>> Centrality({"degree": [{"id": "a", "name": "Alpha", "score": 1.0}]}).root["degree"][0].name
'Alpha'
"""

from __future__ import annotations

from typing import Any, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, RootModel

from app.changes import Change, ChangeSet, rel_entity
from app.domain import Organization, Relationship
from graph_analytics.centrality import Metric

__all__ = [
    "TOP_MEMBERS",
    "Agreement",
    "Broker",
    "Brokerage",
    "Centrality",
    "CentralityNotes",
    "Communities",
    "Community",
    "Components",
    "DeleteResult",
    "EgoGraph",
    "GraphData",
    "Health",
    "HealthBrokers",
    "History",
    "ImportResult",
    "ImportSummary",
    "LinkSuggestion",
    "Links",
    "NodeId",
    "OrganizationsPage",
    "OtherEnd",
    "Path",
    "Paths",
    "Ranked",
    "Reverted",
    "Selection",
    "Tie",
    "TiesPage",
    "TripleHelix",
]

#: An organization's id: text in a store, text or a number in a graph a user brings.
NodeId: TypeAlias = str | int


class _Answer(BaseModel):
    """An answer: every field declared, nothing else accepted."""

    model_config = ConfigDict(extra="forbid")


class Ranked(_Answer):
    """One organization of a ranking."""

    id: NodeId
    name: str
    score: float


class Centrality(RootModel[dict[Metric, list[Ranked]]]):
    """``ecomap analyze centrality --json``: per metric, its top organizations, highest
    score first (ties by id)."""

    def rows(self, metric: str) -> list[dict[str, Any]]:
        """The ranking of ``metric`` as plain rows (``[]`` when it was not computed)."""
        return [row.model_dump() for row in self.root.get(metric, [])]  # type: ignore[call-overload]


class CentralityNotes(_Answer):
    """How a centrality was computed (printed beside it by the CLI, not part of its JSON)."""

    organizations: int
    ties: int
    truncated: bool = Field(description="the node cap cut the selection")
    betweenness_sampled_sources: int | None = Field(
        description="betweenness estimated from this many sampled sources (None: exact)"
    )
    engine: str


class Agreement(_Answer):
    """How far detected communities agree with the declared clusters."""

    nmi: float = Field(description="normalized mutual information, 0 to 1")
    ari: float = Field(description="adjusted Rand index, -0.5 to 1")


#: Best-connected members named per community (:attr:`Community.top`).
TOP_MEMBERS = 5


class Community(_Answer):
    """One detected community: its members, the best-connected first."""

    community: int = Field(description="its number: 0 is the largest")
    size: int
    members: list[NodeId] = Field(description="ids, most ties inside the network first")
    top: list[str] = Field(description=f"names of its {TOP_MEMBERS} best-connected members")
    clusters: dict[str, int] = Field(description="declared clusters of its members -> members")


class Communities(_Answer):
    """``ecomap analyze communities --json``: every community with its members (``groups``),
    whether or not clusters are declared."""

    algorithm: str
    resolution: float
    seed: int
    modularity: float | None = Field(description="None without ties")
    communities: int = Field(description="how many communities")
    membership: dict[str, int] = Field(description="organization id -> community")
    agreement: Agreement | None = Field(description="None when no organization has a cluster")
    cluster_split: dict[str, dict[str, int]] = Field(
        description="declared cluster -> {community: members}"
    )
    groups: list[Community] = Field(description="every community, the largest first")


class Broker(_Answer):
    """One organization's brokerage: Gould-Fernandez role counts and Burt's measures."""

    id: NodeId
    name: str
    coordinator: int
    gatekeeper: int
    representative: int
    itinerant: int
    liaison: int
    total: int
    constraint: float | None = Field(description="low: spans structural holes")
    effective_size: float | None


class Brokerage(_Answer):
    """``ecomap analyze brokerage --json``: organizations with the most brokerage first."""

    group_by: str
    groups: int = Field(description="how many groups the organizations fall in")
    ungrouped: int = Field(description="organizations in no group (they broker nothing)")
    organizations: list[Broker]


class Components(_Answer):
    """Connected pieces of the members' network."""

    count: int
    largest_share: float | None


class TripleHelix(_Answer):
    """Ties among members by the sectors of their ends (industry, academia, government,
    other), every pair present."""

    counts: dict[str, int]
    shares: dict[str, float | None]


class BrokerScore(_Answer):
    """A member of highest betweenness inside the members' network."""

    id: NodeId
    betweenness: float


class HealthBrokers(_Answer):
    """How much the members' network depends on its top brokers."""

    top: list[BrokerScore]
    path_share: float | None
    components_without_top: int | None
    estimated: bool


class Health(_Answer):
    """``ecomap analyze health --json`` (see ``graph_analytics.cluster_health``)."""

    nodes: int
    ties: int
    density: float | None
    mean_clustering: float | None
    components: Components
    isolates: list[NodeId]
    ei_index: float | None
    internal_ties: int
    external_ties: int
    triple_helix: TripleHelix
    brokers: HealthBrokers
    k_core: dict[str, int] = Field(description="k -> members in the k-core")


class LinkSuggestion(_Answer):
    """One suggested new tie, with the reason in words."""

    source: NodeId
    target: NodeId
    score: float
    reason: str
    source_name: str | None = None
    source_kind: str | None = None
    source_country: str | None = None
    target_name: str | None = None
    target_kind: str | None = None
    target_country: str | None = None


class Links(RootModel[list[LinkSuggestion]]):
    """``ecomap links --json``: suggestions, best first."""

    def rows(self) -> list[dict[str, Any]]:
        """The suggestions as plain rows."""
        return [row.model_dump() for row in self.root]


class Selection(_Answer):
    """``GET /api/selection``: how many organizations the filters select, and the hints
    when some value matches nothing (:func:`app.services.hints.filter_hints`)."""

    organizations: int
    hints: list[str]


class OrganizationsPage(_Answer):
    """``ecomap orgs --json``: one page of the organizations a filter selects, by id."""

    items: list[Organization]
    offset: int
    limit: int
    has_more: bool
    total: int = Field(description="how many organizations match, in all")


class GraphData(_Answer):
    """A subgraph in node-link form (``networkx.node_link_data``; every stored property of
    a node, every property of a relationship), ``truncated`` when the node cap (``limit``)
    cut the selection: ``POST /api/subgraph``."""

    directed: bool
    multigraph: bool
    nodes: list[dict[str, Any]]
    links: list[dict[str, Any]]
    truncated: bool
    limit: int


class OtherEnd(_Answer):
    """The organization at the other end of a tie."""

    id: str
    name: str
    kind: str


class Tie(Relationship):
    """A relationship of one organization, with the organization at its other end."""

    other: OtherEnd


class TiesPage(_Answer):
    """``GET /api/organizations/{id}/relationships``: an organization's relationships, its
    cluster memberships first, then by type and the other end's name; ``by_type`` counts
    them all."""

    organization: str
    total: int
    by_type: dict[str, int]
    offset: int
    limit: int
    has_more: bool
    items: list[Tie]


class EgoGraph(GraphData):
    """``ecomap ego --json``: the network around ``center``, ``hops`` steps out."""

    center: str
    hops: int


class Path(_Answer):
    """One shortest path: its organizations, and the type and direction of each step."""

    nodes: list[str]
    types: list[str]
    directions: list[str]


class Paths(_Answer):
    """``ecomap path --json``: every shortest path (at most ``limit``) up to ``max_length``
    steps; ``length`` None when there is none."""

    source: str
    target: str
    length: int | None
    max_length: int
    paths: list[Path]
    truncated: bool
    limit: int


class ImportSummary(_Answer):
    """What an import changed (the fields of ``app.store.base.WriteSummary``)."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    organizations_created: int
    organizations_updated: int
    organizations_unchanged: int
    relationships_created: int
    relationships_updated: int
    relationships_unchanged: int


class ImportResult(_Answer):
    """``ecomap import --json`` and ``POST /api/import`` (``files``: the names given)."""

    ok: bool
    files: list[str]
    rows_read: int
    rows_rejected: int
    summary: ImportSummary
    problems: list[str]
    notes: list[str] = Field(default_factory=list, description="remarks that are not errors")
    dry_run: bool = Field(False, description="nothing was written: changes say what would be")
    change_id: int | None = Field(
        None, description="the change set recording the import (None: nothing changed)"
    )
    changes: list[Change] = Field(
        default_factory=list, description="with dry_run: every field the import would change"
    )


class DeleteResult(_Answer):
    """``ecomap delete ... --json`` and the API's deletes: what was deleted, the ties that
    went with the organizations, and the change set that records it."""

    organizations: list[str] = Field(default_factory=list)
    relationships: list[str] = Field(
        default_factory=list, description='the relationships named, as "SOURCE TYPE TARGET"'
    )
    ties: list[Relationship] = Field(
        default_factory=list, description="the relationships deleted with the organizations"
    )
    change_id: int | None

    @classmethod
    def of(cls, deleted: Any) -> DeleteResult:
        """The answer of :class:`app.services.editing.Deleted`."""
        return cls(
            organizations=deleted.organizations,
            relationships=[rel_entity(key) for key in deleted.relationships],
            ties=deleted.ties,
            change_id=deleted.change_id,
        )


class History(RootModel[list[ChangeSet]]):
    """``ecomap history --json`` and ``GET /api/history``: change sets, newest first."""


class Reverted(_Answer):
    """``POST /api/history/{id}/revert``: the change set that undid it (None: nothing to
    undo)."""

    change_id: int | None
