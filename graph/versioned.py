"""Things built from a whole store, kept until the store changes.

Search, neighbourhood and analytics indexes are built from every record of a store (seconds
on a large graph) and are valid until its next write, which changes ``store.version()``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from .memory import release_freed_memory
from .store.base import GraphStore

T = TypeVar("T")

_built: dict[tuple[str, str], tuple[int, Any]] = {}
_lock = threading.Lock()


def per_version(store: GraphStore, kind: str, build: Callable[[GraphStore], T]) -> T:
    """``build(store)``, reused while the store's version is unchanged (one per store
    location and ``kind``; concurrent callers wait for one build instead of each building).

    >>> class Fake:
    ...     location, v = "demo", 1
    ...     def version(self): return self.v
    >>> fake = Fake()
    >>> first = per_version(fake, "doc", lambda s: object())
    >>> per_version(fake, "doc", lambda s: object()) is first
    True
    >>> fake.v = 2
    >>> per_version(fake, "doc", lambda s: object()) is first
    False
    """
    version = store.version()
    key = (store.location, kind)
    with _lock:
        cached = _built.get(key)
        if cached and cached[0] == version:
            return cached[1]  # type: ignore[no-any-return]
        if cached:  # the previous version's value goes: free its memory before building
            del _built[key]
            del cached
            release_freed_memory()
        value = build(store)
        _built[key] = (version, value)
        return value
