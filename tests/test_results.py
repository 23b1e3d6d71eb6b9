"""The typed answers (app/results.py): written once, derived from the contracts they carry,
and shown as real schemas in the OpenAPI document."""

from __future__ import annotations

import dataclasses

import networkx as nx

from app.api import create_app
from app.results import Broker, Brokerage, Health, ImportSummary, Links
from app.services.analyze import brokerage_of, health_of
from app.services.links import links_of
from app.settings import Settings
from app.store.base import WriteSummary
from app.store.embedded import EmbeddedStore
from graph_analytics import ROLES


def test_fields_follow_the_contracts_they_carry() -> None:
    assert set(ROLES) < set(Broker.model_fields)
    assert list(ImportSummary.model_fields) == [f.name for f in dataclasses.fields(WriteSummary)]


def test_answers_of_a_hand_computed_graph() -> None:
    """A path a - b - c: b brokers between the two regions, and a and c share b."""
    G = nx.path_graph(["a", "b", "c"])
    nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y"}, "region")
    brokers = brokerage_of(G, group_by="region", top_n=1)
    assert isinstance(brokers, Brokerage)
    assert (brokers.organizations[0].id, brokers.organizations[0].representative) == ("b", 1)
    health = health_of(G)
    assert isinstance(health, Health)
    assert (health.nodes, health.ties, health.components.count) == (3, 2, 1)
    links = links_of(G, method="cn")
    assert isinstance(links, Links)
    assert [(s.source, s.target, s.score) for s in links.root] == [("a", "c", 1.0)]


def test_openapi_shows_the_answers_schemas(sample_store: EmbeddedStore) -> None:
    document = create_app(Settings(api_key=None), store=sample_store).openapi()
    paths = document["paths"]

    def answer(path: str, method: str) -> str:
        schema = paths[path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        return str(schema.get("$ref", schema))

    assert answer("/api/analytics/centrality", "post").endswith("/Centrality")
    assert answer("/api/analytics/communities", "post").endswith("/Communities")
    assert answer("/api/analytics/brokerage", "post").endswith("/Brokerage")
    assert answer("/api/analytics/health", "post").endswith("/Health")
    assert answer("/api/analytics/links", "post").endswith("/Links")
    assert answer("/api/organizations", "get").endswith("/OrganizationsPage")
    assert answer("/api/path", "get").endswith("/Paths")
    health = document["components"]["schemas"]["Health"]
    assert health["properties"]["brokers"]["$ref"].endswith("/HealthBrokers")
