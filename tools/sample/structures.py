"""The deliberate structures the analyses should find (documented in the sample's README).

Brokers between clusters, missing links (firms with many common partners but no tie), firms
without a research partner, and the only two bridges between the two communities of the
fashion cluster. The rules that keep these intact (and the isolated start-up isolated) are
enforced by ``SampleBuilder.allowed``.
"""

from __future__ import annotations

from app.vocabulary import Kind, RelType

from .builder import SampleBuilder
from .groups import CLUSTER_GROUPS
from .ids import UNIVERSITY
from .parameters import BROKER_REACH, MISSING_LINK_GROUPS, MISSING_LINK_PARTNERS, NO_RESEARCH_COUNT
from .setting import SUPPLY_EVIDENCE


def choose_roles(b: SampleBuilder) -> None:
    """Pick the missing-link pairs and the firms without research partner."""
    for group in MISSING_LINK_GROUPS:
        first, second = b.rng.sample(b.ordinary(group, "sme", "startup"), 2)
        b.missing_links.append((min(first, second), max(first, second)))
    for group in CLUSTER_GROUPS:
        pool = b.ordinary(group, "sme")
        b.no_research.extend(sorted(b.rng.sample(pool, NO_RESEARCH_COUNT[group])))


def broker_ties(b: SampleBuilder) -> None:
    """The deliberate brokers: each ties into the firms of several clusters."""
    for broker, reach in BROKER_REACH.items():
        for group, count in reach:
            candidates = [f for f in b.group_firms(group) if f != broker]
            for firm in b.rng.sample(candidates, count):
                b.collaborate(broker, firm, research=broker == UNIVERSITY)
        if b.orgs[broker].kind == Kind.COMPANY:
            for group, _ in reach[1:3]:
                for buyer in b.rng.sample(b.ordinary(group), 2):
                    b.tie(broker, buyer, RelType.SUPPLIES, b.rng.choice(SUPPLY_EVIDENCE))


def missing_link_gadgets(b: SampleBuilder) -> None:
    """Two firms of one cluster with many common partners but no tie between them."""
    for first, second in b.missing_links:
        group = b.orgs[first].group
        partners = b.rng.sample(b.ordinary(group, "sme", "startup"), MISSING_LINK_PARTNERS)
        for partner in partners:
            b.collaborate(first, partner)
            b.collaborate(second, partner)


def fashion_bridges(b: SampleBuilder) -> None:
    """The only two ties between the two communities of the fashion and textile district."""
    trad = b.ordinary("fashion_trad", "sme")
    wool = [f for f in trad if {"wool", "yarn"} & set(b.orgs[f].tags)]
    mill, spinner = b.rng.sample(wool, 2)
    tech = b.ordinary("fashion_tech")
    recyclers = [f for f in tech if {"recycling", "bio_based_fibres"} & set(b.orgs[f].tags)]
    recycler = b.rng.choice(recyclers)
    makers = [f for f in tech if f != recycler and "sustainable_fashion" in b.orgs[f].tags]
    designer = b.rng.choice(makers or [f for f in tech if f != recycler])
    if b.collaborate(mill, recycler, bridge=True):
        b.bridges.append((mill, RelType.COLLABORATES_WITH, recycler))
    if b.tie(spinner, designer, RelType.SUPPLIES, "Supplier list {year}", bridge=True):
        b.bridges.append((spinner, RelType.SUPPLIES, designer))
