"""History and undo: every write is recorded as one change set, and any change set can be
reverted by a new one.

Writes go through :func:`recorded_write`: one write session (one transaction) in which the
write reads the records it is about to change, writes, and appends the change set that says
what changed field by field (:mod:`app.changes`), so the data and its history commit together
or not at all. :func:`revert` applies the inverse of a change set as a new change set and
refuses, naming the conflicts, when a later change set touched the same fields, or when
undoing the creation of an organization would delete ties made after it. An organization's
verification (``verified_at``, ``verified_by``) is set back too, unless someone verified it
again since; a later verification is never a conflict (:mod:`app.services.freshness`).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from app.changes import (
    Change,
    ChangeSet,
    RelKey,
    entity_key,
    organization_changes,
    rel_entity,
    relationship_changes,
)
from app.domain import Organization, Relationship
from app.errors import ConflictError, ImportValidationError, Problem
from app.fields import STORED
from app.ingest.limits import file_size_problem
from app.services.freshness import stamp_edits
from app.services.output import atomic_open
from app.store.base import GraphStore, ProgressCallback, WriteSummary
from app.vocabulary import VERIFICATION_PROPERTIES

__all__ = [
    "CHANGES_SHOWN",
    "HISTORY_FILE",
    "HISTORY_LIMIT",
    "HistoryPage",
    "Recorder",
    "all_change_sets",
    "history",
    "planned_changes",
    "read_history_file",
    "recorded_write",
    "revert",
    "write_history_file",
]

logger = logging.getLogger(__name__)

#: Most change sets one history listing returns.
HISTORY_LIMIT = 1000
#: Most changes of one change set a history listing shows (a big import has millions; the
#: listing says which sets it cut; ``history.jsonl`` and revert always take them whole).
CHANGES_SHOWN = 1000
#: The history of a CSV export: one change set per line, oldest first, each as ``ecomap
#: history --json`` prints it (``{"id", "at", "author", "source", "changes"}``).
HISTORY_FILE = "history.jsonl"
#: Conflicts named in a refused revert's message (all of them are counted).
_NAMED = 5


def _last_by_id(organizations: Sequence[Organization]) -> dict[str, Organization]:
    return {org.id: org for org in organizations}


def _last_by_key(relationships: Sequence[Relationship]) -> dict[RelKey, Relationship]:
    return {rel.key: rel for rel in relationships}


def _plan(
    store: GraphStore,
    organizations: Sequence[Organization],
    relationships: Sequence[Relationship],
    verified_by: str | None,
) -> tuple[list[Organization], list[Change]]:
    """The organizations to write (stamped as verified by ``verified_by`` where they are
    edits, see :func:`app.services.freshness.stamp_edits`) and the changes of the upsert."""
    stored_orgs = store.organizations_by_id({org.id for org in organizations})
    if verified_by is not None:
        organizations = stamp_edits(stored_orgs, organizations, author=verified_by)
    orgs, rels = _last_by_id(organizations), _last_by_key(relationships)
    stored_rels = store.relationships_by_key(rels)
    changes: list[Change] = []
    for org_id, org in orgs.items():
        changes += organization_changes(stored_orgs.get(org_id), org)
    for key, rel in rels.items():
        changes += relationship_changes(stored_rels.get(key), rel)
    return list(organizations), changes


def planned_changes(
    store: GraphStore,
    organizations: Sequence[Organization],
    relationships: Sequence[Relationship],
    *,
    verified_by: str | None = None,
) -> list[Change]:
    """What upserting these records would change, field by field, read from ``store`` (use
    the write session the upsert will run in). Records equal to the stored ones change
    nothing; a record given twice counts with its last values. ``verified_by``: as
    :meth:`Recorder.upsert` stamps edits.
    """
    return _plan(store, organizations, relationships, verified_by)[1]


@dataclass
class Recorder:
    """The writes of one :func:`recorded_write` block, and the changes they made."""

    view: GraphStore
    changes: list[Change] = field(default_factory=list)
    change_id: int | None = None

    def upsert(
        self,
        organizations: Sequence[Organization],
        relationships: Sequence[Relationship],
        *,
        progress: ProgressCallback | None = None,
        verified_by: str | None = None,
    ) -> WriteSummary:
        """Upsert whole records (see :meth:`GraphStore.upsert`), recording what changed;
        with ``verified_by``, an organization the upsert edits is stamped as verified now by
        that person (:func:`app.services.freshness.stamp_edits`), else records are written
        as given."""
        organizations, changes = _plan(self.view, organizations, relationships, verified_by)
        self.changes += changes
        return self.view.upsert(organizations, relationships, progress=progress)

    def delete(
        self, org_ids: Sequence[str] = (), rel_keys: Sequence[RelKey] = ()
    ) -> list[Relationship]:
        """Delete relationships, and organizations with all their ties (see
        :meth:`GraphStore.delete`), recording every field they held; returns the ties that
        went with the organizations (those not named in ``rel_keys``)."""
        organizations = self.view.organizations_by_id(org_ids)
        named = self.view.relationships_by_key(rel_keys)
        with_them = [r for r in self.view.relationships_of(org_ids) if r.key not in named]
        self.view.delete(org_ids, rel_keys)
        for rel in [*named.values(), *with_them]:
            self.changes += relationship_changes(rel, None)
        for org in organizations.values():
            self.changes += organization_changes(org, None)
        return with_them


@contextmanager
def recorded_write(store: GraphStore, *, author: str, source: str) -> Iterator[Recorder]:
    """A write session whose writes, made through the :class:`Recorder` it yields, are
    recorded as one change set by ``author`` from ``source`` when the block ends (none when
    nothing changed); the recorder's ``change_id`` is then the new set's id."""
    with store.write_session() as view:
        recorder = Recorder(view)
        yield recorder
        if recorder.changes:
            recorder.change_id = view.append_change_set(author, source, recorder.changes)
            logger.info(
                "change set %s by %s from %s: %d changes",
                recorder.change_id,
                author,
                source,
                len(recorder.changes),
            )


@dataclass(frozen=True, slots=True)
class HistoryPage:
    """A history listing: its change sets, newest first; whether older ones were left out
    (``more``); and the sets that show only their first :data:`CHANGES_SHOWN` changes, with
    how many they have (``trimmed``: id -> changes in all)."""

    change_sets: list[ChangeSet]
    more: bool
    trimmed: dict[int, int]


def history(
    store: GraphStore,
    *,
    entity: str | None = None,
    since: str | None = None,
    limit: int = 20,
    changes_shown: int = CHANGES_SHOWN,
) -> HistoryPage:
    """Change sets, newest first (at most ``limit``, capped at :data:`HISTORY_LIMIT`), each
    with at most ``changes_shown`` changes; ``entity``: only the changes of one organization
    (its ties included) or relationship; ``since``: from this ISO date or time on."""
    found, more = store.change_sets(entity=entity, since=since, limit=min(limit, HISTORY_LIMIT))
    trimmed = {s.id: len(s.changes) for s in found if len(s.changes) > changes_shown}
    shown = [
        s.model_copy(update={"changes": s.changes[:changes_shown]}) if s.id in trimmed else s
        for s in found
    ]
    return HistoryPage(shown, more, trimmed)


def all_change_sets(store: GraphStore) -> Iterator[ChangeSet]:
    """Every change set, oldest first, read a page at a time."""
    after = 0
    while True:
        page, more = store.change_sets(after=after, limit=HISTORY_LIMIT)
        yield from page
        if not more or not page:
            return
        after = page[-1].id


def write_history_file(store: GraphStore, path: Path) -> bool:
    """Write the store's history to ``path`` (:data:`HISTORY_FILE`'s format), whole or not at
    all; False (and no file) when there is no history."""
    change_sets = all_change_sets(store)
    first = next(change_sets, None)
    if first is None:
        return False
    with atomic_open(path) as handle:
        for change_set in itertools.chain([first], change_sets):
            handle.write(change_set.model_dump_json() + "\n")
    return True


def read_history_file(path: Path, *, max_bytes: int | None = None) -> list[ChangeSet]:
    """The change sets of a :data:`HISTORY_FILE`, checked: ``ImportValidationError`` names
    every line that is not a change set, and ids that do not increase."""
    too_large = file_size_problem(path, max_bytes)
    if too_large is not None:
        raise ImportValidationError([too_large])
    change_sets: list[ChangeSet] = []
    problems: list[Problem] = []
    with path.open(encoding="utf-8") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                change_set = ChangeSet.model_validate_json(text)
            except ValidationError as exc:
                error = exc.errors(include_url=False)[0]
                where = ".".join(str(part) for part in error["loc"]) or "-"
                problems.append(Problem(path.name, line, where, error["msg"]))
                continue
            if change_sets and change_set.id <= change_sets[-1].id:
                message = f"change set {change_set.id} follows {change_sets[-1].id}"
                problems.append(Problem(path.name, line, "id", message))
            change_sets.append(change_set)
    if problems:
        raise ImportValidationError(problems)
    return change_sets


def _conflicts(view: GraphStore, reverted: ChangeSet) -> list[str]:
    """Later changes to the fields ``reverted`` changed, as ``change N: ENTITY FIELD``."""
    touched = {
        (c.entity, c.field) for c in reverted.changes if c.field not in VERIFICATION_PROPERTIES
    }
    entities = {c.entity for c in reverted.changes}
    found: list[str] = []
    after = reverted.id
    while True:
        later, more = view.change_sets(after=after, limit=HISTORY_LIMIT)
        for change_set in later:
            for change in change_set.changes:
                if change.entity in entities and (change.entity, change.field) in touched:
                    found.append(f"change {change_set.id}: {change.entity} {change.field}")
        if not more or not later:
            return found
        after = later[-1].id


def revert(store: GraphStore, change_id: int, *, author: str) -> int | None:
    """Undo change set ``change_id`` by a new change set (its id; None if undoing it changes
    nothing): created records are deleted, deleted ones made again, changed fields set back.

    Raises
    ------
    NotFoundError
        If there is no such change set.
    ConflictError
        If a later change set changed one of the same fields (naming them), or an
        organization the change set created has ties that it did not create.
    """
    with recorded_write(store, author=author, source=f"revert of change {change_id}") as rec:
        view = rec.view
        reverted = view.change_set(change_id)
        conflicts = _conflicts(view, reverted)
        before: dict[str, dict[str, object]] = {}
        after: dict[str, dict[str, object]] = {}
        for change in reverted.changes:
            before.setdefault(change.entity, {})[change.field] = change.before
            after.setdefault(change.entity, {})[change.field] = change.after
        org_ids = [e for e in before if isinstance(entity_key(e), str)]
        rel_keys = [k for e in before if isinstance(k := entity_key(e), tuple)]
        orgs_now = view.organizations_by_id(org_ids)
        rels_now = view.relationships_by_key(rel_keys)
        created_orgs = [i for i in org_ids if "kind" in after[i] and before[i].get("kind") is None]
        created_rels = {k for k in rel_keys if before[rel_entity(k)].get("weight") is None}
        for rel in view.relationships_of(created_orgs):
            if rel.key not in created_rels:
                conflicts.append(f"{rel_entity(rel.key)} was made after change {change_id}")
        if conflicts:
            more = f" and {len(conflicts) - _NAMED} more" if len(conflicts) > _NAMED else ""
            raise ConflictError(
                f"cannot revert change {change_id}: later changes touch what it changed: "
                f"{'; '.join(conflicts[:_NAMED])}{more}"
            )
        organizations: list[Organization] = []
        for org_id in org_ids:
            if org_id in created_orgs:
                continue
            # changed: its fields set back; deleted: made again from what it held
            current = orgs_now.get(org_id)
            base = current.model_dump() if current is not None else {"id": org_id}
            values = {**base, **before[org_id]}
            # a verification made later stays, as a pair: a confirm in the same second as
            # the edit changes only verified_by, and must keep its verified_at too
            if current is not None and any(
                name in after[org_id] and getattr(current, name) != after[org_id][name]
                for name in VERIFICATION_PROPERTIES
            ):
                values.update({name: getattr(current, name) for name in VERIFICATION_PROPERTIES})
            organizations.append(Organization.model_validate(values, context=STORED))
        relationships: list[Relationship] = []
        for key in rel_keys:
            if key in created_rels:
                continue
            source, rel_type, target = key
            stored_rel = rels_now.get(key)
            base = stored_rel.model_dump() if stored_rel is not None else {}
            values = {**base, **before[rel_entity(key)]}
            values.update(source=source, type=rel_type, target=target)
            relationships.append(Relationship.model_validate(values, context=STORED))
        rec.upsert(organizations, relationships)
        gone_rels = [k for k in created_rels if k in rels_now]
        gone_orgs = [i for i in created_orgs if i in orgs_now]
        if gone_rels or gone_orgs:
            rec.delete(gone_orgs, gone_rels)
    return rec.change_id
