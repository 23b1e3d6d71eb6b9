"""Long commands: their phases on stderr while they run, and Ctrl-C without a traceback.

:func:`phases` shows which phase of how many is running (a spinner with the elapsed time on a
terminal, one line per phase otherwise, so a log shows it too); :func:`interruptible` turns
Ctrl-C into one line on stderr and exit code 130. The commands write their files through
:mod:`app.services.output`, so an interrupted one leaves no partial file behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from app.cli.common import stderr

__all__ = ["INTERRUPTED", "interruptible", "phases"]

#: The exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


@contextmanager
def interruptible(what: str = "nothing was written") -> Iterator[None]:
    """Ctrl-C (``KeyboardInterrupt``) inside the block: ``cancelled: WHAT`` on stderr and
    exit :data:`INTERRUPTED`, never a traceback."""
    try:
        yield
    except KeyboardInterrupt:
        stderr.print(Text.assemble(("cancelled:", "yellow"), f" {what}"), highlight=False)
        raise typer.Exit(INTERRUPTED) from None


@contextmanager
def phases(known: Sequence[str], *, enabled: bool = True) -> Iterator[Callable[[str], None]]:
    """A callback ``say(phase)`` that shows ``phase`` (step ``i`` of ``len(known)``, counted
    on when a phase is not in ``known``) on stderr, until the block ends. ``enabled=False``
    (``--json``) shows nothing."""
    total = len(known)
    step = 0

    def counted(phase: str) -> str:
        nonlocal step
        step = known.index(phase) + 1 if phase in known else step + 1
        return f"[{step}/{max(total, step)}] {phase}\u2026"

    if not enabled:
        yield lambda phase: None
        return
    if not stderr.is_terminal:
        yield lambda phase: stderr.print(counted(phase), highlight=False, markup=False)
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}", markup=False), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as bar:
        task = bar.add_task("starting\u2026", total=None)
        yield lambda phase: bar.update(task, description=counted(phase))
