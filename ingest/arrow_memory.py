"""Where a load's pyarrow memory comes from: an allocator that gives freed pages back at once.

A load allocates and frees pyarrow buffers batch after batch. pyarrow's default allocator
(mimalloc) keeps freed pages resident: at 100k entities / 500k relations the process held
~400 MB in its arena while pyarrow had 126 MB allocated, and at 1M / 5M the difference was
~2 GB of the peak (issue 16, ``bench/RESULTS.md``). jemalloc with a decay of 0 ms returns
them as soon as they are freed. The switch holds only while a load runs; buffers remember
the pool they came from, so arrays made before or after stay valid.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pyarrow as pa

_lock = threading.Lock()
_active = 0  # loads running (a thread's load may overlap another's)
_previous: pa.MemoryPool | None = None


def _lean_pool() -> pa.MemoryPool | None:
    try:
        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(0)
    except NotImplementedError:  # a pyarrow built without jemalloc: keep the default
        return None
    return pool


@contextlib.contextmanager
def lean_arrow_memory() -> Iterator[None]:
    """pyarrow's default pool is jemalloc returning freed pages at once, until the last
    load running leaves."""
    global _active, _previous
    with _lock:
        if _active == 0:
            pool = _lean_pool()
            _previous = pa.default_memory_pool() if pool is not None else None
            if pool is not None:
                pa.set_memory_pool(pool)
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _previous is not None:
                pa.set_memory_pool(_previous)
                _previous = None
