"""The write path of the embedded (LadybugDB) store: upserts that diff against what is stored.

New records go in by bulk ``COPY`` from a pyarrow table (LadybugDB loads hundreds of
thousands of rows a second that way) or, below :data:`COPY_MIN_ROWS` rows, by a batched
``UNWIND … CREATE`` (faster there, and it holds no memory: LadybugDB 0.22 keeps what each
``COPY`` from pyarrow used until its connection closes, so a write that ran one replaces
the write connection). Changed records go in by a batched ``UNWIND … SET``, unchanged
ones are skipped. ``COPY`` of a primary key that already exists crashes LadybugDB 0.22 (the
process dies with SIGSEGV), so the diff is what keeps ``COPY`` safe: it only ever sees ids
known to be absent. An upsert is all or nothing: one transaction, or, for the first load into
an empty store, no transaction and a wipe if it fails.

:class:`EmbeddedUpserts` writes through the store's :class:`Connections` (the write
connection, one write at a time), diffs against what :class:`EmbeddedReads` finds stored, and
keeps the writer's numbering of ``Source`` rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from schema import IntegrityError, RelationType, StoreError

from . import ladybug_queries as q
from .base import RelationKey
from .embedded_connections import Connections
from .embedded_meta import StoreMeta
from .embedded_reads import SCAN_THRESHOLD, EmbeddedReads
from .ladybug_encoding import Sources, hashes_to_int64
from .records import WriteResult
from .row_keys import all_distinct

#: rows per ``UNWIND … SET`` (or ``MERGE``) statement of a batched update
UPDATE_BATCH = 2000
#: fewer new rows than this (per table) are created by ``UNWIND … CREATE`` instead of
#: ``COPY``: COPY costs ~30 ms a statement and overtook UNWIND from ~1,400 rows (measured
#: on LadybugDB 0.22, bench/RESULTS.md "Write soak")
COPY_MIN_ROWS = 1000
# a relation table is copied with its endpoints first and without the type column
_RELATION_COPY_COLUMNS = ["source", "target", "kind", "status", "year", "role", "props",
                          "provenance", "run", "file", "row", "origin", "chash",
                          "claims"]  # run, file, origin -> src


def _row_batches(table: pa.Table) -> list[list[dict[str, Any]]]:
    """``table``'s rows as lists of at most :data:`UPDATE_BATCH` dicts, for ``UNWIND $rows``.

    Never an empty list: ``UNWIND`` of an empty list binds ``row`` as STRING and fails (an
    empty arrow chunk would otherwise make one)."""
    return [batch.to_pylist() for batch in table.to_batches(UPDATE_BATCH) if batch.num_rows]


def _diff(table: pa.Table, key: list[str], stored: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Rows of ``table`` whose ``key`` is not in ``stored`` (its key columns and ``h``, the
    stored hash as an integer), and rows whose content hash differs from the stored one.

    Column-wise, as :meth:`EmbeddedUpserts._split` does it row by row: a re-load of 5M
    relations diffed as Python dicts and tuples held ~1 GB more (issue 16)."""
    import pyarrow.compute as pc  # ~60 ms to import: not on a read's path

    if not stored.num_rows or not table.num_rows:
        return table, table.slice(0, 0)

    def keys(of: pa.Table) -> pa.Array | pa.ChunkedArray:
        columns = [of.column(c) for c in key]
        return columns[0] if len(columns) == 1 else pc.binary_join_element_wise(*columns,
                                                                                "\x1f")

    at = pc.index_in(keys(table), value_set=keys(stored))
    new = pc.is_null(at)
    before = pc.take(stored.column("h"), at)  # null for a new row
    changed = pc.fill_null(pc.not_equal(before, hashes_to_int64(table.column("chash"))), False)
    return table.filter(new), table.filter(changed)


class EmbeddedUpserts:
    """:meth:`upsert_tables` of the embedded store."""

    #: new rows of one table from which on an upsert uses ``COPY`` (see :data:`COPY_MIN_ROWS`)
    copy_min_rows: int = COPY_MIN_ROWS

    def __init__(self, connections: Connections, reads: EmbeddedReads, meta: StoreMeta) -> None:
        self._connections = connections
        self._run = connections.run
        self._rows = connections.rows
        self._reads = reads  # the stored content hashes to diff against
        self._meta = meta  # the version every write bumps
        #: the writer's cache of Source rows, which numbers new ones: only touched under the
        #: write lock (a reader replacing it mid-write made the next writer reuse a source
        #: number, issue 15); readers keep their own (:attr:`EmbeddedReads.sources`)
        self.sources = Sources(self._rows(q.ALL_SOURCES))

    def reload_sources(self) -> None:
        """Forget what the writer knew of the Source rows (inside a write)."""
        self.sources = Sources(self._rows(q.ALL_SOURCES))

    def upsert_tables(self, entities: pa.Table, relations: pa.Table, *,
                      delete_entities: Sequence[str] = (),
                      delete_relations: Sequence[RelationKey] = ()) -> WriteResult:
        with self._connections.writing():
            return self._upsert(entities, relations, list(delete_entities),
                                list(delete_relations))

    def _upsert(self, entities: pa.Table, relations: pa.Table, delete_entities: list[str],
                delete_relations: list[RelationKey]) -> WriteResult:
        import pyarrow.compute as pc  # ~60 ms to import: not on a read's path

        if self._connections.read_only:
            raise StoreError(f"store {self._connections.location} is open read-only")
        if pc.count_distinct(entities.column("id")).as_py() != entities.num_rows:
            raise IntegrityError("entity ids must be unique within one upsert")
        if not all_distinct(relations, ["source", "type", "target"]):
            raise IntegrityError("relations (source, type, target) must be unique within one "
                                 "upsert")
        result = WriteResult()
        withdrawn = (delete_entities, delete_relations)
        if self._is_empty():
            # Nothing stored yet, so there is nothing a transaction would protect: a first
            # load skips it (its commit costs a third of the write) and a failure is undone
            # by emptying the store again. A killed process leaves a partial first load,
            # which rerunning the same load completes (loads are idempotent); until then
            # the LOADING mark tells readers the graph is incomplete.
            self._run(q.SET_META, {"key": q.LOADING, "value": "first load"})
            try:
                self._write(entities, relations, result, *withdrawn, stored=False)
            except BaseException:
                self._run(q.DELETE_ALL_ENTITIES)
                self._run(q.DELETE_ALL_SCORES)
                self._run(q.DELETE_ALL_SOURCES)
                self.sources = Sources()
                raise
            finally:
                self._run(q.DELETE_META, {"key": q.LOADING})
            return result
        try:
            with self._connections.transaction():
                self._write(entities, relations, result, *withdrawn, stored=True)
                self._run(q.DELETE_META, {"key": q.LOADING})  # a rerun completes a killed load
        except BaseException:
            self.reload_sources()  # forget rolled-back sources
            raise
        return result

    def _write(self, entities: pa.Table, relations: pa.Table, result: WriteResult,
               delete_entities: list[str], delete_relations: list[RelationKey], *,
               stored: bool) -> None:
        """``stored``: whether the store held anything before (if not, every row is new and
        nothing is diffed: no per-row Python objects on a first load)."""
        deleted = self._withdraw(delete_entities, delete_relations)
        self._upsert_entities(entities, result, stored)
        self._upsert_relations(entities, relations, result, stored)
        if deleted or any((result.entities_created, result.entities_updated,
                           result.relations_created, result.relations_updated)):
            self._meta.bump_version()

    def _withdraw(self, entity_ids: list[str], relation_keys: list[RelationKey]) -> int:
        """Delete what a source withdrew (relations first: an entity goes with its own)."""
        deleted = 0
        by_type: dict[str, list[dict[str, str]]] = {}
        for source, relation, target in relation_keys:
            by_type.setdefault(relation, []).append({"source": source, "target": target})
        for relation, pairs in by_type.items():
            rows = self._rows(q.delete_relations(RelationType(relation)), {"pairs": pairs})
            deleted += int(rows[0]["n"]) if rows else 0
        if entity_ids:
            rows = self._rows(q.DELETE_ENTITIES, {"ids": entity_ids})
            deleted += int(rows[0]["n"]) if rows else 0
            self._run(q.DELETE_SCORES, {"ids": entity_ids})
        return deleted

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

    def _upsert_entities(self, entities: pa.Table, result: WriteResult, stored: bool) -> None:
        if not entities.num_rows:
            return
        new, changed = entities, entities.slice(0, 0)
        if stored and entities.num_rows > SCAN_THRESHOLD:  # every stored hash, column-wise
            new, changed = _diff(entities, ["id"], self._run(q.ALL_ENTITY_HASHES).get_as_arrow())
        elif stored:
            ids = entities.column("id").to_pylist()
            new, changed = self._split(entities, ids, self._reads.entity_hashes(ids))
        result.entities_created += new.num_rows
        result.entities_updated += changed.num_rows
        result.entities_unchanged += entities.num_rows - new.num_rows - changed.num_rows
        if new.num_rows:  # ids known to be absent: COPY of an existing key crashes LadybugDB
            self._create("Entity", new)
        for batch in self._encode(changed).to_batches(UPDATE_BATCH):
            self._run(q.UPDATE_ENTITIES, {"rows": batch.to_pylist()})

    def _upsert_relations(self, entities: pa.Table, relations: pa.Table,
                          result: WriteResult, stored: bool) -> None:
        import pyarrow.compute as pc  # ~60 ms to import: not on a read's path

        if not relations.num_rows:
            return
        ends = pa.chunked_array([*relations.column("source").chunks,
                                 *relations.column("target").chunks], type=pa.string())
        elsewhere = pc.unique(ends.filter(pc.invert(pc.is_in(ends, entities.column("id")))))
        missing = set(elsewhere.to_pylist())  # endpoints not in this write: must be stored
        missing -= set(self._reads.entity_hashes(missing))
        if missing:
            shown = ", ".join(sorted(missing)[:5])
            raise IntegrityError(f"{len(missing)} relation endpoint(s) are not in the store: "
                                 f"{shown}")
        types = relations.column("type")
        for value in pc.unique(types).to_pylist():
            relation_type = RelationType(value)
            group = relations.filter(pc.equal(types, value))
            new, changed = group, group.slice(0, 0)
            if stored:
                new, changed = _diff(group, ["source", "target"],
                                     self._run(q.relation_hashes(relation_type)).get_as_arrow())
            result.relations_created += new.num_rows
            result.relations_updated += changed.num_rows
            result.relations_unchanged += group.num_rows - new.num_rows - changed.num_rows
            if new.num_rows:
                self._create(relation_type.value, new.select(_RELATION_COPY_COLUMNS))
            for batch in self._encode(changed).to_batches(UPDATE_BATCH):
                self._run(q.update_relations(relation_type), {"rows": batch.to_pylist()})

    def _create(self, table: str, rows: pa.Table) -> None:
        """Create ``rows`` (keys known to be absent): by ``COPY`` from ``copy_min_rows`` rows
        on, by batched ``UNWIND … CREATE`` below that. Both store the same values."""
        if rows.num_rows >= self.copy_min_rows:
            self._copy(table, rows)
            return
        batches = _row_batches(self._encode(rows))
        if table == "Entity":
            for batch in batches:
                self._run(q.CREATE_ENTITIES, {"rows": batch})
            return
        relation = RelationType(table)
        for batch in batches:
            created = self._rows(q.create_relations(relation), {"rows": batch})
            found = int(created[0]["n"]) if created else 0
            if found != len(batch):  # MATCH skips a row whose endpoint is missing
                raise StoreError(f"store {self._connections.location}: {len(batch)} "
                                 f"{relation.value} relation(s) to create, but {found} found "
                                 "both ends")

    def _copy(self, table: str, rows: pa.Table) -> None:
        # one chunk: LadybugDB's COPY skipped the rows after an empty chunk
        encoded = self._encode(rows).combine_chunks()
        self._connections.copied()  # first: a failed COPY may hold memory too
        self._run(q.copy_into(table), {"rows": encoded})

    def _encode(self, rows: pa.Table) -> pa.Table:
        """Rows in the stored form; creates the ``Source`` rows they refer to."""
        encoded, new_sources = self.sources.encode(rows)
        if new_sources:
            self._run(q.CREATE_SOURCES, {"rows": new_sources})
        return encoded
