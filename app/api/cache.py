"""Results of read-only analyses, kept until the next write.

The explorer asks for the same analysis of the same filter again and again (every tab, every
reload). Each result is kept under its route, the store's version token and the request
body; any committed write, by any process, changes the version, so a stale result is never
served.
Identical requests that arrive together compute once: the others wait for that result.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["ResultCache"]

T = TypeVar("T")


class ResultCache:
    """A thread-safe LRU of computed results, with one computation per key at a time.

    Examples
    --------
    >>> cache = ResultCache(size=2)
    >>> calls = []
    >>> cache.get_or_compute(("a", 0), lambda: calls.append(1) or "A")
    'A'
    >>> cache.get_or_compute(("a", 0), lambda: calls.append(1) or "A"), len(calls)
    ('A', 1)
    """

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached result for ``key``, computing (once) and keeping it if missing."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._items:  # computed by the request we waited for
                    return self._items[key]
            value = compute()
            with self._lock:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
                self._computing.pop(key, None)
        return value
