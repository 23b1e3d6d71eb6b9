"""The ``ecomap`` application: its global options and its commands, in help order.

Each command lives with its group (:mod:`app.cli.data`, :mod:`app.cli.explore`,
:mod:`app.cli.analyze`, :mod:`app.cli.suggestions`, :mod:`app.cli.maps`, :mod:`app.cli.report`,
:mod:`app.cli.views`, :mod:`app.cli.history`, :mod:`app.cli.serve`, :mod:`app.cli.users`); this
module only assembles them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.markup import escape

from app.cli.analyze import analyze_app, links
from app.cli.common import stderr
from app.cli.data import export, generate, import_command, stats
from app.cli.explore import ego, orgs, path
from app.cli.history import confirm, delete_app, history_command, revert
from app.cli.maps import demo, map_command
from app.cli.report import report_command
from app.cli.serve import serve
from app.cli.suggestions import suggestions_app
from app.cli.users import users_app
from app.cli.views import views_app
from app.settings import Settings

__all__ = ["app", "main"]

app = typer.Typer(
    name="ecomap",
    rich_markup_mode=None,
    help="Map, filter and analyse business-cluster ecosystems.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="ECOMAP_DB",
            help="Embedded database path (default: ./ecomap.lbug).",
            show_default=False,
        ),
    ] = None,
) -> None:
    try:
        ctx.obj = Settings(db=db) if db else Settings()
    except ValidationError as exc:
        stderr.print(f"[red]error:[/] invalid settings: {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None


app.command("import")(import_command)
app.command()(stats)
app.command()(orgs)
app.command()(ego)
app.command()(path)
app.command()(export)
app.command()(generate)
app.add_typer(analyze_app, name="analyze")
app.command()(links)
app.add_typer(suggestions_app, name="suggestions")
app.command()(demo)
app.command("map")(map_command)
app.command("report")(report_command)
app.add_typer(views_app, name="views")
app.add_typer(delete_app, name="delete")
app.command("history")(history_command)
app.command()(revert)
app.command()(confirm)
app.command()(serve)
app.add_typer(users_app, name="users")


def main() -> None:
    """Console-script entry point."""
    app()
