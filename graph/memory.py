"""Give freed native memory back to the operating system.

LadybugDB and pyarrow free what a query or an arrow table used, but glibc's allocator keeps
freed chunks in per-thread arenas: a server whose many threads each rebuild per-version
indexes (seconds of large allocations after every write) grew by gigabytes although nothing
stayed referenced (issue 15; RSS fell back to its start after ``malloc_trim``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None  # glibc only (not musl)
    except OSError:
        return None


def release_freed_memory() -> None:
    """``malloc_trim(0)``: return the free pages of every malloc arena (a no-op off glibc)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
