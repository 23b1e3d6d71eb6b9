"""Reports for reading: nested analysis results as labelled lines and small tables.

The JSON of ``--json`` keeps every digit and every id; a person reading a terminal wants
numbers rounded, long lists cut to their head (with how many there are) and lists of rows
as tables. One function does that for any nested report, so no command prints a raw dict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.padding import Padding
from rich.table import Table

from app.cli.common import stdout

__all__ = ["SHOWN", "format_value", "print_readable"]

#: Items of a list, or rows of a table, shown before "... and N more".
SHOWN = 10


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def format_value(value: Any) -> str:
    """A scalar as a person reads it: thousands separated, three decimals, ``-`` for none.

    Examples
    --------
    >>> format_value(0.1672473867595819), format_value(12345), format_value(None)
    ('0.167', '12,345', '-')
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def _label(key: object) -> str:
    return str(key).replace("_", " ")


def _inline(values: Sequence[Any]) -> str:
    head = ", ".join(format_value(v) for v in values[:SHOWN])
    more = f" ... and {len(values) - SHOWN:,} more" if len(values) > SHOWN else ""
    return f"{len(values):,}: {head}{more}" if values else "none"


def _table(rows: Sequence[Mapping[str, Any]], indent: int) -> None:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0))
    for column in columns:
        numeric = all(isinstance(row.get(column), int | float) for row in rows[:SHOWN])
        table.add_column(_label(column), justify="right" if numeric else "left")
    for row in rows[:SHOWN]:
        table.add_row(*(_cell(row.get(column)) for column in columns))
    stdout.print(Padding(table, (0, 0, 0, indent), expand=False), markup=False)
    if len(rows) > SHOWN:
        stdout.print(f"{' ' * indent}... and {len(rows) - SHOWN:,} more", markup=False)


def _cell(value: Any) -> str:
    if _scalar(value):
        return format_value(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return _inline(value)
    return ", ".join(f"{_label(k)}: {format_value(v)}" for k, v in dict(value).items())


def print_readable(report: Mapping[str, Any], indent: int = 0) -> None:
    """Print ``report`` on stdout: one labelled line per scalar, a line for a small mapping
    of scalars or a list of scalars (its first :data:`SHOWN`), a table for a list of rows,
    and a heading with indented lines for anything nested."""
    width = max((len(_label(k)) for k in report), default=0) + 2
    pad = " " * indent
    for key, value in report.items():
        label = _label(key)
        if _scalar(value):
            stdout.print(f"{pad}{label:<{width}}{format_value(value)}", markup=False)
        elif isinstance(value, Mapping) and all(_scalar(v) for v in value.values()):
            stdout.print(f"{pad}{label:<{width}}{_cell(value) or 'none'}", markup=False)
        elif isinstance(value, Mapping):
            stdout.print(f"{pad}{label}", markup=False)
            print_readable(value, indent + 2)
        elif all(isinstance(v, Mapping) for v in value) and value:
            stdout.print(f"{pad}{label}", markup=False)
            _table(value, indent + 2)
        else:
            stdout.print(f"{pad}{label:<{width}}{_inline(list(value))}", markup=False)
