"""The values a filter panel offers: kinds, types, sectors, regions, countries, clusters, tags.

Computed from the organizations themselves, so a panel never offers a value that matches
nothing. The API keeps the answer per store version (``app.api.deps.Memo``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from app.fields import INT64_MAX
from app.filters import FilterSpec
from app.sectors import SECTIONS, sector_section
from app.store.base import GraphStore
from app.vocabulary import Kind, RelType

__all__ = ["facets", "no_facets"]


def _counted(values: Iterable[Any]) -> list[dict[str, Any]]:
    counts = Counter(str(v) for v in values if v not in (None, ""))
    return [{"value": v, "count": n} for v, n in sorted(counts.items(), key=lambda i: i[0])]


def _rel_types() -> list[str]:
    return [t.value for t in RelType if t is not RelType.MEMBER_OF]


def no_facets() -> dict[str, Any]:
    """The shape of :func:`facets` without a value: what a page shows before its reader
    signs in, when reads need a token."""
    lists = ("kinds", "types", "sectors", "regions", "countries", "tags", "clusters")
    return {"organizations": 0, **{key: [] for key in lists}, "rel_types": _rel_types()}


def facets(store: GraphStore) -> dict[str, Any]:
    """Every filterable value with how many organizations have it.

    Returns ``{"kinds", "types", "sectors", "regions", "countries", "tags": [{"value",
    "count"}], "clusters": [{"value" (id), "label" (name), "count" (members)}],
    "rel_types": [...names...], "organizations": n}``. Sectors are NACE sections (the
    filter matches codes by prefix) with their names as ``label``.
    """
    with store.read_session() as view:  # the records alone: no tie is read
        records = view.list_organizations(FilterSpec(), offset=0, limit=INT64_MAX).items
        names = {o.id: o.name for o in records if o.kind == Kind.CLUSTER}
        members = {
            c: view.list_organizations(FilterSpec(clusters=[c]), offset=0, limit=1).total
            for c in names
        }
    attrs = [o.model_dump() for o in records]
    orgs = [a for a in attrs if a.get("kind") != "cluster"]
    sections = _counted(sector_section(s) for a in orgs for s in a.get("sectors") or ())
    result = {
        "organizations": len(orgs),
        "kinds": _counted(a.get("kind") for a in attrs),
        "types": _counted(a.get("type") for a in attrs),
        "sectors": [{**s, "label": f"{s['value']} {SECTIONS[s['value']]}"} for s in sections],
        "regions": _counted(a.get("region") for a in orgs),
        "countries": _counted(a.get("country") for a in orgs),
        "tags": _counted(t for a in orgs for t in a.get("tags") or ()),
        "clusters": [
            {"value": c, "label": names[c], "count": members[c]}
            for c in sorted(names, key=lambda c: (names[c], c))
        ],
        "rel_types": _rel_types(),
    }
    return result
