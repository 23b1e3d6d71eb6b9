"""The sector vocabulary: NACE Rev. 2 sections, the top level of the codes in ``sectors``.

Sector codes are open text (NACE or NAICS codes, or labels); where one starts with a NACE
section letter, that section groups it: facets count by section and maps colour by it.

References
----------
.. [1] Eurostat, "NACE Rev. 2 - Statistical classification of economic activities in the
   European Community", Methodologies and Working papers, 2008.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SECTIONS", "sector_section"]

#: NACE Rev. 2 sections and their names (a sector code such as ``C29.1`` starts with one).
SECTIONS: dict[str, str] = {
    "A": "Agriculture, forestry and fishing",
    "B": "Mining and quarrying",
    "C": "Manufacturing",
    "D": "Energy supply",
    "E": "Water supply and waste",
    "F": "Construction",
    "G": "Wholesale and retail trade",
    "H": "Transport and storage",
    "I": "Accommodation and food services",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities",
    "M": "Professional, scientific and technical activities",
    "N": "Administrative and support services",
    "O": "Public administration",
    "P": "Education",
    "Q": "Health and social work",
    "R": "Arts and recreation",
    "S": "Other service activities",
    "T": "Households as employers",
    "U": "Extraterritorial organisations",
}


def sector_section(code: Any) -> str | None:
    """The NACE section letter of a sector code, or ``None``.

    Examples
    --------
    >>> sector_section("C29.1"), sector_section("j62"), sector_section(""), sector_section(None)
    ('C', 'J', None, None)
    """
    if not isinstance(code, str) or not code.strip():
        return None
    letter = code.strip()[0].upper()
    return letter if letter in SECTIONS else None
