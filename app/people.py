"""People who use a shared map, and what their role lets them do.

A person has a name, a role and a token. The token is shown once, when the person is added,
and stored only as its SHA-256 digest: whoever holds the database cannot read a token back.
A *viewer* reads; an *editor* also writes, only to the organizations of their ``clusters``
(and their ties) when they have some; an *admin* also manages people.

Examples
--------
>>> token = new_token()
>>> len(token) >= 40, token_digest(token) == token_digest(token), token_digest(token) != token
(True, True, True)
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ROLES", "Role", "User", "new_token", "token_digest"]

Role = Literal["viewer", "editor", "admin"]
#: The roles, least to most rights.
ROLES: tuple[str, ...] = get_args(Role)


class User(BaseModel):
    """A person: name, role, the clusters an editor is limited to (none: all), the digest
    of their token, and when they were added (UTC, ISO 8601)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=100)
    role: Role
    clusters: list[str] = Field(default_factory=list)
    token_digest: str = Field(min_length=64, max_length=64)
    created_at: str


def new_token() -> str:
    """A fresh random token (256 bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The SHA-256 digest of a token, as stored (hex)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
