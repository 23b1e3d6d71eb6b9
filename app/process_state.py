"""Process-wide state changed only in scoped helpers that threads can share.

The API builds graphs in several request threads at once, and its worker processes run one
analysis after another, so anything that belongs to the whole process is changed for the
length of a ``with`` block, counted, and restored by the last block to end.

- :func:`paused_gc`: the cyclic garbage collector, paused around the application's bulk
  graph work (reading a graph from the store, collapsing and aggregating it, the analyses
  and maps built on it, each task of an analytics worker). :mod:`graph_analytics` never
  touches the collector itself: which work is big enough to pause it for is the
  application's call.
- igraph's random generator is the other such state; it stays with the seeded igraph calls
  that need it (:func:`graph_analytics.compiled.seeded_igraph`: Leiden's ``seed``, and the
  force layout of :mod:`app.render.layout`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]

_gc_lock = threading.Lock()
_pauses = 0
_was_enabled = True


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or analysing large graphs: the
    objects made are not garbage, and full collections over a heap of millions of dicts cost
    more than the build itself.

    The collector is process-wide and threads build graphs side by side (the API), so pauses
    are counted: the first pause turns the collector off, and only the last one to end turns
    it back on (if it was on before the first). Pauses nest, so a function that pauses may
    call another that does.

    Examples
    --------
    >>> import gc
    >>> with paused_gc():
    ...     with paused_gc():
    ...         inner = gc.isenabled()
    ...     outer = gc.isenabled()
    >>> inner, outer, gc.isenabled()
    (False, False, True)
    """
    global _pauses, _was_enabled
    with _gc_lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
