"""Export a store's contents, all or those matching a FilterSpec, as GraphML, GEXF,
node-link JSON or the canonical CSV pair.

JSON and CSV exports import back into EcoMap unchanged (the round trip is tested), filtered
ones included: they carry the clusters their organizations are members of.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from app.fields import LIST_SEPARATOR
from app.filters import FilterSpec
from app.ingest.spreadsheet import escape_formula
from app.services.history import HISTORY_FILE, write_history_file
from app.services.output import atomic_open, ensure_folder, write_text_atomically
from app.store.base import GraphData, GraphStore
from app.store.graph import build_graph
from app.vocabulary import (
    ORGANIZATION_COLUMNS,
    RELATIONSHIP_COLUMNS,
    VERIFICATION_PROPERTIES,
    RelType,
)

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_ORGANIZATION_COLUMNS",
    "ExportFormat",
    "ExportSelection",
    "export_data",
    "write_export",
]

ExportFormat = Literal["graphml", "gexf", "json", "csv"]
EXPORT_FORMATS: tuple[str, ...] = ("graphml", "gexf", "json", "csv")
#: The columns of an exported ``organizations.csv``: the canonical ones, then where each
#: record came from and when and by whom it was last verified (an import keeps those).
EXPORT_ORGANIZATION_COLUMNS: tuple[str, ...] = (
    *ORGANIZATION_COLUMNS,
    "source",
    *VERIFICATION_PROPERTIES,
)


@dataclass(slots=True)
class ExportSelection:
    """The rows to export; ``truncated`` when more organizations matched than the node cap
    ``limit`` (``None`` when no cap applied: nothing filtered the organizations)."""

    data: GraphData
    truncated: bool = False
    limit: int | None = None
    #: Everything the store holds (no filter): a CSV export then carries the history too.
    whole: bool = False


def export_data(store: GraphStore, spec: FilterSpec | None = None) -> ExportSelection:
    """The organizations and relationships of ``store`` to export, all or those of ``spec``.

    With an empty ``spec`` this is ``store.export()``. Otherwise:

    - the organizations that match ``spec``, selected as every other command selects them
      (``store.subgraph``, so at most ``spec.limit`` or the store's node cap, the first by
      id; clusters included when they match, as ``ecomap orgs`` lists them);
    - the relationships among them, only of ``spec.rel_types`` when given;
    - so that the export is self-contained and imports back, every Cluster those
      organizations are members of and their MEMBER_OF relationships to it, whatever
      ``spec.rel_types`` (membership belongs to an organization's description, as the
      ``clusters`` attribute of every filtered graph).

    Rows are ``store.export()``'s own, in its order: every property (``updated_at``
    included), lists as lists, ``None`` for missing values. A filter on relationship
    types alone keeps every organization and applies no cap.
    """
    spec = spec or FilterSpec()
    everything = store.export()
    if spec.is_empty() and spec.limit is None:
        return ExportSelection(everything, whole=True)
    by_organizations = spec.model_copy(update={"rel_types": []})
    if by_organizations.is_empty() and spec.limit is None:
        selected = {row["id"] for row in everything.organizations}
        truncated, limit = False, None
    else:
        subgraph = store.subgraph(spec, include_clusters=True)
        selected = set(subgraph.graph.nodes)
        truncated, limit = subgraph.truncated, subgraph.limit
    types = {t.value for t in spec.rel_types}
    member_of = RelType.MEMBER_OF.value
    relationships = [
        row
        for row in everything.relationships
        if row["source"] in selected
        and (
            row["type"] == member_of
            or (row["target"] in selected and (not types or row["type"] in types))
        )
    ]
    kept = selected | {row["target"] for row in relationships if row["type"] == member_of}
    organizations = [row for row in everything.organizations if row["id"] in kept]
    return ExportSelection(GraphData(organizations, relationships), truncated, limit)


def write_export(
    data: GraphData, fmt: ExportFormat, path: Path, *, history: GraphStore | None = None
) -> list[Path]:
    """Write ``data`` in format ``fmt``; return the files written.

    For ``csv`` the path is a directory that receives ``organizations.csv`` and
    ``relationships.csv``, and with ``history`` (the store of a whole export) that store's
    change sets as ``history.jsonl`` (:data:`app.services.history.HISTORY_FILE`), which an
    import of the folder into an empty database restores; for the other formats it is the
    file to write. Each file is written whole or not at all; a failure is raised as
    :class:`~app.services.output.OutputError` naming the file.
    """
    if fmt == "csv":
        ensure_folder(path)
        orgs, rels = path / "organizations.csv", path / "relationships.csv"
        _write_csv(orgs, EXPORT_ORGANIZATION_COLUMNS, data.organizations)
        _write_csv(rels, RELATIONSHIP_COLUMNS, data.relationships)
        written = [orgs, rels]
        if history is not None and write_history_file(history, path / HISTORY_FILE):
            written.append(path / HISTORY_FILE)
        return written
    if fmt == "json":
        document = {
            "directed": True,
            "multigraph": True,
            "graph": {"generator": "ecomap"},
            "nodes": [_without_nulls(row) for row in data.organizations],
            "links": [_without_nulls(row) for row in data.relationships],
        }
        write_text_atomically(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
        return [path]
    graph = _flat_graph(data)
    if fmt == "graphml":
        # GraphML edge ids must be unique in the document: source|TYPE|target is.
        for source, target, attrs in graph.edges(data=True):
            attrs["id"] = f"{source}|{attrs['type']}|{target}"
        with atomic_open(path, "wb") as handle:
            nx.write_graphml(graph, handle, edge_id_from_attribute="id")
    else:
        # GEXF reserves the edge attribute "type" (directed|undirected|mutual).
        for _, _, attrs in graph.edges(data=True):
            attrs["relationship"] = attrs.pop("type")
        with atomic_open(path, "wb") as handle:
            nx.write_gexf(graph, handle)
    return [path]


def _cell(value: Any) -> str:
    """A CSV cell: text that a spreadsheet would run as a formula is escaped
    (:mod:`app.ingest.spreadsheet`; the CSV reader takes the escape off again)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return escape_formula(LIST_SEPARATOR.join(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    if isinstance(value, str):
        return escape_formula(value)
    return str(value)


def _write_csv(path: Path, columns: Iterable[str], rows: Iterable[Mapping[str, Any]]) -> None:
    columns = list(columns)
    with atomic_open(path, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)


def _without_nulls(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def _flat_graph(data: GraphData) -> nx.MultiDiGraph:
    """GraphML and GEXF take scalar attributes only: lists become ``|``-joined text."""
    graph = build_graph(data.organizations, data.relationships, include_clusters=True)
    for _, attrs in graph.nodes(data=True):
        for key in list(attrs):
            value = attrs[key]
            if value is None:
                del attrs[key]
            elif isinstance(value, list):
                attrs[key] = LIST_SEPARATOR.join(value)
    for _, _, attrs in graph.edges(data=True):
        for key in [k for k, v in attrs.items() if v is None]:
            del attrs[key]
    return graph
