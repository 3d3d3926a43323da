"""The in-memory indexes the fast routes answer from: built before the server takes its
first request, then kept per store version.

Search and neighbourhoods are answered from :class:`~graph.search.SearchIndex` and
:class:`~graph.neighborhood_index.NeighborhoodIndex`. Building them takes seconds on a large
graph (tens of seconds at 1M entities), so the app builds them in its start-up
(:func:`warm`): uvicorn opens the port only after, and no request waits for them. After a
write they are rebuilt once, in a worker thread; a neighbourhood asked meanwhile is answered
by the store instead (same answer), a search waits for the new index — without its pinyin
keys, which a background thread adds next (a Latin query asked before they are done waits
for them; a Chinese one never does).

:func:`current` is cheap enough for the event loop: while the store's files are unchanged,
``store.version()`` is a stat of two files, not a query.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from graph.memory import release_freed_memory
from graph.neighborhood_index import NeighborhoodIndex, neighborhood_index
from graph.search import SearchIndex
from graph.store.base import GraphStore
from schema import StoreError

log = logging.getLogger("innograph.api")


@dataclass(frozen=True)
class Indexes:
    """Both indexes of one version of a store."""

    version: int
    search: SearchIndex
    neighborhoods: NeighborhoodIndex


_served: dict[str, Indexes] = {}  # by store location
_building: set[str] = set()
_lock = threading.Lock()
_build_locks: dict[str, threading.Lock] = {}  # one build at a time per store


def current(store: GraphStore) -> Indexes | None:
    """The indexes of the store as it is now, or ``None`` while they are (to be) rebuilt."""
    found = _served.get(store.location)
    return found if found is not None and found.version == store.version() else None


def build(store: GraphStore) -> Indexes:
    """Build (or reuse) both indexes of the store's current version; blocking. Callers
    that arrive during a build wait for it and take its result: searches that all found the
    index stale after a write must not each build one (under a stream of writes they did,
    and starved the server)."""
    with _lock:
        gate = _build_locks.setdefault(store.location, threading.Lock())
    with gate:
        found = current(store)
        if found is not None:
            return found
        version = store.version()
        _served.pop(store.location, None)  # a stale pair goes first: never two in memory
        # pinyin keys on the first Latin query: a rebuild after each write, which searches
        # wait for, costs a third of a full one (a Chinese query never reads them)
        built = Indexes(version, SearchIndex.for_store(store, pinyin_now=False),
                        neighborhood_index(store))
        _served[store.location] = built
        release_freed_memory()  # the build's tables and lists, freed but kept by malloc
        threading.Thread(target=built.search.prepare_latin, name="innograph-pinyin",
                         daemon=True).start()
        return built


async def indexes_of(store: GraphStore) -> Indexes:
    """The current indexes, built in a worker thread if a write made them stale."""
    found = current(store)
    return found if found is not None else await run_in_threadpool(build, store)


def rebuild_in_background(store: GraphStore) -> None:
    """Start one rebuild in a thread (no-op while one runs), for a caller that will not
    wait for it."""
    with _lock:
        if store.location in _building:
            return
        _building.add(store.location)

    def run() -> None:
        try:
            build(store)
        except StoreError as e:  # the store went away: the next request reports it
            log.warning("index rebuild failed: %s", e)
        finally:
            with _lock:
                _building.discard(store.location)

    threading.Thread(target=run, name="innograph-index-build", daemon=True).start()


async def warm(store: GraphStore) -> None:
    """Build the indexes at start-up; a store that cannot be read now is left for the
    requests to report (503)."""
    try:
        await run_in_threadpool(build, store)
    except StoreError as e:
        log.warning("indexes not built at start-up: %s", e)
