"""Deadlines and cancellation of long computations (analyses, maps).

A :class:`Deadline` is bound to the current context by :func:`bound`; long computations call
:func:`checkpoint` between their phases (and in their loops), which raises once the deadline
has passed (:class:`~app.errors.QueryTimeoutError`) or the work was cancelled
(:class:`CancelledWorkError`, e.g. the HTTP client went away). Work handed to another process
registers :meth:`Deadline.on_cancel` to be stopped there (the API's worker pool terminates
the worker). Without a bound deadline, :func:`checkpoint` does nothing: the CLI runs
unbounded unless it binds one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from app.errors import EcoMapError, QueryTimeoutError

__all__ = [
    "CancelledWorkError",
    "Deadline",
    "bound",
    "checkpoint",
    "current",
]


class CancelledWorkError(EcoMapError):
    """The work was cancelled before it finished (the client that asked went away)."""


class Deadline:
    """A time limit of ``seconds`` from now, which can also be cancelled early.

    Examples
    --------
    >>> d = Deadline(60)
    >>> d.check()
    >>> d.cancel("the client went away")
    >>> d.check()
    Traceback (most recent call last):
    ...
    app.services.deadline.CancelledWorkError: the client went away
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires = time.monotonic() + seconds
        self.reason: str | None = None
        self._timed_out = False
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        return self.reason is not None

    def remaining(self) -> float:
        """Seconds left (0 when past or cancelled)."""
        return 0.0 if self.cancelled else max(0.0, self.expires - time.monotonic())

    def cancel(self, reason: str, *, timed_out: bool = False) -> None:
        """Stop the work: every registered callback runs once, later checks raise."""
        with self._lock:
            if self.reason is not None:
                return
            self.reason = reason
            self._timed_out = timed_out
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    def expire(self) -> None:
        """Cancel as timed out."""
        self.cancel(f"longer than {self.seconds:g} s", timed_out=True)

    def on_cancel(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Run ``callback`` when the deadline is cancelled (at once if it already is);
        returns a function that unregisters it."""
        with self._lock:
            if self.reason is None:
                self._callbacks.append(callback)

                def unregister() -> None:
                    with self._lock:
                        if callback in self._callbacks:
                            self._callbacks.remove(callback)

                return unregister
        callback()
        return lambda: None

    def error(self) -> EcoMapError:
        """The exception that says why the work stopped."""
        if self._timed_out or self.reason is None:
            return QueryTimeoutError(self.seconds)
        return CancelledWorkError(self.reason)

    def check(self) -> None:
        """Raise if the deadline has passed or the work was cancelled."""
        if self.reason is None and time.monotonic() >= self.expires:
            self.expire()
        if self.reason is not None:
            raise self.error()


_current: ContextVar[Deadline | None] = ContextVar("ecomap_deadline", default=None)


def current() -> Deadline | None:
    """The deadline bound to this context, if any."""
    return _current.get()


@contextmanager
def bound(deadline: Deadline) -> Iterator[Deadline]:
    """Bind ``deadline`` to the current context for the ``with`` block."""
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)


def checkpoint() -> None:
    """Raise if the bound deadline (if any) has passed or was cancelled."""
    deadline = _current.get()
    if deadline is not None:
        deadline.check()
