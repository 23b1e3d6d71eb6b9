"""Cells a spreadsheet would run as a formula, and how EcoMap's CSV files keep them text.

Excel, LibreOffice and Google Sheets evaluate a CSV cell that starts with ``=``, ``+``,
``-`` or ``@`` (and, in some versions, a tab or carriage return) as a formula:
``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` in an exported name would run when an analyst
opens the file (CSV or formula injection, OWASP [1]_). ``ecomap export --format csv``
therefore writes such a text cell with one apostrophe in front, which spreadsheets show as
literal text, and the CSV reader takes exactly one apostrophe off again, so an export
imports back unchanged.

The rule is reversible for every text: a cell is escaped when, after its leading
apostrophes, it starts with a trigger character; unescaping removes one apostrophe from
such a cell and leaves every other cell alone. Numbers (``lat`` of ``-3.7``) are written as
numbers and need no escape.

References
----------
.. [1] OWASP, "CSV Injection". https://owasp.org/www-community/attacks/CSV_Injection

Examples
--------
>>> escape_formula("=cmd|' /C calc'!A0")
"'=cmd|' /C calc'!A0"
>>> unescape_formula(escape_formula("'=x")) == "'=x"
True
>>> escape_formula("Acme"), unescape_formula("'Acme")
('Acme', "'Acme")
"""

from __future__ import annotations

__all__ = ["FORMULA_TRIGGERS", "escape_formula", "unescape_formula"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _triggers(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_TRIGGERS)


def escape_formula(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet evaluates (one apostrophe in front)."""
    return f"'{text}" if _triggers(text) else text


def unescape_formula(cell: str) -> str:
    """The text :func:`escape_formula` wrote ``cell`` for."""
    return cell[1:] if cell.startswith("'") and _triggers(cell) else cell
