"""``ecomap suggestions accept|dismiss|dismissed|restore``: act on the missing links that
``ecomap links`` suggests (:mod:`app.services.suggestions`).

``accept`` and ``dismiss`` score the pair as ``ecomap links`` would over the whole
organization network, with the method given; the score is written into the new tie's
evidence, or kept with the dismissal. Writes are recorded as ``ECOMAP_AUTHOR`` (else the
login name); an accepted tie is one change set, which ``ecomap revert`` undoes.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from app.cli.common import (
    JsonOption,
    author_of,
    errors_to_exit_codes,
    open_cli_store,
    print_error,
    print_json,
    stderr,
    stdout,
    terminal_safe,
)
from app.cli.readable import format_value
from app.errors import ConflictError
from app.services import suggestions
from app.suggestions import Dismissal
from app.vocabulary import RelType
from graph_analytics.links import LINK_METHODS

__all__ = ["suggestions_app"]

suggestions_app = typer.Typer(
    help="Accept a suggested missing link (creates the tie) or dismiss it (never suggested again).",
    no_args_is_help=True,
)

SourceArgument = Annotated[str, typer.Argument(metavar="SOURCE", help="One organization.")]
TargetArgument = Annotated[str, typer.Argument(metavar="TARGET", help="The other one.")]
MethodOption = Annotated[
    str, typer.Option("--method", help="ra|aa|jaccard|cn|pa: the method that suggested it.")
]


def _check_method(method: str) -> None:
    if method not in LINK_METHODS:
        raise typer.BadParameter(f"use {', '.join(LINK_METHODS)}", param_hint="--method")


def _said(dismissal: Dismissal, verb: str) -> Text:
    return Text(
        f"{verb} {dismissal.source} and {dismissal.target} ({dismissal.method}, score "
        f"{format_value(dismissal.score)}; dismissed by {dismissal.by} at {dismissal.at})"
    )


@suggestions_app.command("accept")
def accept(
    ctx: typer.Context,
    source: SourceArgument,
    target: TargetArgument,
    rel_type: Annotated[
        str, typer.Option("--type", help="The tie's type, e.g. SUPPLIES.")
    ] = RelType.COLLABORATES_WITH.value,
    method: MethodOption = "ra",
    as_json: JsonOption = False,
) -> None:
    """Accept a suggestion: create the tie, and print its change set's number.

    Its evidence names the suggestion (method and score) and you; 'ecomap revert' undoes it.
    Refused (exit 2) when the tie exists already or the type cannot join the two.
    """
    _check_method(method)
    if rel_type.upper() not in RelType.__members__:
        raise typer.BadParameter(f"use {', '.join(RelType.__members__)}", param_hint="--type")
    with errors_to_exit_codes(as_json), open_cli_store(ctx, write=True) as store:
        score = suggestions.pair_score(store, source, target, method=method)
        try:
            accepted = suggestions.accept(
                store,
                source,
                target,
                rel_type=RelType(rel_type.upper()),
                method=method,
                score=score,
                author=author_of(ctx),
                source_label="ecomap suggestions accept",
            )
        except ConflictError as exc:
            print_error(exc)
            raise typer.Exit(2) from None
    rel = accepted.relationship
    if as_json:
        print_json({"change_id": accepted.change_id, "relationship": rel.model_dump(mode="json")})
        return
    stderr.print(
        Text(f"accepted: {rel.source} {rel.type.value} {rel.target} ({rel.evidence})"),
        highlight=False,
    )
    stdout.print(str(accepted.change_id), markup=False, highlight=False)


@suggestions_app.command("dismiss")
def dismiss(
    ctx: typer.Context,
    source: SourceArgument,
    target: TargetArgument,
    method: MethodOption = "ra",
    as_json: JsonOption = False,
) -> None:
    """Dismiss a suggestion: the pair is never suggested again ('restore' undoes it)."""
    _check_method(method)
    with errors_to_exit_codes(as_json), open_cli_store(ctx, write=True) as store:
        score = suggestions.pair_score(store, source, target, method=method)
        dismissal = suggestions.dismiss(
            store, source, target, method=method, score=score, author=author_of(ctx)
        )
    if as_json:
        print_json(dismissal)
        return
    stderr.print(_said(dismissal, "dismissed"), highlight=False)


@suggestions_app.command("dismissed")
def dismissed(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the dismissed suggestions, newest first."""
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        found = suggestions.dismissed(store)
    if as_json:
        print_json([d.model_dump(mode="json") for d in found])
        return
    if not found:
        stderr.print("no suggestion dismissed", highlight=False)
        return
    table = Table(box=None, pad_edge=False)
    for column in ("source", "target", "method", "score", "by", "at"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for d in found:  # escaped before the table measures its columns
        cells = (d.source, d.target, d.method, format_value(d.score), d.by, d.at)
        table.add_row(*map(terminal_safe, cells))
    stdout.print(table, markup=False)


@suggestions_app.command("restore")
def restore(
    ctx: typer.Context, source: SourceArgument, target: TargetArgument, as_json: JsonOption = False
) -> None:
    """Undo a dismissal (the pair in either order): the pair may be suggested again."""
    with errors_to_exit_codes(as_json), open_cli_store(ctx, write=True) as store:
        restored = suggestions.restore(store, source, target)
    if as_json:
        print_json(restored)
        return
    stderr.print(_said(restored, "restored"), highlight=False)
