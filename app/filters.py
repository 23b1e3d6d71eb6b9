"""FilterSpec: which part of the ecosystem to look at (DESIGN.md section 5), one model for
CLI options, API query parameters and bodies, notebook keywords and the explorer's URL.

Every field names its parameter once (:func:`_filter`); :meth:`FilterSpec.parameters` hands
the list to the CLI (:mod:`app.cli.filters`), the API (:mod:`app.api.filters`) and the
notebook, and each store turns a spec into Cypher clauses (:mod:`app.store.filtering`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.fields import INT64_MAX, ColumnError, check_timestamp, each_text, snake
from app.vocabulary import Kind, RelType

__all__ = ["FilterSpec"]


def _filter(parameter: str, description: str, *, scalar: bool = False, **bounds: Any) -> Any:
    """A FilterSpec field: a list (empty: no constraint) or, ``scalar``, a value (None: no
    constraint). ``parameter`` names it in the CLI (``--kind``), in API query strings and in
    the explorer's URL (``kind``); every other place derives its list from these fields."""
    extra: dict[str, Any] = {
        "description": description,
        "json_schema_extra": {"parameter": parameter},
    }
    if scalar:
        return Field(None, **bounds, **extra)
    return Field(default_factory=list, **bounds, **extra)


class FilterSpec(BaseModel):
    """Which part of the ecosystem to look at; one model for CLI options, API bodies, notebooks.

    Within a list field any value may match (OR); across fields all must match (AND). Empty
    means no constraint. ``sectors`` match by prefix (``C29`` selects ``C29.1`` and
    ``C29.10``); ``regions`` and ``search`` ignore case; ``clusters`` selects the members of
    those clusters; ``rel_types`` restricts the relationships, not the organizations.
    Numbers are bounded by what the databases take (64-bit integers, :data:`INT64_MAX`).

    Examples
    --------
    >>> FilterSpec(kinds=["company"], countries=["it"], min_employees=10).countries
    ['IT']
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kinds: list[Kind] = _filter("kind", "company, institution or cluster (repeatable)")
    types: list[str] = _filter("type", "organization type, e.g. startup, university (repeatable)")
    sectors: list[str] = _filter(
        "sector", "sector code prefix: C29 selects C29.1 and C29.10 (repeatable)"
    )
    regions: list[str] = _filter("region", "region, any case (repeatable)")
    countries: list[str] = _filter("country", "ISO 3166-1 alpha-2 country code (repeatable)")
    clusters: list[str] = _filter("cluster", "members of this cluster id (repeatable)")
    tags: list[str] = _filter("tag", "tag (repeatable)")
    rel_types: list[RelType] = _filter("rel_type", "only these relationship types (repeatable)")
    min_employees: int | None = _filter(
        "min_employees", "at least this many employees", scalar=True, ge=0, le=INT64_MAX
    )
    max_employees: int | None = _filter(
        "max_employees", "at most this many employees", scalar=True, ge=0, le=INT64_MAX
    )
    founded_from: int | None = _filter(
        "founded_from", "founded in or after this year", scalar=True, ge=-INT64_MAX, le=INT64_MAX
    )
    founded_to: int | None = _filter(
        "founded_to", "founded in or before this year", scalar=True, ge=-INT64_MAX, le=INT64_MAX
    )
    search: str | None = _filter(
        "search", "case-insensitive part of the name", scalar=True, max_length=500
    )
    stale_since: str | None = _filter(
        "stale_since",
        "never verified, or last verified before this ISO date (or date and time)",
        scalar=True,
        max_length=40,
    )
    limit: int | None = Field(
        None, ge=1, le=INT64_MAX, description="cap on organizations; None: the store's"
    )

    @field_validator("kinds", mode="before")
    @classmethod
    def _kinds_lower(cls, values: Any) -> Any:
        return each_text(values, lambda text: text.strip().lower())

    @field_validator("rel_types", mode="before")
    @classmethod
    def _rel_types_upper(cls, values: Any) -> Any:
        return each_text(values, lambda text: text.strip().upper())

    @field_validator("types", mode="before")
    @classmethod
    def _types_snake(cls, values: Any) -> Any:
        return each_text(values, snake)

    @field_validator("stale_since")
    @classmethod
    def _stale_since_timestamp(cls, value: str | None) -> str | None:
        return check_timestamp(value) if value else None

    @field_validator("countries")
    @classmethod
    def _countries_upper(cls, values: list[str]) -> list[str]:
        return [v.upper() for v in values]

    @model_validator(mode="after")
    def _ranges_in_order(self) -> FilterSpec:
        pairs = (("min_employees", "max_employees"), ("founded_from", "founded_to"))
        for low, high in pairs:
            low_value, high_value = getattr(self, low), getattr(self, high)
            if low_value is not None and high_value is not None and low_value > high_value:
                raise ColumnError(high, f"{high} ({high_value}) is below {low} ({low_value})")
        return self

    @classmethod
    def parameters(cls) -> dict[str, str]:
        """Each constraint's field name -> its parameter name (``{"kinds": "kind", ...}``),
        in declaration order; ``limit`` is not a filter.

        Examples
        --------
        >>> list(FilterSpec.parameters().items())[:2]
        [('kinds', 'kind'), ('types', 'type')]
        """
        return {
            name: str(field.json_schema_extra["parameter"])
            for name, field in cls.model_fields.items()
            if isinstance(field.json_schema_extra, dict)
        }

    def is_empty(self) -> bool:
        """True when nothing is constrained (``limit`` aside)."""
        return not any(v for k, v in self.model_dump().items() if k != "limit")
