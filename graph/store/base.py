"""The store contract: what every graph backend does, within which limits.

Backends (``embedded.py`` for LadybugDB, ``neo4j.py`` for Neo4j) implement
:class:`GraphStore`; one contract test-suite (``tests/store/test_contract.py``)
runs against each backend that is available. The shapes a store returns and the scores
it accepts are in :mod:`graph.store.records`.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any

import pyarrow as pa

from schema import (
    Entity,
    EntityType,
    IntegrityError,
    InvalidInput,
    Relation,
    RelationType,
    StoreError,
)
from schema.tables import entities_to_table, relations_to_table

# The returned shapes live in records.py; they are re-exported here so that
# ``from graph.store.base import Subgraph`` (and the like) keeps working.
from .records import (
    SCORE_NAME,
    GraphPath,
    NameRow,
    Neighborhood,
    Scores,
    Stats,
    Subgraph,
    WriteResult,
    check_scores,
    combine_hashes,
)

__all__ = [
    "MAX_DEPTH", "MAX_NEIGHBORHOOD_NODES", "MAX_PATHS", "MAX_PATH_HOPS", "SCORE_NAME",
    "GraphPath", "GraphStore", "NameRow", "Neighborhood", "RelationKey", "Scores", "Stats",
    "Subgraph",
    "WriteResult", "check_bounds", "check_scores", "combine_hashes",
]

#: a relation's identity: (source id, relation type value, target id)
RelationKey = tuple[str, str, str]

MAX_DEPTH = 3
MAX_NEIGHBORHOOD_NODES = 2000
MAX_PATH_HOPS = 8
MAX_PATHS = 100


class GraphStore(ABC):
    """A graph of entities and relations that can be written in batches and queried."""

    #: backend name shown by /health ("embedded", "neo4j")
    kind: str
    #: where the store lives, for messages (never carries a password)
    location: str
    read_only: bool = False

    # -- writing ---------------------------------------------------------------------------
    def upsert(self, entities: Sequence[Entity] = (),
               relations: Sequence[Relation] = ()) -> WriteResult:
        """Create new records and update changed ones, all or nothing.

        Records are matched by id; a record whose content hash is unchanged is left as it is.
        Every relation's endpoints must exist in the store or in ``entities``, otherwise
        :class:`schema.IntegrityError` is raised and nothing is written.
        """
        return self.upsert_tables(entities_to_table(_unique(entities, "entity")),
                                  relations_to_table(_unique(relations, "relation")))

    @abstractmethod
    def upsert_tables(self, entities: pa.Table, relations: pa.Table, *,
                      delete_entities: Sequence[str] = (),
                      delete_relations: Sequence[RelationKey] = ()) -> WriteResult:
        """:meth:`upsert` for the column form (``schema.tables``), as bulk loads use it.

        Ids must be unique within each table. ``delete_entities`` (with their relations) and
        ``delete_relations`` (``(source, type, target)``) go in the same write: a source
        that no longer states a record withdraws it together with its other changes.
        """

    def exclusive(self) -> AbstractContextManager[object]:
        """Hold this store's writers off: a read-merge-write (``ingest.merge``) holds it from
        the read of what is stored to the write of the merge."""
        lock = self.__dict__.get("_exclusive")
        if lock is None:
            lock = self.__dict__.setdefault("_exclusive", threading.RLock())
        return lock  # type: ignore[no-any-return]

    @abstractmethod
    def relations_between(self, keys: Iterable[RelationKey]) -> dict[RelationKey, Relation]:
        """The stored relations among ``keys`` (``(source, type, target)``), by key."""

    @abstractmethod
    def stored_sources(self, entity_ids: Iterable[str], relation_keys: Iterable[RelationKey]
                       ) -> tuple[dict[str, str | None], dict[RelationKey, str | None]]:
        """Which of these records are stored, and their one source (``file``), or ``None``
        when several sources state them. Cheap for a whole load: a merge needs the full
        records only where another source is involved."""

    @abstractmethod
    def source_records(self, source: str) -> tuple[set[str], set[RelationKey]]:
        """Entity ids and relation keys that ``source`` (a ``file`` as loaded) states, alone
        or among other sources."""

    @abstractmethod
    def delete_entities(self, ids: Sequence[str]) -> int:
        """Delete entities and their relations; return how many entities were deleted."""

    @abstractmethod
    def delete_relations(self, ids: Sequence[str]) -> int:
        """Delete relations by id; return how many were deleted."""

    def _score_ids(self, scores: Scores) -> list[str]:
        """What every backend checks before writing scores: a writable store, valid names
        and values, and ids that are all stored. Returns the ids (empty: nothing to do)."""
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        check_scores(scores)
        ids = list(scores)
        found = self.entity_hashes(ids) if ids else {}
        missing = [i for i in ids if i not in found]
        if missing:
            raise IntegrityError(f"scores for {len(missing)} unknown entities, e.g. {missing[0]!r}")
        return ids

    @abstractmethod
    def write_scores(self, scores: Scores) -> int:
        """Store analytics scores on entities: ``{entity_id: {"pagerank": 0.01, ...}}``.

        Scores merge with those already stored (same name: replaced). They are derived data,
        so they are not part of any content hash. Every id must exist, otherwise
        :class:`schema.IntegrityError` is raised and nothing is written. Returns the number of
        entities updated.
        """

    @abstractmethod
    def read_scores(self, ids: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        """Stored scores by entity id (all entities that have any when ``ids`` is None)."""

    def checkpoint(self) -> None:  # noqa: B027 - optional hook
        """Make written data durable in the main files (no-op where not needed)."""

    # -- reading ---------------------------------------------------------------------------
    @abstractmethod
    def get_many(self, ids: Iterable[str]) -> dict[str, Entity]:
        """Entities by id; unknown ids are absent from the result."""

    def get(self, entity_id: str) -> Entity | None:
        """One entity by id, or ``None``."""
        return self.get_many([entity_id]).get(entity_id)

    @abstractmethod
    def relation_hashes(self, types: Iterable[RelationType]) -> dict[str, str]:
        """Content hashes of every stored relation of these types, by relation id."""

    @abstractmethod
    def entity_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        """Content hashes of the stored entities among ``ids``."""

    @abstractmethod
    def neighborhood(self, entity_id: str, depth: int = 1, max_nodes: int = 200,
                     relation_types: Sequence[RelationType] | None = None,
                     entity_types: Sequence[EntityType] | None = None) -> Neighborhood:
        """Entities within ``depth`` hops (either direction), at most ``max_nodes`` of them.

        ``truncated`` is true when more nodes were in reach than returned.
        """

    @abstractmethod
    def shortest_paths(self, source: str, target: str, max_hops: int = 6, limit: int = 5,
                       relation_types: Sequence[RelationType] | None = None) -> list[GraphPath]:
        """All shortest paths (ignoring direction) up to ``max_hops``, at most ``limit``."""

    def _trivial_paths(self, source: str, target: str, max_hops: int,
                       limit: int) -> list[GraphPath] | None:
        """What every backend's :meth:`shortest_paths` does before it searches.

        Refuses a ``max_hops`` or ``limit`` out of range (:class:`schema.InvalidInput`), and
        answers a path from an entity to itself: one node and no edge, or none when the
        entity is not stored. ``None`` means the backend must search.
        """
        check_bounds(max_hops=max_hops)
        if not 1 <= limit <= MAX_PATHS:
            raise InvalidInput("limit", f"must be between 1 and {MAX_PATHS}, got {limit}")
        if source != target:
            return None
        entity = self.get(source)
        return [GraphPath(nodes=[entity], edges=[])] if entity else []

    @abstractmethod
    def subgraph(self, ids: Iterable[str]) -> Subgraph:
        """The given entities and every relation between two of them."""

    @abstractmethod
    def iter_entities(self, batch_size: int = 5000) -> Iterator[Entity]:
        """Every entity, ordered by id."""

    @abstractmethod
    def iter_relations(self, batch_size: int = 5000) -> Iterator[Relation]:
        """Every relation."""

    def entity_page(self, after: str = "", limit: int = 100,
                    entity_type: EntityType | None = None) -> list[Entity]:
        """Up to ``limit`` entities with ids after ``after``, ordered by id (for cursors).

        Backends override this with one query; this default walks :meth:`iter_entities`.
        """
        page: list[Entity] = []
        for entity in self.iter_entities():
            if entity.id > after and (entity_type is None or entity.type is entity_type):
                page.append(entity)
                if len(page) == limit:
                    break
        return page

    def entities_table(self) -> pa.Table:
        """Every entity as a ``schema.tables.ENTITY_SCHEMA`` table (for in-memory indexes).

        Backends override this with a columnar read; this default goes through records."""
        return entities_to_table(list(self.iter_entities()))

    def relations_table(self) -> pa.Table:
        """Every relation as a ``schema.tables.RELATION_SCHEMA`` table (see above)."""
        return relations_to_table(list(self.iter_relations()))

    def counts(self) -> Stats:
        """:meth:`stats` without the content hash (``content_hash`` is empty): cheap enough
        for a health check. Backends override the default, which computes everything."""
        full = self.stats()
        return Stats(full.entities, full.relations, full.entities_by_type,
                     full.relations_by_type, "")

    @abstractmethod
    def name_rows(self) -> list[NameRow]:
        """Id, type, name and aliases of every entity (for search and resolution)."""

    @abstractmethod
    def stats(self) -> Stats:
        """Counts by type and the content hash of the whole graph."""

    def interrupted_load(self) -> str | None:
        """Why the graph may be incomplete (a first load running, or killed: rerun it), or
        ``None``. Backends whose every write is a transaction never are."""
        return None

    def write_running(self) -> bool:
        """Whether a write (a load) is under way, in this process or another, where the
        backend can tell (the embedded store can; a Neo4j server's clients are not known)."""
        return False

    @abstractmethod
    def version(self) -> int:
        """A number that changes with every committed write (for caches)."""

    @abstractmethod
    def ping(self) -> None:
        """Raise :class:`schema.StoreUnavailable` if the store cannot answer."""

    @abstractmethod
    def close(self) -> None:
        """Release the store (locks, connections)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _unique(records: Sequence[Any], what: str) -> list[Any]:
    """Records with identical duplicates collapsed; differing duplicates are an error."""
    seen: dict[str, Any] = {}
    for record in records:
        earlier = seen.get(record.id)
        if earlier is not None and earlier != record:
            raise IntegrityError(f"two different {what} records share the id {record.id!r}")
        seen[record.id] = record
    return list(seen.values())


def check_bounds(depth: int | None = None, max_nodes: int | None = None,
                 max_hops: int | None = None) -> None:
    """Refuse requests beyond the store's caps, naming the parameter."""
    from schema import InvalidInput

    if depth is not None and not 1 <= depth <= MAX_DEPTH:
        raise InvalidInput("depth", f"must be between 1 and {MAX_DEPTH}, got {depth}")
    if max_nodes is not None and not 1 <= max_nodes <= MAX_NEIGHBORHOOD_NODES:
        raise InvalidInput("max_nodes",
                           f"must be between 1 and {MAX_NEIGHBORHOOD_NODES}, got {max_nodes}")
    if max_hops is not None and not 1 <= max_hops <= MAX_PATH_HOPS:
        raise InvalidInput("max_hops", f"must be between 1 and {MAX_PATH_HOPS}, got {max_hops}")
