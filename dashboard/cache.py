"""A bounded LRU cache keyed by the database file's identity, so a panel is computed once per filter state
and a database the ETL swaps in (a new inode, size or mtime) is read on the next request, without a
restart and without any call to invalidate."""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import ParamSpec, TypeVar

import pandas as pd

P = ParamSpec("P")
R = TypeVar("R")
DEFAULT_SIZE = 256  # entries per cached function: a few hundred filter states of one database

DbIdentity = tuple[str, int, int, int]  # path, mtime_ns, size, inode


def db_identity(db_path: Path | str) -> DbIdentity | None:
    """What tells one database file from the one swapped in after it; None when there is no file."""
    try:
        stat = os.stat(db_path)
    except OSError:
        return None
    return (str(Path(db_path).resolve()), stat.st_mtime_ns, stat.st_size, stat.st_ino)


class LruCache:
    """A thread-safe mapping that forgets its least recently used entries past `size` entries or, with
    `weigh`, past `budget` in total weight (rows, say: a year range weighs ten latest-year views)."""

    def __init__(
        self, size: int = DEFAULT_SIZE, weigh: Callable[[object], int] | None = None, budget: int = 0
    ) -> None:
        self.size = size
        self.weigh, self.budget, self.weight = weigh, budget, 0
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[bool, object]:
        with self._lock:
            if key not in self._entries:
                return False, None
            self._entries.move_to_end(key)
            return True, self._entries[key][0]

    def put(self, key: Hashable, value: object) -> None:
        weight = self.weigh(value) if self.weigh else 0
        with self._lock:
            if key in self._entries:
                self.weight -= self._entries.pop(key)[1]
            self._entries[key] = (value, weight)
            self.weight += weight
            while len(self._entries) > 1 and (
                len(self._entries) > self.size or (self.weigh and self.weight > self.budget)
            ):
                self.weight -= self._entries.popitem(last=False)[1][1]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def per_database(
    size: int = DEFAULT_SIZE, weigh: Callable[[object], int] | None = None, budget: int = 0
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache `fn(db_path, *args)` per (database identity, args); args must be hashable. A cached frame
    is handed out as a copy, so a caller that adds a column never changes what the next one gets; any
    other value (a component tree, a mapping of frames) is shared between threads and never changed by
    its callers. Two threads missing the same key both compute it (the last stored wins): no lock is held
    while computing, so a slow view never blocks the others. The identity is read before the file is
    opened, so a file swapped in between is at worst cached under the identity of the file it replaced,
    which no later request asks for. No file: not cached (the caller reports the problem)."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        cache = LruCache(size, weigh, budget)

        @functools.wraps(fn)
        def wrapper(db_path, *args):
            identity = db_identity(db_path)
            if identity is None:
                return fn(db_path, *args)
            found, value = cache.get((identity, args))
            if not found:
                value = fn(db_path, *args)
                cache.put((identity, args), value)
            return value.copy() if isinstance(value, pd.DataFrame) else value

        wrapper.cache = cache  # type: ignore[attr-defined]
        return wrapper

    return decorate
