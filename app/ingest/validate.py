"""Validate input records: each row on its own, then the rules that span rows and the store.

Every problem is reported, not just the first, as ``FILE:LINE: column: message``.

An import touches only what its file names (:data:`ImportMode`). In ``"merge"`` mode (the
default) a row updates the fields of its columns that have a value: blank cells and absent
columns keep what is stored, so a file of ``id,name`` renames organizations and changes
nothing else. ``"clear_empty"`` makes a blank cell clear the stored value; ``"replace"``
replaces whole records, as if every absent column were blank. An organization row is merged
with the stored record before it is checked, so an update needs no ``name`` or ``kind``;
a relationship row is merged after (:func:`merge_relationships`), by the fields it gave.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from app.domain import Organization, Relationship
from app.errors import Problem, excerpt
from app.fields import MAX_SHORT_TEXT_LENGTH, ColumnError
from app.ingest.readers import Table
from app.rules import endpoint_problem, kind_change_problem
from app.vocabulary import SYMMETRIC, Kind

__all__ = ["IMPORT_MODES", "ImportMode", "ValidatedInput", "merge_relationships", "validate_tables"]

M = TypeVar("M", bound=BaseModel)

ImportMode = Literal["merge", "clear_empty", "replace"]
#: What a blank cell or an absent column means to an import (see the module's docstring).
IMPORT_MODES: tuple[str, ...] = get_args(ImportMode)
#: Prepares a row's cells before they are checked (the merge with the stored record).
Prepare = Callable[[dict[str, Any]], dict[str, Any]]


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
    prepare: Prepare,
) -> Iterator[tuple[int, M]]:
    """Validate each record of ``table`` in one pass; remember the ids of rejected rows."""
    provenance = model is Organization
    pending = 0
    for record in table.records:
        cells = prepare(record.cells)
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


def _given(cells: dict[str, Any]) -> dict[str, Any]:
    """The cells that hold a value (a blank cell gives none)."""
    return {column: value for column, value in cells.items() if value is not None}


def _organization_rows(stored: Mapping[str, Organization], mode: ImportMode) -> Prepare:
    """How an organization row becomes a whole record: merged with the stored one."""
    if mode == "replace":
        return lambda cells: cells
    keep = _given if mode == "merge" else (lambda cells: cells)

    def prepare(cells: dict[str, Any]) -> dict[str, Any]:
        org_id = cells.get("id")
        old = stored.get(org_id) if isinstance(org_id, str) else None
        if old is None:
            return cells
        return {**old.model_dump(exclude={"updated_at"}), **keep(cells)}

    return prepare


def validate_tables(
    tables: Iterable[Table],
    *,
    stored_kinds: Mapping[str, Kind],
    stored: Mapping[str, Organization] | None = None,
    mode: ImportMode = "merge",
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
    stored : mapping, optional
        The stored records of the organizations the tables update, by id: rows are merged
        with them (see the module's docstring; ``mode="replace"`` needs none).
    mode : {"merge", "clear_empty", "replace"}
        What blank cells and absent columns mean.
    tick : callable, optional
        Called with the number of rows checked since the last call (for progress bars).
    """
    out = ValidatedInput()
    tables = list(tables)
    org_lines: dict[str, int] = {}
    rejected: dict[str, int] = {}
    org_rows = _organization_rows(stored or {}, mode)
    rel_rows: Prepare = _given if mode == "merge" else (lambda cells: cells)
    for table in (t for t in tables if t.kind == "organizations"):
        for line, org in _validated(table, Organization, out, rejected, tick, org_rows):
            first = org_lines.get(org.id)
            stored_kind = stored_kinds.get(org.id)
            if first is not None:
                message = f"duplicate id {excerpt(org.id)} (first on line {first})"
                out.problems.append(Problem(table.name, line, "id", message))
            elif stored_kind is not None and (
                problem := kind_change_problem(org.id, stored_kind, org.kind)
            ):
                out.problems.append(Problem(table.name, line, "kind", problem))
            else:
                org_lines[org.id] = line
                out.organizations.append(org)
    kinds: dict[str, Kind] = dict(stored_kinds)
    kinds.update((org.id, org.kind) for org in out.organizations)
    for table in (t for t in tables if t.kind == "relationships"):
        seen: dict[tuple[str, str, str], int] = {}
        for line, rel in _validated(table, Relationship, out, rejected, tick, rel_rows):
            key = rel.key
            problems = _relationship_problems(rel, kinds, rejected, seen.get(key))
            if problems:
                out.problems.extend(Problem(table.name, line, col, msg) for col, msg in problems)
            else:
                seen[key] = line
                out.relationships.append(rel)
    out.problems.sort(key=lambda p: (p.file, p.line))
    return out


def merge_relationships(
    relationships: Sequence[Relationship],
    stored: Mapping[tuple[str, str, str], Relationship],
    mode: ImportMode = "merge",
) -> list[Relationship]:
    """Relationship rows merged with the stored ones: a stored relationship keeps the fields
    a row did not give (``"merge"``: the cells with a value; ``"clear_empty"``: its columns;
    ``"replace"``: the row is the whole record).

    Examples
    --------
    >>> old = Relationship(source="a", target="b", type="SUPPLIES", weight=3, evidence="x")
    >>> row = Relationship.model_validate({"source": "a", "target": "b", "type": "SUPPLIES",
    ...                                    "since": "2020"})
    >>> merged = merge_relationships([row], {old.key: old})[0]
    >>> merged.weight, merged.since, merged.evidence
    (3.0, '2020', 'x')
    """
    if mode == "replace":
        return list(relationships)
    merged = []
    for rel in relationships:
        old = stored.get(rel.key)
        if old is None:
            merged.append(rel)
            continue
        given = rel.model_fields_set - {"source", "target", "type"}
        merged.append(old.model_copy(update={name: getattr(rel, name) for name in given}))
    return merged


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
