"""Dismissed missing-link suggestions: a pair of organizations a person has said should not
be suggested again.

A dismissal names the pair once, smaller id first (``source < target``), whichever way round
it was suggested; the method and score of the suggestion dismissed; who dismissed it and when
(UTC, ISO 8601). The stores keep one dismissal per pair (:meth:`~app.store.base.GraphStore.
dismiss_link`); the analyses never suggest a dismissed pair (:mod:`app.services.suggestions`).

Examples
--------
>>> d = Dismissal(source="zeta", target="acme", method="ra", score=0.5, by="ana",
...               at="2026-01-02T03:04:05Z")
>>> d.source, d.target, d.pair
('acme', 'zeta', ('acme', 'zeta'))
>>> dismissal_key("zeta", "acme")
'["acme", "zeta"]'
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph_analytics.links import LinkMethod

__all__ = ["Dismissal", "DismissedPage", "dismissal_key", "normalized_pair"]


def normalized_pair(source: str, target: str) -> tuple[str, str]:
    """The pair ``(source, target)`` as it is stored: smaller id first.

    >>> normalized_pair("b", "a")
    ('a', 'b')
    """
    return (source, target) if source <= target else (target, source)


def dismissal_key(source: str, target: str) -> str:
    """The key a store finds a pair's dismissal by (either order): the normalized pair as
    JSON, which no two pairs share whatever their ids hold."""
    return json.dumps(list(normalized_pair(source, target)), ensure_ascii=False)


class Dismissal(BaseModel):
    """A dismissed suggestion: the pair (``source < target``), the suggestion's ``method``
    and ``score``, who dismissed it (``by``) and when (``at``, UTC ISO 8601)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1, max_length=1000)
    target: str = Field(min_length=1, max_length=1000)
    method: LinkMethod
    score: float = Field(allow_inf_nan=False)
    by: str = Field(min_length=1, max_length=200)
    at: str = Field(min_length=1, max_length=40)

    @model_validator(mode="before")
    @classmethod
    def _normalized(cls, data: Any) -> Any:
        """Store the pair smaller id first; refuse an organization paired with itself."""
        if isinstance(data, dict):
            source, target = data.get("source"), data.get("target")
            if isinstance(source, str) and isinstance(target, str):
                if source == target:
                    raise ValueError(f"a suggestion pairs two organizations, not {source!r} twice")
                data = {**data, "source": min(source, target), "target": max(source, target)}
        return data

    @property
    def pair(self) -> tuple[str, str]:
        """``(source, target)``."""
        return self.source, self.target

    @property
    def key(self) -> str:
        """The store's key of the pair (:func:`dismissal_key`)."""
        return dismissal_key(self.source, self.target)


class DismissedPage(BaseModel):
    """One page of the dismissed suggestions, newest first (``ecomap suggestions dismissed
    --json`` and ``GET /api/suggestions/dismissed``)."""

    items: list[Dismissal]
    offset: int
    limit: int
    has_more: bool
