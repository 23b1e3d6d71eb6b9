"""People and roles: add, list and remove people, tell who is asking, and the one rule of
what each person may do.

Who may do what (:func:`check_read`, :func:`check_write`, :func:`check_edit`,
:func:`check_edit_all`):

- a **viewer** reads;
- an **editor** reads and writes. An editor with ``clusters`` (a cluster manager) changes
  and deletes only their *scope*: the clusters' own records and their members (the
  organizations with a ``MEMBER_OF`` tie to one of the clusters, as stored when the write
  begins); of the relationships, those a member states (its source is in scope; for a
  symmetric type, either end) and the ``MEMBER_OF`` ties into one of the clusters (adding or
  removing a member, which brings an organization into scope or takes it out). They may
  create an organization whose id is not stored yet, but not import files (a file can touch
  any organization). An editor without clusters edits everything;
- an **admin** does everything and manages people (the CLI manages people: whoever runs
  it on the database is its admin).

On the API, ``ECOMAP_API_KEY`` (header ``X-API-Key``) is an admin named ``api-key``. With no
key, no person and reads open, whoever reaches the server is an admin named ``anonymous``,
as before people existed (a local, single-user setup); once a person exists (or a key is
set, or reads need a token) writes need a token.

A person's token is shown once, when they are added; the store keeps only its digest.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.changes import RelKey, entity_key, rel_entity
from app.errors import (
    AuthenticationError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    excerpt,
)
from app.people import ROLES, Role, User, new_token, token_digest
from app.store.base import GraphStore
from app.vocabulary import SYMMETRIC, Kind, RelType

__all__ = [
    "ANONYMOUS",
    "API_KEY_PERSON",
    "MAX_NAME_LENGTH",
    "NewUser",
    "Person",
    "UserInfo",
    "add_user",
    "check_edit",
    "check_edit_all",
    "check_name",
    "check_read",
    "check_revert",
    "check_write",
    "identify",
    "list_users",
    "may_edit",
    "may_read",
    "remove_user",
]

logger = logging.getLogger(__name__)

#: Longest name of a person.
MAX_NAME_LENGTH = 100
#: The name of whoever sends no token.
ANONYMOUS = "anonymous"
_API_KEY_NAME = "api-key"
#: Names no person may take: they stand for the API key and for nobody in change sets.
_RESERVED = frozenset({ANONYMOUS, _API_KEY_NAME})
_NAME = re.compile(r"[\w.@'-]+(?: [\w.@'-]+)*")
#: Most records a refusal names.
_SHOWN = 5


class Person(BaseModel):
    """Who is asking: a person (by their token), the API key, or nobody (``anonymous``).

    ``role`` is ``None`` for nobody when writes are not open: they may read, if reads are
    open, and nothing else. ``signed_in``: a token or the API key was sent and is known.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    role: Role | None
    clusters: list[str] = Field(default_factory=list)
    signed_in: bool

    @classmethod
    def of(cls, user: User) -> Person:
        return cls(name=user.name, role=user.role, clusters=user.clusters, signed_in=True)


#: ``ECOMAP_API_KEY``: an admin.
API_KEY_PERSON = Person(name=_API_KEY_NAME, role="admin", signed_in=True)


class NewUser(BaseModel):
    """A person just added, with their token (``ecomap users add --json``): the only time
    the token is shown."""

    name: str
    role: Role
    token: str


class UserInfo(BaseModel):
    """A person as listed: never their token or its digest."""

    name: str
    role: Role
    clusters: list[str]
    created_at: str

    @classmethod
    def of(cls, user: User) -> UserInfo:
        return cls(
            name=user.name, role=user.role, clusters=user.clusters, created_at=user.created_at
        )


# -- people ----------------------------------------------------------------------------------------


def check_name(name: str) -> str:
    """``name`` if it may name a person, else :class:`~app.errors.InvalidInputError`.

    A name is what change sets record as their author: 1 to 100 letters, digits and
    ``. _ - @ '``, words separated by single spaces; not ``anonymous`` or ``api-key``.

    Examples
    --------
    >>> check_name("Maria Rossi"), check_name("ops@agency.example")
    ('Maria Rossi', 'ops@agency.example')
    >>> for bad in (" x", "a  b", "anonymous", "x" * 101):
    ...     try:
    ...         check_name(bad)
    ...     except InvalidInputError:
    ...         print("refused")
    refused
    refused
    refused
    refused
    """
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise InvalidInputError(f"a name has 1 to {MAX_NAME_LENGTH} characters")
    if not _NAME.fullmatch(name):
        raise InvalidInputError(
            f"a name is letters, digits and . _ - @ ', words separated by single spaces: "
            f"{excerpt(name)}"
        )
    if name.lower() in _RESERVED:
        raise InvalidInputError(f"{name!r} is reserved: it stands for no person, or the API key")
    return name


def _check_clusters(store: GraphStore, role: Role, clusters: Sequence[str]) -> list[str]:
    """The clusters of an editor, sorted, once each; each must be a stored cluster."""
    wanted = sorted(set(clusters))
    if not wanted:
        return []
    if role != "editor":
        raise InvalidInputError(
            f"clusters limit an editor; a {role} is not limited to clusters "
            "(a viewer reads everything, an admin edits everything)"
        )
    kinds = store.organization_kinds(wanted)
    for cluster in wanted:
        if cluster not in kinds:
            raise NotFoundError(f"no cluster with id {excerpt(cluster)}")
        if kinds[cluster] is not Kind.CLUSTER:
            kind = kinds[cluster].value
            raise InvalidInputError(f"{excerpt(cluster)} is a {kind}, not a cluster")
    return wanted


def add_user(
    store: GraphStore, name: str, role: Role, clusters: Sequence[str] = ()
) -> tuple[User, str]:
    """Add a person and make their token.

    Parameters
    ----------
    store : GraphStore
        A store open for writing.
    name : str
        Their name (:func:`check_name`), unique ignoring case.
    role : {"viewer", "editor", "admin"}
    clusters : sequence of str
        An editor's clusters (ids of stored clusters): they edit only those and their members.

    Returns
    -------
    (User, str)
        The person as stored (with the digest of the token) and the token itself, which is
        shown once and kept nowhere.

    Raises
    ------
    InvalidInputError
        If the name breaks the rules, or clusters are given to a viewer or an admin, or name
        an organization that is not a cluster.
    NotFoundError
        If a cluster is not stored.
    ConflictError
        If a person has this name already (ignoring case).
    """
    if role not in ROLES:
        raise InvalidInputError(f"unknown role {excerpt(role)}; use {', '.join(ROLES)}")
    check_name(name)
    token = new_token()
    with store.write_session() as writer:
        taken = [u.name for u in writer.users() if u.name.lower() == name.lower()]
        if taken:
            raise ConflictError(f"a person named {taken[0]!r} exists already")
        user = User(
            name=name,
            role=role,
            clusters=_check_clusters(writer, role, clusters),
            token_digest=token_digest(token),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        writer.add_user(user)
    logger.info("added %s (%s)", name, role)
    return user, token


def list_users(store: GraphStore) -> list[UserInfo]:
    """Every person, by name: name, role, clusters, when added; never a token or digest."""
    return [UserInfo.of(user) for user in store.users()]


def remove_user(store: GraphStore, name: str) -> None:
    """Forget a person: their token stops working at once. ``NotFoundError`` if there is no
    person with this name."""
    store.remove_user(name)
    logger.info("removed %s", name)


# -- who is asking ---------------------------------------------------------------------------------


def identify(
    store: GraphStore,
    *,
    token: str | None,
    key: str | None,
    expected_key: str | None,
    reads_need_token: bool,
) -> Person:
    """The person sending a request: by their token, else by the API key, else nobody.

    Parameters
    ----------
    token : str, optional
        A person's token (``Authorization: Bearer TOKEN``).
    key : str, optional
        The ``X-API-Key`` header; ignored when the server has no key (``expected_key``
        unset or empty).
    reads_need_token : bool
        ``ECOMAP_REQUIRE_AUTH_FOR_READS``.

    Returns
    -------
    Person
        Nobody is an admin while writes are open (no key, no person, reads open), else a
        person without a role.

    Raises
    ------
    AuthenticationError
        If the token is not any person's, or the key is not the server's.
    """
    if token is not None:
        user = store.user_by_token(token_digest(token))
        if user is None:
            raise AuthenticationError("the bearer token is not known (removed, or mistyped)")
        return Person.of(user)
    if key is not None and expected_key:
        if not secrets.compare_digest(key.encode(), expected_key.encode()):
            raise AuthenticationError("the X-API-Key header is not the server's key")
        return API_KEY_PERSON
    open_writes = not expected_key and not reads_need_token and not store.users()
    return Person(name=ANONYMOUS, role="admin" if open_writes else None, signed_in=False)


# -- what a person may do --------------------------------------------------------------------------


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


def _members(store: GraphStore, clusters: set[str], org_ids: set[str]) -> set[str]:
    """Those of ``org_ids`` with a stored ``MEMBER_OF`` tie to one of ``clusters``."""
    if not org_ids:
        return set()
    ties = store.relationships_of(sorted(org_ids))
    return {
        rel.source
        for rel in ties
        if rel.type is RelType.MEMBER_OF and rel.target in clusters and rel.source in org_ids
    }


def _refused(
    person: Person, store: GraphStore, org_ids: Iterable[str], rel_keys: Iterable[RelKey]
) -> list[str]:
    """The records (entity names) a scoped editor may not write, in the order given."""
    org_ids, rel_keys = list(org_ids), list(rel_keys)
    clusters = set(person.clusters)
    ends = set(org_ids) | {key[0] for key in rel_keys} | {key[2] for key in rel_keys}
    stored = set(store.organization_kinds(ends))
    scope = clusters | _members(store, clusters, stored - clusters)
    refused = [org_id for org_id in org_ids if org_id in stored and org_id not in scope]
    for source, rel_type, target in rel_keys:
        member_tie = rel_type == RelType.MEMBER_OF.value and target in clusters
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
