"""A lock that many threads hold shared or one thread holds exclusive, for the embedded
store's in-process readers and its writer's commits.

LadybugDB 0.22 applies a commit to a table's primary-key hash index in place, outside its
MVCC versions: a read transaction on another connection that looks an id up while a commit
rewrites the index misses rows it had just seen through an edge (``KeyError``), or fails
with "DiskArray … The database file may be corrupted" (measured: 4 failed reads in 158
during six API loads). Readers therefore hold this lock shared and every commit holds it
exclusive. Shared holds are re-entrant per thread (a read transaction runs queries that
each hold it again); a waiting writer goes before readers that do not hold it yet, so a
stream of reads cannot starve a load.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator


class SharedExclusive:
    """Shared by readers, exclusive for a writer; see the module's docstring."""

    def __init__(self) -> None:
        self._changed = threading.Condition(threading.Lock())
        self._readers = 0  # threads holding it shared
        self._writer: int | None = None  # the thread holding it exclusive
        self._writers_waiting = 0
        self._depth = threading.local()  # this thread's nested shared holds

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        depth = getattr(self._depth, "n", 0)
        if depth == 0 and self._writer != threading.get_ident():
            with self._changed:
                while self._writer is not None or self._writers_waiting:
                    self._changed.wait()
                self._readers += 1
        self._depth.n = depth + 1
        try:
            yield
        finally:
            self._depth.n = depth
            if depth == 0 and self._writer != threading.get_ident():
                with self._changed:
                    self._readers -= 1
                    if not self._readers:
                        self._changed.notify_all()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        me = threading.get_ident()
        if self._writer == me:  # already held by this thread
            yield
            return
        if getattr(self._depth, "n", 0):
            raise RuntimeError("a thread holding the lock shared cannot take it exclusive")
        with self._changed:
            self._writers_waiting += 1
            try:
                while self._writer is not None or self._readers:
                    self._changed.wait()
            finally:
                self._writers_waiting -= 1
            self._writer = me
        try:
            yield
        finally:
            with self._changed:
                self._writer = None
                self._changed.notify_all()
