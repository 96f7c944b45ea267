"""Limits on a query: how long it may run and how many rows it may return.

A query engine written in Python (rdflib's) cannot be cancelled from outside, so the time limit
raises :class:`QueryLimitError` inside the thread that runs the query, between two of its Python
steps: it works in any thread (a command, a server's worker), not only the main one.

>>> with time_limit(5):
...     sum(range(1000))
499500
>>> import time
>>> try:
...     with time_limit(0.05):
...         while True:
...             time.sleep(0.001)
... except QueryLimitError as exc:
...     print(exc.limit)
time
"""

from __future__ import annotations

import ctypes
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, TypeVar

from ..settings import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from .library import QueryError

__all__ = ["Limits", "UNBOUNDED", "QueryLimitError", "time_limit", "run_within", "expired", "still_running", "DEFAULT_TIMEOUT", "DEFAULT_MAX_ROWS"]


T = TypeVar("T")


class QueryLimitError(QueryError):
    """A query hit its time or row limit; ``limit`` is ``"time"`` or ``"rows"``."""

    def __init__(self, limit: str, message: str):
        self.limit = limit
        super().__init__(message)

    def __reduce__(self) -> tuple:
        return (type(self), (self.limit, str(self)))


@dataclass(frozen=True)
class Limits:
    """The limits a query runs under; ``None`` or 0 for no limit."""

    timeout: float | None = DEFAULT_TIMEOUT
    max_rows: int | None = DEFAULT_MAX_ROWS


#: No limit: for the queries plangraph asks itself (a build's summary), not the user's.
UNBOUNDED = Limits(timeout=None, max_rows=None)


class _Expired(BaseException):
    # raised asynchronously; a BaseException so that an engine's `except Exception` does not swallow it
    pass


def expired(seconds: float) -> QueryLimitError:
    """The error of a query stopped at its time limit of ``seconds``."""
    return QueryLimitError("time", f"the query ran for {seconds:g} s, its time limit; raise it with --timeout SECONDS (0 for none)")


def run_within(seconds: float | None, work: Callable[[], T]) -> T:
    """``work()``, or :class:`QueryLimitError` once it has run ``seconds``: for engines in native
    code or behind a socket, which Python cannot interrupt. The work goes on in a daemon thread
    until the engine returns, its answer dropped; the caller is free at once.

    >>> run_within(1, lambda: 42)
    42
    >>> import time
    >>> run_within(0.05, lambda: time.sleep(1))
    Traceback (most recent call last):
    ...
    plangraph.queries.limits.QueryLimitError: the query ran for 0.05 s, its time limit; raise it with --timeout SECONDS (0 for none)
    """
    if not seconds:
        return work()
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, daemon=True, name="plangraph-query")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        with _PAST_LOCK:
            _PAST_LIMIT.add(worker)
        raise expired(seconds)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


_PAST_LIMIT: set[threading.Thread] = set()
_PAST_LOCK = threading.Lock()


def still_running() -> int:
    """How many queries :func:`run_within` left at their limit are still running in their engine.

    >>> n = still_running()  # e.g. 1 while the sleeping example of run_within above goes on
    >>> n >= 0
    True
    """
    with _PAST_LOCK:
        for thread in [t for t in _PAST_LIMIT if not t.is_alive()]:
            _PAST_LIMIT.discard(thread)
        return len(_PAST_LIMIT)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Stop the block with :class:`QueryLimitError` once it has run ``seconds`` (no limit when None or 0)."""
    if not seconds:
        yield
        return
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}
    stop = threading.Event()

    def expire() -> None:
        # raised again until the block has ended: an exception that lands in a finaliser or a
        # garbage-collector callback is dropped by Python, and the query would run on
        if stop.wait(seconds):
            return
        while True:
            with lock:
                if state["done"]:
                    return
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(_Expired))
            if stop.wait(0.05):
                return

    timer = threading.Thread(target=expire, daemon=True)
    timer.start()
    try:
        try:
            yield
        finally:
            with lock:
                state["done"] = True
            stop.set()
    except _Expired:
        raise expired(seconds) from None
    if state["fired"]:
        # the limit struck between the block's end and the cancel; make sure it is not raised later
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)
