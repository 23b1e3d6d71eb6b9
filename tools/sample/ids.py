"""Ids of the organizations that play a named part in the sample, and the community tags."""

from __future__ import annotations

CL_MOBILITY = "cl-valmora-mobility"
CL_DIGITAL = "cl-valmora-digital"
CL_FASHION = "cl-valmora-fashion"
CL_AGRIFOOD = "cl-valmora-agrifood"
CLUSTER_IDS: tuple[str, ...] = (CL_MOBILITY, CL_DIGITAL, CL_FASHION, CL_AGRIFOOD)
TAG_TRADITIONAL = "traditional_textile"
TAG_FASHION_TECH = "sustainable_fashion_tech"

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
#: The universities and research institutes of the research network, in a fixed order.
RESEARCH_ORGS: tuple[str, ...] = (
    UNIVERSITY, POLYTECHNIC, INST_MOBILITY, INST_DIGITAL, INST_TEXTILE, INST_CIRCULAR,
    INST_AGRIFOOD, INST_MATERIALS,
)  # fmt: skip
KNOWN_IDS: tuple[str, ...] = (
    UNIVERSITY, POLYTECHNIC, LECHWALD, INST_MOBILITY, INST_DIGITAL, INST_TEXTILE, INST_CIRCULAR,
    INST_AGRIFOOD, INST_MATERIALS, DEV_AGENCY, REGION_GOV, MUNICIPALITY, NATIONAL_AGENCY, CHAMBER,
    ANGELS, REGIONAL_FUND, STARTUP_HUB, FASHION_ACCELERATOR, ACADEMY, OEM, BROKER_ENGINEERING,
    BROKER_SOFTWARE, ISOLATED_STARTUP, GERMAN_OEM, FASHION_HOUSE, ONLINE_RETAILER, SUPERMARKETS,
    DISTRIBUTOR, VC_REGIONAL, VC_MILAN, VC_MUNICH, VC_IMPACT, CL_MOBILITY, CL_DIGITAL, CL_FASHION,
    CL_AGRIFOOD,
)  # fmt: skip
#: Group -> the industry association of its firms.
ASSOCIATIONS: dict[str, str] = {
    "mobility": "in-valmora-automotive-suppliers-association",
    "digital": "in-valmora-ict-association",
    "fashion_trad": "in-borgo-tessa-textile-manufacturers-association",
    "agrifood": "in-valmora-food-producers-association",
}
