"""The groups of generated firms: their cluster, places, sizes, ages and profiles."""

from __future__ import annotations

from dataclasses import dataclass, field

from .ids import CL_AGRIFOOD, CL_DIGITAL, CL_FASHION, CL_MOBILITY, TAG_FASHION_TECH, TAG_TRADITIONAL
from .profiles import (
    AGRIFOOD_PROFILES,
    DIGITAL_PROFILES,
    FASHION_TECH_PROFILES,
    MOBILITY_PROFILES,
    SERVICE_PROFILES,
    TEXTILE_PROFILES,
    Profile,
)


@dataclass(frozen=True)
class GroupSpec:
    """A set of generated firms that share a cluster, places and business profiles."""

    key: str
    cluster: str | None
    cities: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]
    founded: tuple[tuple[str, int, int], ...]
    tag: str | None = None
    profiles: dict[str, tuple[Profile, ...]] = field(default_factory=dict)


GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        "mobility",
        CL_MOBILITY,
        ("Castelrivo", "Castelrivo", "Valmora", "San Ferreo", "Lisena"),
        (("large_enterprise", 2), ("sme", 21), ("startup", 9)),
        (("large_enterprise", 1951, 1994), ("sme", 1962, 2014), ("startup", 2016, 2023)),
        profiles=MOBILITY_PROFILES,
    ),
    GroupSpec(
        "digital",
        CL_DIGITAL,
        ("Valmora", "Valmora", "Lisena", "Castelrivo"),
        (("large_enterprise", 2), ("sme", 19), ("startup", 20)),
        (("large_enterprise", 1978, 1999), ("sme", 1986, 2016), ("startup", 2016, 2023)),
        profiles=DIGITAL_PROFILES,
    ),
    GroupSpec(
        "fashion_trad",
        CL_FASHION,
        ("Borgo Tessa", "Borgo Tessa", "Montecaldo"),
        (("large_enterprise", 2), ("sme", 22)),
        (("large_enterprise", 1908, 1958), ("sme", 1921, 1992)),
        tag=TAG_TRADITIONAL,
        profiles=TEXTILE_PROFILES,
    ),
    GroupSpec(
        "fashion_tech",
        CL_FASHION,
        ("Valmora", "Borgo Tessa", "Borgo Tessa"),
        (("sme", 3), ("startup", 12)),
        (("sme", 2008, 2016), ("startup", 2017, 2023)),
        tag=TAG_FASHION_TECH,
        profiles=FASHION_TECH_PROFILES,
    ),
    GroupSpec(
        "agrifood",
        CL_AGRIFOOD,
        ("Roccaverde", "Roccaverde", "Portalba", "Montecaldo"),
        (("large_enterprise", 1), ("sme", 12), ("startup", 4)),
        (("large_enterprise", 1949, 1970), ("sme", 1955, 2012), ("startup", 2017, 2023)),
        profiles=AGRIFOOD_PROFILES,
    ),
    GroupSpec(
        "services",
        None,
        ("Valmora", "Portalba", "Castelrivo", "San Ferreo"),
        (("large_enterprise", 1), ("sme", 10)),
        (("large_enterprise", 1921, 1960), ("sme", 1970, 2015)),
        profiles=SERVICE_PROFILES,
    ),
)
CLUSTER_GROUPS = ("mobility", "digital", "fashion_trad", "fashion_tech", "agrifood")
EMPLOYEES: dict[str, tuple[int, int]] = {
    "large_enterprise": (260, 2400),
    "sme": (8, 230),
    "startup": (2, 38),
}
TYPE_NOUN: dict[str, str] = {
    "large_enterprise": "Large company",
    "sme": "Small and medium-sized enterprise",
    "startup": "Start-up",
}
