"""The explorer's filter values: everything stored, counted, nothing that matches nothing."""

from __future__ import annotations

from collections import Counter

from app.filters import FilterSpec
from app.services.facets import facets
from app.store.embedded import EmbeddedStore


def test_facets_count_what_is_stored(sample_store: EmbeddedStore) -> None:
    found = facets(sample_store)
    counts = sample_store.counts()
    assert {f["value"]: f["count"] for f in found["kinds"]} == counts.by_kind
    graph = sample_store.subgraph(FilterSpec()).graph
    assert found["organizations"] == len(graph)
    countries = Counter(a["country"] for _, a in graph.nodes(data=True) if a.get("country"))
    assert {f["value"]: f["count"] for f in found["countries"]} == dict(countries)
    for cluster in found["clusters"]:  # members, as the cluster filter selects them
        members = sample_store.list_organizations(
            FilterSpec(clusters=[cluster["value"]]), limit=1000
        ).items
        assert cluster["count"] == len(members) and cluster["label"] != cluster["value"]
    for sector in found["sectors"]:  # a section letter matches codes by prefix
        matching = sample_store.list_organizations(
            FilterSpec(sectors=[sector["value"]]), limit=1000
        ).items
        assert len(matching) >= 1
    assert facets(sample_store) == found
