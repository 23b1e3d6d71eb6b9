"""Freshness: when each organization's record was last confirmed as right, and by whom.

An organization carries ``verified_at`` (UTC, ISO 8601) and ``verified_by`` (a person's name).
They are set in two ways, both recorded in history like any write:

- an *edit* of the record (an import row or an API ``PUT`` that changes any other field, or
  creates the record) stamps it as verified now by the edit's author
  (:func:`stamp_edits`, called by :meth:`app.services.history.Recorder.upsert`);
- an explicit *confirm* (``ecomap confirm ID``, ``POST /api/organizations/{id}/confirm``)
  stamps records whose content is unchanged (:func:`app.services.editing.confirm_organizations`):
  someone looked and found it right.

An input that itself says when a record was verified, with values other than the stored ones
(a CSV export imported back), keeps what it says. A record is *stale* when it was never
verified or last verified before a given moment (``FilterSpec.stale_since``); the report
counts them (:func:`freshness_figures`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.changes import organization_changes
from app.domain import Organization
from app.vocabulary import VERIFICATION_PROPERTIES

__all__ = [
    "STALE_AFTER_DAYS",
    "freshness_figures",
    "is_edit",
    "stale_cutoff",
    "stamp_edits",
    "timestamp",
]

#: A record not verified for this long is stale when no date is given (about a year).
STALE_AFTER_DAYS = 365


def timestamp() -> str:
    """Now, in UTC, as verification times are stored (``2025-03-31T09:30:00Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stale_cutoff(today: date | None = None) -> str:
    """The default moment before which a verification is stale: a year before ``today``.

    >>> stale_cutoff(date(2025, 3, 31))
    '2024-03-31'
    """
    return ((today or date.today()) - timedelta(days=STALE_AFTER_DAYS)).isoformat()


def is_edit(before: Organization | None, after: Organization) -> bool:
    """Whether ``after`` changes ``before`` in any field but the verification (or creates it).

    >>> old = Organization(id="a", name="A", kind="company")
    >>> is_edit(old, old.model_copy(update={"verified_by": "ada"})), is_edit(None, old)
    (False, True)
    """
    return any(
        change.field not in VERIFICATION_PROPERTIES
        for change in organization_changes(before, after)
    )


def _verification(org: Organization | None) -> tuple[str | None, str | None]:
    return (org.verified_at, org.verified_by) if org is not None else (None, None)


def stamp_edits(
    stored: Mapping[str, Organization],
    organizations: Sequence[Organization],
    *,
    author: str,
    at: str | None = None,
) -> list[Organization]:
    """``organizations`` about to be written, each with the verification it should carry.

    An edit (:func:`is_edit` against ``stored``, the records as stored now, by id) is
    verified ``at`` (default: now) by ``author``, unless the input gives a verification of
    its own other than the stored one (an export imported back). A record written unchanged
    keeps its verification: the given one when the input has one, else the stored one.
    """
    out: list[Organization] = []
    for org in organizations:
        old = stored.get(org.id)
        given, kept = _verification(org), _verification(old)
        if not is_edit(old, org):
            stored_one = dict(zip(VERIFICATION_PROPERTIES, kept, strict=True))
            out.append(org if any(given) else org.model_copy(update=stored_one))
        elif any(given) and given != kept:
            out.append(org)
        else:
            stamp = {"verified_at": at or timestamp(), "verified_by": author}
            out.append(org.model_copy(update=stamp))
    return out


def freshness_figures(
    records: Iterable[Mapping[str, Any]], *, since: str | None = None
) -> dict[str, Any]:
    """How fresh ``records`` (organizations' properties) are: how many there are, how many
    were never verified, and how many were last verified before ``since`` (default: a year
    ago, :func:`stale_cutoff`); ``stale`` is both together.

    >>> rows = [{"verified_at": None}, {"verified_at": "2020-01-05T10:00:00Z"},
    ...         {"verified_at": "2025-02-01"}]
    >>> freshness_figures(rows, since="2024-06-01")
    {'records': 3, 'never_verified': 1, 'verified_before': 1, 'stale': 2, 'since': '2024-06-01'}
    """
    cutoff = since or stale_cutoff()
    total = never = before = 0
    for record in records:
        total += 1
        verified_at = record.get("verified_at")
        if not verified_at:
            never += 1
        elif str(verified_at) < cutoff:
            before += 1
    return {
        "records": total,
        "never_verified": never,
        "verified_before": before,
        "stale": never + before,
        "since": cutoff,
    }
