"""Who may do what: the one rule of roles and scopes, for the API's routes and for any
write service to call (with the write's own session).

- a **viewer** reads;
- an **editor** reads and writes: organizations, relationships, imports, reverts. An editor
  with ``clusters`` (a cluster manager) changes and deletes only their *scope*: the clusters'
  own records and their members (the organizations with a ``MEMBER_OF`` tie to one of the
  clusters, as stored when the write begins); of the relationships, those a member states
  (its source is in scope; for a symmetric type, either end) and the ``MEMBER_OF`` ties into
  one of the clusters of a member, a new organization or one in no cluster at all (adding or
  removing a member, which brings an organization into scope or takes it out: a member of
  another cluster cannot be claimed this way, only by an admin or an editor without clusters).
  They may create an organization whose id is not stored yet, revert a
  change set only when it touched nothing outside their scope, and not import files (a file
  can touch any organization). An editor without clusters edits everything;
- an **admin** does everything, and manages people (:mod:`app.services.people`).

Saved views (:mod:`app.services.views`) are not edits of the ecosystem: every role saves
views of their own (a viewer too), and sees their own and the shared ones; only a view's
owner or an admin deletes it, and an admin sees every view.

Nobody (no token) has no role, and may read only where reads are open; while writes are open
to anyone (no key, no person), nobody is an admin (:func:`app.services.people.identify`).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.changes import RelKey, entity_key, rel_entity
from app.errors import AuthenticationError, PermissionDeniedError, excerpt
from app.services.people import Person
from app.store.base import GraphStore
from app.vocabulary import SYMMETRIC, RelType

__all__ = [
    "check_edit",
    "check_edit_all",
    "check_read",
    "check_revert",
    "check_view_write",
    "check_write",
    "may_delete_view",
    "may_edit",
    "may_read",
    "may_see_view",
]

#: Most records a refusal names.
_SHOWN = 5


def may_read(person: Person) -> bool:
    """Whether the person may read (every role may; nobody only when reads are open, which
    the caller knows)."""
    return person.role is not None


def check_read(person: Person) -> None:
    """:class:`~app.errors.AuthenticationError` unless the person has a role."""
    if not may_read(person):
        raise AuthenticationError(
            "reading needs a token here (ECOMAP_REQUIRE_AUTH_FOR_READS): send "
            "Authorization: Bearer TOKEN"
        )


def check_write(person: Person) -> None:
    """The role part of every write: nobody gets :class:`~app.errors.AuthenticationError`,
    a viewer :class:`~app.errors.PermissionDeniedError`; editors and admins pass."""
    if person.role is None:
        raise AuthenticationError(
            "this operation needs a token: send Authorization: Bearer TOKEN (a person's, "
            "from 'ecomap users add') or the X-API-Key header"
        )
    if person.role == "viewer":
        raise PermissionDeniedError(f"{person.name} is a viewer: viewers read, editors write")


def check_edit_all(person: Person) -> None:
    """A write that may touch any organization (an import): an editor without clusters or
    an admin."""
    check_write(person)
    if person.clusters:
        raise PermissionDeniedError(
            f"{person.name} edits only the clusters {', '.join(person.clusters)} and their "
            "members; a file can change any organization, so an import needs an editor "
            "without clusters or an admin"
        )


def _members(store: GraphStore, clusters: set[str], org_ids: set[str]) -> tuple[set[str], set[str]]:
    """Those of ``org_ids`` with a stored ``MEMBER_OF`` tie to one of ``clusters``, and those
    with such a tie to any cluster."""
    if not org_ids:
        return set(), set()
    memberships = [
        rel
        for rel in store.relationships_of(sorted(org_ids))
        if rel.type is RelType.MEMBER_OF and rel.source in org_ids
    ]
    members = {rel.source for rel in memberships if rel.target in clusters}
    return members, {rel.source for rel in memberships}


def _refused(
    person: Person, store: GraphStore, org_ids: Iterable[str], rel_keys: Iterable[RelKey]
) -> list[str]:
    """The records (entity names) a scoped editor may not write, in the order given."""
    org_ids, rel_keys = list(org_ids), list(rel_keys)
    clusters = set(person.clusters)
    ends = set(org_ids) | {key[0] for key in rel_keys} | {key[2] for key in rel_keys}
    stored = set(store.organization_kinds(ends))
    members, affiliated = _members(store, clusters, stored - clusters)
    scope = clusters | members
    refused = [org_id for org_id in org_ids if org_id in stored and org_id not in scope]
    for source, rel_type, target in rel_keys:
        claimable = source in scope or source not in affiliated
        member_tie = rel_type == RelType.MEMBER_OF.value and target in clusters and claimable
        either = rel_type in {t.value for t in SYMMETRIC} and target in scope
        if not (source in scope or member_tie or either):
            refused.append(rel_entity((source, rel_type, target)))
    return refused


def may_edit(
    person: Person,
    store: GraphStore,
    org_ids: Iterable[str] = (),
    rel_keys: Iterable[RelKey] = (),
) -> bool:
    """Whether the person may create, change or delete these organizations and relationships
    (the rule of the module's docstring; read ``store`` in the write's own session)."""
    if person.role not in ("editor", "admin"):
        return False
    if person.role == "admin" or not person.clusters:
        return True
    return not _refused(person, store, org_ids, rel_keys)


def check_edit(
    person: Person,
    store: GraphStore,
    org_ids: Iterable[str] = (),
    rel_keys: Iterable[RelKey] = (),
) -> None:
    """:func:`check_write`, then, for an editor with clusters,
    :class:`~app.errors.PermissionDeniedError` naming the records out of their scope.

    Call it with the write session of the write it guards, before writing: the scope is read
    in the same transaction, so a membership removed meanwhile cannot let a write through.
    """
    check_write(person)
    if person.role == "admin" or not person.clusters:
        return
    refused = _refused(person, store, org_ids, rel_keys)
    if refused:
        shown = ", ".join(excerpt(entity) for entity in refused[:_SHOWN])
        more = f" and {len(refused) - _SHOWN} more" if len(refused) > _SHOWN else ""
        raise PermissionDeniedError(
            f"{person.name} edits only the clusters {', '.join(person.clusters)}, their "
            f"members and the ties members state; not {shown}{more}"
        )


def check_revert(person: Person, store: GraphStore, change_id: int) -> None:
    """:func:`check_edit` of every record the change set ``change_id`` touched: undoing it
    writes them all (``NotFoundError`` if there is no such change set)."""
    check_write(person)
    if person.role == "admin" or not person.clusters:
        return
    keys = [entity_key(entity) for entity in sorted(store.change_set(change_id).entities())]
    org_ids = [key for key in keys if isinstance(key, str)]
    rel_keys = [key for key in keys if not isinstance(key, str)]
    check_edit(person, store, org_ids, rel_keys)


# -- saved views -----------------------------------------------------------------------------------


def check_view_write(person: Person) -> None:
    """Saving or deleting a view needs a role, any role (a viewer saves views of their
    own); :class:`~app.errors.AuthenticationError` for nobody."""
    if person.role is None:
        raise AuthenticationError(
            "saving or deleting a view needs a token: send Authorization: Bearer TOKEN (a "
            "person's, from 'ecomap users add'; a viewer may save views)"
        )


def may_see_view(person: Person, owner: str, shared: bool) -> bool:
    """Whether the person sees a view of ``owner``: a shared one, their own, or any as an
    admin."""
    return shared or person.role == "admin" or (person.role is not None and owner == person.name)


def may_delete_view(person: Person, owner: str) -> bool:
    """Whether the person may delete a view of ``owner``: its owner or an admin."""
    return person.role == "admin" or (person.role is not None and owner == person.name)
