"""Validate input records: each row on its own, then the rules that span rows and the store.

Every problem is reported, not just the first, as ``FILE:LINE: column: message``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from app.domain import Organization, Relationship
from app.errors import Problem, excerpt
from app.fields import MAX_SHORT_TEXT_LENGTH, ColumnError
from app.ingest.readers import Table
from app.rules import endpoint_problem, kind_change_problem
from app.vocabulary import SYMMETRIC, Kind

__all__ = ["ValidatedInput", "validate_tables"]

M = TypeVar("M", bound=BaseModel)


@dataclass(slots=True)
class ValidatedInput:
    """Rows that passed every rule, and the problems of those that did not."""

    organizations: list[Organization] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - len(self.organizations) - len(self.relationships)


def _problems_of(error: ValidationError, file: str, line: int) -> list[Problem]:
    problems = []
    for err in error.errors(include_url=False):
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, ColumnError):
            column, message = cause.column, str(cause)
        else:
            loc = err["loc"]
            column = ".".join(str(part) for part in loc[:1]) or "-"
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "missing" or err.get("input", "") is None:
                message = "required value is missing"
            elif err["type"] not in ("value_error", "extra_forbidden"):
                message += f" (got {excerpt(err['input'])})"
            if len(loc) > 1 and isinstance(loc[1], int):
                message = f"item {loc[1] + 1}: {message}"  # an item of a list field
        problems.append(Problem(file, line, column, message))
    return problems


def _validated(
    table: Table,
    model: type[M],
    out: ValidatedInput,
    rejected: dict[str, int],
    tick: Callable[[int], None] | None,
) -> Iterator[tuple[int, M]]:
    """Validate each record of ``table`` in one pass; remember the ids of rejected rows."""
    provenance = model is Organization
    pending = 0
    for record in table.records:
        cells = record.cells
        if provenance and not cells.get("source"):
            cells = {**cells, "source": table.name[:MAX_SHORT_TEXT_LENGTH]}  # a long file name
        try:
            yield record.line, model.model_validate(cells)
        except ValidationError as exc:
            out.problems.extend(_problems_of(exc, table.name, record.line))
            if provenance and isinstance(cells.get("id"), str):
                rejected.setdefault(cells["id"], record.line)
        out.rows_read += 1
        pending += 1
        if tick and pending == 10_000:
            tick(pending)
            pending = 0
    if tick and pending:
        tick(pending)
    out.problems.extend(table.problems)


def validate_tables(
    tables: Iterable[Table],
    *,
    stored_kinds: Mapping[str, Kind],
    tick: Callable[[int], None] | None = None,
) -> ValidatedInput:
    """Check every record of ``tables`` against the data model and the cross-row rules.

    Organizations are checked first, so that relationships may refer to any of them. An
    organization without a ``source`` gets the name of the file it came from.

    Parameters
    ----------
    tables : iterable of Table
        Organization and relationship tables, as the readers return them.
    stored_kinds : mapping
        Ids already in the store and their kind: relationship endpoints may refer to them, and
        an organization cannot change kind.
    tick : callable, optional
        Called with the number of rows checked since the last call (for progress bars).
    """
    out = ValidatedInput()
    tables = list(tables)
    org_lines: dict[str, int] = {}
    rejected: dict[str, int] = {}
    for table in (t for t in tables if t.kind == "organizations"):
        for line, org in _validated(table, Organization, out, rejected, tick):
            first = org_lines.get(org.id)
            stored = stored_kinds.get(org.id)
            if first is not None:
                message = f"duplicate id {excerpt(org.id)} (first on line {first})"
                out.problems.append(Problem(table.name, line, "id", message))
            elif stored is not None and (problem := kind_change_problem(org.id, stored, org.kind)):
                out.problems.append(Problem(table.name, line, "kind", problem))
            else:
                org_lines[org.id] = line
                out.organizations.append(org)
    kinds: dict[str, Kind] = dict(stored_kinds)
    kinds.update((org.id, org.kind) for org in out.organizations)
    for table in (t for t in tables if t.kind == "relationships"):
        seen: dict[tuple[str, str, str], int] = {}
        for line, rel in _validated(table, Relationship, out, rejected, tick):
            key = rel.key
            problems = _relationship_problems(rel, kinds, rejected, seen.get(key))
            if problems:
                out.problems.extend(Problem(table.name, line, col, msg) for col, msg in problems)
            else:
                seen[key] = line
                out.relationships.append(rel)
    out.problems.sort(key=lambda p: (p.file, p.line))
    return out


def _relationship_problems(
    rel: Relationship,
    kinds: Mapping[str, Kind],
    rejected_ids: Mapping[str, int],
    duplicate_of: int | None,
) -> list[tuple[str, str]]:
    problems = []
    for column in ("source", "target"):
        org_id = getattr(rel, column)
        if org_id in kinds:
            continue
        if org_id in rejected_ids:
            problems.append(
                (
                    column,
                    f"{excerpt(org_id)} is not imported: its row (line {rejected_ids[org_id]}) "
                    "has errors",
                )
            )
        else:
            problems.append(
                (
                    column,
                    f"unknown organization {excerpt(org_id)} "
                    "(neither in the input nor in the store)",
                )
            )
    if not problems:
        reason = endpoint_problem(rel.type, kinds[rel.source], kinds[rel.target])
        if reason:
            problems.append(("type", reason))
    if duplicate_of is not None:
        same = " (the same pair in either direction)" if rel.type in SYMMETRIC else ""
        problems.append(("-", f"duplicate relationship{same}, first on line {duplicate_of}"))
    return problems
