"""Business profiles of the generated firms, per group and organization type (pure data)."""

from __future__ import annotations

from typing import NamedTuple


class Profile(NamedTuple):
    """One kind of firm: a name pattern (``{b}`` is a brand), NACE codes, tags, activity."""

    pattern: str
    sectors: tuple[str, ...]
    tags: tuple[str, ...]
    activity: str


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
