"""The embedded backend: LadybugDB, a Cypher graph database kept in a folder on disk.

:class:`EmbeddedStore` is the store contract over five parts, each in its own module:

- :class:`~graph.store.embedded_connections.Connections`: the database (reopened when
  another process wrote), the write connection and its lock, a read connection per thread,
  and the gate that keeps other processes' reads and this one's checkpoints apart
  (:mod:`graph.store.embedded_gate`);
- :class:`~graph.store.embedded_meta.StoreMeta`: the version and the loading mark, cached
  by file signature;
- :class:`~graph.store.embedded_reads.EmbeddedReads`: every read, and the readers' view of
  the ``Source`` rows;
- :class:`~graph.store.embedded_upserts.EmbeddedUpserts`: upserts (diff, then ``COPY`` or
  ``UNWIND``), and the writer's numbering of the ``Source`` rows;
- :class:`~graph.store.embedded_writes.EmbeddedWrites`: deletes, scores, checkpoints.

The tables are created (or checked) on opening by :mod:`graph.store.embedded_schema`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from schema import Entity, EntityType, Relation, RelationType

from .base import GraphStore, RelationKey
from .embedded_connections import Connections
from .embedded_meta import StoreMeta
from .embedded_reads import EmbeddedReads
from .embedded_schema import open_schema
from .embedded_upserts import EmbeddedUpserts
from .embedded_writes import EmbeddedWrites
from .records import GraphPath, NameRow, Neighborhood, Scores, Stats, Subgraph, WriteResult


class EmbeddedStore(GraphStore):
    """LadybugDB store in ``path`` (a folder; created on first write)."""

    kind = "embedded"

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False,
                 buffer_pool_mb: int = 1024, read_timeout_ms: int | None = None) -> None:
        self.path = Path(path).expanduser()
        self.location = str(self.path)
        self.read_only = read_only
        connections = Connections(self.path, read_only=read_only, buffer_pool_mb=buffer_pool_mb,
                                  read_timeout_ms=read_timeout_ms)
        try:
            with connections.writing():  # opening (schema, Source rows) uses the write connection
                open_schema(connections)
                meta = StoreMeta(connections)
                reads = EmbeddedReads(connections)
                upserts = EmbeddedUpserts(connections, reads, meta)
        except BaseException:
            connections.close()
            raise
        # a database reopened after another process wrote may number its sources anew
        connections.when_reopened(reads.reload_sources, upserts.reload_sources)
        self._connections = connections
        self._meta = meta
        self._reads = reads
        self._upserts = upserts
        self._writes = EmbeddedWrites(connections, reads, meta)

    @property
    def copy_min_rows(self) -> int:
        """New rows of one table from which on an upsert uses ``COPY`` (tests and benches
        lower it to force the ``COPY`` path)."""
        return self._upserts.copy_min_rows

    @copy_min_rows.setter
    def copy_min_rows(self, rows: int) -> None:
        self._upserts.copy_min_rows = rows

    def _run(self, query: str, params: dict[str, Any] | None = None) -> Any:
        """Run one query on this thread's connection (for tests that set up odd states)."""
        return self._connections.run(query, params)

    # -- writing -----------------------------------------------------------------------------
    def upsert_tables(self, entities: pa.Table, relations: pa.Table, *,
                      delete_entities: Sequence[str] = (),
                      delete_relations: Sequence[RelationKey] = ()) -> WriteResult:
        return self._upserts.upsert_tables(entities, relations, delete_entities=delete_entities,
                                           delete_relations=delete_relations)

    def exclusive(self) -> threading.RLock:
        return self._connections.write_lock

    def delete_entities(self, ids: Sequence[str]) -> int:
        return self._writes.delete_entities(ids)

    def delete_relations(self, ids: Sequence[str]) -> int:
        return self._writes.delete_relations(ids)

    def write_scores(self, scores: Scores) -> int:
        with self._connections.writing():  # the ids are checked in the write that stores them
            return self._writes.write_scores(self._score_ids(scores), scores)

    def checkpoint(self) -> None:
        # through the connections, which hold readers in other processes off meanwhile
        self._connections.checkpoint()

    # -- reading -----------------------------------------------------------------------------
    def relations_between(self, keys: Iterable[RelationKey]) -> dict[RelationKey, Relation]:
        return self._reads.relations_between(keys)

    def stored_sources(self, entity_ids: Iterable[str], relation_keys: Iterable[RelationKey]
                       ) -> tuple[dict[str, str | None], dict[RelationKey, str | None]]:
        return self._reads.stored_sources(entity_ids, relation_keys)

    def source_records(self, source: str) -> tuple[set[str], set[RelationKey]]:
        return self._reads.source_records(source)

    def read_scores(self, ids: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        return self._reads.read_scores(ids)

    def get_many(self, ids: Iterable[str]) -> dict[str, Entity]:
        return self._reads.get_many(ids)

    def relation_hashes(self, types: Iterable[RelationType]) -> dict[str, str]:
        return self._reads.relation_hashes(types)

    def entity_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        return self._reads.entity_hashes(ids)

    def neighborhood(self, entity_id: str, depth: int = 1, max_nodes: int = 200,
                     relation_types: Sequence[RelationType] | None = None,
                     entity_types: Sequence[EntityType] | None = None) -> Neighborhood:
        return self._reads.neighborhood(entity_id, depth, max_nodes, relation_types,
                                        entity_types)

    def shortest_paths(self, source: str, target: str, max_hops: int = 6, limit: int = 5,
                       relation_types: Sequence[RelationType] | None = None) -> list[GraphPath]:
        trivial = self._trivial_paths(source, target, max_hops, limit)
        if trivial is not None:
            return trivial
        return self._reads.shortest_paths(source, target, max_hops, limit, relation_types)

    def subgraph(self, ids: Iterable[str]) -> Subgraph:
        return self._reads.subgraph(ids)

    def iter_entities(self, batch_size: int = 5000) -> Iterator[Entity]:
        return self._reads.iter_entities(batch_size)

    def iter_relations(self, batch_size: int = 5000) -> Iterator[Relation]:
        return self._reads.iter_relations(batch_size)

    def entity_page(self, after: str = "", limit: int = 100,
                    entity_type: EntityType | None = None) -> list[Entity]:
        return self._reads.entity_page(after, limit, entity_type)

    def entities_table(self) -> pa.Table:
        return self._reads.entities_table()

    def relations_table(self) -> pa.Table:
        return self._reads.relations_table()

    def counts(self) -> Stats:
        return self._reads.counts()

    def name_rows(self) -> list[NameRow]:
        return self._reads.name_rows()

    def stats(self) -> Stats:
        return self._reads.stats()

    # -- version, liveness -------------------------------------------------------------------
    def interrupted_load(self) -> str | None:
        return self._meta.interrupted_load()

    def version(self) -> int:
        return self._meta.version()

    def write_running(self) -> bool:
        return self._connections.write_running()

    def ping(self) -> None:
        self._connections.ping()

    def close(self) -> None:
        self._connections.close()
