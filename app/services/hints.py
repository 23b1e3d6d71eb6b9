"""Hints instead of silence: which filter values match nothing, and what was probably meant.

An empty answer is valid, but ``--cluster valmora-fashion`` (the id is
``cl-valmora-fashion``), ``--sector c13`` (codes are upper case) or ``--type start-up``
(stored as ``startup``) should not look like an empty ecosystem. :func:`filter_hints` checks
each value of a list filter on its own (one capped query each), and only when one matches
nothing reads the stored values (:func:`app.services.facets.facets`) to propose the closest.
:func:`unknown_id_hint` does the same for an organization id.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from app.filters import FilterSpec
from app.results import Selection
from app.services.facets import facets
from app.store.base import GraphStore

__all__ = ["HINTED_FIELDS", "close_values", "filter_hints", "selection", "unknown_id_hint"]

logger = logging.getLogger(__name__)

#: The list filters whose values a store may not hold (kinds and relationship types are a
#: fixed vocabulary, refused when wrong), and the key of their values in ``facets``.
HINTED_FIELDS: dict[str, str] = {
    "types": "types",
    "sectors": "sectors",
    "regions": "regions",
    "countries": "countries",
    "clusters": "clusters",
    "tags": "tags",
}
#: Most suggestions per value.
_SUGGESTED = 3


def close_values(value: str, candidates: Iterable[str], *, n: int = _SUGGESTED) -> list[str]:
    """The candidates closest to ``value``: those equal to it up to case, else those
    containing it or contained in it, else the nearest spellings
    (:func:`difflib.get_close_matches`).

    >>> close_values("valmora-fashion", ["cl-valmora-fashion", "cl-valmora-digital"])
    ['cl-valmora-fashion']
    >>> close_values("c13", ["C13", "C29"]), close_values("start_up", ["startup", "sme"])
    (['C13'], ['startup'])
    """
    pool = sorted(set(candidates))
    folded = value.casefold()
    ranked = [c for c in pool if c.casefold() == folded]
    if ranked:  # only the case differs: nothing else is meant
        return ranked[:n]
    ranked += [c for c in pool if c not in ranked and (folded in c.casefold() or
               (len(c) > 2 and c.casefold() in folded))]  # fmt: skip
    if ranked:  # the same but for case, or a part of it: spellings would only add noise
        return ranked[:n]
    by_fold = {c.casefold(): c for c in pool}
    near = difflib.get_close_matches(folded, list(by_fold), n=n, cutoff=0.6)
    ranked += [by_fold[c] for c in near if by_fold[c] not in ranked]
    return ranked[:n]


def _phrase(parameter: str, value: str, suggestions: Sequence[str]) -> str:
    text = f"no organization has {parameter} {value!r}"
    if suggestions:
        text += "; did you mean " + " or ".join(repr(s) for s in suggestions) + "?"
    return text


def _matches_any(store: GraphStore, spec: FilterSpec) -> bool:
    return bool(store.list_organizations(spec, offset=0, limit=1).items)


def filter_hints(store: GraphStore, spec: FilterSpec) -> list[str]:
    """What to tell a person whose filters select nothing, or name values nobody has.

    One message per value of a list filter that no organization has (with the closest stored
    values), else one when the filters together match no organization. Empty when all is
    well. Runs in the caller's read session.
    """
    parameters = FilterSpec.parameters()
    unknown: list[tuple[str, str]] = []
    for field in HINTED_FIELDS:
        for value in getattr(spec, field):
            if not _matches_any(store, FilterSpec.model_validate({field: [value]})):
                unknown.append((field, value))
    if unknown:
        stored = facets(store)
        hints = []
        for field, value in unknown:
            values: list[Any] = stored.get(HINTED_FIELDS[field], [])
            candidates = [str(v["value"]) for v in values]
            if field == "sectors" and _matches_any(store, FilterSpec(sectors=[value.upper()])):
                candidates = [value.upper()]  # codes are stored upper case; facets: sections
            hints.append(_phrase(parameters[field], value, close_values(value, candidates)))
        return hints
    constrained = spec.model_dump(exclude_defaults=True, exclude={"rel_types", "limit"})
    if constrained and not _matches_any(store, spec):
        if any(getattr(spec, field) for field in HINTED_FIELDS):
            return ["the filters match no organization together (each value matches some alone)"]
        return ["no organization matches these filters"]
    return []


def selection(store: GraphStore, spec: FilterSpec) -> Selection:
    """How many organizations ``spec`` selects, with its hints, read in one session."""
    with store.read_session() as view:
        total = view.list_organizations(spec, offset=0, limit=1).total
        return Selection(organizations=total, hints=filter_hints(view, spec))


def unknown_id_hint(store: GraphStore, org_id: str) -> str:
    """``"; did you mean ..."`` for an organization id that does not exist: the organizations
    whose name holds the words of the id (without a prefix such as ``co-``), closest id
    first; ``""`` when none does."""
    words = re.sub(r"^[a-z]{1,4}-", "", org_id.strip().casefold()).replace("-", " ").split()
    candidates: list[str] = []
    longest = sorted(words, key=len, reverse=True)[:2]
    # the words, then the longest one cut short (a typo at its end: "acmee" finds "Acme")
    searches = [" ".join(words), *longest, *(w[: max(4, len(w) - 2)] for w in longest[:1])]
    for search in dict.fromkeys(searches):
        if len(search) < 3:
            continue
        found = store.list_organizations(FilterSpec(search=search[:500]), offset=0, limit=50)
        candidates = [org.id for org in found.items]
        if candidates:
            break
    if not candidates:
        return ""
    score = {c: difflib.SequenceMatcher(None, org_id, c).ratio() for c in candidates}
    best = sorted(candidates, key=lambda c: (-score[c], c))[:_SUGGESTED]
    return "; did you mean " + " or ".join(repr(s) for s in best) + "?"
