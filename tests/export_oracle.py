"""What a filtered export of the bundled sample holds, in plain Python over its CSV files.

The organization predicate is ``tests/test_filtering.py``'s oracle (clusters count as
organizations, as ``ecomap orgs`` lists them); the rest is the export's own rule: the
relationships among the selected organizations (of ``rel_types`` when given), plus the
clusters they are members of and those MEMBER_OF relationships, whatever ``rel_types``.
"""

from __future__ import annotations

from test_filtering import ORGS, RELS, reference_matches

from app.filters import FilterSpec

__all__ = ["ORGS", "RELS", "expected_export"]

RelKey = tuple[str, str, str]  # (source, type, target)


def expected_export(spec: FilterSpec) -> tuple[set[str], set[str], set[RelKey]]:
    """(selected organization ids, every exported id, exported relationship keys)."""
    selected = {i for i, org in ORGS.items() if reference_matches(spec, org, True)}
    types = {t.value for t in spec.rel_types}
    relationships = {
        (r["source"], r["type"], r["target"])
        for r in RELS
        if r["source"] in selected
        and (
            r["type"] == "MEMBER_OF"
            or (r["target"] in selected and (not types or r["type"] in types))
        )
    }
    clusters = {target for _, rel_type, target in relationships if rel_type == "MEMBER_OF"}
    return selected, selected | clusters, relationships
