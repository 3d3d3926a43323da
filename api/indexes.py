"""The indexes the fast routes answer from: ready before the server takes its first request,
rebuilt in the background after a write — no request ever waits for a build.

Search and neighbourhoods are answered from :class:`~graph.search.SearchIndex` and
:class:`~graph.neighborhood_index.NeighborhoodIndex`. At start-up (:func:`warm`) they are
read back from the files saved beside the store for its version (about a second at 1M
entities, memory-mapped: :mod:`graph.saved_indexes`), or built from the store and then
saved, pinyin keys and all, by a background thread for the next start.

After a write the served indexes stay in service while the new ones build in a thread:

- a **search** merges the served index with a small one of the entities this server has
  written since it was built (their records as stored now; deleted ones are left out of
  both), so that it answers what the new index will (:class:`~graph.search.MergedSearch`);
  writes by another process (an ``innograph ingest`` into the store) are seen once the
  new index is in service — until then answers are the graph before that load;
- a **neighbourhood** is answered by the store (same answer) until the new index is built;
  searches move to it once its pinyin keys are made too (so no Latin query waits for them;
  only on the first start of a store version, which builds, can one: a Chinese one never).

:func:`current` is cheap enough for the event loop: while the store's files are unchanged,
``store.version()`` is a stat of two files, not a query.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from starlette.concurrency import run_in_threadpool

from graph.memory import release_freed_memory
from graph.neighborhood_index import NeighborhoodIndex
from graph.saved_indexes import Indexes, build, load_saved, save_built
from graph.search import MergedSearch, SearchIndex
from graph.store.base import GraphStore, NameRow
from schema import StoreError

log = logging.getLogger("innograph.api")

#: store methods that can change entities' names, and how to read the ids they touch
_WRITES: dict[str, Callable[..., Iterable[str]]] = {
    "upsert": lambda entities=(), *_, **__: [e.id for e in entities],
    "upsert_tables": lambda entities, *_, delete_entities=(), **__: [
        *(entities.column("id").to_pylist() if isinstance(entities, pa.Table) else []),
        *delete_entities],
    "delete_entities": lambda ids, *_, **__: list(ids),
}


@dataclass(frozen=True)
class Served:
    """What a search is answered from: the served indexes, with the entities written since
    merged in when a write made them stale."""

    version: int
    search: SearchIndex | MergedSearch
    neighborhoods: NeighborhoodIndex


_served: dict[str, Indexes] = {}  # by store location: what searches answer from
_fresh: dict[str, Indexes] = {}  # the newest built or loaded, pinyin keys or not yet
#: per store, what each write of this process left: (version before it, each touched id's
#: name row as stored after it, or None once deleted)
_written: dict[str, list[tuple[int, dict[str, NameRow | None]]]] = {}
_merged: dict[str, tuple[tuple[int, int], Served]] = {}
_building: dict[str, threading.Thread] = {}  # the rebuild running per store
_lock = threading.Lock()
_build_locks: dict[str, threading.Lock] = {}  # one build at a time per store


def watch(store: GraphStore) -> None:
    """Note the entities each write of this process touches, as stored after it (with the
    version before it), so that searches merge them in until the indexes are rebuilt: the
    writer's next request sees its write (read-your-writes), and a search never reads the
    store (LadybugDB can fail a read that runs beside a load)."""
    if getattr(store, "_innograph_watched", False):
        return
    for name, touched in _WRITES.items():
        write = getattr(store, name)

        def noted(*args: Any, _write: Any = write, _touched: Any = touched,
                  **kwargs: Any) -> Any:
            ids = sorted(set(_touched(*args, **kwargs)))
            before = store.version()
            done = _write(*args, **kwargs)
            if ids:
                rows = _stored_rows(store, ids)
                with _lock:
                    _written.setdefault(store.location, []).append((before, rows))
            return done

        setattr(store, name, noted)
    store._innograph_watched = True  # type: ignore[attr-defined]


def _stored_rows(store: GraphStore, ids: list[str]) -> dict[str, NameRow | None]:
    """Name rows of ``ids`` as stored now, read while no other write of this process runs."""
    with store.exclusive():
        found = store.get_many(ids)
    return {i: (NameRow(e.id, e.type, e.name, tuple(e.aliases)) if (e := found.get(i))
                else None) for i in ids}


def current(store: GraphStore) -> Indexes | None:
    """The indexes of the store as it is now, or ``None`` while they are (to be) rebuilt:
    for neighbourhoods and name resolution, which need no pinyin keys (a rebuilt index is
    here as soon as it is built, before its pinyin keys are)."""
    found = _fresh.get(store.location)
    return found if found is not None and found.version == store.version() else None


def build_now(store: GraphStore, pinyin_now: bool = False) -> Indexes:
    """Load (or build) both indexes of the store's current version; blocking. Callers that
    arrive during a build wait for it and take its result. A rebuild after a write makes
    the pinyin keys before it goes into service (``pinyin_now``); at start-up they follow in
    the background (a Latin query asked before waits for them, a Chinese one never does)."""
    watch(store)
    with _lock:
        gate = _build_locks.setdefault(store.location, threading.Lock())
    with gate:
        found = _served.get(store.location)
        if found is not None and found.version == store.version():
            return found
        built = load_saved(store) or build(store)
        with _lock:  # neighbourhoods from it now: the store answers them meanwhile
            _fresh[store.location] = built
        if pinyin_now:  # searches keep the merged index until the new one reads pinyin
            built.search.prepare_latin()
        with _lock:
            _served[store.location] = built
            _written[store.location] = [(v, rows) for v, rows in
                                        _written.get(store.location, []) if v >= built.version]
        if not built.loaded:  # pinyin keys, then the files for the next start
            threading.Thread(target=_finish, args=(store, built), name="innograph-index-save",
                             daemon=True).start()
        return built


def _finish(store: GraphStore, built: Indexes) -> None:
    """Save a built index, then serve the saved files instead: their pages are mapped from
    the file cache, not held on the heap. Never touches the store (it may be closed)."""
    mapped = save_built(store.location, built)
    if mapped is not None:
        with _lock:
            for registry in (_served, _fresh):
                if registry.get(store.location) is built:
                    registry[store.location] = mapped
        del built
        release_freed_memory()


def _merged_search(store: GraphStore, served: Indexes) -> Served:
    """The served indexes with the entities written since merged into search (no store
    read: the rows were noted after each write)."""
    with _lock:
        written = [rows for v, rows in _written.get(store.location, []) if v >= served.version]
    key = (served.version, len(written))
    cached = _merged.get(store.location)
    if cached is not None and cached[0] == key:
        return cached[1]
    latest: dict[str, NameRow | None] = {}
    for rows in written:  # in write order: the last state of each entity counts
        latest |= rows
    if not latest:
        merged = Served(served.version, served.search, served.neighborhoods)
    else:
        since = SearchIndex([row for row in latest.values() if row is not None])
        merged = Served(served.version, MergedSearch(
            [(served.search, frozenset(latest)), (since, frozenset())]), served.neighborhoods)
    _merged[store.location] = (key, merged)
    return merged


async def indexes_of(store: GraphStore) -> Served:
    """The indexes to answer from now: the current ones, or — while a write's rebuild runs —
    the served ones with the entities written since merged in (never a wait for a build;
    only a server whose store was down at start-up builds on its first request)."""
    served = _served.get(store.location)
    if served is None:
        served = await run_in_threadpool(build_now, store)
    if served.version == store.version():
        return Served(served.version, served.search, served.neighborhoods)
    rebuild_in_background(store)
    return await run_in_threadpool(_merged_search, store, served)


def searcher(store: GraphStore) -> SearchIndex | MergedSearch:
    """:func:`indexes_of`'s search, for a caller in a worker thread (name resolution)."""
    fresh = current(store)
    if fresh is not None:  # resolution reads no pinyin keys
        return fresh.search
    served = _served.get(store.location) or build_now(store)
    if served.version == store.version():
        return served.search
    rebuild_in_background(store)
    return _merged_search(store, served).search


def rebuild_in_background(store: GraphStore) -> None:
    """Start one rebuild in a thread (no-op while one runs), for a caller that will not
    wait for it."""
    def run() -> None:
        try:
            build_now(store, pinyin_now=True)
        except StoreError as e:  # the store went away: the next request reports it
            log.warning("index rebuild failed: %s", e)
        finally:
            with _lock:
                _building.pop(store.location, None)

    with _lock:
        if store.location in _building:
            return
        thread = _building[store.location] = threading.Thread(
            target=run, name="innograph-index-build", daemon=True)
    thread.start()


async def settle(store: GraphStore) -> None:
    """Wait for a rebuild that reads the store (before it is closed: a read of a closed
    LadybugDB database crashes the process)."""
    with _lock:
        running = _building.get(store.location)
    if running is not None:
        await run_in_threadpool(running.join)


async def warm(store: GraphStore) -> None:
    """Load or build the indexes at start-up (and watch this process's writes); a store that
    cannot be read now is left for the requests to report (503)."""
    try:
        ready = await run_in_threadpool(build_now, store)
        # the first query loads the name normaliser's dictionaries (about a second), which a
        # build has loaded and reading saved files has not: not on a user's request
        await run_in_threadpool(ready.search.search, "溫州")
    except StoreError as e:
        log.warning("indexes not built at start-up: %s", e)
