"""The fixed vocabulary of the EcoMap graph: node kinds, labels, relationship types.

Labels, relationship types and property names that reach a Cypher statement come only from
this module, never from user input (DESIGN.md section 4).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ALL_KINDS",
    "ANALYSIS_PROPERTIES",
    "COUNTRY_CODES",
    "COUNTRY_HINTS",
    "ENDPOINTS",
    "LABELS",
    "ORGANIZATION_COLUMNS",
    "ORGANIZATION_PROPERTIES",
    "RELATIONSHIP_COLUMNS",
    "RELATIONSHIP_CONTENT",
    "RELATIONSHIP_PROPERTIES",
    "SYMMETRIC",
    "VERIFICATION_PROPERTIES",
    "Kind",
    "RelType",
    "kind_of_label",
]


class Kind(StrEnum):
    """What an organization is; each kind is stored under one node label."""

    COMPANY = "company"
    INSTITUTION = "institution"
    CLUSTER = "cluster"


class RelType(StrEnum):
    """Relationship types of DESIGN.md section 2."""

    MEMBER_OF = "MEMBER_OF"
    COLLABORATES_WITH = "COLLABORATES_WITH"
    SUPPLIES = "SUPPLIES"
    INVESTS_IN = "INVESTS_IN"
    FUNDS = "FUNDS"
    SPUN_OUT_OF = "SPUN_OUT_OF"


LABELS: dict[Kind, str] = {
    Kind.COMPANY: "Company",
    Kind.INSTITUTION: "Institution",
    Kind.CLUSTER: "Cluster",
}

ALL_KINDS: frozenset[Kind] = frozenset(Kind)

#: Allowed (source kinds, target kinds) per relationship type.
ENDPOINTS: dict[RelType, tuple[frozenset[Kind], frozenset[Kind]]] = {
    RelType.MEMBER_OF: (frozenset({Kind.COMPANY, Kind.INSTITUTION}), frozenset({Kind.CLUSTER})),
    RelType.COLLABORATES_WITH: (ALL_KINDS, ALL_KINDS),
    RelType.SUPPLIES: (frozenset({Kind.COMPANY}), frozenset({Kind.COMPANY})),
    RelType.INVESTS_IN: (frozenset({Kind.COMPANY, Kind.INSTITUTION}), frozenset({Kind.COMPANY})),
    RelType.FUNDS: (frozenset({Kind.INSTITUTION}), ALL_KINDS),
    RelType.SPUN_OUT_OF: (frozenset({Kind.COMPANY}), frozenset({Kind.COMPANY, Kind.INSTITUTION})),
}

#: Symmetric types are stored once, from the smaller id to the larger.
SYMMETRIC: frozenset[RelType] = frozenset({RelType.COLLABORATES_WITH})

#: Stored organization properties, in canonical column order, then ``updated_at`` (stamped by
#: the store) and the verification properties (stamped by the services; appended last, as an
#: older embedded database gains them).
ORGANIZATION_PROPERTIES: tuple[str, ...] = (
    "id", "name", "kind", "type", "sectors", "tags", "city", "region", "country",
    "lat", "lon", "employees", "founded", "website", "description", "source", "updated_at",
    "verified_at", "verified_by",
)  # fmt: skip

#: When an organization's record was last confirmed as right, and by whom: set by an edit of
#: the record or an explicit confirm (app.services.freshness), stored as given otherwise.
VERIFICATION_PROPERTIES: tuple[str, ...] = ("verified_at", "verified_by")

#: The organization properties the analyses read (names, groups, sectors for reasons, the
#: triple-helix sector): what ``GraphStore.subgraph(..., brief=True)`` returns.
ANALYSIS_PROPERTIES: tuple[str, ...] = (
    "id", "name", "kind", "type", "sectors", "region", "country",
)  # fmt: skip

#: Stored relationship properties (source, target and type identify a relationship).
RELATIONSHIP_PROPERTIES: tuple[str, ...] = ("weight", "since", "until", "evidence", "updated_at")

#: The canonical CSV headers of DESIGN.md section 3, in order.
ORGANIZATION_COLUMNS: tuple[str, ...] = ORGANIZATION_PROPERTIES[:15]
#: What a relationship says (its properties but the store-managed timestamp): compared by
#: upserts, carried as edge attributes.
RELATIONSHIP_CONTENT: tuple[str, ...] = RELATIONSHIP_PROPERTIES[:-1]
RELATIONSHIP_COLUMNS: tuple[str, ...] = ("source", "target", "type", *RELATIONSHIP_CONTENT)


def kind_of_label(label: str) -> Kind:
    """Return the kind stored under a node label (``"Company"`` -> ``Kind.COMPANY``)."""
    for kind, name in LABELS.items():
        if name == label:
            return kind
    raise KeyError(label)


#: ISO 3166-1 alpha-2 codes (officially assigned), plus XK (Kosovo, used by the EU and CORDIS).
COUNTRY_CODES: frozenset[str] = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW XK
    """.split()
)

#: Common non-ISO codes and the ISO code meant (EU/Eurostat usage and frequent slips).
COUNTRY_HINTS: dict[str, str] = {"UK": "GB", "EL": "GR", "EN": "GB"}
