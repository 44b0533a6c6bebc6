"""Computed figures and drawings kept under a key that names what they were computed from.

The one way to keep such a thing (fidelity figures, outcome results, chart drawings): ``kept(key,
seconds, build)`` answers from this process's memory, else from the shared cache (``CACHES``:
every server process and the import that warms it), else builds it and keeps it in the shared
cache for ``seconds``. A key carries the data version it was computed from, so an entry never
goes stale while it lives. The process's copy lives at most ``PROCESS_SECONDS`` (so an entry
kept ``seconds`` is seen at most that much longer) and in ``MEMORY_BYTES`` (the least recently
used go first).

Reading the shared cache costs a file (or a database row), a decompression and an unpickling per
entry, about 0.3 ms, and an outcome page reads some thirty; the process's copy answers in a few
microseconds. It keeps the pickled bytes (text as it is), so each caller gets its own copy to
change, as from the shared cache. What changes as the data change (a job's progress) does not
belong here: read it from the shared cache itself.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache

MEMORY_BYTES = 64 * 1024 * 1024  # per server process
PROCESS_SECONDS = 120.0


class _Memory:
    """Entries (expiry, kept, size) in least-recently-used order, bounded in bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.entries: OrderedDict[str, tuple[float, str | bytes, int]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[bool, object]:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return False, None
            if entry[0] < time.monotonic():
                self._drop(key)
                return False, None
            self.entries.move_to_end(key)
        return True, _unpacked(entry[1])

    def put(self, key: str, value: object, seconds: float) -> None:
        packed = _packed(value)
        size = len(packed)
        if size > self.limit // 8:  # one entry never crowds out the rest
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (time.monotonic() + seconds, packed, size)
            self.size += size
            while self.size > self.limit:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        self.size -= self.entries.pop(key)[2]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


def _packed(value: object) -> str | bytes:
    """Text as it is (it cannot be changed), anything else pickled."""
    if type(value) is str:
        return value
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _unpacked(packed: str | bytes) -> object:
    if isinstance(packed, str):
        return packed
    # Bytes this process pickled itself (``_packed``), never anything read from outside.
    return pickle.loads(packed)  # noqa: S301


_MEMORY = _Memory(MEMORY_BYTES)


def kept[T](key: str, seconds: float, build: Callable[[], T]) -> T:
    """``build()`` kept under ``key`` for ``seconds``: in this process, then the shared cache.
    A dummy shared cache (``CACHES``) keeps nothing anywhere: everything is computed."""
    if isinstance(caches["default"], DummyCache):
        return build()
    found, value = _MEMORY.get(key)
    if found:
        return value  # type: ignore[return-value]
    shared = cache.get(key)
    if shared is None:
        shared = build()
        cache.set(key, shared, seconds)
    _MEMORY.put(key, shared, min(seconds, PROCESS_SECONDS))
    return shared  # type: ignore[no-any-return]


def forget_in_process() -> None:
    """Drop this process's copies (each test starts with none; the shared cache is its own)."""
    _MEMORY.clear()


def forget_everything() -> None:
    """Drop every kept entry, here and in the shared cache (a benchmark computing afresh)."""
    _MEMORY.clear()
    cache.clear()
