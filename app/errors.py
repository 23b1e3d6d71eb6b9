"""The exceptions EcoMap raises. Catch :class:`EcoMapError` to catch them all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BudgetExceededError",
    "ConfigurationError",
    "EcoMapError",
    "ImportValidationError",
    "NotFoundError",
    "Problem",
    "QueryTimeoutError",
    "StaleReadError",
    "StoreBusyError",
    "StoreError",
]


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


class NotFoundError(EcoMapError):
    """An organization (or another addressed object) does not exist."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in an input file, located by file, line and column."""

    file: str
    line: int
    column: str
    message: str

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
