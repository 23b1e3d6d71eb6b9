"""The analysis commands: ``ecomap analyze centrality|communities|brokerage|health`` and
``ecomap links``. Each prints the typed answer of its service function (:mod:`app.results`):
as tables and short summaries, or with ``--json`` as that answer's JSON."""

from __future__ import annotations

from typing import Annotated, get_args

import typer
from rich.table import Table

from app.cli.common import (
    JsonOption,
    analysis_bounds,
    errors_to_exit_codes,
    open_cli_store,
    print_hint,
    print_json,
    seed_option,
    stderr,
    stdout,
)
from app.cli.filters import with_filters
from app.cli.readable import print_readable
from app.filters import FilterSpec
from app.services.analyze import (
    GROUPINGS,
    SAMPLE_ABOVE,
    SAMPLED_SOURCES,
    brokerage_of,
    centrality_of,
    communities_of,
    fetch_members,
    fetch_network,
    health_of,
)
from app.services.links import links_of
from app.services.suggestions import dismissed_pairs
from graph_analytics import LINK_METHODS, METRICS, ROLES
from graph_analytics.communities import Algorithm

__all__ = ["analyze_app", "links"]

#: Communities listed in the table (``--json`` lists every one).
_SHOWN_COMMUNITIES = 20

analyze_app = typer.Typer(
    help="Analyses of the (filtered) organization network.", no_args_is_help=True
)


@analyze_app.command("centrality")
@with_filters
def analyze_centrality(
    ctx: typer.Context,
    spec: FilterSpec,
    metric: Annotated[
        list[str] | None,
        typer.Option(
            "--metric", help=f"{'|'.join(METRICS)} (repeatable; default all).", show_default=False
        ),
    ] = None,
    top_n: Annotated[int, typer.Option("--top", min=1, help="Organizations per metric.")] = 10,
    k: Annotated[
        int | None,
        typer.Option(
            "--k",
            min=2,
            help=f"Betweenness from K sampled sources (default: exact up to {SAMPLE_ABOVE:,} "
            f"organizations, {SAMPLED_SOURCES} above).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[int, seed_option("Seed of the betweenness sample")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Central actors: degree, betweenness, closeness, harmonic, eigenvector, PageRank."""
    metrics = metric or list(METRICS)
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise typer.BadParameter(f"use {', '.join(METRICS)}", param_hint="--metric")
    with (
        errors_to_exit_codes(as_json),
        open_cli_store(ctx) as store,
        analysis_bounds(ctx) as budget,
    ):
        network = fetch_network(store, spec)
        report, notes = centrality_of(
            network, metrics=metrics, top_n=top_n, k=k, seed=seed, budget=budget
        )
    if notes.truncated:
        stderr.print("[yellow]the filtered graph was cut at the node cap[/]")
    if notes.betweenness_sampled_sources:
        stderr.print(
            f"betweenness estimated from {notes.betweenness_sampled_sources} sampled sources "
            f"(seed {seed})",
            highlight=False,
        )
    if as_json:
        print_json(report)
        return
    for name, rows in report.root.items():
        table = Table(title=name, box=None, pad_edge=False, title_justify="left")
        for column in ("rank", "id", "name", "score"):
            table.add_column(column, justify="right" if column in ("rank", "score") else "left")
        for rank, row in enumerate(rows, start=1):
            table.add_row(str(rank), str(row.id), row.name, f"{row.score:.4f}")
        stdout.print(table, markup=False)


@analyze_app.command("communities")
@with_filters
def analyze_communities(
    ctx: typer.Context,
    spec: FilterSpec,
    algorithm: Annotated[
        str,
        typer.Option("--algorithm", help="leiden|louvain|label_propagation."),
    ] = "leiden",
    resolution: Annotated[
        float, typer.Option("--resolution", min=0.0, help="Higher: more, smaller communities.")
    ] = 1.0,
    seed: Annotated[int, seed_option("Seed: same seed, same communities")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Communities of organizations that work together, against the declared clusters."""
    if algorithm not in get_args(Algorithm):
        raise typer.BadParameter(
            "use leiden, louvain or label_propagation", param_hint="--algorithm"
        )
    chosen: Algorithm = algorithm  # type: ignore[assignment]
    with (
        errors_to_exit_codes(as_json),
        open_cli_store(ctx) as store,
        analysis_bounds(ctx),
    ):
        report = communities_of(
            fetch_network(store, spec),
            algorithm=chosen,
            resolution=resolution,
            seed=seed,
        )
    if as_json:
        print_json(report)
        return
    agreement = report.agreement
    modularity_text = "n/a" if report.modularity is None else f"{report.modularity:.4f}"
    agreement_text = (
        "n/a (no organization has a cluster)"
        if agreement is None
        else f"NMI {agreement.nmi:.3f}, ARI {agreement.ari:.3f}"
    )
    stdout.print(
        f"{report.communities} communities ({algorithm}, resolution {resolution}, seed {seed}); "
        f"modularity {modularity_text}; agreement with declared clusters: {agreement_text}",
        markup=False,
    )
    groups = Table(box=None, pad_edge=False)
    for column in ("community", "size", "best-connected members", "declared clusters"):
        groups.add_column(column, justify="right" if column == "size" else "left")
    for group in report.groups[:_SHOWN_COMMUNITIES]:
        clusters = ", ".join(f"{c}: {n}" for c, n in list(group.clusters.items())[:3])
        groups.add_row(str(group.community), str(group.size), ", ".join(group.top), clusters)
    stdout.print(groups, markup=False)
    if len(report.groups) > _SHOWN_COMMUNITIES:
        left = len(report.groups) - _SHOWN_COMMUNITIES
        stdout.print(f"... and {left:,} smaller communities (--json lists every one)")
    if report.cluster_split:
        table = Table(box=None, pad_edge=False)
        table.add_column("declared cluster")
        table.add_column("members by detected community (community: count)")
        for cluster, split in report.cluster_split.items():
            table.add_row(cluster, ", ".join(f"{c}: {n}" for c, n in split.items()))
        stdout.print(table, markup=False)


@analyze_app.command("brokerage")
@with_filters
def analyze_brokerage(
    ctx: typer.Context,
    spec: FilterSpec,
    group_by: Annotated[
        str, typer.Option("--group-by", help=f"Groups of the roles: {'|'.join(GROUPINGS)}.")
    ] = "clusters",
    top_n: Annotated[int, typer.Option("--top", min=1, help="Organizations to show.")] = 20,
    seed: Annotated[int, seed_option("Seed of the communities (--group-by community)")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Brokers: brokerage roles between groups and Burt's structural holes."""
    if group_by not in GROUPINGS:
        raise typer.BadParameter(f"use {', '.join(GROUPINGS)}", param_hint="--group-by")
    with (
        errors_to_exit_codes(as_json),
        open_cli_store(ctx) as store,
        analysis_bounds(ctx),
    ):
        report = brokerage_of(fetch_network(store, spec), group_by=group_by, top_n=top_n, seed=seed)
    if as_json:
        print_json(report)
        return
    if report.groups < 2:
        print_hint(
            f"the organizations fall in {report.groups} group(s) by {group_by}: nobody brokers "
            "between groups (try --group-by community)"
        )
    columns = ("id", "name", *ROLES, "total", "effective_size", "constraint")
    table = Table(box=None, pad_edge=False, title=f"brokerage between {group_by}")
    for column in columns:
        table.add_column(column, justify="left" if column in ("id", "name") else "right")
    for broker in report.organizations:
        row = broker.model_dump()
        cells = [row[c] for c in columns]
        table.add_row(
            *(f"{c:.2f}" if isinstance(c, float) else "" if c is None else str(c) for c in cells)
        )
    stdout.print(table, markup=False)


@analyze_app.command("health")
@with_filters
def analyze_health(
    ctx: typer.Context,
    spec: FilterSpec,
    seed: Annotated[int, seed_option("Seed, where estimates are sampled")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Health of a cluster (--cluster ID) or of any filtered set, within the whole network."""
    with (
        errors_to_exit_codes(as_json),
        open_cli_store(ctx) as store,
        analysis_bounds(ctx),
        store.read_session() as view,
    ):
        report = health_of(fetch_network(view), fetch_members(view, spec), seed=seed)
    if as_json:
        print_json(report)
        return
    print_readable(report.model_dump())


@with_filters
def links(
    ctx: typer.Context,
    spec: FilterSpec,
    org_id: Annotated[
        str | None,
        typer.Option("--org", help="Best new partners of this organization.", show_default=False),
    ] = None,
    method: Annotated[str, typer.Option("--method", help="ra|aa|jaccard|cn|pa.")] = "ra",
    top_n: Annotated[int, typer.Option("--top", min=1, help="Suggestions to show.")] = 20,
    within_cluster: Annotated[
        str | None,
        typer.Option(
            "--within-cluster",
            help="Only pairs of this cluster's members, scored in the whole filtered network.",
            show_default=False,
        ),
    ] = None,
    from_groups: Annotated[
        list[str] | None,
        typer.Option(
            "--from",
            help="One end of each pair has this kind or type (repeatable), e.g. company.",
            show_default=False,
        ),
    ] = None,
    to_groups: Annotated[
        list[str] | None,
        typer.Option(
            "--to",
            help="The other end has this kind or type (repeatable), e.g. university.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Missing links: organizations that should know each other, with the reason why.

    A suggestion dismissed with 'ecomap suggestions dismiss' is never shown again.
    """
    if method not in LINK_METHODS:
        raise typer.BadParameter(f"use {', '.join(LINK_METHODS)}", param_hint="--method")
    with (
        errors_to_exit_codes(as_json),
        open_cli_store(ctx) as store,
        analysis_bounds(ctx),
    ):
        with store.read_session() as view:
            network, dismissed = fetch_network(view, spec), dismissed_pairs(view)
        suggestions = links_of(
            network,
            org_id=org_id,
            method=method,
            top_n=top_n,
            within_cluster=within_cluster,
            from_groups=from_groups or (),
            to_groups=to_groups or (),
            exclude_pairs=dismissed,
        )
    if not suggestions.root:
        degree = network.graph.degree(org_id) if org_id in network.graph else None
        if degree == 0:
            print_hint(
                f"{org_id} has no ties in the filtered network: no partner of a partner to "
                "suggest (--method pa ranks partners by their ties alone)"
            )
        else:
            print_hint("no pair to suggest in the filtered network (try --method pa)")
    if as_json:
        print_json(suggestions)
        return
    table = Table(box=None, pad_edge=False)
    for column in ("source", "target", "score", "reason"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for s in suggestions.root:
        ends = [
            _end(s.source, s.source_name, s.source_kind, s.source_country),
            _end(s.target, s.target_name, s.target_kind, s.target_country),
        ]
        table.add_row(*ends, f"{s.score:.3f}", s.reason)
    stdout.print(table, markup=False)


def _end(org_id: object, name: str | None, kind: str | None, country: str | None) -> str:
    """One end of a suggestion: its name, kind and country, then its id."""
    about = ", ".join(part for part in (kind, country) if part)
    return f"{name or org_id}{f' ({about})' if about else ''}\n{org_id}"
