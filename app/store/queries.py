"""Named Cypher statements loaded from the repository's ``cypher/`` folder.

An installed wheel carries that folder as ``app/cypher/`` (setup.py copies it there); an
editable install or a source checkout reads the repository's ``cypher/`` in place.

A ``.cypher`` file holds blocks that start with ``// name: NAME``; the block runs until the next
``// name:`` line or the end of the file. ``cypher/<dialect>/`` overrides shared statements of
the same name. Labels and relationship types are filled into ``%LABEL%``, ``%FROM_LABEL%``,
``%TO_LABEL%`` and ``%REL_TYPE%`` slots from the fixed vocabulary only; ``%MAX_LENGTH%`` takes a
bounded integer (walk depths cannot be parameters). ``%ORGANIZATION%`` is always filled: the
labels of every kind, as the dialect writes "any of these labels" (:data:`ORGANIZATION_LABELS`).
A node pattern that means organizations names them: the database holds other nodes too (change
sets, people, dismissed suggestions, saved views), and LadybugDB's unlabeled ``(n)`` scans every
node table.

``%FILTER(x)%`` is the FilterSpec predicate on the node ``x``: the AND of the clauses of the
constraints in use (``where``), or ``true`` when there are none, in parentheses. Each clause is
a statement of the dialect's ``filter.cypher`` (:data:`FILTER_CLAUSES`), written for the node
``%NODE%``, which takes ``x``. A constraint not in use has no clause at all: LadybugDB would
evaluate even a clause made true by a flag, and Neo4j plans the statement as sent.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from app.errors import ConfigurationError
from app.vocabulary import LABELS, Kind, RelType

__all__ = [
    "CYPHER_DIR",
    "FILTER_CLAUSES",
    "FILTER_CONSTRAINTS",
    "MAX_PATH_LENGTH",
    "ORGANIZATION_LABELS",
    "Dialect",
    "load_queries",
    "query",
]

Dialect = Literal["embedded", "neo4j"]


def _cypher_dir() -> Traversable:
    """``app/cypher/`` when installed from a wheel, else the repository's ``cypher/``."""
    packaged = files("app") / "cypher"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "cypher"


CYPHER_DIR = _cypher_dir()
#: What ``%ORGANIZATION%`` stands for in each dialect: a node of any kind's label (LadybugDB
#: matches ``(n:A:B)`` in table A or B, Neo4j ``(n:A|B)`` with label A or B).
ORGANIZATION_LABELS: dict[Dialect, str] = {
    "embedded": ":".join(LABELS[kind] for kind in Kind),
    "neo4j": "|".join(LABELS[kind] for kind in Kind),
}
#: Longest walk a statement may ask for (variable-length bounds cannot be parameters).
MAX_PATH_LENGTH = 10
_NAME_RE = re.compile(r"^//\s*name:\s*([a-z0-9_]+)\s*$", re.MULTILINE)
_SLOT_RE = re.compile(r"%[A-Z_]+%")
_FILTER_RE = re.compile(r"%FILTER\((\w+)\)%")

#: The statement holding the clause of each node constraint of a FilterSpec, in the order
#: ``%FILTER(x)%`` tests them. Written out, so that a search for a statement's name finds
#: where it is used.
FILTER_CLAUSES: dict[str, str] = {
    "kinds": "organization_filter_kinds",
    "types": "organization_filter_types",
    "sectors": "organization_filter_sectors",
    "regions": "organization_filter_regions",
    "countries": "organization_filter_countries",
    "tags": "organization_filter_tags",
    "clusters": "organization_filter_clusters",
    "min_employees": "organization_filter_min_employees",
    "max_employees": "organization_filter_max_employees",
    "founded_from": "organization_filter_founded_from",
    "founded_to": "organization_filter_founded_to",
    "search": "organization_filter_search",
    "stale_since": "organization_filter_stale_since",
}
#: The node constraints of a FilterSpec, in their order (each one's parameter has its name).
FILTER_CONSTRAINTS: tuple[str, ...] = tuple(FILTER_CLAUSES)


def _parse(path: Traversable) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    marks = list(_NAME_RE.finditer(text))
    blocks: dict[str, str] = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following else len(text)
        body = "\n".join(
            line for line in text[mark.end() : end].splitlines() if not line.startswith("//")
        ).strip()
        if mark.group(1) in blocks:
            raise ConfigurationError(f"{path}: query {mark.group(1)!r} is defined twice")
        blocks[mark.group(1)] = body
    return blocks


def _bounded(name: str, value: int | None, low: int, high: int) -> str | None:
    """A numeric slot: an int in [low, high], as text (it cannot be a Cypher parameter)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    return str(value)


def _statement(dialect: Dialect, name: str) -> str:
    try:
        return load_queries(dialect)[name]
    except KeyError:
        raise ConfigurationError(f"no Cypher statement named {name!r} for {dialect}") from None


def _fill(text: str, slots: dict[str, str | None]) -> str:
    """``text`` with each slot given a value replaced by it."""
    for slot, value in slots.items():
        if value is not None:
            text = text.replace(slot, value)
    return text


def _predicate(dialect: Dialect, variable: str, where: frozenset[str]) -> str:
    """The FilterSpec predicate on ``variable``: the clauses of the constraints in ``where``
    (each in parentheses) joined by AND, or ``true``; in parentheses."""
    clauses = [
        f"({_fill(_statement(dialect, FILTER_CLAUSES[constraint]), {'%NODE%': variable})})"
        for constraint in FILTER_CONSTRAINTS
        if constraint in where
    ]
    return f"({' AND '.join(clauses) or 'true'})"


@cache
def load_queries(dialect: Dialect) -> dict[str, str]:
    """All statements for a dialect: the shared ones, overridden by the dialect's own."""
    if not CYPHER_DIR.is_dir():
        raise ConfigurationError(f"Cypher folder not found at {CYPHER_DIR}")
    queries: dict[str, str] = {}
    for folder in (CYPHER_DIR, CYPHER_DIR / dialect):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir(), key=lambda entry: entry.name):
            if path.name.endswith(".cypher") and path.is_file():
                queries.update(_parse(path))
    return queries


@cache
def query(
    dialect: Dialect,
    name: str,
    *,
    label: Kind | None = None,
    from_label: Kind | None = None,
    to_label: Kind | None = None,
    rel_type: RelType | None = None,
    max_length: int | None = None,
    where: frozenset[str] = frozenset(),
) -> str:
    """Return statement ``name`` with its vocabulary slots filled (cached).

    ``where`` names the FilterSpec constraints in use (of :data:`FILTER_CONSTRAINTS`):
    ``%FILTER(x)%`` holds their clauses and no other.

    Examples
    --------
    >>> query("embedded", "count_nodes_by_label")
    'MATCH (n:Company:Institution:Cluster) RETURN label(n) AS label, count(*) AS count'
    >>> print(query("embedded", "filter_outgoing_ties", where=frozenset({"countries", "kinds"})))
    MATCH (a:Company:Institution:Cluster) WHERE ((a.kind IN $kinds) AND (a.country IN $countries))
    WITH a
    MATCH (a)-[r]->(b)
    RETURN a.id AS source, label(r) AS type, b.id AS target, r.weight AS weight
    """
    unknown = where.difference(FILTER_CLAUSES)
    if unknown:
        raise ValueError(f"unknown FilterSpec constraints: {sorted(unknown)}")
    text = _statement(dialect, name)
    text = _FILTER_RE.sub(lambda m: _predicate(dialect, m.group(1), where), text)
    slots = {
        "%LABEL%": LABELS[Kind(label)] if label else None,
        "%FROM_LABEL%": LABELS[Kind(from_label)] if from_label else None,
        "%TO_LABEL%": LABELS[Kind(to_label)] if to_label else None,
        "%REL_TYPE%": RelType(rel_type).value if rel_type else None,
        "%MAX_LENGTH%": _bounded("max_length", max_length, 1, MAX_PATH_LENGTH),
        "%ORGANIZATION%": ORGANIZATION_LABELS[dialect],
    }
    text = _fill(text, slots)
    leftover = _SLOT_RE.search(text)
    if leftover:
        raise ConfigurationError(f"query {name!r} needs a value for {leftover.group()}")
    return text
