"""The answers the server has written, kept for the next identical request: most of what an
explorer and a dashboard ask is asked again, and a store only this server writes cannot
change behind it. Bounded by entries and bytes, oldest first; emptied by every write.

>>> cache = AnswerCache(entries=2)
>>> cache.put(("q", "json"), b"1"); cache.put(("r", "json"), b"2"); cache.put(("s", "json"), b"3")
>>> cache.get(("q", "json")) is None, cache.get(("s", "json"))
(True, b'3')
>>> cache.clear(); cache.get(("s", "json")) is None
True
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Hashable

__all__ = ["AnswerCache"]


def _size(key: Hashable, body: bytes) -> int:
    # a key holds the query's text: it counts too
    return len(body) + len(repr(key))


class AnswerCache:
    """A thread-safe LRU of answer bodies; ``entries=0`` keeps nothing."""

    def __init__(self, entries: int = 256, max_bytes: int = 64 << 20):
        self.entries = entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._generation = 0

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def generation(self) -> int:
        """A number that changes with every :meth:`clear`: an answer computed before a write is not kept after it."""
        return self._generation

    def put(self, key: Hashable, body: bytes, generation: int | None = None) -> None:
        if not self.entries or len(body) > self.max_bytes // 4:
            return
        with self._lock:
            if generation is not None and generation != self._generation:
                return  # the store changed while this answer was being made
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= _size(key, old)
            self._items[key] = body
            self._bytes += _size(key, body)
            while len(self._items) > self.entries or self._bytes > self.max_bytes:
                dropped_key, dropped = self._items.popitem(last=False)
                self._bytes -= _size(dropped_key, dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
            self._generation += 1
