"""Map styling: colours for categories, node sizes from scores, relationship line styles.

Everything here is plain data for the map template; nothing is HTML. Colours come from the
Okabe-Ito palette (distinguishable with the common colour-vision deficiencies) extended with
Tableau's, and the categories beyond them share one grey, which the legend says.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.vocabulary import RelType

__all__ = [
    "OTHER",
    "OTHER_COLOR",
    "PALETTE",
    "REL_STYLES",
    "Category",
    "RelStyle",
    "category_colors",
    "first_value",
    "node_sizes",
    "top_labelled",
]

#: Categorical colours, most distinguishable first.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#4E79A7",
    "#59A14F",
    "#B07AA1",
    "#9C755F",
    "#76B7B2",
    "#EDC948",
    "#FF9DA7",
)
OTHER = "other"
OTHER_COLOR = "#B0B0B0"


@dataclass(frozen=True, slots=True)
class Category:
    """One legend entry: a value, its display label, colour and how many nodes have it."""

    value: str
    label: str
    color: str
    count: int


@dataclass(frozen=True, slots=True)
class RelStyle:
    """How edges of one relationship type are drawn."""

    color: str
    dashes: bool | list[int]
    arrow: bool
    label: str


REL_STYLES: dict[str, RelStyle] = {
    RelType.COLLABORATES_WITH: RelStyle("#5B7083", False, False, "collaborates with"),
    RelType.SUPPLIES: RelStyle("#E69F00", False, True, "supplies"),
    RelType.INVESTS_IN: RelStyle("#009E73", [8, 5], True, "invests in"),
    RelType.FUNDS: RelStyle("#8E5BA8", [8, 5], True, "funds"),
    RelType.SPUN_OUT_OF: RelStyle("#D55E00", [2, 4], True, "spun out of"),
    RelType.MEMBER_OF: RelStyle("#A9A9A9", [2, 4], True, "member of"),
}


def category_colors(
    values: Mapping[Hashable, str | None],
    *,
    labels: Mapping[str, str] | None = None,
    max_colors: int = len(PALETTE),
    order: Sequence[str] = (),
) -> tuple[dict[Hashable, str], list[Category]]:
    """Colour of each node from its category, and the legend entries.

    The ``max_colors`` most frequent categories (ties by value) get palette colours in that
    order; the rest and nodes without a category share :data:`OTHER_COLOR` under one "other"
    entry, listed last. With ``order`` (every category of the data, most frequent first),
    a category's colour is that of its rank there instead, whichever categories the view
    holds: the same category has the same colour in every view.

    Examples
    --------
    >>> colors, legend = category_colors({"a": "x", "b": "y", "c": "x", "d": None}, max_colors=1)
    >>> colors
    {'a': '#0072B2', 'b': '#B0B0B0', 'c': '#0072B2', 'd': '#B0B0B0'}
    >>> [(c.value, c.count) for c in legend]
    [('x', 2), ('other', 2)]
    >>> category_colors({"a": "y"}, order=["x", "y"])[0]
    {'a': '#E69F00'}
    """
    counts = Counter(v for v in values.values() if v is not None)
    if order:  # colours by the global rank, the same in every view of the same data
        rank = {value: i for i, value in enumerate(order)}
        present = sorted(
            (v for v in counts if rank.get(v, max_colors) < max_colors), key=rank.__getitem__
        )
        kept = {value: PALETTE[rank[value] % len(PALETTE)] for value in present}
    else:
        ranked = sorted(counts, key=lambda v: (-counts[v], str(v)))
        kept = {value: PALETTE[i % len(PALETTE)] for i, value in enumerate(ranked[:max_colors])}
    colors = {
        node: kept.get(value, OTHER_COLOR) if value else OTHER_COLOR
        for node, value in values.items()
    }
    legend = [
        Category(value, (labels or {}).get(value, value), color, counts[value])
        for value, color in kept.items()
    ]
    rest = len(values) - sum(c.count for c in legend)
    if rest:
        legend.append(Category(OTHER, "other / none", OTHER_COLOR, rest))
    return colors, legend


def node_sizes(
    scores: Mapping[Hashable, float], *, smallest: float = 8.0, largest: float = 42.0
) -> dict[Hashable, float]:
    """Node radius from a score, by area: radius grows with the square root of the score.

    The lowest score gets ``smallest``, the highest ``largest``; equal scores get the middle.

    Examples
    --------
    >>> node_sizes({"a": 0.0, "b": 1.0, "c": 0.25})
    {'a': 8.0, 'b': 42.0, 'c': 25.0}
    """
    if not scores:
        return {}
    roots = {node: math.sqrt(max(float(score), 0.0)) for node, score in scores.items()}
    low, high = min(roots.values()), max(roots.values())
    if high == low:
        return dict.fromkeys(scores, (smallest + largest) / 2)
    span = largest - smallest
    return {node: smallest + span * (root - low) / (high - low) for node, root in roots.items()}


def top_labelled(scores: Mapping[Hashable, float], n: int) -> set[Hashable]:
    """The ``n`` highest-scoring nodes (ties by id), whose labels the map always shows."""
    ranked = sorted(scores, key=lambda node: (-scores[node], str(node)))
    return set(ranked[:n])


def first_value(values: Iterable[Any] | Any) -> str | None:
    """The first item of a list attribute (or the value itself), as text; ``None`` if empty."""
    if values is None:
        return None
    if isinstance(values, str):
        return values or None
    for value in values:
        return str(value)
    return None
