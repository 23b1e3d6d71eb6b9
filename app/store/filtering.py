"""Turn a :class:`~app.filters.FilterSpec` into the parameters of the filter statements.

The statements (``cypher/*/filter.cypher``) take every value as a parameter, never spliced into
Cypher text. A constraint is in use when it has a parameter: :func:`filter_parameters` decides
which (one rule for both stores), :func:`constraints_in_use` reads it back for the statement's
``where``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from app.filters import FilterSpec
from app.store.queries import FILTER_CONSTRAINTS
from app.vocabulary import Kind

__all__ = [
    "NO_MATCH",
    "FilterRead",
    "constraints_in_use",
    "filter_parameters",
    "filter_statement_name",
    "fold_case",
    "resolve_sectors",
]

#: A value no stored property equals: the placeholder of unused lists (a walk's relationship
#: types), and the value of a constraint nothing satisfies (sector prefixes that match no
#: stored code, or no kind left).
NO_MATCH = "\x00no match\x00"


FilterRead = Literal["filter_organizations", "count_organizations", "filter_outgoing"]

#: The statement of each filtered read: (read, anchored at the clusters the filter names,
#: variant) -> its name in ``cypher/``. ``brief``: only the analysed properties; ``ties``: the
#: collaboration network without provenance columns. Written out, so that a search for a
#: statement's name finds where it runs.
_STATEMENTS: dict[tuple[FilterRead, bool, str], str] = {
    ("filter_organizations", False, ""): "filter_organizations",
    ("filter_organizations", True, ""): "filter_organizations_in_clusters",
    ("filter_organizations", False, "brief"): "filter_organizations_brief",
    ("filter_organizations", True, "brief"): "filter_organizations_in_clusters_brief",
    ("count_organizations", False, ""): "count_organizations",
    ("count_organizations", True, ""): "count_organizations_in_clusters",
    ("filter_outgoing", False, ""): "filter_outgoing",
    ("filter_outgoing", True, ""): "filter_outgoing_in_clusters",
    ("filter_outgoing", False, "ties"): "filter_outgoing_ties",
    ("filter_outgoing", True, "ties"): "filter_outgoing_ties_in_clusters",
}


def filter_statement_name(read: FilterRead, *, anchored: bool, variant: str = "") -> str:
    """The name of the statement for a filtered ``read``.

    Examples
    --------
    >>> filter_statement_name("filter_outgoing", anchored=True, variant="ties")
    'filter_outgoing_ties_in_clusters'
    """
    return _STATEMENTS[(read, anchored, variant)]


def fold_case(text: str) -> str:
    """``text`` in lower case as both databases compare it (``regions``, ``search``).

    Neo4j lower-cases like Python (full Unicode mappings: a capital sigma that ends a word
    becomes the final sigma U+03C2, U+0130 (capital I with a dot) becomes ``i`` and U+0307, a
    combining dot above); LadybugDB maps code point by code point (sigma U+03C3, ``i``).
    Those are the only two places where they differ, so the filter statements fold U+03C2 to
    U+03C3 and ``i`` + U+0307 to ``i`` after lower-casing, and so does this.

    Examples
    --------
    >>> fold_case("\u039f\u0394\u039f\u03a3 \u0130stanbul") == "\u03bf\u03b4\u03bf\u03c3 istanbul"
    True
    """
    return text.lower().replace("\u03c2", "\u03c3").replace("i\u0307", "i")


def resolve_sectors(prefixes: Iterable[str], stored: Iterable[str]) -> list[str]:
    """The stored sector codes that start with any of ``prefixes``, sorted.

    Examples
    --------
    >>> resolve_sectors(["C29"], ["C29.1", "C29.10", "C2", "J62.01"])
    ['C29.1', 'C29.10']
    """
    wanted = tuple(prefixes)
    return sorted({s for s in stored if s.startswith(wanted)})


def filter_parameters(
    spec: FilterSpec,
    *,
    stored_sectors: Iterable[str] = (),
    include_clusters: bool = False,
) -> dict[str, Any]:
    """Parameters for ``%FILTER(x)%`` predicates and the filter statements: one for each
    constraint in use, named after it (:data:`~app.store.queries.FILTER_CONSTRAINTS`).

    ``kinds`` is always in use (Cluster nodes are left out unless ``include_clusters``); the
    others when ``spec`` gives them. A list nothing may satisfy is ``[NO_MATCH]``, never
    empty (LadybugDB cannot type an empty list).

    Parameters
    ----------
    spec : FilterSpec
        What to select.
    stored_sectors : iterable of str
        Every sector code in the store; ``spec.sectors`` are prefixes resolved against them.
    include_clusters : bool
        Unless true, Cluster nodes are not selected (membership becomes a node attribute).

    Examples
    --------
    >>> filter_parameters(FilterSpec(regions=["North"], min_employees=10))
    {'kinds': ['company', 'institution'], 'regions': ['north'], 'min_employees': 10}
    """
    kinds = [k.value for k in (spec.kinds or list(Kind))]
    if not include_clusters:
        kinds = [k for k in kinds if k != Kind.CLUSTER]
    parameters: dict[str, Any] = {"kinds": kinds or [NO_MATCH]}
    if spec.types:
        parameters["types"] = spec.types
    if spec.sectors:
        parameters["sectors"] = resolve_sectors(spec.sectors, stored_sectors) or [NO_MATCH]
    if spec.regions:
        parameters["regions"] = [fold_case(r) for r in spec.regions]
    if spec.countries:
        parameters["countries"] = spec.countries
    if spec.tags:
        parameters["tags"] = spec.tags
    if spec.clusters:
        parameters["clusters"] = spec.clusters
    bounds = {
        "min_employees": spec.min_employees,
        "max_employees": spec.max_employees,
        "founded_from": spec.founded_from,
        "founded_to": spec.founded_to,
    }
    parameters |= {name: value for name, value in bounds.items() if value is not None}
    if spec.search:
        parameters["search"] = fold_case(spec.search)
    if spec.stale_since:
        parameters["stale_since"] = spec.stale_since
    return parameters


def constraints_in_use(parameters: Mapping[str, Any]) -> frozenset[str]:
    """The constraints whose clauses a filter statement holds: those of
    :func:`filter_parameters` that gave them a parameter (other keys are ignored).

    Examples
    --------
    >>> sorted(constraints_in_use({"kinds": ["company"], "search": "ab", "offset": 0}))
    ['kinds', 'search']
    """
    return frozenset(name for name in FILTER_CONSTRAINTS if name in parameters)
