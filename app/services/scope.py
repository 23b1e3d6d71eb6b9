"""A selection in words: what the filters of a report or a printed map select.

Examples
--------
>>> from app.filters import FilterSpec
>>> scope_text(FilterSpec(clusters=["cl-x"], countries=["IT"]), {"cl-x": "Textile District"})
'country: IT; cluster: Textile District'
>>> scope_text(FilterSpec(), {})
'the whole ecosystem (no filters)'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.filters import FilterSpec

__all__ = ["WHOLE", "describe_filters", "scope_text"]

#: How a selection without filters reads.
WHOLE = "the whole ecosystem (no filters)"

#: How the filter fields read (a report's header, a printed map's subtitle): label, value.
_FILTER_LABELS = {
    "kinds": ("kind", "{}"),
    "types": ("type", "{}"),
    "sectors": ("sector", "{}"),
    "regions": ("region", "{}"),
    "countries": ("country", "{}"),
    "clusters": ("cluster", "{}"),
    "tags": ("tag", "{}"),
    "rel_types": ("relationships", "{}"),
    "min_employees": ("employees", "at least {:,}"),
    "max_employees": ("employees", "at most {:,}"),
    "founded_from": ("founded", "in or after {}"),
    "founded_to": ("founded", "in or before {}"),
    "search": ("name contains", "\u201c{}\u201d"),
    "stale_since": ("not verified since", "{}"),
    "limit": ("cap", "{:,} organizations"),
}


def _text(value: Any) -> str:
    return str(getattr(value, "value", value))


def describe_filters(spec: FilterSpec, names: Mapping[str, str]) -> list[list[str]]:
    """``[[label, value], ...]`` for each constrained field of ``spec``, in plain words.

    >>> describe_filters(FilterSpec(kinds=["company"], min_employees=1000, search="fab"), {})
    [['kind', 'company'], ['employees', 'at least 1,000'], ['name contains', '“fab”']]
    """
    rows = []
    for field, (label, shape) in _FILTER_LABELS.items():
        value = getattr(spec, field)
        if value is None or value == []:
            continue
        if field == "clusters":
            value = [names.get(c, c) for c in value]
        if isinstance(value, list):
            rows.append([label, ", ".join(_text(v) for v in value)])
        else:
            rows.append([label, shape.format(value)])
    return rows


def scope_text(spec: FilterSpec, names: Mapping[str, str]) -> str:
    """The filters of ``spec`` in one line (``label: value; ...``), or :data:`WHOLE`."""
    rows = describe_filters(spec, names)
    return "; ".join(f"{label}: {value}" for label, value in rows) if rows else WHOLE
