"""The rows being built: organizations and relationships, and how ids are made."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from app.vocabulary import Kind, RelType

from .setting import CITIES

ID_PREFIX: dict[Kind, str] = {Kind.COMPANY: "co", Kind.INSTITUTION: "in", Kind.CLUSTER: "cl"}
RESEARCH_TYPES = frozenset({"university", "research_institute"})
#: Relationship types that make an organization a firm's research partner.
RESEARCH_TIE_TYPES = frozenset({RelType.COLLABORATES_WITH, RelType.FUNDS, RelType.SPUN_OUT_OF})


@dataclass
class OrgData:
    """What every organization has, hand-written or generated; ``group`` places it in the
    generated structure and ``clusters`` are the clusters it is a member of."""

    name: str
    kind: Kind
    type: str
    sectors: tuple[str, ...]
    tags: tuple[str, ...]
    city: str
    employees: int | None
    founded: int | None
    description: str
    group: str
    clusters: tuple[str, ...] = ()


@dataclass
class Org(OrgData):
    """One row of organizations.csv: an organization with its id and coordinates."""

    id: str = field(kw_only=True)
    lat: float | None = None
    lon: float | None = None

    def row(self) -> dict[str, str]:
        """The CSV row of this organization."""
        region, country, _, _ = CITIES[self.city]
        slug = self.id.split("-", 1)[1]
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "type": self.type,
            "sectors": "|".join(self.sectors),
            "tags": "|".join(self.tags),
            "city": self.city,
            "region": region,
            "country": country,
            "lat": "" if self.lat is None else f"{self.lat:.5f}",
            "lon": "" if self.lon is None else f"{self.lon:.5f}",
            "employees": "" if self.employees is None else str(self.employees),
            "founded": "" if self.founded is None else str(self.founded),
            "website": f"https://www.{slug}.example",
            "description": self.description,
        }


@dataclass
class Rel:
    """One row of relationships.csv."""

    source: str
    target: str
    type: RelType
    weight: float
    since: int
    until: int | None
    evidence: str

    def row(self) -> dict[str, str]:
        """The CSV row of this relationship."""
        return {
            "source": self.source,
            "target": self.target,
            "type": self.type.value,
            "weight": f"{self.weight:.1f}",
            "since": str(self.since),
            "until": "" if self.until is None else str(self.until),
            "evidence": self.evidence,
        }


def slugify(text: str) -> str:
    """Lowercase ASCII slug: ``"Maison Lavandière"`` -> ``"maison-lavandiere"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def org_id(kind: Kind, name: str) -> str:
    """The stable id of an organization: kind prefix plus the slug of its name."""
    return f"{ID_PREFIX[kind]}-{slugify(name)}"
