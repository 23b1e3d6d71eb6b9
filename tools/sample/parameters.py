"""The knobs of the relationship steps: research partners, brokers, investors, spin-offs."""

from __future__ import annotations

from .ids import (
    ACADEMY,
    ANGELS,
    BROKER_ENGINEERING,
    BROKER_SOFTWARE,
    CLUSTER_IDS,
    DEV_AGENCY,
    FASHION_ACCELERATOR,
    GERMAN_OEM,
    INST_AGRIFOOD,
    INST_CIRCULAR,
    INST_DIGITAL,
    INST_MATERIALS,
    INST_MOBILITY,
    INST_TEXTILE,
    OEM,
    POLYTECHNIC,
    REGIONAL_FUND,
    STARTUP_HUB,
    UNIVERSITY,
    VC_IMPACT,
    VC_MILAN,
    VC_MUNICH,
    VC_REGIONAL,
)

#: Research partners of each group's firms, with relative weights.
RESEARCH_PARTNERS: dict[str, tuple[tuple[str, int], ...]] = {
    "mobility": ((INST_MOBILITY, 4), (POLYTECHNIC, 4), (UNIVERSITY, 2), (INST_MATERIALS, 1)),
    "digital": ((INST_DIGITAL, 4), (UNIVERSITY, 3), (POLYTECHNIC, 3)),
    "fashion_trad": ((INST_TEXTILE, 1),),
    "fashion_tech": ((INST_CIRCULAR, 3), (UNIVERSITY, 2)),
    "agrifood": ((INST_AGRIFOOD, 4), (UNIVERSITY, 2)),
}
#: Firms per group that get no research partner at all (and are documented as such).
NO_RESEARCH_COUNT: dict[str, int] = {
    "mobility": 3, "digital": 2, "fashion_trad": 5, "fashion_tech": 0, "agrifood": 2,
}  # fmt: skip
#: Groups that get one deliberate missing link: two firms with many partners in common.
MISSING_LINK_GROUPS: tuple[str, ...] = ("mobility", "digital", "fashion_trad", "agrifood")
MISSING_LINK_PARTNERS = 8
#: Group -> (ties per firm by preferential attachment, extra random ties inside the group).
GROUP_COLLABORATION: tuple[tuple[str, int, int], ...] = (
    ("mobility", 1, 4), ("digital", 1, 5), ("fashion_trad", 1, 6), ("fashion_tech", 2, 0),
    ("agrifood", 1, 2), ("services", 1, 2),
)  # fmt: skip
#: Broker -> (group, number of firms it ties into).
BROKER_REACH: dict[str, tuple[tuple[str, int], ...]] = {
    BROKER_ENGINEERING: (("mobility", 4), ("fashion_trad", 4), ("agrifood", 3), ("digital", 2)),
    BROKER_SOFTWARE: (("digital", 4), ("mobility", 3), ("fashion_tech", 4), ("agrifood", 2)),
    UNIVERSITY: (("fashion_trad", 2),),
}
#: Groups whose firms must not be tied to each other, except by the deliberate bridges.
SPLIT_GROUPS = frozenset({"fashion_trad", "fashion_tech"})
#: Research partners of the foreign university of applied sciences.
LECHWALD_PARTNERS: tuple[str, ...] = (POLYTECHNIC, INST_MOBILITY, GERMAN_OEM, OEM)
#: Organizations funded by the regional government, in a fixed order.
REGIONAL_FUNDING: tuple[str, ...] = (
    *CLUSTER_IDS, UNIVERSITY, POLYTECHNIC, INST_MOBILITY, INST_DIGITAL, INST_TEXTILE,
    INST_CIRCULAR, INST_AGRIFOOD, DEV_AGENCY, REGIONAL_FUND, STARTUP_HUB, FASHION_ACCELERATOR,
    ACADEMY,
)  # fmt: skip
#: Organizations funded by the national innovation agency, in a fixed order.
NATIONAL_FUNDING: tuple[str, ...] = (
    UNIVERSITY, POLYTECHNIC, INST_MOBILITY, INST_DIGITAL, INST_MATERIALS, INST_AGRIFOOD, OEM,
)  # fmt: skip
#: Investor -> (groups of its start-ups, number of investments, evidence).
INVESTORS: tuple[tuple[str, tuple[str, ...], int, str], ...] = (
    (VC_REGIONAL, ("digital", "mobility", "fashion_tech", "agrifood"), 8, "Seed round {year}"),
    (VC_MILAN, ("digital", "fashion_tech"), 5, "Series A {year} (press release)"),
    (VC_MUNICH, ("mobility", "digital"), 3, "Series A {year} (press release)"),
    (VC_IMPACT, ("fashion_tech",), 3, "Seed round {year} (impact fund report)"),
    (ANGELS, ("digital", "mobility", "fashion_tech", "agrifood"), 8, "Angel round {year}"),
    (
        REGIONAL_FUND,
        ("digital", "mobility", "fashion_tech", "agrifood"),
        7,
        "Co-investment decision {year}/{n}",
    ),
    (STARTUP_HUB, ("digital",), 3, "Pre-seed ticket, demo day {year}"),
    (OEM, ("mobility",), 2, "Corporate venture investment {year}"),
)
#: (group, parent, count): start-ups founded out of a university, an institute or a firm.
SPIN_OFFS: tuple[tuple[str, str, int], ...] = (
    ("digital", UNIVERSITY, 3),
    ("digital", POLYTECHNIC, 2),
    ("digital", INST_DIGITAL, 2),
    ("mobility", POLYTECHNIC, 2),
    ("mobility", INST_MOBILITY, 2),
    ("mobility", OEM, 1),
    ("fashion_tech", INST_CIRCULAR, 2),
    ("fashion_tech", UNIVERSITY, 1),
    ("agrifood", INST_AGRIFOOD, 2),
)
