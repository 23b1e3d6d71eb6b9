"""Wall-clock helpers shared by the benchmark scripts."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

__all__ = ["median_seconds", "seconds"]


def seconds(action: Callable[[], Any]) -> float:
    """Seconds one call of ``action`` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_seconds(action: Callable[[], Any], repeat: int) -> float:
    """Median seconds of ``repeat`` calls of ``action``."""
    return statistics.median(seconds(action) for _ in range(repeat))
