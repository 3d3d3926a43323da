"""The embedded backend: LadybugDB, a Cypher graph database kept in a folder on disk.

Writes diff against what is stored: new records go in by bulk ``COPY`` from a
pyarrow table (LadybugDB loads hundreds of thousands of rows a second that
way), changed ones by a batched ``UNWIND … SET``, unchanged ones are skipped.
``COPY`` of a primary key that already exists crashes LadybugDB 0.22 (the
process dies with SIGSEGV), so the diff is what keeps ``COPY`` safe: it only
ever sees ids known to be absent. An upsert is all or nothing: one transaction, or, for
the first load into an empty store, no transaction and a wipe if it fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import ladybug
import pyarrow as pa
import pyarrow.compute as pc

from schema import (
    Entity,
    EntityNotFound,
    EntityType,
    IntegrityError,
    InvalidInput,
    Relation,
    RelationType,
    StoreError,
    StoreInUse,
    StoreUnavailable,
    relation_id,
)
from schema.tables import ENTITY_SCHEMA, RELATION_SCHEMA, entity_from_row, relation_from_row

from . import ladybug_queries as q
from .base import (
    EdgeRef,
    GraphPath,
    GraphStore,
    NameRow,
    Neighborhood,
    Scores,
    Stats,
    Subgraph,
    WriteResult,
    check_bounds,
    combine_hashes,
    expand_neighborhood,
)
from .ladybug_encoding import Sources, int64_to_hashes

DB_FILE = "graph.lbug"
_LOCK_HELD = re.compile(r"Lock is held by PID (\d+)")
_UPDATE_BATCH = 2000
_SCAN_THRESHOLD = 2000  # above this many ids, scanning all hashes beats per-id lookups
_Method = TypeVar("_Method", bound=Callable[..., Any])


def _writes(method: _Method) -> _Method:
    """Run a write on the one write connection, one write at a time.

    Reads from other threads use their own connections, so a request served while a write
    transaction is open neither joins it nor waits for it (LadybugDB is MVCC).
    """
    @wraps(method)
    def locked(self: EmbeddedStore, *args: Any, **kwargs: Any) -> Any:
        with self._write_lock:
            outer = getattr(self._local, "writing", False)
            self._local.writing = True
            try:
                return method(self, *args, **kwargs)
            finally:
                self._local.writing = outer
    return locked  # type: ignore[return-value]


def _snapshot(method: _Method) -> _Method:
    """Run a read of several queries in one read-only transaction, so that it sees one
    state of the graph even while another thread commits a write."""
    @wraps(method)
    def consistent(self: EmbeddedStore, *args: Any, **kwargs: Any) -> Any:
        if getattr(self._local, "writing", False) or getattr(self._local, "snapshot", False):
            return method(self, *args, **kwargs)
        self._run("BEGIN TRANSACTION READ ONLY")
        self._local.snapshot = True
        try:
            result = method(self, *args, **kwargs)
        except BaseException:
            self._local.snapshot = False
            with contextlib.suppress(RuntimeError):
                self._connection().execute("ROLLBACK")
            raise
        self._local.snapshot = False
        self._run("COMMIT")
        return result
    return consistent  # type: ignore[return-value]


class EmbeddedStore(GraphStore):
    """LadybugDB store in ``path`` (a folder; created on first write)."""

    kind = "embedded"

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False,
                 buffer_pool_mb: int = 1024, read_timeout_ms: int | None = None) -> None:
        self.path = Path(path).expanduser()
        self.location = str(self.path)
        self.read_only = read_only
        self._closed = True
        self._read_timeout_ms = read_timeout_ms
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[ladybug.Connection] = []
        self._version_cache: tuple[tuple[tuple[int, int], ...], int] | None = None
        self._local.writing = True  # opening (schema, sources) uses the write connection
        db_file = self.path / DB_FILE
        if read_only and not db_file.exists():
            raise StoreUnavailable(self.location,
                                   "no graph here yet; load one with `innograph ingest`")
        if not read_only:
            self._prepare_folder()
        self._buffer_pool_mb = buffer_pool_mb
        self._generation = 0  # bumped when a read-only store reopens on newer files
        self._retired: list[ladybug.Database] = []
        self._open_database()
        self._closed = False
        if not read_only:
            self._create_schema()
        self._sources = Sources(self._rows(q.ALL_SOURCES))
        self._local.writing = False

    def _open_database(self) -> None:
        self._opened_files = self._files_signature()
        try:
            self._db = ladybug.Database(str(self.path / DB_FILE), read_only=self.read_only,
                                        buffer_pool_size=self._buffer_pool_mb * 1024 * 1024)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as e:
            held = _LOCK_HELD.search(str(e))
            if held or "lock" in str(e).lower():
                raise StoreInUse(self.location, int(held.group(1)) if held else None) from e
            raise StoreUnavailable(self.location, str(e).splitlines()[0]) from e

    def _follow_writer(self, signature: tuple[tuple[int, int], ...]) -> None:
        """A read-only LadybugDB database sees the files as they were when it opened: when
        another process has written since, open them again (threads move to the new one on
        their next query; the old database is closed with the store)."""
        with self._write_lock:
            if signature == self._opened_files or self._closed:
                return
            self._retired.append(self._db)
            self._open_database()
            self._generation += 1
            self._local.writing = True
            try:
                self._sources = Sources(self._rows(q.ALL_SOURCES))
            finally:
                self._local.writing = False

    def _prepare_folder(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreUnavailable(self.location, f"cannot create folder: {e.strerror}") from e
        if not os.access(self.path, os.W_OK | os.X_OK):
            raise StoreUnavailable(self.location, "folder is not writable")

    def _create_schema(self) -> None:
        stored = self._stored_schema_version()
        if stored not in (None, q.SCHEMA_VERSION):
            raise StoreUnavailable(self.location, f"written by another innograph version (store "
                                   f"schema {stored}, this one reads {q.SCHEMA_VERSION}); "
                                   "export it with that version, or load into a new folder")
        self._run(q.CREATE_SOURCE_TABLE)
        self._run(q.CREATE_ENTITY_TABLE)
        self._run(q.CREATE_META_TABLE)
        self._run(q.CREATE_SCORES_TABLE)
        for relation in RelationType:
            self._run(q.create_relation_table(relation))
        self._run(q.SET_META, {"key": "schema_version", "value": q.SCHEMA_VERSION})

    def _stored_schema_version(self) -> str | None:
        # (a failed GET_META would stay cached as a prepared statement: look before querying)
        if "StoreMeta" not in {row["name"] for row in self._rows(q.SHOW_TABLES)}:
            return None  # a new folder
        rows = self._rows(q.GET_META, {"key": "schema_version"})
        return str(rows[0]["value"]) if rows else None

    # -- plumbing ----------------------------------------------------------------------------
    def _connection(self) -> ladybug.Connection:
        """The write connection inside a write; otherwise this thread's read connection."""
        if getattr(self._local, "writing", False):
            return self._conn
        reader = getattr(self._local, "reader", None)
        if reader is None or self._local.generation != self._generation:
            if self._closed:
                raise StoreUnavailable(self.location, "the store is closed")
            reader = ladybug.Connection(self._db)
            if self._read_timeout_ms:
                reader.set_query_timeout(self._read_timeout_ms)
            self._local.reader = reader
            self._local.generation = self._generation
            with self._write_lock:
                self._readers.append(reader)
        return reader

    def _run(self, query: str, params: dict[str, Any] | None = None) -> Any:
        try:
            return self._connection().execute(query, params or {})
        except RuntimeError as e:
            first = str(e).splitlines()[0]
            if first.startswith("Interrupted"):
                raise StoreError(f"store {self.location}: the query ran longer than the read "
                                 f"timeout ({self._read_timeout_ms} ms)") from e
            raise StoreError(f"store {self.location}: {first}") from e

    def _rows(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self._run(query, params).get_as_arrow().to_pylist()
        return rows

    def _copy(self, table: str, rows: pa.Table) -> None:
        # one chunk: LadybugDB's COPY skipped the rows after an empty chunk
        encoded = self._encode(rows).combine_chunks()
        self._run(q.copy_into(table), {"rows": encoded})

    def _encode(self, rows: pa.Table) -> pa.Table:
        """Rows in the stored form; creates the ``Source`` rows they refer to."""
        encoded, new_sources = self._sources.encode(rows)
        if new_sources:
            self._run(q.CREATE_SOURCES, {"rows": new_sources})
        return encoded

    def _decode(self, row: dict[str, Any]) -> dict[str, Any]:
        if row.get("src") is not None and row["src"] not in self._sources.by_id:
            self._sources = Sources(self._rows(q.ALL_SOURCES))  # another process wrote since
        return self._sources.decode_row(row)

    # -- writing -----------------------------------------------------------------------------
    @_writes
    def upsert_tables(self, entities: pa.Table, relations: pa.Table) -> WriteResult:
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        if pc.count_distinct(entities.column("id")).as_py() != entities.num_rows:
            raise IntegrityError("entity ids must be unique within one upsert")
        keys = pc.binary_join_element_wise(*(relations.column(c) for c in ("source", "type",
                                                                         "target")), "\x1f")
        if pc.count_distinct(keys).as_py() != relations.num_rows:
            raise IntegrityError("relations (source, type, target) must be unique within one "
                                 "upsert")
        result = WriteResult()
        if self._is_empty():
            # Nothing stored yet, so there is nothing a transaction would protect: a first
            # load skips it (its commit costs a third of the write) and a failure is undone
            # by emptying the store again. A killed process leaves a partial first load,
            # which rerunning the same load completes (loads are idempotent).
            try:
                self._write(entities, relations, result)
            except BaseException:
                self._run(q.DELETE_ALL_ENTITIES)
                self._run(q.DELETE_ALL_SCORES)
                self._run(q.DELETE_ALL_SOURCES)
                self._sources = Sources()
                raise
            return result
        self._run("BEGIN TRANSACTION")
        try:
            self._write(entities, relations, result)
            self._run("COMMIT")
        except BaseException:
            # a failed statement may already have ended the transaction
            with contextlib.suppress(RuntimeError):
                self._conn.execute("ROLLBACK")
            self._sources = Sources(self._rows(q.ALL_SOURCES))  # forget rolled-back sources
            raise
        return result

    def _write(self, entities: pa.Table, relations: pa.Table, result: WriteResult) -> None:
        self._upsert_entities(entities, result)
        self._upsert_relations(entities, relations, result)
        if any((result.entities_created, result.entities_updated, result.relations_created,
                result.relations_updated)):
            self._bump_version()

    def _is_empty(self) -> bool:
        rows = self._rows(q.ANY_ENTITY)
        return not rows

    @staticmethod
    def _split(table: pa.Table, keys: Iterable[Any],
               stored: dict[Any, str]) -> tuple[pa.Table, pa.Table]:
        """Rows whose key is not stored, and rows whose content hash differs from the stored."""
        if not stored:
            return table, table.slice(0, 0)
        new, changed = [], []
        for index, (key, chash) in enumerate(zip(keys, table.column("chash").to_pylist(),
                                                 strict=True)):
            old = stored.get(key)
            if old is None:
                new.append(index)
            elif old != chash:
                changed.append(index)
        return (table.take(pa.array(new, type=pa.int64())),
                table.take(pa.array(changed, type=pa.int64())))

    def _upsert_entities(self, entities: pa.Table, result: WriteResult) -> None:
        if not entities.num_rows:
            return
        ids = entities.column("id").to_pylist()
        new, changed = self._split(entities, ids, self.entity_hashes(ids))
        result.entities_created += new.num_rows
        result.entities_updated += changed.num_rows
        result.entities_unchanged += entities.num_rows - new.num_rows - changed.num_rows
        if new.num_rows:  # ids known to be absent: COPY of an existing key crashes LadybugDB
            self._copy("Entity", new)
        for batch in self._encode(changed).to_batches(_UPDATE_BATCH):
            self._run(q.UPDATE_ENTITIES, {"rows": batch.to_pylist()})

    def _upsert_relations(self, entities: pa.Table, relations: pa.Table,
                          result: WriteResult) -> None:
        if not relations.num_rows:
            return
        ends = pa.chunked_array([*relations.column("source").chunks,
                                 *relations.column("target").chunks], type=pa.string())
        elsewhere = pc.unique(ends.filter(pc.invert(pc.is_in(ends, entities.column("id")))))
        missing = set(elsewhere.to_pylist())  # endpoints not in this write: must be stored
        missing -= set(self.entity_hashes(missing))
        if missing:
            shown = ", ".join(sorted(missing)[:5])
            raise IntegrityError(f"{len(missing)} relation endpoint(s) are not in the store: "
                                 f"{shown}")
        types = relations.column("type")
        for value in pc.unique(types).to_pylist():
            relation_type = RelationType(value)
            group = relations.filter(pc.equal(types, value))
            pairs = zip(group.column("source").to_pylist(), group.column("target").to_pylist(),
                        strict=True)
            new, changed = self._split(group, pairs, self._pair_hashes(relation_type))
            result.relations_created += new.num_rows
            result.relations_updated += changed.num_rows
            result.relations_unchanged += group.num_rows - new.num_rows - changed.num_rows
            if new.num_rows:
                self._copy(relation_type.value, new.select(_RELATION_COPY_COLUMNS))
            for batch in self._encode(changed).to_batches(_UPDATE_BATCH):
                self._run(q.update_relations(relation_type), {"rows": batch.to_pylist()})

    def _bump_version(self) -> None:
        self._run(q.SET_META, {"key": "version", "value": str(self.version() + 1)})

    @_writes
    def delete_entities(self, ids: Sequence[str]) -> int:
        rows = self._rows(q.DELETE_ENTITIES, {"ids": list(ids)})
        deleted = int(rows[0]["n"]) if rows else 0
        self._run(q.DELETE_SCORES, {"ids": list(ids)})
        if deleted:
            self._bump_version()
        return deleted

    @_writes
    def delete_relations(self, ids: Sequence[str]) -> int:
        # ids are derived from (source, type, target); find the pairs they stand for
        wanted = set(ids)
        deleted = 0
        for relation in RelationType:
            pairs = [{"source": s, "target": t} for s, t in self._pair_hashes(relation)
                     if relation_id(s, relation, t) in wanted]
            if pairs:
                rows = self._rows(q.delete_relations(relation), {"pairs": pairs})
                deleted += int(rows[0]["n"]) if rows else 0
        if deleted:
            self._bump_version()
        return deleted

    @_writes
    def write_scores(self, scores: Scores) -> int:
        ids = self._score_ids(scores)
        if not ids:
            return 0
        merged = self.read_scores(ids)
        rows = [{"id": i, "scores": json.dumps(merged.get(i, {}) | dict(scores[i]),
                                               sort_keys=True)} for i in ids]
        self._run("BEGIN TRANSACTION")
        try:
            for start in range(0, len(rows), _UPDATE_BATCH):
                self._run(q.MERGE_SCORES, {"rows": rows[start:start + _UPDATE_BATCH]})
            self._bump_version()
            self._run("COMMIT")
        except BaseException:
            with contextlib.suppress(RuntimeError):
                self._conn.execute("ROLLBACK")
            raise
        return len(rows)

    def read_scores(self, ids: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        if ids is None:
            rows = self._rows(q.ALL_SCORES)
        else:
            wanted = list(dict.fromkeys(ids))
            rows = self._rows(q.SCORES_BY_ID, {"ids": wanted}) if wanted else []
        return {row["id"]: json.loads(row["scores"]) for row in rows}

    @_writes
    def checkpoint(self) -> None:
        if not self.read_only:
            self._run("CHECKPOINT")

    # -- reading -----------------------------------------------------------------------------
    def get_many(self, ids: Iterable[str]) -> dict[str, Entity]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        return {row["id"]: entity_from_row(self._decode(row))
                for row in self._rows(q.GET_ENTITIES, {"ids": wanted})}

    def entity_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        wanted = set(ids)
        if not wanted:
            return {}
        if len(wanted) > _SCAN_THRESHOLD:
            table = self._run(q.ALL_ENTITY_HASHES).get_as_arrow()
            pairs = zip(table.column("id").to_pylist(), int64_to_hashes(table.column("h")),
                        strict=True)
            return {i: h for i, h in pairs if i in wanted}
        table = self._run(q.ENTITY_HASHES_BY_ID, {"ids": sorted(wanted)}).get_as_arrow()
        return dict(zip(table.column("id").to_pylist(), int64_to_hashes(table.column("h")),
                        strict=True))

    def _pair_hashes(self, relation: RelationType) -> dict[tuple[str, str], str]:
        table = self._run(q.relation_hashes(relation)).get_as_arrow()
        columns = [table.column(c).to_pylist() for c in ("source", "target")]
        return {(s, t): h for s, t, h in zip(*columns, int64_to_hashes(table.column("h")),
                                             strict=True)}

    def relation_hashes(self, types: Iterable[RelationType]) -> dict[str, str]:
        return {relation_id(s, relation, t): h for relation in types
                for (s, t), h in self._pair_hashes(relation).items()}

    @_snapshot
    def neighborhood(self, entity_id: str, depth: int = 1, max_nodes: int = 200,
                     relation_types: Sequence[RelationType] | None = None,
                     entity_types: Sequence[EntityType] | None = None) -> Neighborhood:
        check_bounds(depth=depth, max_nodes=max_nodes)
        center = self.get(entity_id)
        if center is None:
            raise EntityNotFound(entity_id)
        type_values = [EntityType(t).value for t in entity_types] if entity_types else None
        relations: dict[str, Relation] = {}

        def edges_from(frontier: list[str], outgoing: bool, n: int) -> list[EdgeRef]:
            params: dict[str, Any] = {"ids": frontier, "n": n}
            if type_values is not None:
                params["entity_types"] = type_values
            query = q.edges_from(relation_types, outgoing, type_values is not None)
            found = [relation_from_row(self._decode(row)) for row in self._rows(query, params)]
            relations.update((r.id, r) for r in found)
            return [(r.id, r.source, r.target) for r in found]

        kept, edge_ids, truncated = expand_neighborhood(entity_id, depth, max_nodes, edges_from)
        nodes = self.get_many(sorted(kept))
        return Neighborhood(nodes=[center] + [nodes[i] for i in sorted(kept) if i != entity_id],
                            edges=sorted((relations[i] for i in edge_ids), key=lambda r: r.id),
                            center=entity_id, depth=depth, truncated=truncated)

    @_snapshot
    def shortest_paths(self, source: str, target: str, max_hops: int = 6, limit: int = 5,
                       relation_types: Sequence[RelationType] | None = None) -> list[GraphPath]:
        check_bounds(max_hops=max_hops)
        if not 1 <= limit <= 100:
            raise InvalidInput("limit", f"must be between 1 and 100, got {limit}")
        if source == target:
            entity = self.get(source)
            return [GraphPath(nodes=[entity], edges=[])] if entity else []
        rows = self._rows(q.shortest_paths(max_hops, relation_types),
                          {"source": source, "target": target, "n": limit})
        paths = []
        for row in rows:
            offsets = {_offset(n["_ID"]): n["id"] for n in row["nodes"]}
            ids = [n["id"] for n in row["nodes"]]
            entities = self.get_many(ids)
            edges = [relation_from_row(self._decode(
                {**r, "type": r["_LABEL"], "source": offsets[_offset(r["_SRC"])],
                 "target": offsets[_offset(r["_DST"])]})) for r in row["rels"]]
            paths.append(GraphPath(nodes=[entities[i] for i in ids], edges=edges))
        return paths

    @_snapshot
    def subgraph(self, ids: Iterable[str]) -> Subgraph:
        wanted = sorted(set(ids))
        nodes = self.get_many(wanted)
        edges = [relation_from_row(self._decode({**row, "type": relation.value}))
                 for relation in RelationType
                 for row in self._rows(q.edges_among(relation), {"ids": wanted})]
        return Subgraph(nodes=[nodes[i] for i in wanted if i in nodes],
                        edges=sorted(edges, key=lambda r: r.id))

    def iter_entities(self, batch_size: int = 5000) -> Iterator[Entity]:
        after = ""
        while True:
            rows = self._rows(q.ENTITY_PAGE, {"after": after, "n": batch_size})
            yield from (entity_from_row(self._decode(row)) for row in rows)
            if len(rows) < batch_size:
                return
            after = rows[-1]["id"]

    def iter_relations(self, batch_size: int = 5000) -> Iterator[Relation]:
        for relation in RelationType:
            result = self._run(q.all_relations(relation))
            for batch in result.get_as_arrow(chunk_size=batch_size).to_batches():
                for row in batch.to_pylist():
                    yield relation_from_row(self._decode({**row, "type": relation.value}))

    @_snapshot
    def entities_table(self) -> pa.Table:
        self._sources = Sources(self._rows(q.ALL_SOURCES))  # another process may have written
        table = self._run(q.ALL_ENTITIES).get_as_arrow()
        return self._sources.decode_table(table).select(ENTITY_SCHEMA.names).cast(ENTITY_SCHEMA)

    @_snapshot
    def relations_table(self) -> pa.Table:
        self._sources = Sources(self._rows(q.ALL_SOURCES))
        parts = []
        for relation in RelationType:
            table = self._run(q.all_relations(relation, with_hash=True)).get_as_arrow()
            if table.num_rows:
                table = table.append_column("type", pa.array([relation.value] * table.num_rows,
                                                             pa.string()))
                parts.append(self._sources.decode_table(table).select(RELATION_SCHEMA.names)
                             .cast(RELATION_SCHEMA))
        return pa.concat_tables(parts) if parts else RELATION_SCHEMA.empty_table()

    def name_rows(self) -> list[NameRow]:
        return [NameRow(r["id"], EntityType(r["type"]), r["name"], tuple(r["aliases"] or ()))
                for r in self._rows(q.NAME_ROWS)]

    def entity_page(self, after: str = "", limit: int = 100,
                    entity_type: EntityType | None = None) -> list[Entity]:
        params: dict[str, Any] = {"after": after, "n": limit}
        query = q.ENTITY_PAGE
        if entity_type is not None:
            query, params["type"] = q.ENTITY_PAGE_OF_TYPE, EntityType(entity_type).value
        return [entity_from_row(self._decode(row)) for row in self._rows(query, params)]

    @_snapshot
    def counts(self) -> Stats:
        by_type = {r["type"]: int(r["n"]) for r in self._rows(q.COUNT_BY_TYPE)}
        rel_counts = {}
        for relation in RelationType:
            n = int(self._rows(q.count_relations(relation))[0]["n"])
            if n:
                rel_counts[relation.value] = n
        return Stats(entities=sum(by_type.values()), relations=sum(rel_counts.values()),
                     entities_by_type=dict(sorted(by_type.items())),
                     relations_by_type=dict(sorted(rel_counts.items())), content_hash="")

    @_snapshot
    def stats(self) -> Stats:
        by_type = {r["type"]: int(r["n"]) for r in self._rows(q.COUNT_BY_TYPE)}
        rel_counts = {}
        relation_hashes: list[str] = []
        for relation in RelationType:
            table = self._run(q.relation_hashes(relation)).get_as_arrow()
            if table.num_rows:
                rel_counts[relation.value] = table.num_rows
                relation_hashes.extend(int64_to_hashes(table.column("h")))
        entity_hashes = int64_to_hashes(self._run(q.ALL_ENTITY_HASHES).get_as_arrow().column("h"))
        return Stats(entities=sum(by_type.values()), relations=sum(rel_counts.values()),
                     entities_by_type=dict(sorted(by_type.items())),
                     relations_by_type=dict(sorted(rel_counts.items())),
                     content_hash=combine_hashes(entity_hashes, relation_hashes))

    def version(self) -> int:
        # Every commit appends to the write-ahead log and every checkpoint rewrites the main
        # file, so while neither file changed the stored version cannot have changed either:
        # a stat instead of a query on each API request.
        signature = self._files_signature()
        if self.read_only and signature != self._opened_files:
            self._follow_writer(signature)
        cached = self._version_cache
        if cached is not None and cached[0] == signature and not self._local_writing():
            return cached[1]
        rows = self._rows(q.GET_META, {"key": "version"})
        version = int(rows[0]["value"]) if rows else 0
        self._version_cache = (signature, version)
        return version

    def _local_writing(self) -> bool:
        return bool(getattr(self._local, "writing", False))

    def _files_signature(self) -> tuple[tuple[int, int], ...]:
        found = []
        for name in (DB_FILE, DB_FILE + ".wal"):
            try:
                info = os.stat(self.path / name)
            except FileNotFoundError:
                found.append((0, -1))
                continue
            found.append((info.st_mtime_ns, info.st_size))
        return tuple(found)

    def ping(self) -> None:
        try:
            self._connection().execute("RETURN 1")
        except RuntimeError as e:
            raise StoreUnavailable(self.location, str(e).splitlines()[0]) from e

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            with self._write_lock:
                for reader in self._readers:
                    reader.close()
                self._conn.close()
                for database in (*self._retired, self._db):
                    database.close()


# a relation table is copied with its endpoints first and without the type column
_RELATION_COPY_COLUMNS = ["source", "target", "kind", "status", "year", "role", "props",
                          "provenance", "run", "file", "row", "chash"]  # run, file -> src


def _offset(internal_id: dict[str, int]) -> tuple[int, int]:
    return internal_id["table"], internal_id["offset"]
