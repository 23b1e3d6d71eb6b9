"""``ecomap views list|show|delete``: the saved views (:mod:`app.services.views`), which people
save from the explorer (``POST /api/views``).

Whoever runs these commands on the database is its admin (as for ``ecomap users``): they see
every view, private ones too, and may delete any. ``ecomap map --view NAME`` draws a view: a
command that takes ``--view`` reads it with :func:`view_and_filters` (as :func:`cli_person`).
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
    print_hint,
    print_json,
    stderr,
    stdout,
    terminal_safe,
)
from app.filters import FilterSpec
from app.services import views
from app.services.hints import filter_hints
from app.services.people import Person
from app.services.view_options import View
from app.store.base import GraphStore

__all__ = ["cli_person", "describe_filters", "view_and_filters", "views_app"]

views_app = typer.Typer(
    help="Saved views: named filters and map options, saved from the explorer.",
    no_args_is_help=True,
)

NameArgument = Annotated[str, typer.Argument(metavar="NAME", help="The view's name.")]


def cli_person(ctx: typer.Context) -> Person:
    """Who the CLI acts as on saved views: an admin named ``ECOMAP_AUTHOR`` (else the login
    name), who sees every view."""
    return Person(name=author_of(ctx), role="admin", signed_in=True)


def view_and_filters(
    ctx: typer.Context, store: GraphStore, name: str, spec: FilterSpec
) -> tuple[View, FilterSpec]:
    """The saved view ``name`` (``NotFoundError`` if there is none) and the filters a command
    given ``--view NAME`` and FILTERS uses: the view's, each replaced by the filter of the
    same name given (:func:`app.services.views.combine`). Prints the hints of those filters
    (values that match nothing) and a note when the view pins positions, which maps do not
    take yet. Open the store without the command's FILTERS hints (``ctx.meta[SPEC_KEY] =
    None``): the view's filters are only known here."""
    view = views.resolve(store, name, cli_person(ctx))
    spec = views.combine(view.filters, spec)
    if view.pinned:
        stderr.print(
            f"note: the view pins {view.pinned:,} position(s); maps do not take pinned "
            "positions yet, so this one is laid out afresh",
            highlight=False,
        )
    with store.read_session() as reader:
        for hint in filter_hints(reader, spec):
            print_hint(hint)
    return view, spec


def describe_filters(spec: FilterSpec) -> str:
    """The filters a spec sets, as CLI options (``--kind company --cluster cl-x``); ``-``
    when it sets none."""
    values = spec.model_dump(mode="json")
    words = []
    for field, parameter in FilterSpec.parameters().items():
        value = values[field]
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                words.append(f"--{parameter.replace('_', '-')} {item}")
    return " ".join(words) or "-"


@views_app.command("list")
def list_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List every saved view, by name: owner, shared, filters, options, when last saved."""
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        found = views.visible(store, cli_person(ctx))
    if as_json:
        print_json([view.model_dump(mode="json") for view in found])
        return
    if not found:
        stderr.print("no saved views: save one from the explorer ('ecomap serve')")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("name", "owner", "shared", "filters", "colour", "size", "layout", "saved"):
        table.add_column(column)
    for view in found:  # escaped before the table measures its columns
        options = view.options
        cells = (
            view.name,
            view.owner,
            "yes" if view.shared else "no",
            describe_filters(view.filters),
            options.color_by,
            options.size_by,
            options.layout,
            view.updated_at,
        )
        table.add_row(*map(terminal_safe, cells))
    stdout.print(table, markup=False)


def _print_view(view: View) -> None:
    options = view.options
    rows = (
        ("name", view.name),
        ("owner", view.owner),
        ("shared", "yes" if view.shared else "no"),
        ("filters", describe_filters(view.filters)),
        ("colour by", options.color_by),
        ("size by", options.size_by),
        ("layout", options.layout),
        ("node limit", f"{options.max_nodes:,}"),
        ("drilled into", " > ".join(options.drill) or "-"),
        ("selection", options.selection or "-"),
        ("tab", options.tab),
        ("pinned positions", f"{view.pinned:,}"),
        ("saved", f"{view.created_at}, last {view.updated_at}"),
        ("explorer link", view.link),
    )
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for label, value in rows:
        table.add_row(label, terminal_safe(value))
    stdout.print(table, markup=False)


@views_app.command("show")
def show(ctx: typer.Context, name: NameArgument, as_json: JsonOption = False) -> None:
    """Show one view: its filters, options, pinned positions and explorer link (add the
    link to the server's address, e.g. http://127.0.0.1:8000/?cluster=...)."""
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        view = views.resolve(store, name, cli_person(ctx))
    if as_json:
        print_json(view)
        return
    _print_view(view)


@views_app.command("delete")
def delete(ctx: typer.Context, name: NameArgument, as_json: JsonOption = False) -> None:
    """Delete a view (anyone's: whoever runs the CLI is the database's admin)."""
    with errors_to_exit_codes(as_json), open_cli_store(ctx, write=True) as store:
        view = views.delete(store, name, cli_person(ctx))
    if as_json:
        print_json(view)
        return
    stderr.print(Text(f"deleted the view {view.name} ({view.owner}'s)"), highlight=False)
