"""The history commands: ``ecomap history``, ``ecomap revert``, ``ecomap delete org|rel`` and
``ecomap confirm``.

Every change to the data is one change set (:mod:`app.services.history`): these commands
list them, undo one, delete records and confirm them as right (each a change set of its own).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from app.cli.common import (
    JsonOption,
    author_of,
    errors_to_exit_codes,
    open_cli_store,
    print_changes,
    print_json,
    stderr,
    stdout,
)
from app.results import DeleteResult, History
from app.services import editing, history
from app.services.history import CHANGES_SHOWN, HISTORY_LIMIT
from app.vocabulary import RelType

__all__ = ["confirm", "delete_app", "history_command", "revert"]

delete_app = typer.Typer(
    help="Delete organizations or relationships (recorded in the history).",
    no_args_is_help=True,
)


def history_command(
    ctx: typer.Context,
    entity: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help='An organization id (its ties included) or "SOURCE TYPE TARGET".',
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(
            "--since",
            help="From this date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM:SS, UTC) on.",
            formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option("--limit", min=1, max=HISTORY_LIMIT, help="Change sets to show."),
    ] = 20,
    as_json: JsonOption = False,
) -> None:
    """Who changed what and when: change sets, newest first."""
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        page = history.history(
            store, entity=entity, since=since.isoformat() if since else None, limit=limit
        )
    change_sets, more = page.change_sets, page.more
    if as_json:
        print_json(History(change_sets))
    else:
        for change_set in change_sets:
            stdout.print(
                f"change {change_set.id}  {change_set.at}  {change_set.author}  "
                f"({change_set.source})",
                markup=False,
                highlight=False,
            )
            print_changes(change_set.changes, shown=20, indent=2)
        if not change_sets:
            stderr.print("no change recorded", highlight=False)
    if more:
        stderr.print(f"older change sets left out (--limit {limit})", highlight=False)
    for change_id, total in page.trimmed.items():
        stderr.print(
            f"change {change_id}: its first {CHANGES_SHOWN:,} of {total:,} changes shown "
            "(export --format csv writes them all to history.jsonl)",
            highlight=False,
        )


def revert(
    ctx: typer.Context,
    change_id: Annotated[int, typer.Argument(metavar="CHANGE_ID", min=1, help="Its number.")],
    as_json: JsonOption = False,
) -> None:
    """Undo a change set by a new one, and print the new one's number.

    Refused, naming the conflicts, when later changes touched the same fields.
    """
    with errors_to_exit_codes(as_json), open_cli_store(ctx, write=True) as store:
        new_id = history.revert(store, change_id, author=author_of(ctx))
    if as_json:
        print_json({"change_id": new_id})
    elif new_id is None:
        stderr.print(f"change {change_id} changed nothing that is still there", highlight=False)
    else:
        stdout.print(str(new_id))


def confirm(
    ctx: typer.Context,
    org_ids: Annotated[
        list[str], typer.Argument(metavar="ID...", help="Organizations found to be right.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Confirm organizations as right: each is verified now, by you; nothing else changes.

    One change set, which ``ecomap revert`` undoes. ``--stale-since DATE`` lists the
    organizations not verified since a date.
    """
    with errors_to_exit_codes(as_json), open_cli_store(ctx, write=True) as store:
        confirmed = editing.confirm_organizations(
            store, org_ids, author=author_of(ctx), source="ecomap confirm"
        )
    if as_json:
        rows = [
            {"id": org.id, "verified_at": org.verified_at, "verified_by": org.verified_by}
            for org in confirmed.organizations
        ]
        print_json({"change_id": confirmed.change_id, "confirmed": rows})
        return
    first = confirmed.organizations[0]
    stderr.print(
        f"confirmed {len(confirmed.organizations)} organization(s) as verified by "
        f"{first.verified_by} at {first.verified_at} (change {confirmed.change_id})",
        markup=False,
        highlight=False,
    )


def _print_deleted(result: DeleteResult, as_json: bool) -> None:
    if as_json:
        print_json(result)
        return
    for rel in result.ties:
        stderr.print(
            f"with it: {rel.source} {rel.type.value} {rel.target}", markup=False, highlight=False
        )
    named = len(result.organizations) + len(result.relationships)
    stderr.print(
        f"deleted {named} record(s) and {len(result.ties)} tie(s) with them "
        f"(change {result.change_id})",
        highlight=False,
    )


@delete_app.command("org")
def delete_org(
    ctx: typer.Context,
    org_ids: Annotated[list[str], typer.Argument(metavar="ID...", help="Organizations to delete.")],
    as_json: JsonOption = False,
) -> None:
    """Delete organizations and every relationship they have (listed), as one change."""
    with errors_to_exit_codes(as_json), open_cli_store(ctx, write=True) as store:
        deleted = editing.delete_organizations(
            store, org_ids, author=author_of(ctx), source="ecomap delete org"
        )
    _print_deleted(DeleteResult.of(deleted), as_json)


@delete_app.command("rel")
def delete_rel(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="SOURCE")],
    rel_type: Annotated[str, typer.Argument(metavar="TYPE", help="e.g. SUPPLIES.")],
    target: Annotated[str, typer.Argument(metavar="TARGET")],
    as_json: JsonOption = False,
) -> None:
    """Delete one relationship (a symmetric one in either direction)."""
    if rel_type.upper() not in RelType.__members__:
        raise typer.BadParameter(f"use {', '.join(RelType.__members__)}", param_hint="TYPE")
    with errors_to_exit_codes(as_json), open_cli_store(ctx, write=True) as store:
        deleted = editing.delete_relationship(
            store,
            (source, rel_type.upper(), target),
            author=author_of(ctx),
            source="ecomap delete rel",
        )
    _print_deleted(DeleteResult.of(deleted), as_json)
