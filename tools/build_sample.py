"""Build the bundled, fictional sample ecosystem of EcoMap (``app/sample``).

The region of Valmora, its cities, organizations and ties are all invented. The script writes
``organizations.csv`` and ``relationships.csv`` in the canonical CSV format (DESIGN.md section 3)
and a ``README.md`` that documents the deliberate structure the analyses should find: brokers
between clusters, firms without a research partner, an isolated start-up, a cluster that is two
communities in practice, and missing links between firms that share many partners.

It uses only the standard library and a seeded ``random.Random``, so two runs write
byte-identical files::

    python tools/build_sample.py            # writes app/sample/
    python tools/build_sample.py --out DIR  # writes DIR/
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import textwrap
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

SEED = 2024
LAST_YEAR = 2024
REGION = "Valmora"
COUNTRY = "IT"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "app" / "sample"

ORG_COLUMNS: tuple[str, ...] = (
    "id", "name", "kind", "type", "sectors", "tags", "city", "region", "country",
    "lat", "lon", "employees", "founded", "website", "description",
)  # fmt: skip
REL_COLUMNS: tuple[str, ...] = ("source", "target", "type", "weight", "since", "until", "evidence")

MEMBER_OF = "MEMBER_OF"
COLLABORATES_WITH = "COLLABORATES_WITH"
SUPPLIES = "SUPPLIES"
INVESTS_IN = "INVESTS_IN"
FUNDS = "FUNDS"
SPUN_OUT_OF = "SPUN_OUT_OF"

#: Allowed (source kinds, target kinds) per type; mirrors app.vocabulary.ENDPOINTS.
ENDPOINTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    MEMBER_OF: (frozenset({"company", "institution"}), frozenset({"cluster"})),
    COLLABORATES_WITH: (
        frozenset({"company", "institution", "cluster"}),
        frozenset({"company", "institution", "cluster"}),
    ),
    SUPPLIES: (frozenset({"company"}), frozenset({"company"})),
    INVESTS_IN: (frozenset({"company", "institution"}), frozenset({"company"})),
    FUNDS: (frozenset({"institution"}), frozenset({"company", "institution", "cluster"})),
    SPUN_OUT_OF: (frozenset({"company"}), frozenset({"company", "institution"})),
}
ID_PREFIX = {"company": "co", "institution": "in", "cluster": "cl"}
RESEARCH_TYPES = frozenset({"university", "research_institute"})
#: Relationship types that make an organization a firm's research partner.
RESEARCH_TIE_TYPES = frozenset({COLLABORATES_WITH, FUNDS, SPUN_OUT_OF})

# --- Places ---------------------------------------------------------------------------------

#: city -> (region, country, lat, lon). The Valmora cities are fictional and lie in a box of
#: about 80 x 80 km; the others are real cities used for the few organizations abroad.
CITIES: dict[str, tuple[str, str, float, float]] = {
    "Valmora": (REGION, COUNTRY, 45.071, 10.552),
    "Castelrivo": (REGION, COUNTRY, 45.318, 10.124),
    "Portalba": (REGION, COUNTRY, 44.823, 10.947),
    "San Ferreo": (REGION, COUNTRY, 45.247, 11.038),
    "Montecaldo": (REGION, COUNTRY, 44.716, 10.251),
    "Lisena": (REGION, COUNTRY, 45.452, 10.703),
    "Borgo Tessa": (REGION, COUNTRY, 44.948, 10.061),
    "Roccaverde": (REGION, COUNTRY, 44.879, 10.604),
    "Milano": ("Lombardia", "IT", 45.4642, 9.1900),
    "Roma": ("Lazio", "IT", 41.9028, 12.4964),
    "Stuttgart": ("Baden-Württemberg", "DE", 48.7758, 9.1829),
    "Munich": ("Bavaria", "DE", 48.1372, 11.5755),
    "Augsburg": ("Bavaria", "DE", 48.3705, 10.8978),
    "Lyon": ("Auvergne-Rhône-Alpes", "FR", 45.7640, 4.8357),
    "Barcelona": ("Catalonia", "ES", 41.3874, 2.1686),
    "Amsterdam": ("North Holland", "NL", 52.3676, 4.9041),
}
JITTER_LAT = 0.025
JITTER_LON = 0.035

# --- Name parts -----------------------------------------------------------------------------

BRAND_HEADS: tuple[str, ...] = (
    "Val", "Mor", "Cast", "Lum", "Ner", "Sol", "Alb", "Fer", "Vel", "Tor", "Riv", "Bren",
    "Dal", "Cor", "Ost", "Pral", "Sil", "Mar", "Zen", "Aur", "Cal", "Ter", "Nov", "Orv",
    "Esp", "Lir", "Quar", "Ven", "Arg", "Bor", "Gal", "Fen", "Mel", "Tass", "Brun", "Selv",
)  # fmt: skip
BRAND_TAILS: tuple[str, ...] = (
    "ara", "eto", "ina", "ovia", "ante", "ello", "ora", "uno", "esta", "ilia", "aro",
    "enza", "ida", "eris", "alto", "ena", "ani", "elli", "usi", "ardo",
)  # fmt: skip
#: Brands too close to real places or well-known names.
BRAND_BLOCKLIST = frozenset(
    {"Veneto", "Aurora", "Novara", "Valenza", "Ferara", "Lumina", "Marina", "Solaro", "Calora",
     "Melina", "Terina", "Selvaggio", "Galeno", "Aurelli", "Morena", "Serena", "Corena"}
)  # fmt: skip
PROJECT_ACRONYMS: tuple[str, ...] = (
    "VELA", "MOVIS", "TESSERA", "DATAMOR", "FILO", "AGRIVAL", "RETEX", "LUMEN", "ORBIS",
    "CIRCE", "SINAPSI", "NOVA", "TRAMA", "RUOTA", "GRANO", "ARGO", "PONTE", "SPOLA",
)  # fmt: skip

# --- Clusters and groups --------------------------------------------------------------------


class Profile(NamedTuple):
    """One kind of firm: a name pattern (``{b}`` is a brand), NACE codes, tags, activity."""

    pattern: str
    sectors: tuple[str, ...]
    tags: tuple[str, ...]
    activity: str


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


# fmt: off
P = Profile
MOBILITY_PROFILES: dict[str, tuple[Profile, ...]] = {
    "large_enterprise": (
        P("{b} Powertrain", ("C29.3", "C28.1"), ("powertrain", "e_drive"),
          "produces electric drive units and gearboxes"),
        P("{b} Automotive Systems", ("C29.3",), ("chassis", "braking"),
          "supplies braking and chassis modules to vehicle makers"),
    ),
    "sme": (
        P("{b} Castings", ("C24.53",), ("foundry", "aluminium"),
          "casts aluminium structural parts for car bodies"),
        P("{b} Meccanica", ("C25.62",), ("machining", "precision"),
          "machines precision shafts and housings"),
        P("{b} Precision Gears", ("C28.15",), ("gears", "transmission"),
          "cuts gears for transmissions and e-axles"),
        P("{b} Plastics", ("C22.29",), ("plastics", "interiors"),
          "moulds plastic interior and under-hood parts"),
        P("{b} Cablaggi", ("C29.3", "C27.33"), ("wiring", "electronics"),
          "assembles wiring harnesses for vehicles"),
        P("{b} Stampi", ("C25.73",), ("tooling", "moulds"),
          "designs and builds stamping dies and moulds"),
        P("{b} Elettromeccanica", ("C27.11",), ("electric_motors",),
          "winds and assembles small electric motors"),
        P("{b} Test Engineering", ("M71.20",), ("testing", "homologation"),
          "runs durability and homologation tests on vehicle parts"),
        P("{b} Coatings", ("C25.61",), ("surface_treatment",),
          "applies anti-corrosion coatings to chassis parts"),
    ),
    "startup": (
        P("{b} Charge", ("C27.90", "J62.01"), ("charging", "electric_vehicles"),
          "develops smart charging stations for fleets"),
        P("{b} Batteries", ("C27.20",), ("batteries", "energy_storage"),
          "designs battery packs with second-life reuse"),
        P("{b} Autonomy Labs", ("M72.1", "J62.01"), ("autonomous_driving", "sensors"),
          "builds perception software for autonomous shuttles"),
        P("{b} Fleet", ("J62.01",), ("fleet_management", "telematics"),
          "offers telematics for electric delivery fleets"),
        P("{b} Lightweight", ("C29.3", "M72.1"), ("composites", "lightweight"),
          "develops recycled carbon-fibre components"),
    ),
}
DIGITAL_PROFILES: dict[str, tuple[Profile, ...]] = {
    "large_enterprise": (
        P("{b} Systems", ("J62.01", "J58.29"), ("enterprise_software", "erp"),
          "develops ERP software for manufacturers"),
        P("{b} Telecom", ("J61.10",), ("telecom", "fibre"),
          "operates a fibre network and data centres"),
    ),
    "sme": (
        P("{b} Software", ("J62.01",), ("software", "custom_development"),
          "writes custom business software"),
        P("{b} Data", ("J63.11",), ("data", "hosting"), "hosts and processes data for firms"),
        P("{b} Cloud", ("J63.11",), ("cloud", "devops"), "runs managed cloud platforms"),
        P("{b} Informatica", ("J62.02",), ("it_consulting",),
          "advises small firms on digital transformation"),
        P("{b} Security", ("J62.02",), ("cybersecurity",),
          "provides cybersecurity audits and monitoring"),
        P("{b} Networks", ("J61.90",), ("iot", "networks"), "installs industrial IoT networks"),
        P("{b} Web Studio", ("J62.01", "J63.12"), ("web", "ecommerce"),
          "builds web shops and mobile apps"),
        P("{b} Embedded", ("C26.11", "J62.01"), ("embedded_systems", "electronics"),
          "designs embedded electronics and firmware"),
        P("{b} Interactive", ("J58.21",), ("games", "xr"),
          "develops serious games and XR training"),
    ),
    "startup": (
        P("{b} AI", ("J62.01", "M72.1"), ("ai", "machine_learning"),
          "builds machine-learning models for quality inspection"),
        P("{b} Analytics", ("J63.11",), ("analytics", "data"),
          "sells predictive-maintenance analytics"),
        P("{b} Labs", ("J62.01", "J58.29"), ("saas",),
          "develops a SaaS tool for production planning"),
        P("{b} Robotics", ("C28.99", "J62.01"), ("robotics", "automation"),
          "builds collaborative robot cells"),
        P("{b} Vision", ("J62.01",), ("computer_vision",),
          "develops camera-based inspection systems"),
        P("{b} Pay", ("J62.01", "K66.19"), ("fintech", "payments"),
          "offers payment apps for local shops"),
        P("{b} Secure", ("J62.02",), ("cybersecurity", "ai"),
          "detects cyber threats with machine learning"),
    ),
}
TEXTILE_PROFILES: dict[str, tuple[Profile, ...]] = {
    "large_enterprise": (
        P("Gruppo {b} Tessuti", ("C13.20", "C14.13"), ("wool", "fabrics", "tailoring"),
          "weaves fabrics and makes tailoring for luxury brands"),
        P("{b} Filati", ("C13.10",), ("yarn", "wool"), "spins carded and worsted wool yarns"),
    ),
    "sme": (
        P("Lanificio {b}", ("C13.20",), ("wool", "weaving"),
          "weaves worsted wool fabrics for menswear"),
        P("Tessitura {b}", ("C13.20",), ("weaving", "cotton"),
          "weaves cotton and linen shirting fabrics"),
        P("Filatura {b}", ("C13.10",), ("yarn", "spinning"), "spins carded wool and blended yarns"),
        P("Tintoria {b}", ("C13.30",), ("dyeing", "finishing"), "dyes yarns and piece goods"),
        P("Rifinizione {b}", ("C13.30",), ("finishing",), "finishes and treats woven fabrics"),
        P("Maglificio {b}", ("C14.39",), ("knitwear",), "makes knitwear for fashion brands"),
        P("Confezioni {b}", ("C14.13",), ("apparel", "tailoring"),
          "sews outerwear for fashion houses"),
        P("Pelletteria {b}", ("C15.12",), ("leather_goods",),
          "makes leather bags and small leather goods"),
        P("{b} Tessuti Tecnici", ("C13.96",), ("technical_textiles",),
          "makes technical textiles for industry"),
    ),
}
FASHION_TECH_PROFILES: dict[str, tuple[Profile, ...]] = {
    "sme": (
        P("{b} Eco Fashion", ("C14.13", "G47.91"), ("sustainable_fashion", "ecommerce"),
          "designs and sells organic-cotton collections online"),
        P("{b} Design Studio", ("M74.10",), ("design", "sustainable_fashion"),
          "designs low-impact collections for brands"),
        P("{b} Denim Lab", ("C14.13",), ("denim", "water_saving"), "makes low-water denim"),
    ),
    "startup": (
        P("{b} Circular", ("E38.32", "C13.10"), ("recycling", "circular_economy"),
          "recycles post-consumer textiles into new fibre"),
        P("{b} Fibre Lab", ("C20.60", "M72.1"), ("bio_based_fibres",),
          "develops fibres from agricultural waste"),
        P("{b} Wear", ("C14.13", "G47.91"), ("ecommerce", "sustainable_fashion"),
          "sells upcycled garments online"),
        P("{b} Upcycle", ("C14.13",), ("upcycling",),
          "turns deadstock fabrics into new collections"),
        P("{b} Trace", ("J62.01",), ("traceability", "blockchain"),
          "builds supply-chain traceability software for fashion"),
        P("{b} Rental", ("N77.29",), ("rental", "circular_economy"),
          "runs a clothing rental platform"),
        P("{b} Fit", ("J62.01",), ("3d_fitting", "ai"), "builds 3D virtual fitting tools"),
        P("{b} Dye Tech", ("C20.12",), ("natural_dyes",), "makes plant-based dyes"),
    ),
}
AGRIFOOD_PROFILES: dict[str, tuple[Profile, ...]] = {
    "large_enterprise": (
        P("{b} Alimentare", ("C10.73", "C10.39"), ("food_processing", "pasta"),
          "produces pasta and tomato preserves"),
    ),
    "sme": (
        P("Caseificio {b}", ("C10.51",), ("dairy", "cheese"), "makes aged cheese from local milk"),
        P("Pastificio {b}", ("C10.73",), ("pasta",), "makes bronze-drawn dried pasta"),
        P("Cantina {b}", ("C11.02",), ("wine",), "produces and bottles regional wines"),
        P("{b} Conserve", ("C10.39",), ("preserves",), "makes fruit and vegetable preserves"),
        P("Salumificio {b}", ("C10.13",), ("cured_meat",), "produces cured meats"),
        P("Azienda Agricola {b}", ("A01.13", "A01.24"), ("farming", "vegetables"),
          "grows vegetables and orchard fruit"),
        P("{b} Packaging", ("C22.22",), ("packaging",), "makes food packaging"),
    ),
    "startup": (
        P("{b} AgriTech", ("J62.01", "A01.61"), ("precision_farming", "iot"),
          "offers precision-farming sensors"),
        P("{b} Foodlab", ("C10.89", "M72.1"), ("alternative_proteins",),
          "develops plant-based proteins"),
        P("{b} Harvest", ("A01.13",), ("vertical_farming",), "runs vertical farms"),
    ),
}
SERVICE_PROFILES: dict[str, tuple[Profile, ...]] = {
    "large_enterprise": (
        P("Banca {b}", ("K64.19",), ("banking",), "lends to firms and households in the region"),
    ),
    "sme": (
        P("{b} Logistica", ("H49.41", "H52.10"), ("logistics", "warehousing"),
          "runs road freight and warehousing"),
        P("{b} Trasporti", ("H49.41",), ("transport",), "runs road haulage across northern Italy"),
        P("Studio {b} Consulting", ("M70.22",), ("management_consulting",),
          "advises manufacturers on lean production"),
        P("{b} Advisory", ("M69.20",), ("accounting", "tax"),
          "provides accounting and tax advice"),
        P("{b} Energy Services", ("M71.12", "D35.11"), ("energy_efficiency", "solar"),
          "installs solar plants and runs energy audits"),
        P("{b} Recruiting", ("N78.10",), ("recruitment",), "recruits engineers and technicians"),
    ),
}
del P
# fmt: on

CL_MOBILITY = "cl-valmora-mobility"
CL_DIGITAL = "cl-valmora-digital"
CL_FASHION = "cl-valmora-fashion"
CL_AGRIFOOD = "cl-valmora-agrifood"
TAG_TRADITIONAL = "traditional_textile"
TAG_FASHION_TECH = "sustainable_fashion_tech"

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

# --- Fixed organizations --------------------------------------------------------------------


class FixedOrg(NamedTuple):
    """A hand-written organization; ``group`` ties it into the generated structure."""

    name: str
    kind: str
    type: str
    sectors: tuple[str, ...]
    tags: tuple[str, ...]
    city: str
    employees: int | None
    founded: int | None
    description: str
    group: str
    clusters: tuple[str, ...] = ()
    slug: str | None = None


# fmt: off
F = FixedOrg
CLUSTERS: tuple[FixedOrg, ...] = (
    F("Valmora Mobility Cluster", "cluster", "cluster_organization", ("S94.11", "C29.1"),
      ("automotive", "electric_vehicles"), "Castelrivo", None, 2009,
      "Cluster organization of the vehicle and component makers of Valmora.", "mobility",
      slug="valmora-mobility"),
    F("Valmora Digital Valley", "cluster", "cluster_organization", ("S94.11", "J62.01"),
      ("software", "ai"), "Valmora", None, 2012,
      "Cluster organization of the software, data and electronics firms of Valmora.", "digital",
      slug="valmora-digital"),
    F("Valmora Fashion & Textile District", "cluster", "cluster_organization",
      ("S94.11", "C13.20", "C14.13"), ("textile", "fashion"), "Borgo Tessa", None, 2006,
      "Cluster organization of the wool, textile and fashion firms around Borgo Tessa.",
      "fashion", slug="valmora-fashion"),
    F("Valmora Agri-Food Network", "cluster", "cluster_organization", ("S94.11", "C10.5"),
      ("food", "farming"), "Roccaverde", None, 2014,
      "Cluster organization of the food producers and agri-tech firms of Valmora.", "agrifood",
      slug="valmora-agrifood"),
)
INSTITUTIONS: tuple[FixedOrg, ...] = (
    F("University of Valmora", "institution", "university", ("P85.42",),
      ("public", "research", "engineering", "design"), "Valmora", 3900, 1891,
      "Public university with engineering, computer science, design and agriculture faculties.",
      "research", (CL_MOBILITY, CL_DIGITAL, CL_AGRIFOOD)),
    F("Castelrivo Polytechnic", "institution", "university", ("P85.42",),
      ("public", "research", "engineering"), "Castelrivo", 1650, 1962,
      "Technical university known for mechanical, electrical and software engineering.",
      "research", (CL_MOBILITY, CL_DIGITAL)),
    F("Lechwald University of Applied Sciences", "institution", "university", ("P85.42",),
      ("public", "research", "automotive"), "Augsburg", 1100, 1971,
      "Foreign university of applied sciences with a vehicle engineering department.",
      "abroad"),
    F("Valmora Institute for Sustainable Mobility", "institution", "research_institute",
      ("M72.1",), ("electric_vehicles", "batteries", "research"), "Castelrivo", 180, 1998,
      "Applied research institute for vehicle electrification and lightweight design.",
      "mobility", (CL_MOBILITY,)),
    F("Valmora Digital Research Centre", "institution", "research_institute", ("M72.1",),
      ("ai", "cybersecurity", "research"), "Valmora", 140, 2005,
      "Research centre for artificial intelligence, data and cybersecurity.",
      "digital", (CL_DIGITAL,)),
    F("Textile Research Institute of Borgo Tessa", "institution", "research_institute",
      ("M72.1", "C13.30"), ("wool", "testing", "research", TAG_TRADITIONAL), "Borgo Tessa",
      65, 1954, "Testing laboratory and research institute for wool and fabric finishing.",
      "fashion_trad", (CL_FASHION,)),
    F("Circular Materials Lab", "institution", "research_institute", ("M72.1", "E38.32"),
      ("circular_economy", "bio_based_fibres", "research", TAG_FASHION_TECH), "Valmora", 48,
      2016, "Research lab for textile recycling and bio-based fibres.",
      "fashion_tech", (CL_FASHION,)),
    F("Valmora Agri-Food Innovation Institute", "institution", "research_institute",
      ("M72.1", "M71.20"), ("food_safety", "precision_farming", "research"), "Roccaverde", 90,
      1987, "Research institute for food safety, food technology and precision farming.",
      "agrifood", (CL_AGRIFOOD,)),
    F("National Institute of Advanced Materials, Valmora Unit", "institution",
      "research_institute", ("M72.1",), ("materials", "composites", "research"), "Valmora", 75,
      1993, "Regional unit of a national research institute for composites and coatings.",
      "research"),
    F("Valmora Regional Development Agency", "institution", "development_agency", ("O84.13",),
      ("public", "innovation_policy", "grants"), "Valmora", 120, 1999,
      "Regional agency that runs innovation grants and cluster programmes.", "public"),
    F("Regional Government of Valmora", "institution", "government", ("O84.11",),
      ("public", "regional_policy"), "Valmora", 2300, 1970,
      "Regional government responsible for economic development and research funding.",
      "public"),
    F("Municipality of Valmora", "institution", "government", ("O84.11",),
      ("public", "local_government"), "Valmora", 1400, None,
      "City government of Valmora, owner of the start-up hub premises.", "public"),
    F("National Agency for Industrial Innovation", "institution", "government", ("O84.13",),
      ("public", "grants", "research_funding"), "Roma", 310, 1982,
      "National agency that funds industrial research projects.", "public"),
    F("Valmora Chamber of Commerce", "institution", "chamber_of_commerce", ("S94.11",),
      ("business_services", "public"), "Valmora", 85, 1911,
      "Chamber of commerce that keeps the business register and supports exporters.", "public"),
    F("Valmora Automotive Suppliers Association", "institution", "association", ("S94.11",),
      ("automotive", "industry_association"), "Castelrivo", 9, 1972,
      "Industry association of the vehicle component suppliers of Valmora.",
      "mobility", (CL_MOBILITY,)),
    F("Valmora ICT Association", "institution", "association", ("S94.11",),
      ("software", "industry_association"), "Valmora", 6, 1995,
      "Industry association of software and IT service firms.", "digital", (CL_DIGITAL,)),
    F("Borgo Tessa Textile Manufacturers' Association", "institution", "association",
      ("S94.11",), ("textile", "industry_association", TAG_TRADITIONAL), "Borgo Tessa", 11,
      1946, "Industry association of the wool mills, dye houses and garment makers.",
      "fashion_trad", (CL_FASHION,)),
    F("Valmora Food Producers Association", "institution", "association", ("S94.11",),
      ("food", "industry_association"), "Roccaverde", 7, 1965,
      "Industry association of dairy, pasta, wine and preserve makers.",
      "agrifood", (CL_AGRIFOOD,)),
    F("Valmora Business Angels Network", "institution", "investor", ("K64.99",),
      ("business_angels", "seed"), "Valmora", 3, 2011,
      "Network of private investors who back early-stage regional start-ups.", "investor"),
    F("Valmora Regional Investment Fund", "institution", "investor", ("K64.30",),
      ("public_fund", "venture_capital"), "Valmora", 14, 2008,
      "Publicly owned fund that co-invests in young and growing regional firms.", "investor"),
    F("Valmora Startup Hub", "institution", "incubator", ("M70.22",),
      ("incubator", "startups"), "Valmora", 12, 2013,
      "Municipal incubator offering desks, mentoring and demo days to tech start-ups.",
      "digital", (CL_DIGITAL,)),
    F("Tessa Fashion Accelerator", "institution", "incubator", ("M70.22",),
      ("accelerator", "sustainable_fashion"), "Borgo Tessa", 6, 2018,
      "Accelerator programme for circular and sustainable fashion start-ups.", "fashion_tech"),
    F("Valmora Technical Academy", "institution", "training_center", ("P85.32",),
      ("vocational_training", "mechatronics"), "Castelrivo", 45, 2010,
      "Post-secondary technical school training mechatronics and textile technicians.",
      "public", (CL_MOBILITY,)),
)
COMPANIES: tuple[FixedOrg, ...] = (
    F("Voltaris Motors", "company", "large_enterprise", ("C29.1",),
      ("vehicles", "electric_vehicles"), "Castelrivo", 3200, 1949,
      "Vehicle maker that builds light commercial vans and electric delivery vehicles.",
      "mobility", (CL_MOBILITY,)),
    F("Torvale Engineering", "company", "sme", ("M71.12", "C28.99"),
      ("engineering", "automation", "mechatronics"), "Valmora", 85, 1988,
      "Engineering firm that designs automation lines for vehicle, textile and food plants.",
      "mobility", (CL_MOBILITY,)),
    F("Datavela Systems", "company", "sme", ("J62.01", "J62.02"),
      ("software", "iot", "ecommerce"), "Valmora", 120, 2001,
      "Software house that connects factory machines and online shops to the cloud.",
      "digital", (CL_DIGITAL,)),
    F("Orbitella Labs", "company", "startup", ("J62.01", "M72.1"),
      ("ai", "satellite_data"), "Lisena", 4, 2023,
      "Start-up that turns satellite images into crop and traffic indicators.",
      "digital", (CL_DIGITAL,)),
    F("Valmora Ventures", "company", "investor", ("K64.30",), ("venture_capital", "seed"),
      "Valmora", 11, 2014, "Venture capital firm that invests in seed and Series A rounds.",
      "investor"),
    F("Ponte Capital Partners", "company", "investor", ("K64.30",),
      ("venture_capital", "growth"), "Milano", 24, 2009,
      "Venture capital firm that invests in B2B software and sustainable consumer brands.",
      "investor"),
    F("Isarfeld Ventures", "company", "investor", ("K64.30",),
      ("venture_capital", "mobility"), "Munich", 18, 2012,
      "Venture capital firm that invests in mobility and industrial technology.", "investor"),
    F("Albamar Capital", "company", "investor", ("K64.30",),
      ("venture_capital", "impact"), "Barcelona", 9, 2017,
      "Impact investor that backs circular-economy start-ups.", "investor"),
    F("Brennhardt Fahrzeugwerke", "company", "large_enterprise", ("C29.1",),
      ("vehicles", "export_customer"), "Stuttgart", 14000, 1926,
      "Vehicle maker that buys components from Valmora suppliers.", "abroad"),
    F("Maison Lavandière", "company", "large_enterprise", ("C14.13", "G46.42"),
      ("fashion_house", "export_customer"), "Lyon", 2100, 1934,
      "Fashion house that sources wool fabrics and knitwear in Valmora.", "abroad"),
    F("Mercabella Online", "company", "large_enterprise", ("G47.91",),
      ("ecommerce", "export_customer"), "Barcelona", 640, 2009,
      "Online fashion retailer with a circular-fashion marketplace.", "abroad"),
    F("Nordhaven Retail", "company", "large_enterprise", ("G47.11",),
      ("retail", "export_customer"), "Amsterdam", 5200, 1961,
      "Supermarket chain that imports cheese, pasta and wine from Valmora.", "abroad"),
    F("Lombarda Componenti", "company", "sme", ("G46.69",),
      ("distribution", "components"), "Milano", 60, 1979,
      "Distributor of bearings, fasteners and electronic components.", "abroad"),
)
del F
# fmt: on

UNIVERSITY = "in-university-of-valmora"
POLYTECHNIC = "in-castelrivo-polytechnic"
LECHWALD = "in-lechwald-university-of-applied-sciences"
INST_MOBILITY = "in-valmora-institute-for-sustainable-mobility"
INST_DIGITAL = "in-valmora-digital-research-centre"
INST_TEXTILE = "in-textile-research-institute-of-borgo-tessa"
INST_CIRCULAR = "in-circular-materials-lab"
INST_AGRIFOOD = "in-valmora-agri-food-innovation-institute"
INST_MATERIALS = "in-national-institute-of-advanced-materials-valmora-unit"
DEV_AGENCY = "in-valmora-regional-development-agency"
REGION_GOV = "in-regional-government-of-valmora"
MUNICIPALITY = "in-municipality-of-valmora"
NATIONAL_AGENCY = "in-national-agency-for-industrial-innovation"
CHAMBER = "in-valmora-chamber-of-commerce"
ANGELS = "in-valmora-business-angels-network"
REGIONAL_FUND = "in-valmora-regional-investment-fund"
STARTUP_HUB = "in-valmora-startup-hub"
FASHION_ACCELERATOR = "in-tessa-fashion-accelerator"
ACADEMY = "in-valmora-technical-academy"
OEM = "co-voltaris-motors"
BROKER_ENGINEERING = "co-torvale-engineering"
BROKER_SOFTWARE = "co-datavela-systems"
ISOLATED_STARTUP = "co-orbitella-labs"
GERMAN_OEM = "co-brennhardt-fahrzeugwerke"
FASHION_HOUSE = "co-maison-lavandiere"
ONLINE_RETAILER = "co-mercabella-online"
SUPERMARKETS = "co-nordhaven-retail"
DISTRIBUTOR = "co-lombarda-componenti"
VC_REGIONAL = "co-valmora-ventures"
VC_MILAN = "co-ponte-capital-partners"
VC_MUNICH = "co-isarfeld-ventures"
VC_IMPACT = "co-albamar-capital"
KNOWN_IDS: tuple[str, ...] = (
    UNIVERSITY, POLYTECHNIC, LECHWALD, INST_MOBILITY, INST_DIGITAL, INST_TEXTILE, INST_CIRCULAR,
    INST_AGRIFOOD, INST_MATERIALS, DEV_AGENCY, REGION_GOV, MUNICIPALITY, NATIONAL_AGENCY, CHAMBER,
    ANGELS, REGIONAL_FUND, STARTUP_HUB, FASHION_ACCELERATOR, ACADEMY, OEM, BROKER_ENGINEERING,
    BROKER_SOFTWARE, ISOLATED_STARTUP, GERMAN_OEM, FASHION_HOUSE, ONLINE_RETAILER, SUPERMARKETS,
    DISTRIBUTOR, VC_REGIONAL, VC_MILAN, VC_MUNICH, VC_IMPACT, CL_MOBILITY, CL_DIGITAL, CL_FASHION,
    CL_AGRIFOOD,
)  # fmt: skip
ASSOCIATIONS: dict[str, str] = {
    "mobility": "in-valmora-automotive-suppliers-association",
    "digital": "in-valmora-ict-association",
    "fashion_trad": "in-borgo-tessa-textile-manufacturers-association",
    "agrifood": "in-valmora-food-producers-association",
}

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

# --- Model ----------------------------------------------------------------------------------


@dataclass
class Org:
    """One row of organizations.csv, plus the group and clusters used while building."""

    id: str
    name: str
    kind: str
    type: str
    sectors: tuple[str, ...]
    tags: tuple[str, ...]
    city: str
    employees: int | None
    founded: int | None
    description: str
    group: str
    clusters: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None

    def row(self) -> dict[str, str]:
        """The CSV row of this organization."""
        region, country, _, _ = CITIES[self.city]
        slug = self.id.split("-", 1)[1]
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
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
    type: str
    weight: float
    since: int
    until: int | None
    evidence: str

    def row(self) -> dict[str, str]:
        """The CSV row of this relationship."""
        return {
            "source": self.source,
            "target": self.target,
            "type": self.type,
            "weight": f"{self.weight:.1f}",
            "since": str(self.since),
            "until": "" if self.until is None else str(self.until),
            "evidence": self.evidence,
        }


def slugify(text: str) -> str:
    """Lowercase ASCII slug: ``"Maison Lavandière"`` -> ``"maison-lavandiere"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def org_id(kind: str, name: str) -> str:
    """The stable id of an organization: kind prefix plus the slug of its name."""
    return f"{ID_PREFIX[kind]}-{slugify(name)}"


# --- Builder --------------------------------------------------------------------------------


class SampleBuilder:
    """Builds the organizations and relationships, enforcing the deliberate structure."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.orgs: dict[str, Org] = {}
        self.rels: dict[tuple[str, str, str], Rel] = {}
        self.brands: set[str] = set()
        self.no_research: list[str] = []
        self.missing_links: list[tuple[str, str]] = []
        self.bridges: list[tuple[str, str, str]] = []

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
            id=org_id("company", name), name=name, kind="company", type=org_type,
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
            if org.group == group and org.kind == "company" and (not types or org.type in types)
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

    def allowed(self, source: str, target: str, rel_type: str, bridge: bool) -> bool:
        """Whether a tie respects the endpoint rules and the deliberate structure."""
        if source == target or source not in self.orgs or target not in self.orgs:
            return False
        a, b = self.orgs[source], self.orgs[target]
        sources, targets = ENDPOINTS[rel_type]
        if a.kind not in sources or b.kind not in targets:
            return False
        if rel_type != MEMBER_OF and ISOLATED_STARTUP in (source, target):
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
        rel_type: str,
        evidence: str,
        *,
        since: int | None = None,
        weight: float | None = None,
        bridge: bool = False,
    ) -> bool:
        """Add a relationship unless it breaks a rule or already exists; say if it was added."""
        if rel_type == COLLABORATES_WITH and source > target:
            source, target = target, source
        key = (source, rel_type, target)
        if key in self.rels or not self.allowed(source, target, rel_type, bridge):
            return False
        floor = max(self.orgs[source].founded or 1990, self.orgs[target].founded or 1990, 2003)
        year = since if since is not None else self.rng.randint(min(floor, LAST_YEAR), LAST_YEAR)
        until = None
        if rel_type in (COLLABORATES_WITH, SUPPLIES) and self.rng.random() < 0.12:
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
        return self.tie(a, b, COLLABORATES_WITH, self.rng.choice(texts), bridge=bridge)

    def weighted_pick(self, options: list[str], weights: list[float], k: int) -> list[str]:
        """Up to ``k`` distinct options, each draw proportional to its weight."""
        pool = list(zip(options, weights, strict=True))
        chosen: list[str] = []
        while pool and len(chosen) < k:
            pick = self.rng.choices(range(len(pool)), weights=[w for _, w in pool])[0]
            chosen.append(pool.pop(pick)[0])
        return chosen


COLLABORATION_EVIDENCE: tuple[str, ...] = (
    "Joint project {acr} (regional call {year})",
    "Joint R&D project {acr} ({year})",
    "Framework agreement signed {year}",
    "Shared pilot line, press release {year}",
    "Co-development contract {year}",
    "Joint trade-fair stand {year}",
)
RESEARCH_EVIDENCE: tuple[str, ...] = (
    "Research contract {year}",
    "Joint project {acr} (regional call {year})",
    "Industrial PhD agreement {year}",
    "Co-authored paper, {year}",
    "Technology transfer agreement {year}",
)
SUPPLY_EVIDENCE: tuple[str, ...] = (
    "Supplier list {year}",
    "Procurement register {year}",
    "Framework supply contract {year}",
    "Supplier list {year} (company website)",
)


# --- Relationship steps ---------------------------------------------------------------------


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
            b.tie(org.id, cluster, MEMBER_OF, f"Cluster member register {register}",
                  since=year, weight=1.0)  # fmt: skip
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
            b.tie(firm, buyer, SUPPLIES, b.rng.choice(SUPPLY_EVIDENCE))


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
            b.tie(firm, association, COLLABORATES_WITH, "Association working group {year}")
    for startup in b.rng.sample(
        b.group_firms("digital", "startup") + b.group_firms("mobility", "startup"), 10
    ):
        b.tie(startup, STARTUP_HUB, COLLABORATES_WITH, "Incubation programme, cohort {year}")
    for startup in b.rng.sample(b.group_firms("fashion_tech", "startup"), 7):
        b.tie(startup, FASHION_ACCELERATOR, COLLABORATES_WITH, "Accelerator cohort {year}")
    academy_firms = b.rng.sample(b.group_firms("mobility"), 6)
    academy_firms += b.rng.sample(b.group_firms("fashion_trad"), 3)
    for firm in academy_firms:
        b.tie(firm, ACADEMY, COLLABORATES_WITH, "Apprenticeship agreement {year}")
    research = [UNIVERSITY, POLYTECHNIC, INST_MOBILITY, INST_DIGITAL, INST_TEXTILE,
                INST_CIRCULAR, INST_AGRIFOOD, INST_MATERIALS]  # fmt: skip
    for i, first in enumerate(research):
        for second in research[i + 1 :]:
            if b.rng.random() < 0.45 or UNIVERSITY in (first, second):
                b.collaborate(first, second, research=True)
    for partner in (POLYTECHNIC, INST_MOBILITY, GERMAN_OEM, OEM):
        b.collaborate(LECHWALD, partner, research=True)
    for firm in b.rng.sample(b.ordinary("mobility", "sme", "startup"), 2):
        b.collaborate(LECHWALD, firm, research=True)
    for partner in (REGION_GOV, MUNICIPALITY, CHAMBER, *ASSOCIATIONS.values()):
        b.tie(DEV_AGENCY, partner, COLLABORATES_WITH, "Regional innovation board {year}")
    for cluster in (CL_MOBILITY, CL_DIGITAL, CL_FASHION, CL_AGRIFOOD):
        b.tie(DEV_AGENCY, cluster, COLLABORATES_WITH, "Cluster programme agreement {year}")
    b.tie(CL_MOBILITY, CL_DIGITAL, COLLABORATES_WITH, "Cross-cluster programme {year}")
    b.tie(CL_DIGITAL, CL_FASHION, COLLABORATES_WITH, "Cross-cluster programme {year}")
    b.tie(STARTUP_HUB, UNIVERSITY, COLLABORATES_WITH, "Start-up competition {year}")


def broker_ties(b: SampleBuilder) -> None:
    """The deliberate brokers: each ties into the firms of several clusters."""
    for broker, reach in BROKER_REACH.items():
        for group, count in reach:
            candidates = [f for f in b.group_firms(group) if f != broker]
            for firm in b.rng.sample(candidates, count):
                b.collaborate(broker, firm, research=broker == UNIVERSITY)
        if b.orgs[broker].kind == "company":
            for group, _ in reach[1:3]:
                for buyer in b.rng.sample(b.ordinary(group), 2):
                    b.tie(broker, buyer, SUPPLIES, b.rng.choice(SUPPLY_EVIDENCE))


def missing_link_gadgets(b: SampleBuilder) -> None:
    """Two firms of one cluster with many common partners but no tie between them."""
    for first, second in b.missing_links:
        group = b.orgs[first].group
        partners = b.rng.sample(b.ordinary(group, "sme", "startup"), MISSING_LINK_PARTNERS)
        for partner in partners:
            b.collaborate(first, partner)
            b.collaborate(second, partner)


def cross_cluster_ties(b: SampleBuilder) -> None:
    """A few ordinary ties across clusters, the fashion bridges, and the customers abroad."""
    for group_a, group_b, count in (("mobility", "digital", 4), ("digital", "fashion_tech", 2),
                                    ("agrifood", "digital", 2)):  # fmt: skip
        for _ in range(count):
            first = b.rng.choice(b.ordinary(group_a))
            second = b.rng.choice(b.ordinary(group_b))
            b.collaborate(first, second)
    trad = b.ordinary("fashion_trad", "sme")
    wool = [f for f in trad if {"wool", "yarn"} & set(b.orgs[f].tags)]
    mill, spinner = b.rng.sample(wool, 2)
    tech = b.ordinary("fashion_tech")
    recyclers = [f for f in tech if {"recycling", "bio_based_fibres"} & set(b.orgs[f].tags)]
    recycler = b.rng.choice(recyclers)
    makers = [f for f in tech if f != recycler and "sustainable_fashion" in b.orgs[f].tags]
    designer = b.rng.choice(makers or [f for f in tech if f != recycler])
    if b.collaborate(mill, recycler, bridge=True):
        b.bridges.append((mill, COLLABORATES_WITH, recycler))
    if b.tie(spinner, designer, SUPPLIES, "Supplier list {year}", bridge=True):
        b.bridges.append((spinner, SUPPLIES, designer))
    customers = ((GERMAN_OEM, "mobility", 4), (FASHION_HOUSE, "fashion_trad", 5),
                 (ONLINE_RETAILER, "fashion_tech", 3), (SUPERMARKETS, "agrifood", 4))  # fmt: skip
    for customer, group, count in customers:
        for firm in b.rng.sample(b.group_firms(group), count):
            b.tie(firm, customer, SUPPLIES, "Export customer list {year}")
    for buyer in b.rng.sample(b.group_firms("mobility", "sme", "large_enterprise"), 4):
        b.tie(DISTRIBUTOR, buyer, SUPPLIES, "Supplier list {year}")
    for service in b.group_firms("services"):
        clients = [f for g in CLUSTER_GROUPS for f in b.group_firms(g)]
        for client in b.rng.sample(clients, b.rng.randint(3, 6)):
            b.tie(service, client, SUPPLIES, b.rng.choice(SUPPLY_EVIDENCE))


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


def investments(b: SampleBuilder) -> None:
    """INVESTS_IN: venture capital, business angels, the regional fund, corporate venture."""
    for investor, groups, count, evidence in INVESTORS:
        startups = [s for g in groups for s in b.group_firms(g, "startup")]
        for startup in b.rng.sample(startups, min(count, len(startups))):
            b.tie(investor, startup, INVESTS_IN, evidence)
    digital_large = b.group_firms("digital", "large_enterprise")[0]
    for startup in b.rng.sample(b.group_firms("digital", "startup"), 2):
        b.tie(digital_large, startup, INVESTS_IN, "Corporate venture investment {year}")
    for sme in b.rng.sample(b.ordinary("mobility", "sme") + b.ordinary("agrifood", "sme"), 4):
        b.tie(REGIONAL_FUND, sme, INVESTS_IN, "Expansion capital {year}/{n}")


def funding(b: SampleBuilder) -> None:
    """FUNDS: public bodies fund clusters, research, incubators and firms."""
    clusters = [CL_MOBILITY, CL_DIGITAL, CL_FASHION, CL_AGRIFOOD]
    regional = [*clusters, UNIVERSITY, POLYTECHNIC, INST_MOBILITY, INST_DIGITAL, INST_TEXTILE,
                INST_CIRCULAR, INST_AGRIFOOD, DEV_AGENCY, REGIONAL_FUND, STARTUP_HUB,
                FASHION_ACCELERATOR, ACADEMY]  # fmt: skip
    for target in regional:
        b.tie(REGION_GOV, target, FUNDS, "Regional budget law {year}")
    national = [UNIVERSITY, POLYTECHNIC, INST_MOBILITY, INST_DIGITAL, INST_MATERIALS,
                INST_AGRIFOOD, OEM]  # fmt: skip
    for target in national:
        b.tie(NATIONAL_AGENCY, target, FUNDS, "National research grant {year}/{n}")
    for target in (STARTUP_HUB, ACADEMY, CHAMBER):
        b.tie(MUNICIPALITY, target, FUNDS, "Municipal grant {year}")
    for cluster in clusters:
        b.tie(DEV_AGENCY, cluster, FUNDS, "Cluster management grant {year}")
    firms = [f for g in CLUSTER_GROUPS for f in b.group_firms(g, "sme", "startup")]
    for firm in b.rng.sample(firms, 20):
        b.tie(DEV_AGENCY, firm, FUNDS, "Regional innovation grant {year} (decree {n})")
    for firm in b.rng.sample(firms, 6):
        b.tie(CHAMBER, firm, FUNDS, "Export voucher {year}")
    for group in ("mobility", "digital", "agrifood"):
        for firm in b.rng.sample(b.ordinary(group, "sme", "startup"), 2):
            b.tie(NATIONAL_AGENCY, firm, FUNDS, "National research grant {year}/{n}")


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


def spin_offs(b: SampleBuilder) -> None:
    """SPUN_OUT_OF: start-ups founded by researchers or by staff of the vehicle maker."""
    taken: set[str] = set()
    for group, parent, count in SPIN_OFFS:
        startups = [s for s in b.ordinary(group, "startup") if s not in taken]
        for startup in b.rng.sample(startups, count):
            year = b.orgs[startup].founded
            if b.tie(startup, parent, SPUN_OUT_OF, "Spin-off register {year}", since=year,
                     weight=1.0):  # fmt: skip
                taken.add(startup)
    for sme in b.rng.sample(b.ordinary("mobility", "sme"), 1):
        if b.tie(sme, OEM, SPUN_OUT_OF, "Founders' biographies, company website", weight=1.0,
                 since=b.orgs[sme].founded):  # fmt: skip
            taken.add(sme)


def choose_roles(b: SampleBuilder) -> None:
    """Pick the missing-link pairs and the firms without research partner."""
    for group in MISSING_LINK_GROUPS:
        first, second = b.rng.sample(b.ordinary(group, "sme", "startup"), 2)
        b.missing_links.append((min(first, second), max(first, second)))
    for group in CLUSTER_GROUPS:
        pool = b.ordinary(group, "sme")
        b.no_research.extend(sorted(b.rng.sample(pool, NO_RESEARCH_COUNT[group])))


def build() -> SampleBuilder:
    """Build the whole sample ecosystem."""
    b = SampleBuilder()
    b.build_organizations()
    unknown = sorted(set(KNOWN_IDS) - set(b.orgs))
    if unknown:
        raise ValueError(f"constants name unknown organizations: {unknown}")
    choose_roles(b)
    add_memberships(b)
    for group, m, extra in GROUP_COLLABORATION:
        preferential_collaboration(b, group, m, extra)
    for group in CLUSTER_GROUPS:
        supply_chains(b, group)
        research_ties(b, group)
    institution_ties(b)
    broker_ties(b)
    missing_link_gadgets(b)
    cross_cluster_ties(b)
    investments(b)
    funding(b)
    spin_offs(b)
    return b


# --- Output ---------------------------------------------------------------------------------


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[dict[str, str]]) -> None:
    """Write rows with a fixed header, Unix newlines and minimal quoting."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _bullets(b: SampleBuilder, ids: Iterable[str]) -> str:
    return "\n".join(f"  - {b.orgs[i].name} (`{i}`)" for i in ids)


def _wrapped(text: str) -> str:
    return textwrap.fill(text, width=96, subsequent_indent="  ", break_on_hyphens=False)


def _count_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))


def readme_text(b: SampleBuilder) -> str:
    """The README of the sample, with the deliberate structure spelled out."""
    kinds: dict[str, int] = {}
    for org in b.orgs.values():
        kinds[org.kind] = kinds.get(org.kind, 0) + 1
    types: dict[str, int] = {}
    for rel in b.rels.values():
        types[rel.type] = types.get(rel.type, 0) + 1
    pairs = "\n".join(
        f"  - {b.orgs[x].name} (`{x}`) and {b.orgs[y].name} (`{y}`)" for x, y in b.missing_links
    )
    bridges = "\n".join(f"  - `{s}` {t} `{o}`" for s, t, o in b.bridges)
    unplaced = [oid for oid in sorted(b.orgs) if b.orgs[oid].lat is None]
    return f"""# EcoMap sample ecosystem: the region of Valmora

**Everything here is fictional.** The region of Valmora, its cities, every organization and
every relationship are invented for demonstrations and tests; any resemblance to real
organizations, people or places is coincidental. Websites use the reserved `.example` domain.
A few organizations sit in real cities abroad (customers, investors, a university) but are
fictional too.

Generated by `tools/build_sample.py` (seeded, deterministic); regenerate rather than edit.

{_wrapped(f"- {len(b.orgs)} organizations: {_count_text(kinds)}.")}
{_wrapped(f"- {len(b.rels)} relationships: {_count_text(types)}.")}
- Weights are relative intensities on a 1-5 scale (1.0 for memberships and spin-offs);
  `since`/`until` are years; `evidence` says where a tie was recorded.

## Clusters

- **Valmora Mobility Cluster** (`{CL_MOBILITY}`): the vehicle maker Voltaris Motors, its
  component suppliers (castings, gears, wiring, plastics) and e-mobility start-ups, around
  Castelrivo Polytechnic and the Institute for Sustainable Mobility.
- **Valmora Digital Valley** (`{CL_DIGITAL}`): software houses, IT services and AI
  start-ups in Valmora city, with the Digital Research Centre and the Startup Hub.
- **Valmora Fashion & Textile District** (`{CL_FASHION}`): wool mills, dye houses and
  garment makers in Borgo Tessa, and a newer circle of sustainable-fashion firms.
- **Valmora Agri-Food Network** (`{CL_AGRIFOOD}`, small): dairies, pasta makers, wineries
  and agri-tech start-ups around Roccaverde.

## What the analyses should find

Analyses run on the organization-to-organization network (no cluster nodes, no MEMBER_OF).

- **Brokers between clusters**: each ties into the members of three or four clusters and ranks
  near the top by betweenness.
{_bullets(b, BROKER_REACH)}
- **Isolated start-up**: no tie of any kind except its cluster membership.
{_bullets(b, [ISOLATED_STARTUP])}
- **Two communities in one cluster**: the fashion and textile district splits into traditional
  textile manufacturing (tag `{TAG_TRADITIONAL}`) and sustainable fashion tech (tag
  `{TAG_FASHION_TECH}`), dense inside and joined by only two ties:
{bridges}
- **Cluster firms with no research partner** (no collaboration, funding or spin-off tie to a
  university or research institute), although active in their cluster:
{_bullets(b, b.no_research)}
- **Missing links**: firms of one cluster that share {MISSING_LINK_PARTNERS} or more partners
  but are not tied to each other:
{pairs}

The network is connected apart from the isolated start-up, with a heavy-tailed degree spread
(the universities, the development agency and the vehicle maker are hubs). These have no
coordinates, for the geo layout to place aside:
{_bullets(b, unplaced)}
"""


def write_sample(out: Path, b: SampleBuilder) -> list[Path]:
    """Write the two CSV files and the README into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    orgs_path, rels_path, readme_path = (
        out / "organizations.csv", out / "relationships.csv", out / "README.md",
    )  # fmt: skip
    write_csv(orgs_path, ORG_COLUMNS, (b.orgs[k].row() for k in sorted(b.orgs)))
    rels = sorted(b.rels.values(), key=lambda r: (r.source, r.target, r.type))
    write_csv(rels_path, REL_COLUMNS, (rel.row() for rel in rels))
    with readme_path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(readme_text(b))
    return [orgs_path, rels_path, readme_path]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory (default: app/sample)"
    )
    args = parser.parse_args(argv)
    builder = build()
    for path in write_sample(args.out, builder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
