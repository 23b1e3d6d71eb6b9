"""Plan an upsert: compare incoming rows with what a store holds, before writing anything.

Pure functions, no database: a store reads its current rows, calls :func:`plan_writes`, and
writes only what is new or changed. Re-importing data already stored plans no write at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, TypeVar

from app.domain import Organization, Relationship
from app.errors import StoreError
from app.rules import kind_change_problem
from app.store.base import WriteSummary
from app.vocabulary import ORGANIZATION_PROPERTIES, RELATIONSHIP_CONTENT, Kind

__all__ = [
    "ORG_CONTENT",
    "REL_CONTENT",
    "RelKey",
    "RelRow",
    "WritePlan",
    "by_labels",
    "chunks",
    "org_content",
    "plan_writes",
    "rel_row",
]

#: Organization properties compared to decide whether a stored row changed: all but the
#: store's own timestamp (``verified_at`` and ``verified_by`` are content the services set).
ORG_CONTENT: tuple[str, ...] = tuple(p for p in ORGANIZATION_PROPERTIES if p != "updated_at")
#: Relationship properties compared likewise.
REL_CONTENT: tuple[str, ...] = RELATIONSHIP_CONTENT

RelKey = tuple[str, str, str]
#: (source, type, target, weight, since, until, evidence, updated_at)
RelRow = tuple[str, str, str, float, str | None, str | None, str | None, str | None]

org_content = attrgetter(*ORG_CONTENT)

T = TypeVar("T")


def chunks(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``rows`` in consecutive batches of at most ``size`` (the write statements' batches)."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def by_labels(
    rows: Iterable[T], kinds: Mapping[str, Kind], key: Callable[[T], Any] = lambda row: row
) -> dict[tuple[str, Kind, Kind], list[T]]:
    """Relationship rows (or keys) grouped by (type, source kind, target kind), in that order:
    the slots of the typed write statements. ``key(row)`` starts with (source, type, target)."""
    groups: dict[tuple[str, Kind, Kind], list[T]] = defaultdict(list)
    for row in rows:
        source, rel_type, target = key(row)[:3]
        groups[(rel_type, kinds[source], kinds[target])].append(row)
    return dict(sorted(groups.items()))


_rel_content = attrgetter(*REL_CONTENT)


def rel_row(rel: Relationship, updated_at: str) -> RelRow:
    """A relationship as a row tuple, stamped with ``updated_at``."""
    return (rel.source, rel.type.value, rel.target, *_rel_content(rel), updated_at)


@dataclass(slots=True)
class WritePlan:
    """What an upsert has to write; ``summary`` counts created, updated and unchanged rows."""

    new_organizations: dict[Kind, list[Organization]] = field(default_factory=dict)
    changed_organizations: dict[Kind, list[Organization]] = field(default_factory=dict)
    new_relationships: list[RelRow] = field(default_factory=list)
    changed_relationships: list[RelRow] = field(default_factory=list)
    summary: WriteSummary = field(default_factory=WriteSummary)


def plan_writes(
    stored_organizations: Mapping[str, tuple[Any, ...]],
    stored_relationships: Mapping[RelKey, tuple[Any, ...]],
    organizations: Sequence[Organization],
    relationships: Sequence[Relationship],
    now: str,
) -> WritePlan:
    """Sort incoming rows into new, changed and unchanged.

    Parameters
    ----------
    stored_organizations : mapping
        id -> the stored values of :data:`ORG_CONTENT`, in that order.
    stored_relationships : mapping
        (source, type, target) -> the stored values of :data:`REL_CONTENT`.
    organizations, relationships : sequence
        Validated incoming rows.
    now : str
        Timestamp given to new and changed relationships.

    Rows are taken in order, as if written one by one: an id or key given twice is written
    once, with its last values, and counted twice (created, then updated or unchanged).

    Raises
    ------
    StoreError
        If an incoming organization has another kind than the stored one (or than an earlier
        row of the same id).

    Examples
    --------
    >>> org = Organization(id="a", name="A", kind="company")
    >>> plan = plan_writes({}, {}, [org], [], "2026-01-01T00:00:00Z")
    >>> plan.summary.organizations_created
    1
    >>> plan = plan_writes({"a": org_content(org)}, {}, [org], [], "2026-01-01T00:00:00Z")
    >>> plan.summary.organizations_unchanged
    1
    """
    plan = WritePlan()
    summary = plan.summary
    kind_at = ORG_CONTENT.index("kind")
    # Rows are taken in order, as if upserted one by one: an id (or key) given twice counts
    # once created (or updated) and then updated or unchanged, and is written once, with its
    # last values. Both stores write the plan in bulk, which could not take a key twice.
    seen_orgs: dict[str, tuple[Any, ...]] = {}
    new_orgs: dict[str, Organization] = {}
    changed_orgs: dict[str, Organization] = {}
    for org in organizations:
        content = org_content(org)
        old = seen_orgs.get(org.id, stored_organizations.get(org.id))
        if old is None:
            new_orgs[org.id] = org
            summary.organizations_created += 1
        elif problem := kind_change_problem(org.id, old[kind_at], org.kind):
            raise StoreError(problem)
        elif old != content:
            (new_orgs if org.id in new_orgs else changed_orgs)[org.id] = org
            summary.organizations_updated += 1
        else:
            summary.organizations_unchanged += 1
        seen_orgs[org.id] = content
    plan.new_organizations, plan.changed_organizations = _by_kind(new_orgs), _by_kind(changed_orgs)
    seen_rels: dict[RelKey, tuple[Any, ...]] = {}
    new_rels: dict[RelKey, RelRow] = {}
    changed_rels: dict[RelKey, RelRow] = {}
    for rel in relationships:
        key, content = rel.key, _rel_content(rel)
        old_rel = seen_rels.get(key, stored_relationships.get(key))
        if old_rel is None:
            new_rels[key] = rel_row(rel, now)
            summary.relationships_created += 1
        elif old_rel != content:
            (new_rels if key in new_rels else changed_rels)[key] = rel_row(rel, now)
            summary.relationships_updated += 1
        else:
            summary.relationships_unchanged += 1
        seen_rels[key] = content
    plan.new_relationships = list(new_rels.values())
    plan.changed_relationships = list(changed_rels.values())
    return plan


def _by_kind(organizations: Mapping[str, Organization]) -> dict[Kind, list[Organization]]:
    grouped: dict[Kind, list[Organization]] = defaultdict(list)
    for org in organizations.values():
        grouped[org.kind].append(org)
    return dict(grouped)
