"""EcoMap for notebooks: open a store, filter, analyse and map an ecosystem in a few calls.

A thin layer over :mod:`app.services`: each analysis returns its typed answer
(:mod:`app.results`) as plain data, what its ``ecomap`` command prints with ``--json``
(rows as a :class:`Table`, which Jupyter shows as a table; other answers as dicts), and
reads a store, filtered, or a graph, taken whole. Filters are :class:`FilterSpec` fields as
keywords, or the CLI's singular names (``kind="company"``); ``spec=`` takes a FilterSpec.

Examples
--------
>>> import tempfile
>>> from app import notebook as eco
>>> tmp = tempfile.TemporaryDirectory()
>>> store = eco.open_store(f"{tmp.name}/eco.lbug")
>>> _ = eco.load_sample(store)
>>> G = eco.network(store, cluster="cl-valmora-fashion")
>>> G.number_of_nodes(), G.number_of_edges()
(42, 144)
>>> [row["name"] for row in eco.centrality(store, "betweenness", top=3)]
['University of Valmora', 'Castelrivo Polytechnic', 'Valmora Regional Development Agency']
>>> store.close(); tmp.cleanup()
"""

from __future__ import annotations

import dataclasses
import html
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeAlias, cast

import networkx as nx

from app.filters import FilterSpec
from app.services import analyze, explore, importing, links, maps, sample, suggestions
from app.services.generate import generate_ecosystem, write_ecosystem_csv
from app.services.importing import ImportReport
from app.settings import Settings
from app.store import GraphStore
from app.store import open_store as _open_store
from graph_analytics.communities import Algorithm

__all__ = [
    "FilterSpec", "GraphStore", "MapView", "Table", "brokers", "centrality", "communities",
    "filters", "health", "import_files", "load_sample", "load_synthetic", "missing_links",
    "network", "open_store", "show_map", "subgraph",
]  # fmt: skip

#: The CLI's singular option names, accepted as filter keywords too.
_ALIASES = {parameter: field for field, parameter in FilterSpec.parameters().items()}
_MAP_OPTIONS = frozenset(f.name for f in dataclasses.fields(maps.MapOptions))

#: What an analysis reads: a store (filters apply) or a graph (taken whole).
Source: TypeAlias = GraphStore | nx.Graph


class Table(list[dict[str, Any]]):
    """Rows of an analysis: a plain list of dicts that Jupyter shows as an HTML table.

    Examples
    --------
    >>> rows = Table([{"id": "a", "score": 0.123456}, {"id": "<b>", "score": 1}])
    >>> rows[0]["score"], "<td>0.1235</td></tr><tr><td>&lt;b&gt;</td>" in rows._repr_html_()
    (0.123456, True)
    """

    def _repr_html_(self) -> str:
        columns = list(dict.fromkeys(key for row in self for key in row))
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
        rows = ("".join(f"<td>{_cell(row.get(c))}</td>" for c in columns) for row in self)
        body = "".join(f"<tr>{cells}</tr>" for cells in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        value = ", ".join(map(str, value))
    return "" if value is None else html.escape(str(value))


def _fields(given: dict[str, Any]) -> dict[str, Any]:
    """Keyword filters as FilterSpec fields: singular names resolved, one text made a list."""
    fields: dict[str, Any] = {}
    for name, value in given.items():
        field = _ALIASES.get(name, name)
        if field not in FilterSpec.model_fields or field in fields:
            known = ", ".join([*FilterSpec.model_fields, *_ALIASES])
            raise TypeError(f"unknown or repeated filter {name!r}; use each of {known} once")
        one = isinstance(value, str) and field in _ALIASES.values()
        fields[field] = [value] if one else value
    return fields


def filters(**fields: Any) -> FilterSpec:
    """A :class:`FilterSpec` from keywords: field names or the CLI's singular names.

    One text value of a list field is a one-item list. Unknown names raise ``TypeError``,
    invalid values pydantic's ``ValidationError``.

    Examples
    --------
    >>> spec = filters(kind="company", sector=["C29", "C13"], min_employees=10)
    >>> [k.value for k in spec.kinds], spec.sectors, spec.min_employees
    (['company'], ['C29', 'C13'], 10)
    """
    return FilterSpec.model_validate(_fields(fields))


def _spec(spec: FilterSpec | None, extra: dict[str, Any]) -> FilterSpec:
    """``spec`` with the keyword filters ``extra`` (which replace the same fields of ``spec``)."""
    base = spec.model_dump(exclude_defaults=True) if spec is not None else {}
    return FilterSpec.model_validate({**base, **_fields(extra)})


def open_store(
    path: str | Path | None = None, *, read_only: bool = False, **settings: Any
) -> GraphStore:
    """Open the graph store; use it as a context manager (``with open_store(...) as store``).

    The embedded LadybugDB database at ``path`` (created if absent), by default the one of the
    settings (``ECOMAP_DB``, else ``./ecomap.lbug``); ``ECOMAP_BACKEND=neo4j`` opens Neo4j.
    ``settings`` are :class:`~app.settings.Settings` fields, e.g. ``buffer_pool_mb=256``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp, open_store(f"{tmp}/eco.lbug") as store:
    ...     created, counts = load_sample(store).summary.organizations_created, store.counts()
    >>> created, counts.nodes, counts.by_kind["cluster"]
    (180, 180, 4)
    """
    if path is not None:
        settings["db"] = Path(path)
    return _open_store(Settings(**settings), read_only=read_only)


def load_sample(store: GraphStore) -> ImportReport:
    """Import the bundled, fictional sample ecosystem (see ``app/sample/README.md``); loading
    it again changes nothing. Example: :func:`open_store`."""
    return sample.load_sample(store)


def import_files(
    store: GraphStore, *paths: str | Path, format: str | None = None, valid_only: bool = False
) -> ImportReport:
    """Validate and import files (CSV pair, ``.xlsx`` or node-link JSON) atomically.

    With any problem nothing is written and ``ImportValidationError`` lists them all as
    ``FILE:LINE: column: message``, unless ``valid_only``. ``format`` overrides the suffix.

    Examples
    --------
    >>> import tempfile
    >>> from app.services.sample import sample_paths
    >>> with tempfile.TemporaryDirectory() as tmp, open_store(f"{tmp}/eco.lbug") as store:
    ...     done = [import_files(store, *sample_paths()).summary for _ in range(2)]
    >>> done[0].relationships_created, done[1].changed  # the second import changes nothing
    (987, False)
    """
    files = [Path(p) for p in paths]
    return importing.import_files(store, files, fmt=format, valid_only=valid_only)


def load_synthetic(
    store: GraphStore, orgs: int = 2000, *, seed: int = 0, avg_degree: float = 10.0
) -> ImportReport:
    """Generate a synthetic ecosystem as ``ecomap generate`` does (same seed, same
    ecosystem) and import it; its CSV files exist only while they are imported.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp, open_store(f"{tmp}/eco.lbug") as store:
    ...     created, n = load_synthetic(store, 50, seed=1).summary, len(network(store))
    >>> created.organizations_created, n  # 3 of the 50 are clusters
    (50, 47)
    """
    eco = generate_ecosystem(orgs, seed=seed, avg_degree=avg_degree)
    with tempfile.TemporaryDirectory(prefix="ecomap-synthetic-") as tmp:
        return importing.import_files(store, list(write_ecosystem_csv(eco, Path(tmp))))


def network(store: GraphStore, spec: FilterSpec | None = None, **filters: Any) -> nx.Graph:
    """The filtered collaboration network, which every analysis runs on.

    Organizations with their properties (no cluster nodes: an organization's cluster ids
    are its ``clusters`` attribute), one undirected tie per pair with the summed ``weight``
    and the ``types`` of its relationships. ``G.graph["truncated"]``: the node cap cut it.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp, open_store(f"{tmp}/eco.lbug") as store:
    ...     _ = load_sample(store)
    ...     G = network(store, filters(cluster="cl-valmora-fashion"), kind="company")
    >>> len(G), G.graph["truncated"], G.nodes["co-lanificio-albaro"]["clusters"]
    (39, False, ['cl-valmora-fashion'])
    """
    found = explore.subgraph(store, _spec(spec, filters), collapsed=True)
    found.graph.graph.update(truncated=found.truncated, limit=found.limit)
    return found.graph


def subgraph(
    store: GraphStore, spec: FilterSpec | None = None, *, clusters: bool = False, **filters: Any
) -> nx.MultiDiGraph:
    """The filtered typed graph: one directed edge per relationship, keyed by its type;
    cluster nodes and ``MEMBER_OF`` edges only if ``clusters``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp, open_store(f"{tmp}/eco.lbug") as store:
    ...     _ = load_sample(store)
    ...     M = subgraph(store, rel_type="SUPPLIES", cluster="cl-valmora-fashion")
    >>> {key for _, _, key in M.edges(keys=True)}, len(M)
    ({'SUPPLIES'}, 42)
    """
    found = explore.subgraph(store, _spec(spec, filters), include_clusters=clusters)
    found.graph.graph.update(truncated=found.truncated, limit=found.limit)
    return cast(nx.MultiDiGraph, found.graph)


def _network(source: Source, filters: dict[str, Any]) -> analyze.Network:
    """The network an analysis reads: a store's, filtered, or a graph, taken whole."""
    spec = _spec(filters.pop("spec", None), filters)
    if not isinstance(source, nx.Graph):
        return analyze.fetch_network(source, spec)
    if not spec.is_empty():
        raise TypeError("filters apply to a store; pass the already filtered graph")
    return analyze.Network.of(source)


def centrality(
    source: Source, metric: str = "betweenness", *, top: int | None = 10, **filters: Any
) -> Table:
    """Organizations of highest ``metric`` (``degree``, ``weighted_degree``,
    ``betweenness``, ``closeness``, ``harmonic``, ``eigenvector``, ``pagerank``) as rows
    ``{"id", "name", "score"}``, highest first; ``top=None`` ranks every organization.

    Examples
    --------
    >>> G = nx.Graph([("a", "hub"), ("b", "hub"), ("c", "hub"), ("c", "d")])
    >>> G.nodes["hub"]["name"] = "Hub University"
    >>> centrality(G, "degree", top=2)
    [{'id': 'hub', 'name': 'Hub University', 'score': 0.75}, {'id': 'c', 'name': '', 'score': 0.5}]
    """
    report, _ = analyze.centrality_of(_network(source, filters), metrics=[metric], top_n=top)
    return Table(report.rows(metric))


def communities(
    source: Source, *, algorithm: Algorithm = "leiden", seed: int = 0, **filters: Any
) -> dict[str, Any]:
    """Communities (``leiden``, ``louvain``, ``label_propagation``) against the declared
    clusters: ``communities`` (count), ``modularity``, ``membership`` (id -> community),
    ``agreement`` (NMI, ARI; ``None`` without clusters), ``cluster_split``.

    Examples
    --------
    >>> found = communities(nx.barbell_graph(4, 0))  # two cliques joined by one tie
    >>> found["communities"], round(found["modularity"], 3), found["agreement"]
    (2, 0.423, None)
    """
    found = analyze.communities_of(_network(source, filters), algorithm=algorithm, seed=seed)
    return found.model_dump()


def brokers(source: Source, *, by: str = "clusters", top: int | None = 20, **filters: Any) -> Table:
    """Brokers, most brokerage first: Gould-Fernandez role counts between groups ``by``
    (``clusters``, ``kind``, ``type``, ``region``, ``country``) and their ``total``, and
    Burt's ``constraint`` (low: spans holes) and ``effective_size``.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y"}, "region")
    >>> best = brokers(G, by="region", top=1)[0]
    >>> best["id"], best["representative"], best["gatekeeper"], best["constraint"]
    ('b', 1, 1, 0.5)
    """
    report = analyze.brokerage_of(_network(source, filters), group_by=by, top_n=top)
    return Table(row.model_dump() for row in report.organizations)


def health(source: Source, *, seed: int = 0, **filters: Any) -> dict[str, Any]:
    """Health of the selected organizations (a cluster: ``cluster="cl-..."``), with ties to
    outsiders counted as external: density, clustering, components, isolates, E-I index,
    triple-helix mix, dependence on the top brokers, k-core profile.

    Examples
    --------
    >>> report = health(nx.barbell_graph(3, 1))
    >>> report["nodes"], report["brokers"]["top"][0]["id"], report["ei_index"]
    (7, 3, -1.0)
    """
    if isinstance(source, nx.Graph):
        return analyze.health_of(_network(source, filters), seed=seed).model_dump()
    spec = _spec(filters.pop("spec", None), filters)
    with source.read_session() as view:
        whole, members = analyze.fetch_network(view), analyze.fetch_members(view, spec)
    return analyze.health_of(whole, members, seed=seed).model_dump()


def missing_links(
    source: Source,
    org: str | None = None,
    *,
    method: str = "ra",
    top: int = 20,
    within_cluster: str | None = None,
    between: tuple[Sequence[str], Sequence[str]] = ((), ()),
    **filters: Any,
) -> Table:
    """Suggested new ties, best first: rows ``{"source", "target", "score", "reason"}``.

    ``org``: its best new partners; ``within_cluster``: pairs of that cluster's members;
    ``between``: kinds or types of the two ends, e.g. ``(["company"], ["university"])``.
    ``method``: ``ra``, ``aa`` (Adamic-Adar), ``jaccard``, ``cn`` or ``pa`` (see ``ecomap links``).
    From a store, a dismissed suggestion (``ecomap suggestions dismiss``) is never among them.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
    >>> [(s["target"], s["reason"]) for s in missing_links(G, "a", method="cn")]
    [('d', '2 shared partners: b, c')]
    """
    dismissed: frozenset[tuple[str, str]] = frozenset()  # a store's dismissed suggestions
    if isinstance(source, nx.Graph):
        network = _network(source, filters)
    else:
        with source.read_session() as view:
            network, dismissed = _network(view, filters), suggestions.dismissed_pairs(view)
    rows = links.links_of(
        network, org_id=org, method=method, top_n=top, within_cluster=within_cluster,
        from_groups=between[0], to_groups=between[1], exclude_pairs=dismissed,
    )  # fmt: skip
    return Table(rows.rows())


@dataclasses.dataclass(slots=True)
class MapView:
    """An interactive map (``html``, a page that loads nothing from the internet, and
    ``result``: what it shows): inline in Jupyter, written to a file by :meth:`save`."""

    result: maps.MapResult
    height: int = 600

    @property
    def html(self) -> str:
        return self.result.html

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'style="width: 100%; height: {self.height}px; border: 0" '
            'sandbox="allow-scripts allow-downloads" referrerpolicy="no-referrer" '
            'title="EcoMap interactive map"></iframe>'
        )

    def __repr__(self) -> str:
        r = self.result
        how = f", aggregated by {r.aggregated}" if r.aggregated else ""
        return f"<MapView: {r.organizations} organizations, {r.drawn_nodes} drawn{how}>"

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path."""
        Path(path).write_text(self.html, encoding="utf-8")
        return Path(path)


def show_map(store: GraphStore, spec: FilterSpec | None = None, **options: Any) -> MapView:
    """The interactive map of the filtered ecosystem, shown inline when it ends a cell.

    ``options`` are filters, the fields of :class:`~app.services.maps.MapOptions` (``color_by``,
    ``size_by``, ``layout``, ``max_nodes``, ``aggregate_by``, ...) and ``height`` (pixels).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp, open_store(f"{tmp}/eco.lbug") as store:
    ...     _ = load_sample(store)
    ...     view = show_map(store, cluster="cl-valmora-fashion", color_by="community")
    ...     saved = view.save(f"{tmp}/fashion.html").read_text(encoding="utf-8")
    >>> view, saved == view.html
    (<MapView: 42 organizations, 42 drawn>, True)
    >>> view._repr_html_().startswith('<iframe srcdoc="&lt;!doctype html&gt;')
    True
    """
    height = options.pop("height", 600)
    chosen = {k: options.pop(k) for k in list(options) if k in _MAP_OPTIONS}
    return MapView(maps.build_map(store, _spec(spec, options), maps.MapOptions(**chosen)), height)
