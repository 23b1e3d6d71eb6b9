"""Results of read-only analyses, kept until the next write.

The explorer asks for the same analysis of the same filter again and again (every tab, every
reload). Each result is kept under its route, the store's version token and the request's
*normalized* parameters (see :mod:`app.api.bounded`: parameters that cannot change the
result are left out of the key, so varying them cannot force new work); any committed
write, by any process, changes the version, so a stale result is never served.

Identical requests that arrive together compute once: the others wait for that result
(within their own deadline), and compute themselves only if that computation failed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from app.services.deadline import checkpoint

__all__ = ["ResultCache"]

T = TypeVar("T")

_POLL_S = 0.1


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
        self._computing: dict[Hashable, threading.Event] = {}

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def get(self, key: Hashable) -> tuple[bool, Any]:
        """``(True, value)`` if ``key`` is cached, else ``(False, None)``."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return True, self._items[key]
        return False, None

    def get_or_compute(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        before_computing: Callable[[], Callable[[], None]] | None = None,
    ) -> T:
        """The cached result for ``key``, computing (once) and keeping it if missing.

        While another thread computes the same key this one waits for it, checking the
        bound deadline (:func:`~app.services.deadline.checkpoint`). ``before_computing``,
        called just before this thread computes, may refuse (raise) and otherwise returns
        a function called once the computation ends (e.g. to release a slot).
        """
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key]
                running = self._computing.get(key)
                if running is None:
                    done = threading.Event()
                    self._computing[key] = done
                    break
            while not running.wait(_POLL_S):
                checkpoint()
        try:
            release = before_computing() if before_computing is not None else None
            try:
                value = compute()
            finally:
                if release is not None:
                    release()
            with self._lock:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        finally:
            with self._lock:
                self._computing.pop(key, None)
            done.set()
        return value
