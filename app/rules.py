"""The rules between records and the stored graph, each written once: which kinds a
relationship type connects, and that an organization never changes kind.

Each returns the sentence that says why a record breaks it, or ``None``; the import check,
the store's write plan, the API and the CLI quote that sentence as it is.
"""

from __future__ import annotations

from app.errors import excerpt
from app.vocabulary import ENDPOINTS, SYMMETRIC, Kind, RelType

__all__ = ["endpoint_problem", "kind_change_problem"]


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


def kind_change_problem(org_id: str, stored_kind: Kind | str, new_kind: Kind | str) -> str | None:
    """Say why the organization ``org_id``, stored as ``stored_kind``, cannot take
    ``new_kind``, or ``None`` if the kind stays.

    An organization is stored under its kind's label, so its kind never changes: delete it
    and create it anew. The API's PUT (409 ``conflict``), the import check and the store's
    write plan all quote this sentence.

    Examples
    --------
    >>> kind_change_problem("acme", "company", Kind.COMPANY) is None
    True
    >>> print(kind_change_problem("acme", Kind.COMPANY, "cluster"))
    organization 'acme' is stored as a company; its kind cannot change to cluster (delete it first)
    """
    stored, new = Kind(stored_kind), Kind(new_kind)
    if stored == new:
        return None
    return (
        f"organization {excerpt(org_id)} is stored as a {stored.value}; its kind cannot "
        f"change to {new.value} (delete it first)"
    )
