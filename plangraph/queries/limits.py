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
from typing import Iterator

from ..settings import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from .library import QueryError

__all__ = ["Limits", "UNBOUNDED", "QueryLimitError", "time_limit", "DEFAULT_TIMEOUT", "DEFAULT_MAX_ROWS"]


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
    message = f"the query ran for {seconds:g} s, its time limit; raise it with --timeout SECONDS (0 for none)"
    try:
        try:
            yield
        finally:
            with lock:
                state["done"] = True
            stop.set()
    except _Expired:
        raise QueryLimitError("time", message) from None
    if state["fired"]:
        # the limit struck between the block's end and the cancel; make sure it is not raised later
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)
