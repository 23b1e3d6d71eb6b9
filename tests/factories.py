"""Small model factories shared by the store tests."""

from __future__ import annotations

from app.domain import Organization, Relationship


def org(org_id: str, kind: str = "company", **extra: object) -> Organization:
    """An organization named after its id (``"acme"`` -> ``"ACME"``)."""
    return Organization.model_validate(
        {"id": org_id, "name": org_id.upper(), "kind": kind, **extra}
    )


def rel(source: str, target: str, rel_type: str, **extra: object) -> Relationship:
    return Relationship.model_validate(
        {"source": source, "target": target, "type": rel_type, **extra}
    )
