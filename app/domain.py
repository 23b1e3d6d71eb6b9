"""Pydantic models of the EcoMap data model (DESIGN.md section 2) and their validation rules.

The models accept text as well as typed values: list fields may be ``|``-separated text,
numbers may arrive as text, and empty optional text means "missing". Each rule raises a
message written for the person who typed the value; :mod:`app.ingest` turns the errors into
``FILE:LINE: column: message`` problems.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
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
from app.vocabulary import COUNTRY_CODES, COUNTRY_HINTS, ENDPOINTS, SYMMETRIC, Kind, RelType

__all__ = [
    "ID_FORBIDDEN",
    "INT64_MAX",
    "LIST_SEPARATOR",
    "MAX_CELL_LENGTH",
    "MAX_EMPLOYEES",
    "MAX_ID_LENGTH",
    "MAX_LIST_ITEMS",
    "MAX_LIST_ITEM_LENGTH",
    "MAX_LONG_TEXT_LENGTH",
    "MAX_NAME_LENGTH",
    "MAX_SHORT_TEXT_LENGTH",
    "MAX_WEBSITE_LENGTH",
    "STORED",
    "TEXT_CAPS",
    "ColumnError",
    "FilterSpec",
    "Organization",
    "Relationship",
    "StoreCounts",
    "check_id",
    "check_website",
    "endpoint_problem",
]

LIST_SEPARATOR = "|"
_TYPE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SPACE_RE = re.compile(r"\s")
#: C0 and C1 control characters (ANSI escapes start with one) and lone surrogates (text that
#: cannot be written as UTF-8): refused in every text field.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
#: The same, but tabs and line breaks are allowed (``description``, ``evidence``).
_CONTROL_MULTILINE_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_WEB_RE = re.compile(r"^https?://[^\s/?#\\]+(?:[/?#]\S*)?$", re.IGNORECASE)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: A host name without a scheme (``www.example.org/about``): ``https://`` is put in front.
_BARE_HOST_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+(?::\d{{1,5}})?(?:[/?#]\S*)?$")
_MIN_YEAR = 1000
#: Largest ``employees`` an organization may have: far above any real employer (the largest
#: have about two million), so that a typo of extra digits is an input error.
MAX_EMPLOYEES = 10_000_000
#: Numbers reach the databases as 64-bit integers: the bound of every other integer field.
INT64_MAX = 2**63 - 1

# -- caps on every text and list field (the readers and messages derive from these) -------
#: Organization ids and relationship endpoints.
MAX_ID_LENGTH = 200
#: Organization names.
MAX_NAME_LENGTH = 500
#: ``type``, ``city``, ``region``, ``source``, ``since``, ``until``, ``updated_at``.
MAX_SHORT_TEXT_LENGTH = 200
#: ``website``.
MAX_WEBSITE_LENGTH = 2000
#: ``description`` and ``evidence``.
MAX_LONG_TEXT_LENGTH = 20_000
#: Items of a list field (``sectors``, ``tags``), and the length of each item.
MAX_LIST_ITEMS = 200
MAX_LIST_ITEM_LENGTH = 200
#: Any one cell a reader accepts (CSV, .xlsx, JSON value), before the per-field caps: the
#: longest field with its list separators fits (and it is the csv module's own default).
MAX_CELL_LENGTH = 131_072
#: Characters an id may not contain (besides control and invisible characters): an id must
#: be a URL path segment that round-trips (``/api/organizations/{id}``).
ID_FORBIDDEN = "/\\?#%"

#: Longest text of each text field, for messages and tests (list fields: per item).
TEXT_CAPS: dict[str, int] = {
    "id": MAX_ID_LENGTH,
    "source": MAX_ID_LENGTH,
    "target": MAX_ID_LENGTH,
    "name": MAX_NAME_LENGTH,
    **dict.fromkeys(
        ("type", "city", "region", "since", "until", "updated_at"), MAX_SHORT_TEXT_LENGTH
    ),
    "website": MAX_WEBSITE_LENGTH,
    **dict.fromkeys(("description", "evidence"), MAX_LONG_TEXT_LENGTH),
    **dict.fromkeys(("sectors", "tags"), MAX_LIST_ITEM_LENGTH),
}


class ColumnError(ValueError):
    """A rule that involves several fields but is reported against one column."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _split_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(LIST_SEPARATOR)
    if isinstance(value, list | tuple):
        return [item.strip() if isinstance(item, str) else item for item in value if item != ""]
    return value


def _snake(text: str) -> str:
    """``"Research Institute"`` -> ``"research_institute"``."""
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def _each_text(values: Any, convert: Callable[[str], str]) -> Any:
    """Apply ``convert`` to the text items of a list; leave anything else to validation."""
    if isinstance(values, list):
        return [convert(v) if isinstance(v, str) else v for v in values]
    return values


def _text_number(value: Any) -> Any:
    """Blank text is missing; booleans are not numbers; pydantic parses the rest."""
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    return _blank_to_none(value)


def _finite_number(value: Any) -> Any:
    """As :func:`_text_number`, and ``inf``/``nan`` (or a number too large for a float) are
    refused before any range check, whose message would be misleading for them."""
    value = _text_number(value)
    if isinstance(value, str | int | float):
        try:
            number = float(value)
        except (ValueError, OverflowError):
            return value  # not a number, or an integer beyond floats: validation says so
        if not math.isfinite(number):
            raise ValueError("must be a finite number")
    return value


OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]
TextList = Annotated[list[str], BeforeValidator(_split_list)]

#: Validation context for rows read back from a store (``model_validate(row, context=STORED)``):
#: the input rules added after data may have been written (caps on short texts and lists,
#: the id character set, control characters, web addresses) are not applied again, so that
#: older data stays readable. Everything else validates input: the rules apply by default.
STORED: dict[str, bool] = {"stored": True}


def _is_input(info: ValidationInfo) -> bool:
    return not (isinstance(info.context, dict) and info.context.get("stored"))


def _capped_text(value: str, field: str, *, multiline: bool = False) -> str:
    """``value`` within the cap of ``field`` (:data:`TEXT_CAPS`) and without control
    characters."""
    cap = TEXT_CAPS[field]
    if len(value) > cap:
        raise ValueError(
            f"{len(value):,} characters; at most {cap:,} are allowed (got {excerpt(value)})"
        )
    _check_text(value, multiline=multiline)
    return value


def check_id(value: str) -> str:
    """Refuse an id that cannot round-trip through a URL path segment.

    An id is 1 to :data:`MAX_ID_LENGTH` printable characters (letters, marks, digits,
    punctuation, symbols and the plain space; :meth:`str.isprintable`), none of
    :data:`ID_FORBIDDEN` (``/ \\ ? # %``), and not ``.`` or ``..``. Surrounding whitespace is
    removed before the check.
    """
    for position, char in enumerate(value, start=1):
        if char in ID_FORBIDDEN:
            raise ValueError(
                f"{excerpt(value)} is not a valid id: {char!r} at position {position} "
                f"(ids are printable text without {' '.join(ID_FORBIDDEN)})"
            )
        if not char.isprintable():
            raise ValueError(
                f"{excerpt(value)} is not a valid id: a control or invisible character "
                f"(U+{ord(char):04X}) at position {position}"
            )
    if value in (".", ".."):
        raise ValueError(f"{value!r} is not a valid id (it would address another URL path)")
    return value


def _check_text(value: str | None, *, multiline: bool = False) -> str | None:
    """Refuse control characters (tabs and line breaks too, unless ``multiline``) and lone
    surrogates."""
    if value is None:
        return None
    found = (_CONTROL_MULTILINE_RE if multiline else _CONTROL_RE).search(value)
    if found:
        raise ValueError(
            f"must not contain control characters (U+{ord(found.group()):04X} at position "
            f"{found.start() + 1})"
        )
    return value


def check_website(value: str) -> str:
    """Accept ``http://host...`` and ``https://host...`` only; a bare host name
    (``www.example.org``) gets ``https://`` in front. Anything else (``javascript:``,
    ``//host``, ``mailto:``, control characters, spaces) is refused."""
    if _SPACE_RE.search(value) or _CONTROL_RE.search(value):
        raise ValueError("a web address cannot contain spaces or control characters")
    if _WEB_RE.match(value):
        return value
    if _BARE_HOST_RE.match(value):
        normalised = f"https://{value}"
        if len(normalised) > MAX_WEBSITE_LENGTH:
            raise ValueError(f"a web address has at most {MAX_WEBSITE_LENGTH} characters")
        return normalised
    raise ValueError(
        f"expected an http:// or https:// address (or a host name such as www.example.org), "
        f"got {excerpt(value)}"
    )


def _check_year_or_date(value: str | None) -> str | None:
    """Accept ``YYYY`` or ``YYYY-MM-DD`` (a real calendar date)."""
    if value is None:
        return None
    is_year = len(value) == 4 and value.isascii() and value.isdigit()
    if not is_year:
        if not (len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii()):
            raise ValueError(
                f"expected a year (2019) or an ISO date (2019-05-31), got {excerpt(value)}"
            )
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{excerpt(value)} is not a valid calendar date") from None
    if int(value[:4]) < _MIN_YEAR:
        raise ValueError(f"year {value[:4]} is out of range")
    return value


def _period_start(value: str) -> str:
    return value if len(value) > 4 else f"{value}-01-01"


def _period_end(value: str) -> str:
    return value if len(value) > 4 else f"{value}-12-31"


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
    lat: Annotated[float | None, BeforeValidator(_finite_number)] = Field(None, ge=-90, le=90)
    lon: Annotated[float | None, BeforeValidator(_finite_number)] = Field(None, ge=-180, le=180)
    employees: Annotated[int | None, BeforeValidator(_text_number)] = Field(
        None, ge=0, le=MAX_EMPLOYEES
    )
    founded: Annotated[int | None, BeforeValidator(_text_number)] = Field(None, ge=_MIN_YEAR)
    website: OptionalText = Field(None, max_length=MAX_WEBSITE_LENGTH)
    description: OptionalText = Field(None, max_length=MAX_LONG_TEXT_LENGTH)
    source: OptionalText = None
    updated_at: OptionalText = None

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str | None, info: ValidationInfo) -> str | None:
        # ``str | None``: API bodies derive from this model with an optional id
        return check_id(value) if value is not None and _is_input(info) else value

    @field_validator("name", "type", "city", "region", "source", "updated_at", "description")
    @classmethod
    def _text_rules(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or not _is_input(info):
            return value
        field = info.field_name or ""
        return _capped_text(value, field, multiline=field == "description")

    @field_validator("sectors", "tags")
    @classmethod
    def _list_rules(cls, values: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if not values or not _is_input(info):
            return values
        if len(values) > MAX_LIST_ITEMS:
            raise ValueError(f"{len(values):,} items; at most {MAX_LIST_ITEMS} are allowed")
        for position, item in enumerate(values, start=1):
            try:
                _capped_text(item, info.field_name or "")
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
            return _blank_to_none(value)
        normalised = _snake(value)
        if not _TYPE_RE.match(normalised):
            raise ValueError(
                f"{excerpt(value)} is not a lower_snake type name (letters, digits, underscores)"
            )
        return normalised

    @field_validator("country", mode="before")
    @classmethod
    def _iso_country(cls, value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            return _blank_to_none(value)
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
        return value if value is None or not _is_input(info) else check_website(value)

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
    weight: Annotated[float, BeforeValidator(_finite_number)] = Field(1.0, gt=0)
    since: OptionalText = None
    until: OptionalText = None
    evidence: OptionalText = Field(None, max_length=MAX_LONG_TEXT_LENGTH)
    updated_at: OptionalText = None

    @field_validator("source", "target")
    @classmethod
    def _valid_endpoint(cls, value: str | None, info: ValidationInfo) -> str | None:
        return check_id(value) if value is not None and _is_input(info) else value

    @field_validator("evidence", "updated_at", "since", "until", mode="before")
    @classmethod
    def _text_rules(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str) or not _is_input(info):
            return value
        field = info.field_name or ""
        return _capped_text(value, field, multiline=field == "evidence")

    @field_validator("type", mode="before")
    @classmethod
    def _type_upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("weight", mode="before")
    @classmethod
    def _default_weight(cls, value: Any) -> Any:
        return 1.0 if _blank_to_none(value) is None else value

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
        value = _check_year_or_date(value)
        since: str | None = info.data.get("since")
        if (
            info.field_name == "until"
            and value
            and since
            and _period_end(value) < _period_start(since)
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


def endpoint_problem(rel_type: RelType, source_kind: Kind, target_kind: Kind) -> str | None:
    """Say why ``source_kind -[rel_type]-> target_kind`` is not allowed, or ``None`` if it is."""
    sources, targets = ENDPOINTS[rel_type]
    if source_kind in sources and target_kind in targets:
        return None
    if rel_type in SYMMETRIC and target_kind in sources and source_kind in targets:
        return None
    allowed_from = "/".join(sorted(k.value for k in sources))
    allowed_to = "/".join(sorted(k.value for k in targets))
    return (
        f"{rel_type.value} goes from {allowed_from} to {allowed_to}, "
        f"not from {source_kind.value} to {target_kind.value}"
    )


class StoreCounts(BaseModel):
    """What ``ecomap stats --json`` prints."""

    nodes: int
    relationships: int
    by_kind: dict[str, int]
    by_type: dict[str, int]


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

    kinds: list[Kind] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    clusters: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    rel_types: list[RelType] = Field(default_factory=list)
    min_employees: int | None = Field(None, ge=0, le=INT64_MAX)
    max_employees: int | None = Field(None, ge=0, le=INT64_MAX)
    founded_from: int | None = Field(None, ge=-INT64_MAX, le=INT64_MAX)
    founded_to: int | None = Field(None, ge=-INT64_MAX, le=INT64_MAX)
    search: str | None = Field(None, max_length=500)
    limit: int | None = Field(
        None, ge=1, le=INT64_MAX, description="cap on organizations; None: the store's"
    )

    @field_validator("kinds", mode="before")
    @classmethod
    def _kinds_lower(cls, values: Any) -> Any:
        return _each_text(values, lambda text: text.strip().lower())

    @field_validator("rel_types", mode="before")
    @classmethod
    def _rel_types_upper(cls, values: Any) -> Any:
        return _each_text(values, lambda text: text.strip().upper())

    @field_validator("types", mode="before")
    @classmethod
    def _types_snake(cls, values: Any) -> Any:
        return _each_text(values, _snake)

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

    def is_empty(self) -> bool:
        """True when nothing is constrained (``limit`` aside)."""
        return not any(v for k, v in self.model_dump().items() if k != "limit")
