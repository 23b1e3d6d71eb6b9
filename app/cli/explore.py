"""The exploration commands: ``ecomap orgs``, ``ego`` and ``path``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from app.cli.common import (
    JsonOption,
    errors_to_exit_codes,
    open_cli_store,
    print_json,
    stderr,
    stdout,
)
from app.cli.filters import with_filters
from app.filters import FilterSpec
from app.services import explore
from app.vocabulary import RelType

__all__ = ["ego", "orgs", "path"]


@with_filters
def orgs(
    ctx: typer.Context,
    spec: FilterSpec,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many matches.")] = 0,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000, help="Rows to show.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List the organizations that match the filters, sorted by id."""
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        page = explore.list_organizations(store, spec, offset=offset, limit=limit)
    if as_json:
        print_json(explore.page_answer(page))
        return
    table = Table(box=None, pad_edge=False)
    for column in ("id", "name", "kind", "type", "city", "country", "employees"):
        table.add_column(column, justify="right" if column == "employees" else "left")
    for org in page.items:
        cells = (org.id, org.name, org.kind.value, org.type, org.city, org.country, org.employees)
        table.add_row(*("" if c is None else str(c) for c in cells))
    stdout.print(table, markup=False)
    shown = f"{offset + 1}-{offset + len(page.items)} of {page.total:,}" if page.items else "none"
    more = f"; more with --offset {offset + limit}" if page.has_more else ""
    stderr.print(f"rows {shown}{more}", highlight=False)


RelTypeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rel-type", help="Walk only these relationship types (repeatable).", show_default=False
    ),
]
ClustersOption = Annotated[
    bool,
    typer.Option("--include-clusters", help="Walk through Cluster nodes and show them."),
]


def _rel_types(values: list[str] | None) -> list[RelType]:
    try:
        return [RelType(v.strip().upper()) for v in values or ()]
    except ValueError:
        allowed = ", ".join(t.value for t in RelType)
        raise typer.BadParameter(f"use {allowed}", param_hint="--rel-type") from None


def ego(
    ctx: typer.Context,
    org_id: Annotated[str, typer.Argument(metavar="ID", help="The organization in the middle.")],
    hops: Annotated[int, typer.Option("--hops", min=1, max=3, help="Steps out (1-3).")] = 1,
    rel_types: RelTypeOption = None,
    include_clusters: ClustersOption = False,
    as_json: JsonOption = False,
) -> None:
    """Show an organization's ego network: everyone within --hops relationships."""
    types = _rel_types(rel_types)
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        result = explore.ego_network(
            store, org_id, hops=hops, rel_types=types, include_clusters=include_clusters
        )
    if as_json:
        print_json(explore.ego_answer(result, center=org_id, hops=hops))
        return
    graph = result.graph
    table = Table(box=None, pad_edge=False)
    for column in ("distance", "id", "name", "kind", "type"):
        table.add_column(column)
    ranked = sorted(graph.nodes(data=True), key=lambda item: (item[1]["distance"], item[0]))
    for node, attrs in ranked:
        cells = (attrs["distance"], node, attrs.get("name"), attrs.get("kind"), attrs.get("type"))
        table.add_row(*("" if c is None else str(c) for c in cells))
    stdout.print(table, markup=False)
    cut = f" (cut at {result.limit} organizations)" if result.truncated else ""
    stderr.print(
        f"{len(graph) - 1} organizations within {hops} step(s) of {org_id}, "
        f"{graph.number_of_edges()} relationships among them{cut}",
        highlight=False,
        markup=False,
    )


def path(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="A", help="One organization id.")],
    target: Annotated[str, typer.Argument(metavar="B", help="The other organization id.")],
    max_length: Annotated[
        int, typer.Option("--max-length", min=1, max=10, help="Longest path to look for.")
    ] = 6,
    rel_types: RelTypeOption = None,
    include_clusters: ClustersOption = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000, help="Paths to show.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Show every shortest path between two organizations."""
    types = _rel_types(rel_types)
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        result = explore.shortest_paths(
            store,
            source,
            target,
            max_length=max_length,
            rel_types=types,
            include_clusters=include_clusters,
            limit=limit,
        )
    if as_json:
        print_json(explore.paths_answer(result))
        return
    if not result.paths:
        stderr.print(f"no path of at most {max_length} steps", highlight=False)
        return
    for found in result.paths:
        stdout.print(explore.path_text(found.nodes, found.types, found.directions), markup=False)
    more = f" (the first {limit}; there are more)" if result.truncated else ""
    stderr.print(f"{len(result.paths)} shortest path(s) of length {result.length}{more}")
