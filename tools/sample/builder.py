"""The builder: adds organizations and relationships, enforcing the deliberate structure."""

from __future__ import annotations

import random

from app.vocabulary import ENDPOINTS, SYMMETRIC, Kind, RelType

from .fixed_orgs import CLUSTERS, COMPANIES, INSTITUTIONS, FixedOrg
from .groups import EMPLOYEES, GROUPS, TYPE_NOUN, GroupSpec
from .ids import ANGELS, BROKER_ENGINEERING, BROKER_SOFTWARE, CL_FASHION, ISOLATED_STARTUP, OEM
from .model import ID_PREFIX, RESEARCH_TIE_TYPES, RESEARCH_TYPES, Org, Rel, org_id
from .parameters import SPLIT_GROUPS
from .setting import (
    BRAND_BLOCKLIST,
    BRAND_HEADS,
    BRAND_TAILS,
    CITIES,
    COLLABORATION_EVIDENCE,
    JITTER_LAT,
    JITTER_LON,
    PROJECT_ACRONYMS,
    RESEARCH_EVIDENCE,
)

SEED = 2024
LAST_YEAR = 2024


class SampleBuilder:
    """Builds the organizations and relationships, enforcing the deliberate structure."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.orgs: dict[str, Org] = {}
        self.rels: dict[tuple[str, RelType, str], Rel] = {}
        self.brands: set[str] = set()
        self.no_research: list[str] = []
        self.missing_links: list[tuple[str, str]] = []
        self.bridges: list[tuple[str, RelType, str]] = []

    # organizations

    def add_fixed(self, spec: FixedOrg) -> Org:
        """Add a hand-written organization."""
        oid = f"{ID_PREFIX[spec.kind]}-{spec.slug}" if spec.slug else org_id(spec.kind, spec.name)
        org = Org(
            id=oid, name=spec.name, kind=spec.kind, type=spec.type, sectors=spec.sectors,
            tags=spec.tags, city=spec.city, employees=spec.employees, founded=spec.founded,
            description=spec.description, group=spec.group, clusters=spec.clusters,
        )  # fmt: skip
        if org.id in self.orgs:
            raise ValueError(f"duplicate id {org.id}")
        self.orgs[org.id] = org
        return org

    def brand(self) -> str:
        """A fresh fictional brand name."""
        while True:
            name = self.rng.choice(BRAND_HEADS) + self.rng.choice(BRAND_TAILS)
            if name not in self.brands and name not in BRAND_BLOCKLIST:
                self.brands.add(name)
                return name

    def add_generated(self, spec: GroupSpec, org_type: str, founded: tuple[int, int]) -> Org:
        """Add one generated firm of a group."""
        profile = self.rng.choice(spec.profiles[org_type])
        name = profile.pattern.format(b=self.brand())
        city = self.rng.choice(spec.cities)
        low, high = EMPLOYEES[org_type]
        employees = round(low * (high / low) ** self.rng.random())
        tags = profile.tags + ((spec.tag,) if spec.tag else ())
        org = Org(
            id=org_id(Kind.COMPANY, name), name=name, kind=Kind.COMPANY, type=org_type,
            sectors=profile.sectors, tags=tags, city=city, employees=employees,
            founded=self.rng.randint(*founded),
            description=f"{TYPE_NOUN[org_type]} in {city} that {profile.activity}.",
            group=spec.key, clusters=(spec.cluster,) if spec.cluster else (),
        )  # fmt: skip
        self.orgs[org.id] = org
        return org

    def build_organizations(self) -> None:
        """All organizations, with coordinates (a few deliberately left without)."""
        for spec in CLUSTERS + INSTITUTIONS + COMPANIES:
            self.add_fixed(spec)
        for group in GROUPS:
            years = {org_type: (low, high) for org_type, low, high in group.founded}
            for org_type, count in group.counts:
                for _ in range(count):
                    self.add_generated(group, org_type, years[org_type])
        for org in self.orgs.values():
            _, _, lat, lon = CITIES[org.city]
            org.lat = round(lat + self.rng.uniform(-JITTER_LAT, JITTER_LAT), 5)
            org.lon = round(lon + self.rng.uniform(-JITTER_LON, JITTER_LON), 5)
        unplaced = [ANGELS, *self.rng.sample(self.group_firms("digital", "startup")[1:], 2)]
        unplaced += self.rng.sample(self.group_firms("fashion_tech", "startup"), 2)
        for oid in unplaced:
            self.orgs[oid].lat = self.orgs[oid].lon = None

    # queries

    def group_firms(self, group: str, *types: str) -> list[str]:
        """Ids of the companies of a group (optionally of some types), oldest first."""
        firms = [
            org for org in self.orgs.values()
            if org.group == group and org.kind == Kind.COMPANY and (not types or org.type in types)
        ]  # fmt: skip
        firms.sort(key=lambda org: (org.founded or 0, org.id))
        return [org.id for org in firms if org.id != ISOLATED_STARTUP]

    def ordinary(self, group: str, *types: str) -> list[str]:
        """Group firms that play no deliberate role (candidates for random picks)."""
        special = {OEM, BROKER_ENGINEERING, BROKER_SOFTWARE, ISOLATED_STARTUP}
        special.update(self.no_research)
        special.update(oid for pair in self.missing_links for oid in pair)
        return [oid for oid in self.group_firms(group, *types) if oid not in special]

    # relationships

    def allowed(self, source: str, target: str, rel_type: RelType, bridge: bool) -> bool:
        """Whether a tie respects the endpoint rules and the deliberate structure."""
        if source == target or source not in self.orgs or target not in self.orgs:
            return False
        a, b = self.orgs[source], self.orgs[target]
        sources, targets = ENDPOINTS[rel_type]
        if a.kind not in sources or b.kind not in targets:
            return False
        if rel_type != RelType.MEMBER_OF and ISOLATED_STARTUP in (source, target):
            return False
        if (source, target) in self.missing_links or (target, source) in self.missing_links:
            return False
        if rel_type in RESEARCH_TIE_TYPES and (
            (source in self.no_research and b.type in RESEARCH_TYPES)
            or (target in self.no_research and a.type in RESEARCH_TYPES)
        ):
            return False
        split = {a.group, b.group} == SPLIT_GROUPS and CL_FASHION in a.clusters + b.clusters
        return bridge or not split

    def tie(
        self,
        source: str,
        target: str,
        rel_type: RelType,
        evidence: str,
        *,
        since: int | None = None,
        weight: float | None = None,
        bridge: bool = False,
    ) -> bool:
        """Add a relationship unless it breaks a rule or already exists; say if it was added."""
        if rel_type in SYMMETRIC and source > target:
            source, target = target, source
        key = (source, rel_type, target)
        if key in self.rels or not self.allowed(source, target, rel_type, bridge):
            return False
        floor = max(self.orgs[source].founded or 1990, self.orgs[target].founded or 1990, 2003)
        year = since if since is not None else self.rng.randint(min(floor, LAST_YEAR), LAST_YEAR)
        until = None
        if rel_type in (RelType.COLLABORATES_WITH, RelType.SUPPLIES) and self.rng.random() < 0.12:
            until = min(year + self.rng.randint(1, 5), LAST_YEAR)
        if weight is None:
            weight = round(self.rng.uniform(1.0, 5.0), 1)
        text = evidence.format(year=year, acr=self.acronym(), n=self.rng.randint(11, 480))
        self.rels[key] = Rel(source, target, rel_type, weight, year, until, text)
        return True

    def acronym(self) -> str:
        """A fictional project acronym such as ``VELA-2``."""
        return f"{self.rng.choice(PROJECT_ACRONYMS)}-{self.rng.randint(1, 4)}"

    def collaborate(self, a: str, b: str, *, research: bool = False, bridge: bool = False) -> bool:
        """A collaboration tie with a plausible provenance."""
        texts = RESEARCH_EVIDENCE if research else COLLABORATION_EVIDENCE
        return self.tie(a, b, RelType.COLLABORATES_WITH, self.rng.choice(texts), bridge=bridge)

    def weighted_pick(self, options: list[str], weights: list[float], k: int) -> list[str]:
        """Up to ``k`` distinct options, each draw proportional to its weight."""
        pool = list(zip(options, weights, strict=True))
        chosen: list[str] = []
        while pool and len(chosen) < k:
            pick = self.rng.choices(range(len(pool)), weights=[w for _, w in pool])[0]
            chosen.append(pool.pop(pick)[0])
        return chosen
