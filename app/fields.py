"""What a valid value of one field is: the caps on every text and list, the id character
set, web addresses, years and dates, numbers typed as text.

The record models of :mod:`app.domain` are built from these rules; the readers of
:mod:`app.ingest` derive their own caps and messages from the same constants. Each rule
raises a message written for the person who typed the value, quoting at most a short
excerpt of it (:func:`app.errors.excerpt`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo

from app.errors import excerpt

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
    "MIN_YEAR",
    "STORED",
    "TEXT_CAPS",
    "TYPE_NAME_RE",
    "ColumnError",
    "OptionalText",
    "TextList",
    "blank_to_none",
    "capped_text",
    "check_id",
    "check_text",
    "check_timestamp",
    "check_website",
    "check_year_or_date",
    "each_text",
    "existing_id",
    "finite_number",
    "is_input",
    "is_new_id",
    "period_end",
    "period_start",
    "snake",
    "split_list",
    "text_number",
]

LIST_SEPARATOR = "|"
TYPE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
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
MIN_YEAR = 1000
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
#: ``type``, ``city``, ``region``, ``source``, ``since``, ``until``, ``updated_at``,
#: ``verified_at``, ``verified_by``.
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
        ("type", "city", "region", "since", "until", "updated_at", "verified_at", "verified_by"),
        MAX_SHORT_TEXT_LENGTH,
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


def blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def split_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(LIST_SEPARATOR)
    if isinstance(value, list | tuple):
        return [item.strip() if isinstance(item, str) else item for item in value if item != ""]
    return value


def snake(text: str) -> str:
    """``"Research Institute"`` -> ``"research_institute"``."""
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def each_text(values: Any, convert: Callable[[str], str]) -> Any:
    """Apply ``convert`` to the text items of a list; leave anything else to validation."""
    if isinstance(values, list):
        return [convert(v) if isinstance(v, str) else v for v in values]
    return values


def text_number(value: Any) -> Any:
    """Blank text is missing; booleans are not numbers; pydantic parses the rest."""
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    return blank_to_none(value)


def finite_number(value: Any) -> Any:
    """As :func:`text_number`, and ``inf``/``nan`` (or a number too large for a float) are
    refused before any range check, whose message would be misleading for them."""
    value = text_number(value)
    if isinstance(value, str | int | float):
        try:
            number = float(value)
        except (ValueError, OverflowError):
            return value  # not a number, or an integer beyond floats: validation says so
        if not math.isfinite(number):
            raise ValueError("must be a finite number")
    return value


OptionalText = Annotated[str | None, BeforeValidator(blank_to_none)]
TextList = Annotated[list[str], BeforeValidator(split_list)]

#: Validation context for rows read back from a store (``model_validate(row, context=STORED)``):
#: the input rules added after data may have been written (caps on short texts and lists,
#: the id character set, control characters, web addresses) are not applied again, so that
#: older data stays readable. Everything else validates input: the rules apply by default.
STORED: dict[str, bool] = {"stored": True}


def is_input(info: ValidationInfo) -> bool:
    return not (isinstance(info.context, dict) and info.context.get("stored"))


def existing_id(org_id: str) -> dict[str, str]:
    """Validation context for new values of a stored organization: its id, stored before
    the id rule of :func:`check_id` may have existed, stays valid (every other field is
    checked as input)."""
    return {"existing_id": org_id}


def is_new_id(value: str, info: ValidationInfo) -> bool:
    """True unless ``value`` is the id the validation context names as stored."""
    return not (isinstance(info.context, dict) and info.context.get("existing_id") == value)


def capped_text(value: str, field: str, *, multiline: bool = False) -> str:
    """``value`` within the cap of ``field`` (:data:`TEXT_CAPS`) and without control
    characters."""
    cap = TEXT_CAPS[field]
    if len(value) > cap:
        raise ValueError(
            f"{len(value):,} characters; at most {cap:,} are allowed (got {excerpt(value)})"
        )
    check_text(value, multiline=multiline)
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


def check_text(value: str | None, *, multiline: bool = False) -> str | None:
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


def check_year_or_date(value: str | None) -> str | None:
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
    if int(value[:4]) < MIN_YEAR:
        raise ValueError(f"year {value[:4]} is out of range")
    return value


def check_timestamp(value: str | None) -> str | None:
    """Accept an ISO date (``2025-03-31``) or date and time (``2025-03-31T09:30:00Z``, any
    offset); a time comes back in UTC as ``YYYY-MM-DDTHH:MM:SSZ``, so that timestamps compare
    as text in both databases (a date stands for the start of its day).

    >>> check_timestamp("2025-03-31T11:30+02:00"), check_timestamp("2025-03-31")
    ('2025-03-31T09:30:00Z', '2025-03-31')
    """
    if value is None:
        return None
    text = value.strip()
    if len(text) == 10:
        return check_year_or_date(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"expected an ISO date (2025-03-31) or date and time (2025-03-31T09:30:00Z), "
            f"got {excerpt(value)}"
        ) from None
    if moment.year < MIN_YEAR:
        raise ValueError(f"year {moment.year} is out of range")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # a time without offset is taken as UTC
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def period_start(value: str) -> str:
    return value if len(value) > 4 else f"{value}-01-01"


def period_end(value: str) -> str:
    return value if len(value) > 4 else f"{value}-12-31"
