"""Turn a :class:`~app.domain.FilterSpec` into the parameters of the filter statements.

The statements (``cypher/*/filter.cypher``) take every value as a parameter, never spliced into
Cypher text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from app.domain import FilterSpec
from app.vocabulary import Kind

__all__ = [
    "NO_MATCH",
    "FilterRead",
    "filter_parameters",
    "filter_statement_name",
    "fold_case",
    "resolve_sectors",
]

#: A value no stored property equals: the placeholder of unused lists, and the value of a
#: constraint nothing satisfies (sector prefixes that match no stored code).
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


def _range(parameters: dict[str, Any], name: str, value: int | None) -> None:
    parameters[f"has_{name}"] = value is not None
    parameters[name] = value if value is not None else 0


def _values(parameters: dict[str, Any], name: str, values: list[str], given: bool) -> None:
    parameters[f"has_{name}"] = given
    parameters[name] = values or [NO_MATCH]


def filter_parameters(
    spec: FilterSpec,
    *,
    stored_sectors: Iterable[str] = (),
    include_clusters: bool = False,
) -> dict[str, Any]:
    """Parameters for ``%FILTER(x)%`` predicates and the filter statements.

    Every constraint has a ``has_<name>`` flag; an unused value is a typed placeholder, never
    null or an empty list (LadybugDB cannot type those).

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
    >>> p = filter_parameters(FilterSpec(regions=["North"], min_employees=10))
    >>> p["regions"], p["kinds"], p["has_min_employees"], p["min_employees"]
    (['north'], ['company', 'institution'], True, 10)
    """
    kinds = [k.value for k in (spec.kinds or list(Kind))]
    if not include_clusters:
        kinds = [k for k in kinds if k != Kind.CLUSTER]
    parameters: dict[str, Any] = {}
    _values(parameters, "kinds", kinds, True)
    _values(parameters, "types", spec.types, bool(spec.types))
    sectors = resolve_sectors(spec.sectors, stored_sectors) if spec.sectors else []
    _values(parameters, "sectors", sectors, bool(spec.sectors))
    _values(parameters, "regions", [fold_case(r) for r in spec.regions], bool(spec.regions))
    _values(parameters, "countries", spec.countries, bool(spec.countries))
    _values(parameters, "tags", spec.tags, bool(spec.tags))
    _values(parameters, "clusters", spec.clusters, bool(spec.clusters))
    rel_types = [t.value for t in spec.rel_types]
    _values(parameters, "rel_types", rel_types, bool(rel_types))
    parameters["has_search"] = bool(spec.search)
    parameters["search"] = fold_case(spec.search or "")
    _range(parameters, "min_employees", spec.min_employees)
    _range(parameters, "max_employees", spec.max_employees)
    _range(parameters, "founded_from", spec.founded_from)
    _range(parameters, "founded_to", spec.founded_to)
    return parameters
