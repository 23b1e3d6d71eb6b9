"""People: add, list and remove the people who use the map through the API, and tell who
is sending a request.

A person has a name, a role (viewer, editor, admin; what each may do is
:mod:`app.services.access`'s rule) and, for an editor, perhaps clusters. Their token is shown
once, when they are added; the store keeps only its digest. The CLI manages people: whoever
runs it on the database is its admin.

On the API, ``ECOMAP_API_KEY`` (header ``X-API-Key``) is an admin named ``api-key``. With no
key, no person and reads open, whoever reaches the server is an admin named ``anonymous``,
as before people existed (a local, single-user setup); once a person exists (or a key is
set, or reads need a token) writes need a token.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.errors import AuthenticationError, ConflictError, InvalidInputError, NotFoundError, excerpt
from app.people import ROLES, Role, User, new_token, token_digest
from app.store.base import GraphStore
from app.vocabulary import Kind

__all__ = [
    "ANONYMOUS",
    "API_KEY_PERSON",
    "MAX_NAME_LENGTH",
    "NewUser",
    "Person",
    "UserInfo",
    "add_user",
    "check_name",
    "identify",
    "list_users",
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
