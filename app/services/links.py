"""Missing links of the filtered organization network: suggested new ties with their reason
(``ecomap links``, ``POST /api/analytics/links``), on a network read by
:func:`app.services.analyze.fetch_network`."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from app.errors import NotFoundError
from app.results import Links
from app.services.analyze import Network, as_network
from app.services.deadline import checkpoint
from graph_analytics import suggest_links

__all__ = ["links_of"]

#: What a suggestion says of each end, from the node's attributes (``None`` when unknown).
_ENDS = ("name", "kind", "country")


def _in_groups(attrs: dict[str, Any], groups: Sequence[str]) -> bool:
    """True when the organization's kind or type is one of ``groups``."""
    return attrs.get("kind") in groups or attrs.get("type") in groups


def links_of(
    network: Network | nx.Graph,
    *,
    org_id: str | None = None,
    method: str = "ra",
    top_n: int = 20,
    within_cluster: str | None = None,
    from_groups: Sequence[str] = (),
    to_groups: Sequence[str] = (),
    names: Mapping[Any, str] | None = None,
    exclude_pairs: Iterable[Collection[Hashable]] | None = None,
) -> Links:
    """Suggested new ties, best first, each with its reason (``names``: display names of
    organizations and clusters in the reasons; by default their ``name`` attribute, and
    cluster ids).

    ``exclude_pairs``: pairs never suggested, in either order (the dismissed suggestions,
    :func:`app.services.suggestions.dismissed_pairs`, read in the session that read the
    network).

    Scopes combine: ``org_id`` gives one organization's best new partners (else pairs across
    the whole filtered graph); ``within_cluster`` keeps pairs of that cluster's members,
    scored in the whole filtered network so partners outside the cluster count as shared
    partners; ``from_groups`` / ``to_groups`` (kinds or types, e.g. ``["company"]`` to
    ``["university", "research_institute"]``) keep pairs with one end in each.
    """
    graph = as_network(network).graph
    checkpoint()
    if org_id is not None and org_id not in graph:
        raise NotFoundError(f"organization {org_id!r} is not in the filtered network")
    nodes = graph.nodes
    if within_cluster is not None:
        members = {n for n, cl in nodes(data="clusters") if within_cluster in (cl or ())}
        if not members:
            raise NotFoundError(f"cluster {within_cluster!r} has no members in the network")
    else:
        members = set(graph)
    if org_id is not None:
        sources: set[Any] = {org_id} & members
    elif from_groups:
        sources = {n for n in members if _in_groups(nodes[n], from_groups)}
    else:
        sources = members

    def accept(node: Any) -> bool:
        return node in members and (not to_groups or _in_groups(nodes[node], to_groups))

    scoped = within_cluster is not None or org_id is not None or from_groups or to_groups
    suggestions = suggest_links(
        graph,
        method=method,
        top=top_n,
        sources=sources if scoped else None,
        candidates=accept if scoped else None,
        exclude_pairs=exclude_pairs,
        names=names,
    )
    keep = ("source", "target", "score", "reason")
    rows = []
    for s in suggestions:
        row = {key: s[key] for key in keep}
        for end in ("source", "target"):
            attrs = nodes[s[end]]
            row.update({f"{end}_{key}": attrs.get(key) for key in _ENDS})
            if names is not None and s[end] in names:
                row[f"{end}_name"] = names[s[end]]
        rows.append(row)
    return Links.model_validate(rows)
