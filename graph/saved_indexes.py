"""The search and neighbourhood indexes of one store version: read back from the files saved
beside the store (:mod:`graph.index_files`) when they are there and trusted, built from the
store otherwise — both from one read of the entities.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from .index_files import folder_of, load, save, saved
from .memory import release_freed_memory
from .neighborhood_index import NeighborhoodIndex
from .search import SearchIndex
from .search_keys import rows_of_table
from .store.base import GraphStore
from .versioned import per_version

log = logging.getLogger("innograph.index")


@dataclass(frozen=True)
class Indexes:
    """Both indexes of one version of a store, and whether they came from files."""

    version: int
    search: SearchIndex
    neighborhoods: NeighborhoodIndex
    fingerprint: dict[str, Any]
    loaded: bool = False
    exact: bool = True  # no write came in while the records were read: fit to be saved


def fingerprint(store: GraphStore) -> dict[str, Any]:
    """What a saved index must match besides the version number: the counts by type (a
    store rebuilt or restored in the same folder starts counting versions again)."""
    counts = store.counts()
    return {"entities": counts.entities_by_type, "relations": counts.relations_by_type}


def search_index(store: GraphStore, pinyin_now: bool = True) -> SearchIndex:
    """The search index of ``store``, rebuilt only when the store's version changed: the
    one a server saved for this version when there is one (about a second at 1M), else
    built from the names; ``pinyin_now=False`` defers the pinyin keys to the first Latin
    query."""
    def saved_or_built(s: GraphStore) -> SearchIndex:
        saved = load_saved(s)
        return saved.search if saved is not None else SearchIndex(s.name_rows(), pinyin_now)

    return per_version(store, "search", saved_or_built)


def load_saved(store: GraphStore) -> Indexes | None:
    """The indexes saved for the store's current version, memory-mapped, or ``None``."""
    root, version = folder_of(store.location), store.version()
    if root is None or not saved(root, version):  # Neo4j, or none saved: no counts to ask
        return None
    return load_version(store.location, version, fingerprint(store))


def load_version(location: str, version: int, found: dict[str, Any]) -> Indexes | None:
    """The indexes saved beside the store at ``location`` for ``version`` and ``found``."""
    root = folder_of(location)
    arrays = load(root, version, found) if root is not None else None
    if arrays is None:
        return None
    parts: dict[str, dict[str, Any]] = {"search": {}, "neighborhoods": {}}
    for name, value in arrays.items():
        part, _, column = name.partition("/")
        parts[part][column] = value
    return Indexes(version, SearchIndex.of_columns(parts["search"]),
                   NeighborhoodIndex.of_columns(parts["neighborhoods"]), found, loaded=True)


def build(store: GraphStore, pinyin_now: bool = False) -> Indexes:
    """Both indexes from the store's records (pinyin keys later unless ``pinyin_now``).
    The version is read before the records: a write meanwhile makes them newer than their
    label, so they are rebuilt, never trusted for a later version."""
    started = time.perf_counter()
    version, found = store.version(), fingerprint(store)
    entities = store.entities_table()
    search = SearchIndex(rows_of_table(entities), pinyin_now=pinyin_now)
    neighborhoods = NeighborhoodIndex(entities, store.relations_table())
    exact = store.version() == version
    del entities
    release_freed_memory()  # the build's tables and lists, freed but kept by malloc
    log.info("indexes of version %s built in %.1f s", version, time.perf_counter() - started)
    return Indexes(version, search, neighborhoods, found, exact=exact)


def save_built(location: str, built: Indexes) -> Indexes | None:
    """Save ``built`` beside the store at ``location`` (with its pinyin keys, made now if
    they are not yet) and map it back; ``None`` when it is not saved: it came from files,
    the store is no folder, or a write came in while it was read (files labelled with a
    version hold exactly that version). Touches the files only, never the store, so it
    can run in a thread while the store is closed."""
    root = folder_of(location)
    if root is None or built.loaded or not built.exact:
        return None
    built.search.prepare_latin()
    arrays = {f"search/{k}": v for k, v in built.search.columns().items()}
    arrays |= {f"neighborhoods/{k}": v for k, v in built.neighborhoods.columns().items()}
    if save(root, built.version, built.fingerprint, arrays) is None:
        return None
    return load_version(location, built.version, built.fingerprint)


def save_after_load(store: GraphStore, from_entities: int) -> Indexes | None:
    """Build and save the indexes of the store as a load left it, when it holds at least
    ``from_entities`` entities: the first ``innograph serve`` after a load then maps them
    (seconds at 1M entities) instead of building them (about a minute). A smaller store's
    server builds them in seconds, so a load does not spend the time. ``None`` when nothing
    was saved (too small, Neo4j, or a write came in meanwhile)."""
    if folder_of(store.location) is None or store.counts().entities < from_entities:
        return None
    return save_built(store.location, build(store))


def main(argv: list[str] | None = None) -> None:
    """``python -m graph.saved_indexes STORE FROM_ENTITIES``: :func:`save_after_load` in a
    process of its own, so that building the indexes (~5 GiB at 1M entities) does not add to
    what the load that ran before it still holds (``innograph ingest`` runs it)."""
    import json
    import sys

    from .store import open_store

    location, from_entities = argv if argv is not None else sys.argv[1:]
    with open_store(location, read_only=True) as store:
        saved = save_after_load(store, int(from_entities))
    print(json.dumps({"saved": saved is not None}))


if __name__ == "__main__":
    main()
