"""``ecomap users add|list|remove``: the people who may use the map through the API.

Whoever runs these commands on the database manages its people (an admin's right). A token
is printed once, by ``add``; the store keeps only its digest, so a lost token is replaced by
removing the person and adding them again.
"""

from __future__ import annotations

from typing import Annotated, cast

import typer
from rich.table import Table
from rich.text import Text

from app.cli.common import (
    JsonOption,
    errors_to_exit_codes,
    open_cli_store,
    print_error,
    print_json,
    stderr,
    stdout,
)
from app.errors import ConflictError
from app.people import ROLES, Role
from app.services import people

__all__ = ["users_app"]

users_app = typer.Typer(
    help="People who use the map through the API, with their roles.", no_args_is_help=True
)

NameArgument = Annotated[str, typer.Argument(metavar="NAME", help="The person's name.")]


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: NameArgument,
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="viewer (reads), editor (writes) or admin (everything).",
            show_default=False,
        ),
    ],
    clusters: Annotated[
        list[str] | None,
        typer.Option(
            "--clusters",
            metavar="ID",
            help="An editor edits only these clusters and their members (repeatable).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Add a person and print their token, once (send it as Authorization: Bearer TOKEN)."""
    if role not in ROLES:
        raise typer.BadParameter(f"use {', '.join(ROLES)}", param_hint="--role")
    with errors_to_exit_codes(as_json), open_cli_store(ctx, write=True) as store:
        try:
            user, token = people.add_user(store, name, cast(Role, role), clusters or ())
        except ConflictError as exc:
            print_error(exc)
            raise typer.Exit(2) from None
    if as_json:
        print_json(people.NewUser(name=user.name, role=user.role, token=token))
        return
    scope = f", clusters {', '.join(user.clusters)}" if user.clusters else ""
    stderr.print(
        Text(f"added {user.name} ({user.role}{scope}); their token, shown this once:"),
        highlight=False,
    )
    stdout.print(token, markup=False, highlight=False)


@users_app.command("list")
def list_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the people: name, role, clusters, when added (never their tokens)."""
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        found = people.list_users(store)
    if as_json:
        print_json([user.model_dump(mode="json") for user in found])
        return
    if not found:
        stderr.print("no people yet: add one with 'ecomap users add NAME --role ROLE'")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("name", "role", "clusters", "added"):
        table.add_column(column)
    for user in found:
        table.add_row(user.name, user.role, " ".join(user.clusters), user.created_at)
    stdout.print(table, markup=False)


@users_app.command("remove")
def remove(ctx: typer.Context, name: NameArgument) -> None:
    """Remove a person: their token stops working at once."""
    with errors_to_exit_codes(), open_cli_store(ctx, write=True) as store:
        people.remove_user(store, name)
    stderr.print(Text(f"removed {name}"), highlight=False)
