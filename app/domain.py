"""Pydantic models of the EcoMap data model (DESIGN.md section 2) and their validation rules.

The models accept text as well as typed values: list fields may be ``|``-separated text,
numbers may arrive as text, and empty optional text means "missing". Each rule raises a
message written for the person who typed the value; :mod:`app.ingest` turns the errors into
``FILE:LINE: column: message`` problems. The rules of single fields (caps, id characters, web
addresses, dates) live in :mod:`app.fields`, the rules between records and the stored graph in
:mod:`app.rules`.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.errors import excerpt
from app.fields import (
    MAX_EMPLOYEES,
    MAX_ID_LENGTH,
    MAX_LIST_ITEMS,
    MAX_LONG_TEXT_LENGTH,
    MAX_NAME_LENGTH,
    MAX_WEBSITE_LENGTH,
    MIN_YEAR,
    TYPE_NAME_RE,
    ColumnError,
    OptionalText,
    TextList,
    blank_to_none,
    capped_text,
    check_id,
    check_timestamp,
    check_website,
    check_year_or_date,
    finite_number,
    is_input,
    is_new_id,
    period_end,
    period_start,
    snake,
    text_number,
)
from app.vocabulary import COUNTRY_CODES, COUNTRY_HINTS, SYMMETRIC, Kind, RelType

__all__ = ["Organization", "Relationship", "StoreCounts"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Organization(_Record):
    """A company, institution or cluster: one node of the ecosystem graph.

    Numbers are checked against their range: ``employees`` 0 to :data:`MAX_EMPLOYEES`,
    ``founded`` a year from 1000 to this year, ``lat`` and ``lon`` finite and on the globe.

    Examples
    --------
    >>> org = Organization.model_validate(
    ...     {"id": "acme", "name": "Acme", "kind": "company", "sectors": "C29|M72"}
    ... )
    >>> org.sectors
    ['C29', 'M72']
    """

    id: str = Field(min_length=1, max_length=MAX_ID_LENGTH)
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    kind: Kind
    type: OptionalText = None
    sectors: TextList = Field(default_factory=list)
    tags: TextList = Field(default_factory=list)
    city: OptionalText = None
    region: OptionalText = None
    country: OptionalText = None
    lat: Annotated[float | None, BeforeValidator(finite_number)] = Field(None, ge=-90, le=90)
    lon: Annotated[float | None, BeforeValidator(finite_number)] = Field(None, ge=-180, le=180)
    employees: Annotated[int | None, BeforeValidator(text_number)] = Field(
        None, ge=0, le=MAX_EMPLOYEES
    )
    founded: Annotated[int | None, BeforeValidator(text_number)] = Field(None, ge=MIN_YEAR)
    website: OptionalText = Field(None, max_length=MAX_WEBSITE_LENGTH)
    description: OptionalText = Field(None, max_length=MAX_LONG_TEXT_LENGTH)
    source: OptionalText = None
    updated_at: OptionalText = None
    verified_at: OptionalText = Field(
        None, description="when the record was last confirmed as right (UTC, ISO 8601)"
    )
    verified_by: OptionalText = Field(None, description="who confirmed it (or last edited it)")

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str | None, info: ValidationInfo) -> str | None:
        # ``str | None``: API bodies derive from this model with an optional id
        if value is None or not is_input(info) or not is_new_id(value, info):
            return value
        return check_id(value)

    @field_validator(
        "name", "type", "city", "region", "source", "updated_at", "description", "verified_by"
    )
    @classmethod
    def _text_rules(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or not is_input(info):
            return value
        field = info.field_name or ""
        return capped_text(value, field, multiline=field == "description")

    @field_validator("verified_at")
    @classmethod
    def _timestamp(cls, value: str | None, info: ValidationInfo) -> str | None:
        return value if value is None or not is_input(info) else check_timestamp(value)

    @field_validator("sectors", "tags")
    @classmethod
    def _list_rules(cls, values: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if not values or not is_input(info):
            return values
        if len(values) > MAX_LIST_ITEMS:
            raise ValueError(f"{len(values):,} items; at most {MAX_LIST_ITEMS} are allowed")
        for position, item in enumerate(values, start=1):
            try:
                capped_text(item, info.field_name or "")
            except ValueError as exc:
                raise ValueError(f"item {position}: {exc}") from None
        return values

    @field_validator("kind", mode="before")
    @classmethod
    def _kind_lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("type", mode="before")
    @classmethod
    def _type_snake(cls, value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            return blank_to_none(value)
        normalised = snake(value)
        if not TYPE_NAME_RE.match(normalised):
            raise ValueError(
                f"{excerpt(value)} is not a lower_snake type name (letters, digits, underscores)"
            )
        return normalised

    @field_validator("country", mode="before")
    @classmethod
    def _iso_country(cls, value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            return blank_to_none(value)
        code = value.strip().upper()
        if code not in COUNTRY_CODES:
            hint = COUNTRY_HINTS.get(code)
            suffix = f" (did you mean {hint!r}?)" if hint else ""
            raise ValueError(f"{excerpt(value)} is not an ISO 3166-1 alpha-2 country code{suffix}")
        return code

    @field_validator("lat", "lon")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value

    @field_validator("founded")
    @classmethod
    def _not_in_future(cls, value: int | None) -> int | None:
        if value is not None and value > date.today().year:
            raise ValueError(f"year {excerpt(value)} is in the future")
        return value

    @field_validator("website")
    @classmethod
    def _web_address(cls, value: str | None, info: ValidationInfo) -> str | None:
        return value if value is None or not is_input(info) else check_website(value)

    @model_validator(mode="after")
    def _coordinates_in_pairs(self) -> Organization:
        if (self.lat is None) != (self.lon is None):
            missing = "lat" if self.lat is None else "lon"
            raise ColumnError(missing, "lat and lon must be given together")
        return self


class Relationship(_Record):
    """A typed, weighted tie between two organizations, identified by (source, type, target).

    Symmetric types (``COLLABORATES_WITH``) are normalised so that ``source < target``.

    Examples
    --------
    >>> rel = Relationship.model_validate(
    ...     {"source": "b", "target": "a", "type": "collaborates_with", "weight": "2"}
    ... )
    >>> (rel.source, rel.target, rel.type.value, rel.weight)
    ('a', 'b', 'COLLABORATES_WITH', 2.0)
    """

    source: str = Field(min_length=1, max_length=MAX_ID_LENGTH)
    target: str = Field(min_length=1, max_length=MAX_ID_LENGTH)
    type: RelType
    weight: Annotated[float, BeforeValidator(finite_number)] = Field(1.0, gt=0)
    since: OptionalText = None
    until: OptionalText = None
    evidence: OptionalText = Field(None, max_length=MAX_LONG_TEXT_LENGTH)
    updated_at: OptionalText = None

    @field_validator("source", "target")
    @classmethod
    def _valid_endpoint(cls, value: str | None, info: ValidationInfo) -> str | None:
        return check_id(value) if value is not None and is_input(info) else value

    @field_validator("evidence", "updated_at", "since", "until", mode="before")
    @classmethod
    def _text_rules(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str) or not is_input(info):
            return value
        field = info.field_name or ""
        return capped_text(value, field, multiline=field == "evidence")

    @field_validator("type", mode="before")
    @classmethod
    def _type_upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("weight", mode="before")
    @classmethod
    def _default_weight(cls, value: Any) -> Any:
        return 1.0 if blank_to_none(value) is None else value

    @field_validator("weight")
    @classmethod
    def _finite_weight(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value

    @field_validator("target")
    @classmethod
    def _not_a_self_loop(cls, value: str, info: ValidationInfo) -> str:
        if value == info.data.get("source"):
            raise ValueError("a relationship cannot connect an organization to itself")
        return value

    @field_validator("since", "until")
    @classmethod
    def _year_or_date(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = check_year_or_date(value)
        since: str | None = info.data.get("since")
        if (
            info.field_name == "until"
            and value
            and since
            and period_end(value) < period_start(since)
        ):
            raise ValueError(f"until ({value}) is before since ({since})")  # both checked
        return value

    @model_validator(mode="after")
    def _symmetric_direction(self) -> Relationship:
        if self.type in SYMMETRIC and self.source > self.target:
            source, target = self.target, self.source
            object.__setattr__(self, "source", source)  # frozen model: normalise once, here
            object.__setattr__(self, "target", target)
        return self

    @property
    def key(self) -> tuple[str, str, str]:
        """The identity of a relationship: (source, type, target)."""
        return (self.source, self.type.value, self.target)


class StoreCounts(BaseModel):
    """What ``ecomap stats --json`` prints."""

    nodes: int
    relationships: int
    by_kind: dict[str, int]
    by_type: dict[str, int]
