"""The fictional setting: the places of Valmora, brand name parts and evidence wording.

Evidence texts are ``str.format`` templates: ``{year}`` is the tie's start year, ``{acr}`` a
project acronym and ``{n}`` a decree or grant number.
"""

from __future__ import annotations

REGION = "Valmora"
COUNTRY = "IT"


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
