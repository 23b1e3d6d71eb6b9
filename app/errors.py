"""The exceptions EcoMap raises. Catch :class:`EcoMapError` to catch them all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_QUOTED",
    "AuthenticationError",
    "BudgetExceededError",
    "ConfigurationError",
    "ConflictError",
    "EcoMapError",
    "ImportValidationError",
    "InvalidInputError",
    "NotFoundError",
    "PermissionDeniedError",
    "PreconditionRequiredError",
    "Problem",
    "QueryTimeoutError",
    "StaleReadError",
    "StoreBusyError",
    "StoreError",
    "VersionConflictError",
    "excerpt",
]

#: Longest excerpt of a value that any message quotes (a 400 MB cell is quoted by its first
#: characters); see :func:`excerpt`.
MAX_QUOTED = 80
#: Longest column name and message a :class:`Problem` carries (a safety net: the messages
#: themselves quote values through :func:`excerpt`).
MAX_COLUMN_TEXT = MAX_QUOTED
MAX_MESSAGE_TEXT = 500


def excerpt(value: object, limit: int = MAX_QUOTED) -> str:
    """``repr(value)``, cut to at most ``limit`` characters of the value (``…`` marks a cut).

    Every message that quotes a value quotes it through this function.

    Examples
    --------
    >>> excerpt("x" * 1000)[:5], len(excerpt("x" * 1000))
    ("'xxxx", 83)
    >>> excerpt("Turin")
    "'Turin'"
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return repr(value[:limit]) + "…"
    if isinstance(value, list | tuple | dict | set):
        return _clip(_container_repr(value, limit), limit)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        return f"a {value.bit_length()}-bit number"  # str() of huge ints is slow or refused
    return _clip(repr(value), limit)


def _container_repr(
    value: list[Any] | tuple[Any, ...] | dict[Any, Any] | set[Any], limit: int
) -> str:
    """The repr of the first items only: a 20,000-item list is not rendered whole."""
    if isinstance(value, dict):
        items = [
            f"{excerpt(k, limit)}: {excerpt(v, limit)}" for k, v in list(value.items())[:limit]
        ]
        return "{" + ", ".join(items) + "}"
    items = [excerpt(v, limit) for v in list(value)[:limit]]
    opening, closing = ("(", ")") if isinstance(value, tuple) else ("[", "]")
    return opening + ", ".join(items) + closing


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit + 2 else text[: limit + 2] + "…"


class EcoMapError(Exception):
    """Root of every error EcoMap raises on purpose."""


class ConfigurationError(EcoMapError):
    """Settings that cannot work (unknown backend, unusable database path, ...)."""


class StoreError(EcoMapError):
    """The graph database failed or refused an operation."""


class QueryTimeoutError(StoreError):
    """A statement ran longer than ``ECOMAP_QUERY_TIMEOUT_S`` (``seconds``) and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"the query took longer than the {seconds:g} s timeout and was stopped; narrow "
            "the filters or raise ECOMAP_QUERY_TIMEOUT_S"
        )


class StaleReadError(StoreError):
    """A write committed while a read session read (Neo4j reads at *read committed*): its
    answer could mix two states, so it is refused; reading again is safe."""


class StoreBusyError(StoreError):
    """Another process holds the database for writing (for example a running ``ecomap serve``)."""


class BudgetExceededError(EcoMapError):
    """A request asks for more work than a stated budget allows (rows, hops, path length,
    analysis size); the message names the budget and how to stay within it (API: 413)."""


class ConflictError(EcoMapError):
    """A change conflicts with what is stored (an organization cannot change kind; API: 409)."""


class VersionConflictError(ConflictError):
    """A write named a version of a record (``If-Match``) that is no longer the stored one:
    someone else changed, created or deleted it meanwhile (API: 409 with the record as
    stored now, ``current``, ``None`` when it is gone, and its ``version``)."""

    def __init__(self, message: str, current: dict[str, Any] | None, version: str | None) -> None:
        self.current = current
        self.version = version
        super().__init__(message)


class PreconditionRequiredError(EcoMapError):
    """A write to an existing record named no version of it (API: 428, send ``If-Match``)."""


class AuthenticationError(EcoMapError):
    """No credentials where they are needed, or a token or key nobody holds (API: 401)."""


class PermissionDeniedError(EcoMapError):
    """The person is known but their role does not allow this (API: 403)."""


class InvalidInputError(EcoMapError):
    """A value the user gave breaks a rule (a person's name, an editor's clusters): the
    message says which and why (CLI: exit 2)."""


class NotFoundError(EcoMapError):
    """An organization (or another addressed object) does not exist."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in an input file, located by file, line and column."""

    file: str
    line: int
    column: str
    message: str

    def __post_init__(self) -> None:
        # A column named by a hostile header, or a message built carelessly, stays short.
        if len(self.column) > MAX_COLUMN_TEXT:
            object.__setattr__(self, "column", self.column[:MAX_COLUMN_TEXT] + "…")
        if len(self.message) > MAX_MESSAGE_TEXT:
            object.__setattr__(self, "message", self.message[:MAX_MESSAGE_TEXT] + "…")

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class ImportValidationError(EcoMapError):
    """Input files with problems; nothing was written. ``problems`` lists every one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = "\n".join(str(p) for p in self.problems[:20])
        more = f"\n... and {count - 20} more" if count > 20 else ""
        super().__init__(f"{count} problem(s) in the input; nothing was imported:\n{head}{more}")
