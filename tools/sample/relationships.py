"""The ordinary network: memberships, collaboration, supply chains, research ties, customers,
investments, funding and spin-offs.

Each step draws from the builder's seeded random generator, so the order in which
``ecosystem.build`` runs the steps is part of the output.
"""

from __future__ import annotations

from app.vocabulary import RelType

from .builder import LAST_YEAR, SampleBuilder
from .groups import CLUSTER_GROUPS
from .ids import (
    ACADEMY,
    ASSOCIATIONS,
    CHAMBER,
    CL_DIGITAL,
    CL_FASHION,
    CL_MOBILITY,
    CLUSTER_IDS,
    DEV_AGENCY,
    DISTRIBUTOR,
    FASHION_ACCELERATOR,
    FASHION_HOUSE,
    GERMAN_OEM,
    LECHWALD,
    MUNICIPALITY,
    NATIONAL_AGENCY,
    OEM,
    ONLINE_RETAILER,
    REGION_GOV,
    REGIONAL_FUND,
    RESEARCH_ORGS,
    STARTUP_HUB,
    SUPERMARKETS,
    UNIVERSITY,
)
from .parameters import (
    INVESTORS,
    LECHWALD_PARTNERS,
    NATIONAL_FUNDING,
    REGIONAL_FUNDING,
    RESEARCH_PARTNERS,
    SPIN_OFFS,
)
from .setting import SUPPLY_EVIDENCE


def add_memberships(b: SampleBuilder) -> None:
    """MEMBER_OF for every cluster firm and member institution, plus a few dual members."""
    extra = {
        CL_MOBILITY: b.rng.sample(b.ordinary("digital", "sme", "startup"), 2),
        CL_DIGITAL: b.rng.sample(b.ordinary("fashion_tech", "startup"), 2),
    }
    for org in list(b.orgs.values()):
        clusters = list(org.clusters)
        clusters += [cl for cl, oids in extra.items() if org.id in oids]
        for cluster in clusters:
            founded = max(b.orgs[cluster].founded or 2000, org.founded or 2000)
            year = b.rng.randint(founded, min(founded + 6, LAST_YEAR))
            register = b.rng.randint(max(year, 2021), LAST_YEAR)
            evidence = f"Cluster member register {register}"
            b.tie(org.id, cluster, RelType.MEMBER_OF, evidence, since=year, weight=1.0)
        org.clusters = tuple(clusters)


def preferential_collaboration(b: SampleBuilder, group: str, m: int, extra: int) -> None:
    """Collaboration inside a group by preferential attachment, oldest firms first.

    Older firms collect more partners, which gives the heavy-tailed degree spread of real
    cluster networks; ``extra`` random ties add some closure.
    """
    firms = b.group_firms(group)
    degree = dict.fromkeys(firms, 0)
    for i, firm in enumerate(firms):
        earlier = firms[:i]
        targets = b.weighted_pick(earlier, [degree[t] + 1.0 for t in earlier], m)
        for target in targets:
            if b.collaborate(firm, target):
                degree[firm] += 1
                degree[target] += 1
    for _ in range(extra):
        first, second = b.rng.sample(firms, 2)
        b.collaborate(first, second)


def supply_chains(b: SampleBuilder, group: str) -> None:
    """Smaller firms supply one or two larger firms of their own group."""
    firms = b.group_firms(group)
    for firm in firms:
        size = b.orgs[firm].employees or 0
        buyers = [f for f in firms if (b.orgs[f].employees or 0) > size]
        if not buyers:
            continue
        weights = [float(b.orgs[f].employees or 1) ** 0.5 for f in buyers]
        for buyer in b.weighted_pick(buyers, weights, b.rng.choice((1, 1, 1, 2))):
            b.tie(firm, buyer, RelType.SUPPLIES, b.rng.choice(SUPPLY_EVIDENCE))


def research_ties(b: SampleBuilder, group: str) -> None:
    """Every firm of a cluster group gets one or two research partners, except the few
    deliberately left without one."""
    partners = [oid for oid, _ in RESEARCH_PARTNERS[group]]
    weights = [float(w) for _, w in RESEARCH_PARTNERS[group]]
    for firm in b.group_firms(group):
        if firm in b.no_research:
            continue
        org = b.orgs[firm]
        count = 2 if org.type == "large_enterprise" or b.rng.random() < 0.15 else 1
        for partner in b.weighted_pick(partners, weights, count):
            b.collaborate(firm, partner, research=True)


def institution_ties(b: SampleBuilder) -> None:
    """Associations, incubators, the academy and the research network."""
    for group, association in ASSOCIATIONS.items():
        firms = b.group_firms(group)
        for firm in b.rng.sample(firms, min(len(firms), 6)):
            b.tie(firm, association, RelType.COLLABORATES_WITH, "Association working group {year}")
    for startup in b.rng.sample(
        b.group_firms("digital", "startup") + b.group_firms("mobility", "startup"), 10
    ):
        b.tie(
            startup, STARTUP_HUB, RelType.COLLABORATES_WITH, "Incubation programme, cohort {year}"
        )
    for startup in b.rng.sample(b.group_firms("fashion_tech", "startup"), 7):
        b.tie(startup, FASHION_ACCELERATOR, RelType.COLLABORATES_WITH, "Accelerator cohort {year}")
    academy_firms = b.rng.sample(b.group_firms("mobility"), 6)
    academy_firms += b.rng.sample(b.group_firms("fashion_trad"), 3)
    for firm in academy_firms:
        b.tie(firm, ACADEMY, RelType.COLLABORATES_WITH, "Apprenticeship agreement {year}")
    for i, first in enumerate(RESEARCH_ORGS):
        for second in RESEARCH_ORGS[i + 1 :]:
            if b.rng.random() < 0.45 or UNIVERSITY in (first, second):
                b.collaborate(first, second, research=True)
    for partner in LECHWALD_PARTNERS:
        b.collaborate(LECHWALD, partner, research=True)
    for firm in b.rng.sample(b.ordinary("mobility", "sme", "startup"), 2):
        b.collaborate(LECHWALD, firm, research=True)
    for partner in (REGION_GOV, MUNICIPALITY, CHAMBER, *ASSOCIATIONS.values()):
        b.tie(DEV_AGENCY, partner, RelType.COLLABORATES_WITH, "Regional innovation board {year}")
    for cluster in CLUSTER_IDS:
        b.tie(DEV_AGENCY, cluster, RelType.COLLABORATES_WITH, "Cluster programme agreement {year}")
    b.tie(CL_MOBILITY, CL_DIGITAL, RelType.COLLABORATES_WITH, "Cross-cluster programme {year}")
    b.tie(CL_DIGITAL, CL_FASHION, RelType.COLLABORATES_WITH, "Cross-cluster programme {year}")
    b.tie(STARTUP_HUB, UNIVERSITY, RelType.COLLABORATES_WITH, "Start-up competition {year}")


def cross_cluster_ties(b: SampleBuilder) -> None:
    """A few ordinary collaborations across clusters."""
    for group_a, group_b, count in (("mobility", "digital", 4), ("digital", "fashion_tech", 2),
                                    ("agrifood", "digital", 2)):  # fmt: skip
        for _ in range(count):
            first = b.rng.choice(b.ordinary(group_a))
            second = b.rng.choice(b.ordinary(group_b))
            b.collaborate(first, second)


def customer_ties(b: SampleBuilder) -> None:
    """SUPPLIES to the customers abroad, from the distributor, and from the service firms."""
    customers = ((GERMAN_OEM, "mobility", 4), (FASHION_HOUSE, "fashion_trad", 5),
                 (ONLINE_RETAILER, "fashion_tech", 3), (SUPERMARKETS, "agrifood", 4))  # fmt: skip
    for customer, group, count in customers:
        for firm in b.rng.sample(b.group_firms(group), count):
            b.tie(firm, customer, RelType.SUPPLIES, "Export customer list {year}")
    for buyer in b.rng.sample(b.group_firms("mobility", "sme", "large_enterprise"), 4):
        b.tie(DISTRIBUTOR, buyer, RelType.SUPPLIES, "Supplier list {year}")
    for service in b.group_firms("services"):
        clients = [f for g in CLUSTER_GROUPS for f in b.group_firms(g)]
        for client in b.rng.sample(clients, b.rng.randint(3, 6)):
            b.tie(service, client, RelType.SUPPLIES, b.rng.choice(SUPPLY_EVIDENCE))


def investments(b: SampleBuilder) -> None:
    """INVESTS_IN: venture capital, business angels, the regional fund, corporate venture."""
    for investor, groups, count, evidence in INVESTORS:
        startups = [s for g in groups for s in b.group_firms(g, "startup")]
        for startup in b.rng.sample(startups, min(count, len(startups))):
            b.tie(investor, startup, RelType.INVESTS_IN, evidence)
    digital_large = b.group_firms("digital", "large_enterprise")[0]
    for startup in b.rng.sample(b.group_firms("digital", "startup"), 2):
        b.tie(digital_large, startup, RelType.INVESTS_IN, "Corporate venture investment {year}")
    for sme in b.rng.sample(b.ordinary("mobility", "sme") + b.ordinary("agrifood", "sme"), 4):
        b.tie(REGIONAL_FUND, sme, RelType.INVESTS_IN, "Expansion capital {year}/{n}")


def funding(b: SampleBuilder) -> None:
    """FUNDS: public bodies fund clusters, research, incubators and firms."""
    for target in REGIONAL_FUNDING:
        b.tie(REGION_GOV, target, RelType.FUNDS, "Regional budget law {year}")
    for target in NATIONAL_FUNDING:
        b.tie(NATIONAL_AGENCY, target, RelType.FUNDS, "National research grant {year}/{n}")
    for target in (STARTUP_HUB, ACADEMY, CHAMBER):
        b.tie(MUNICIPALITY, target, RelType.FUNDS, "Municipal grant {year}")
    for cluster in CLUSTER_IDS:
        b.tie(DEV_AGENCY, cluster, RelType.FUNDS, "Cluster management grant {year}")
    firms = [f for g in CLUSTER_GROUPS for f in b.group_firms(g, "sme", "startup")]
    for firm in b.rng.sample(firms, 20):
        b.tie(DEV_AGENCY, firm, RelType.FUNDS, "Regional innovation grant {year} (decree {n})")
    for firm in b.rng.sample(firms, 6):
        b.tie(CHAMBER, firm, RelType.FUNDS, "Export voucher {year}")
    for group in ("mobility", "digital", "agrifood"):
        for firm in b.rng.sample(b.ordinary(group, "sme", "startup"), 2):
            b.tie(NATIONAL_AGENCY, firm, RelType.FUNDS, "National research grant {year}/{n}")


def spin_offs(b: SampleBuilder) -> None:
    """SPUN_OUT_OF: start-ups founded by researchers or by staff of the vehicle maker."""
    taken: set[str] = set()
    for group, parent, count in SPIN_OFFS:
        startups = [s for s in b.ordinary(group, "startup") if s not in taken]
        for startup in b.rng.sample(startups, count):
            year = b.orgs[startup].founded
            evidence = "Spin-off register {year}"
            if b.tie(startup, parent, RelType.SPUN_OUT_OF, evidence, since=year, weight=1.0):
                taken.add(startup)
    for sme in b.rng.sample(b.ordinary("mobility", "sme"), 1):
        evidence = "Founders' biographies, company website"
        if b.tie(sme, OEM, RelType.SPUN_OUT_OF, evidence, weight=1.0, since=b.orgs[sme].founded):
            taken.add(sme)
