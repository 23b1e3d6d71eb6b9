"""Export a store's contents as GraphML, GEXF, node-link JSON or the canonical CSV pair.

JSON and CSV exports import back into EcoMap unchanged (the round trip is tested).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from app.domain import LIST_SEPARATOR
from app.store.base import GraphData
from app.store.graph import build_graph
from app.vocabulary import ORGANIZATION_COLUMNS, RELATIONSHIP_COLUMNS

__all__ = ["EXPORT_FORMATS", "ExportFormat", "write_export"]

ExportFormat = Literal["graphml", "gexf", "json", "csv"]
EXPORT_FORMATS: tuple[str, ...] = ("graphml", "gexf", "json", "csv")


def write_export(data: GraphData, fmt: ExportFormat, path: Path) -> list[Path]:
    """Write ``data`` in format ``fmt``; return the files written.

    For ``csv`` the path is a directory that receives ``organizations.csv`` and
    ``relationships.csv``; for the other formats it is the file to write.
    """
    if fmt == "csv":
        path.mkdir(parents=True, exist_ok=True)
        orgs, rels = path / "organizations.csv", path / "relationships.csv"
        _write_csv(orgs, (*ORGANIZATION_COLUMNS, "source"), data.organizations)
        _write_csv(rels, RELATIONSHIP_COLUMNS, data.relationships)
        return [orgs, rels]
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        document = {
            "directed": True,
            "multigraph": True,
            "graph": {"generator": "ecomap"},
            "nodes": [_without_nulls(row) for row in data.organizations],
            "links": [_without_nulls(row) for row in data.relationships],
        }
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", "utf-8")
        return [path]
    graph = _flat_graph(data)
    if fmt == "graphml":
        # GraphML edge ids must be unique in the document: source|TYPE|target is.
        for source, target, attrs in graph.edges(data=True):
            attrs["id"] = f"{source}|{attrs['type']}|{target}"
        nx.write_graphml(graph, path, edge_id_from_attribute="id")
    else:
        # GEXF reserves the edge attribute "type" (directed|undirected|mutual).
        for _, _, attrs in graph.edges(data=True):
            attrs["relationship"] = attrs.pop("type")
        nx.write_gexf(graph, path)
    return [path]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def _write_csv(path: Path, columns: Iterable[str], rows: Iterable[Mapping[str, Any]]) -> None:
    columns = list(columns)
    with path.open("w", encoding="utf-8", newline="") as handle:
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
