"""The editing service: create, change and delete organizations and relationships, one by
one, each write recorded as one change set (:func:`app.services.history.recorded_write`).

Routes and CLI commands call these functions; each is the one place its rule lives (an
organization's kind never changes; a stored id stays addressable; deleting an organization
deletes its ties, and the answer lists them; an edit stamps the record as verified by its
author, a confirm stamps it without changing anything else: :mod:`app.services.freshness`).
Imports write through :mod:`app.services.importing`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.changes import RelKey
from app.domain import Organization, Relationship
from app.errors import ConflictError, NotFoundError
from app.fields import existing_id
from app.rules import endpoint_problem, kind_change_problem
from app.services.freshness import timestamp
from app.services.history import recorded_write
from app.store.base import GraphStore
from app.vocabulary import VERIFICATION_PROPERTIES

__all__ = [
    "Confirmed",
    "Deleted",
    "confirm_organizations",
    "delete_organizations",
    "delete_relationship",
    "put_organization",
    "put_relationship",
]


@dataclass(slots=True)
class Deleted:
    """What a delete removed: the organizations and relationships named, the ties that went
    with the organizations, and the change set that records it."""

    organizations: list[str] = field(default_factory=list)
    relationships: list[RelKey] = field(default_factory=list)
    ties: list[Relationship] = field(default_factory=list)
    change_id: int | None = None


def put_organization(
    store: GraphStore,
    org_id: str,
    values: Mapping[str, Any],
    *,
    author: str,
    source: str,
) -> tuple[Organization, bool, int | None]:
    """Create or replace the organization ``org_id`` with ``values``; its relationships stay.

    Parameters
    ----------
    store : GraphStore
        A store open for writing.
    org_id : str
        The id; it wins over any ``id`` in ``values``. An id already stored stays valid even
        if today's id rule (:func:`app.domain.check_id`) would refuse it.
    values : mapping
        The organization's fields (``id`` excluded), checked as input; ``verified_at`` and
        ``verified_by`` are ignored: a change stamps the record as verified now by
        ``author``, an unchanged record keeps its verification.
    author, source : str
        Who makes the change, and from where (e.g. the API route), for its change set.

    Returns
    -------
    (Organization, bool, int or None)
        The organization as stored, whether it was created (``False``: replaced), and the
        change set (None: nothing changed).

    Raises
    ------
    pydantic.ValidationError
        If ``values`` break the data model (nothing is written).
    ConflictError
        If the organization is stored with another kind (see
        :func:`app.rules.kind_change_problem`).
    """
    with recorded_write(store, author=author, source=source) as rec:
        stored = rec.view.organization_kinds([org_id]).get(org_id)
        context = existing_id(org_id) if stored is not None else None
        given = {k: v for k, v in values.items() if k not in VERIFICATION_PROPERTIES}
        org = Organization.model_validate({**given, "id": org_id}, context=context)
        if stored is not None and (problem := kind_change_problem(org_id, stored, org.kind)):
            raise ConflictError(problem)
        rec.upsert([org], [], verified_by=author)
        written = rec.view.get_organization(org_id)
    return written, stored is None, rec.change_id


def put_relationship(
    store: GraphStore,
    key: RelKey,
    values: Mapping[str, Any],
    *,
    author: str,
    source: str,
) -> tuple[Relationship, bool, int | None]:
    """Create or replace the relationship ``key`` (source, type, target) with ``values``
    (``weight``, ``since``, ``until``, ``evidence``; absent: none, weight 1).

    Returns the relationship as stored, whether it was created, and the change set.

    Raises
    ------
    pydantic.ValidationError
        If ``values`` break the data model.
    NotFoundError
        If an end is not stored.
    ConflictError
        If the type does not connect these kinds (``MEMBER_OF`` to a company, ...).
    """
    rel_source, rel_type, rel_target = key
    with recorded_write(store, author=author, source=source) as rec:
        rel = Relationship.model_validate(
            {**values, "source": rel_source, "type": rel_type, "target": rel_target}
        )
        kinds = rec.view.organization_kinds([rel.source, rel.target])
        for end in (rel.source, rel.target):
            if end not in kinds:
                raise NotFoundError(f"no organization with id {end!r}")
        problem = endpoint_problem(rel.type, kinds[rel.source], kinds[rel.target])
        if problem:
            raise ConflictError(problem)
        created = rel.key not in rec.view.relationships_by_key([rel.key])
        rec.upsert([], [rel])
        written = rec.view.relationships_by_key([rel.key])[rel.key]
    return written, created, rec.change_id


def delete_organizations(
    store: GraphStore, org_ids: Sequence[str], *, author: str, source: str
) -> Deleted:
    """Delete organizations and, with them, every relationship they have (listed in the
    answer), as one change set; ``NotFoundError`` (nothing deleted) if one is not stored."""
    ids = list(dict.fromkeys(org_ids))
    with recorded_write(store, author=author, source=source) as rec:
        missing = [i for i in ids if i not in rec.view.organization_kinds(ids)]
        if missing:
            raise NotFoundError(f"no organization with id {missing[0]!r}")
        ties = rec.delete(ids, ())
    return Deleted(organizations=ids, ties=ties, change_id=rec.change_id)


def delete_relationship(store: GraphStore, key: RelKey, *, author: str, source: str) -> Deleted:
    """Delete one relationship (a symmetric type's in either direction) as one change set;
    ``NotFoundError`` if it is not stored."""
    rel_source, rel_type, rel_target = key
    with recorded_write(store, author=author, source=source) as rec:
        found = rec.view.relationships_by_key([(rel_source, rel_type, rel_target)])
        if not found:
            raise NotFoundError(f"no {rel_type} relationship from {rel_source!r} to {rel_target!r}")
        stored_key = next(iter(found))
        rec.delete((), [stored_key])
    return Deleted(relationships=[stored_key], change_id=rec.change_id)


@dataclass(slots=True)
class Confirmed:
    """What a confirm stamped: the organizations as stored now, and the change set that
    records it (None when each was already confirmed by the same person this second)."""

    organizations: list[Organization] = field(default_factory=list)
    change_id: int | None = None


def confirm_organizations(
    store: GraphStore, org_ids: Sequence[str], *, author: str, source: str
) -> Confirmed:
    """Confirm organizations as right: each is verified now by ``author``, nothing else of
    it changes; one change set (which :func:`app.services.history.revert` undoes).

    Raises
    ------
    NotFoundError
        If an id is not stored (nothing is confirmed).
    """
    ids = list(dict.fromkeys(org_ids))
    with recorded_write(store, author=author, source=source) as rec:
        stored = rec.view.organizations_by_id(ids)
        missing = [i for i in ids if i not in stored]
        if missing:
            raise NotFoundError(f"no organization with id {missing[0]!r}")
        stamp = {"verified_at": timestamp(), "verified_by": author}
        rec.upsert([stored[i].model_copy(update=stamp) for i in ids], [])
        written = rec.view.organizations_by_id(ids)
    return Confirmed([written[i] for i in ids], rec.change_id)
