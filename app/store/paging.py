"""Listing windows that never ask a database engine for rows past the last one.

LadybugDB 0.22 crashes the process (a segmentation fault) on ``ORDER BY ... SKIP n LIMIT m``
when ``n`` lies far past the last row (``tools/repro/lbug_skip_past_end.py``; 20,000 on a
180-row table). So a listing counts its matches first, in the same read transaction, and
sends ``SKIP`` only below that count, with a ``LIMIT`` no larger than what is left; both
backends page this way, so they answer alike. The only other ``SKIP`` the stores send is
``SKIP 0`` of a filtered subgraph, with a ``LIMIT`` of at most ``max_nodes + 1`` (safe: the
crash needs a ``SKIP`` past the last row).
"""

from __future__ import annotations

__all__ = ["page_window"]


def page_window(offset: int, limit: int, count: int) -> tuple[int, bool]:
    """The rows to ask for from ``offset`` (0: ask for none) and whether more follow.

    Raises ``ValueError`` for a negative (or non-integer) offset or limit.

    Examples
    --------
    >>> page_window(0, 100, 180), page_window(150, 100, 180), page_window(20_000, 100, 180)
    ((100, True), (30, False), (0, False))
    """
    for name, value in (("offset", offset), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
    if offset >= count:
        return 0, False
    left = count - offset
    return min(limit, left), limit < left
