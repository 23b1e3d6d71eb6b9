"""What every CLI module shares: the two consoles, ``--json``, exit codes, opening the store.

Results go to stdout (``--json``: JSON and nothing else); messages and progress go to stderr.
Exit codes: 0 ok, 1 runtime failure, 2 invalid input or usage.
"""

from __future__ import annotations

import getpass
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from app.changes import Change
from app.cli.filters import SPEC_KEY
from app.domain import StoreCounts
from app.errors import (
    BudgetExceededError,
    EcoMapError,
    ImportValidationError,
    InvalidInputError,
    NotFoundError,
)
from app.services.analyze import SEED_MAX
from app.services.deadline import Deadline, bound
from app.services.hints import filter_hints
from app.services.importing import ImportReport
from app.services.output import OutputError
from app.settings import Settings
from app.store import GraphStore, open_store

__all__ = [
    "JsonOption",
    "TerminalConsole",
    "analysis_bounds",
    "errors_to_exit_codes",
    "open_cli_store",
    "print_counts",
    "print_error",
    "print_hint",
    "print_json",
    "print_report",
    "seed_option",
    "stderr",
    "stdout",
    "terminal_safe",
]

#: Characters a terminal may act on rather than show: C0 controls but newline and tab (ESC
#: starts ANSI sequences that recolour, move the cursor or retitle the window), DEL, the C1
#: controls (0x9B is a one-byte CSI) and the bidirectional overrides that reorder text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    r"""``text`` with every control character written out as an escape.

    Examples
    --------
    >>> terminal_safe("Turin\x1b[2J")
    'Turin\\x1b[2J'
    """
    return _UNSAFE.sub(_visible, text)


#: What JSON leaves raw that a terminal may act on (it escapes C0 itself).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def print_json(value: object) -> None:
    """``value`` as indented JSON on stdout, the ``--json`` output of every command: text as
    it is (not ASCII-escaped), but every character a terminal may act on as a ``\\u``
    escape, so the same data prints safely. A model (:mod:`app.results`) prints as its JSON
    mode dump, a number that does not exist (NaN) as ``null``."""
    if isinstance(value, BaseModel):
        text = value.model_dump_json(indent=2)
    else:
        text = json.dumps(value, indent=2, ensure_ascii=False)
    print(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


class TerminalConsole(Console):
    """A rich console that never sends a control character of the data it prints: names,
    cities and messages are the user's data (stored from any file), and only the console's
    own styling may reach the terminal as escape sequences."""

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            text = segment.text
            if segment.control is None and _UNSAFE.search(text):
                yield Segment(terminal_safe(text), segment.style)
            else:
                yield segment


stderr = TerminalConsole(stderr=True, soft_wrap=True)
# Piped output keeps whole rows: a terminal's width only applies to a terminal.
stdout = TerminalConsole(
    highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout, nothing else.")]


def seed_option(purpose: str) -> Any:
    """The ``--seed`` option of a command, over the range the API takes too (``SEED_MAX``)."""
    return typer.Option("--seed", min=0, max=SEED_MAX, help=f"{purpose} (0 to 2^32-1).")


def print_error(message: object) -> None:
    """``error: MESSAGE`` on stderr, on one line; the message is never read as rich markup
    (it may hold ids, names and paths the user typed)."""
    text = " ".join(line.strip() for line in str(message).splitlines() if line.strip())
    stderr.print(Text.assemble(("error:", "red"), " ", text), highlight=False)


def print_hint(message: object) -> None:
    """``hint: MESSAGE`` on stderr, on one line: an answer is valid but probably not what
    was meant (an empty selection, a grouping that groups nothing). Never read as markup."""
    text = " ".join(line.strip() for line in str(message).splitlines() if line.strip())
    stderr.print(Text.assemble(("hint:", "yellow"), " ", text), highlight=False)


def _os_error_message(exc: OSError) -> str:
    if isinstance(exc, OutputError) or not exc.filename:
        return str(exc) or type(exc).__name__
    return f"{exc.filename}: {exc.strerror or exc}"


@contextmanager
def errors_to_exit_codes(as_json: bool = False) -> Iterator[None]:
    """Turn EcoMap's errors into messages on stderr and exit codes, never a traceback.

    Invalid input (an import's problems, an unknown id, a value that breaks a rule, a
    request over a work budget): exit 2. Runtime failures, one line ``error: ...`` and exit
    1: any other :class:`~app.errors.EcoMapError` (the store failed, timed out or is busy) and any
    ``OSError`` (an output that cannot be written, a full disk).
    Every command that touches the store or the file system runs inside it.
    """
    try:
        yield
    except ImportValidationError as exc:
        if as_json:
            print_json({"ok": False, "problems": [str(p) for p in exc.problems]})
        for problem in exc.problems:
            stderr.print(str(problem), markup=False, highlight=False)
        stderr.print(f"[red]{len(exc.problems)} problem(s); nothing was imported.[/]")
        raise typer.Exit(2) from None
    except (NotFoundError, InvalidInputError, BudgetExceededError) as exc:
        print_error(exc)
        raise typer.Exit(2) from None
    except EcoMapError as exc:
        print_error(exc)
        raise typer.Exit(1) from None
    except OSError as exc:
        print_error(_os_error_message(exc))
        raise typer.Exit(1) from None


@contextmanager
def analysis_bounds(ctx: typer.Context) -> Iterator[int | None]:
    """Bound an analysis as the API bounds it: it stops after ``ECOMAP_QUERY_TIMEOUT_S``
    (checked between its phases: exit 1) and refuses work over ``ECOMAP_ANALYSIS_BUDGET``
    (exit 2); yields the budget to pass to the service."""
    settings: Settings = ctx.obj
    with bound(Deadline(settings.query_timeout_s)):
        yield settings.budget


def open_cli_store(ctx: typer.Context, *, write: bool = False) -> GraphStore:
    """The store the global options name. Reads open it read-only (an embedded database must
    exist then), so they run beside an ``ecomap serve`` that holds it; ``write`` opens it for
    writing, which fails with :class:`~app.errors.StoreBusyError` while another process holds
    an embedded database."""
    settings: Settings = ctx.obj
    if not write and settings.backend == "embedded" and not settings.db.exists():
        raise EcoMapError(
            f"no database at {settings.db}; run 'ecomap import' or 'ecomap demo' first"
        )
    store = open_store(settings, read_only=not write)
    spec = ctx.meta.get(SPEC_KEY)
    if spec is not None and not write:
        try:
            with store.read_session() as view:
                for hint in filter_hints(view, spec):
                    print_hint(hint)
        except BaseException:
            store.close()
            raise
    return store


def print_counts(counts: StoreCounts) -> None:
    """The counts of ``stats`` as a table on stdout."""
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column()
    table.add_column(justify="right")
    table.add_row("organizations", str(counts.nodes), style="bold")
    for name, value in counts.by_kind.items():
        table.add_row(f"  {name}", str(value))
    table.add_row("relationships", str(counts.relationships), style="bold")
    for name, value in counts.by_type.items():
        table.add_row(f"  {name}", str(value))
    stdout.print(table)


def author_of(ctx: typer.Context) -> str:
    """Who the changes made by this command are recorded as: ``ECOMAP_AUTHOR``, else the
    login name."""
    settings: Settings = ctx.obj
    if settings.author:
        return settings.author
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a user entry)
        return "ecomap"


def print_changes(changes: Sequence[Change], *, shown: int | None = None, indent: int = 0) -> None:
    """Changes field by field as a table on stdout (values in short), the first ``shown``
    of them (None: all) and a line saying how many more there are."""
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, indent))
    for column in ("record", "field", "before", "after"):
        table.add_column(column)
    for change in changes[:shown]:
        table.add_row(
            change.entity, change.field, short_value(change.before), short_value(change.after)
        )
    stdout.print(table, markup=False)
    if shown is not None and len(changes) > shown:
        stdout.print(f"{' ' * indent}... and {len(changes) - shown:,} more changes")


def short_value(value: object) -> str:
    """A field's value in at most 60 characters (``-``: none; a list ``|``-separated)."""
    if value is None:
        return "-"
    text = "|".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def print_report(report: ImportReport) -> None:
    """What an import did, and every problem it skipped, on stderr."""
    s = report.summary
    recorded = f" (change {report.change_id})" if report.change_id is not None else ""
    stderr.print(
        f"organizations: {s.organizations_created} created, {s.organizations_updated} updated, "
        f"{s.organizations_unchanged} unchanged; relationships: {s.relationships_created} "
        f"created, {s.relationships_updated} updated, {s.relationships_unchanged} unchanged"
        f"{recorded}",
        highlight=False,
    )
    for note in report.notes:
        stderr.print(f"note: {note}", markup=False, highlight=False)
    if report.problems:
        for problem in report.problems:
            stderr.print(str(problem), markup=False, highlight=False)
        stderr.print(f"[yellow]{report.rows_rejected} row(s) with problems were not imported.[/]")
