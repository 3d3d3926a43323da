"""Issue 15: many small writes must not exhaust LadybugDB's buffer pool.

LadybugDB 0.22 keeps the memory of every ``COPY … FROM`` a pyarrow table until the
connection that ran it closes (``bench/ladybug_copy_leak.py``); a server writing 5 rows at a
time stopped after ~128 writes. Small writes now create their rows by ``UNWIND … CREATE``,
and a write that did ``COPY`` replaces the write connection. Both paths store the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from graph.store import ladybug_queries as q
from graph.store.embedded import EmbeddedStore
from graph.store.embedded_upserts import COPY_MIN_ROWS
from schema import Entity, EntityType, Relation, RelationType, entity_id, relation_id
from schema.tables import entities_to_table, relations_to_table


@contextmanager
def _open(path: Path, buffer_pool_mb: int = 1024) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(path, buffer_pool_mb=buffer_pool_mb)
    try:
        yield store
    finally:
        store.close()


def _batch(n: int, size: int = 5) -> tuple[pa.Table, pa.Table]:
    """``size`` new enterprises and one relation between two of them (write number ``n``)."""
    entities = [Entity(entity_id(EntityType.enterprise, f"企业{n}-{i}"), EntityType.enterprise,
                       f"企业{n}-{i}", ingest={"run": f"run{n}", "file": "body", "row": i + 1})
                for i in range(size)]
    relations = [Relation(relation_id(entities[0].id, RelationType.partnership, entities[1].id),
                          RelationType.partnership, entities[0].id, entities[1].id,
                          props={"kind": "共建", "year": 2021})]
    return entities_to_table(entities), relations_to_table(relations)


@pytest.mark.parametrize("copy_min_rows", [COPY_MIN_ROWS, 0], ids=["small-writes", "copy"])
def test_hundreds_of_small_writes_fit_a_64_mb_buffer_pool(tmp_path: Path,
                                                          copy_min_rows: int) -> None:
    """Before the fix the 6th write of 5 entities failed with 'buffer pool is full'.

    ``small-writes``: the real configuration (UNWIND). ``copy``: every write forced through
    ``COPY``, which only fits because each write's connection is replaced afterwards."""
    writes = 300 if copy_min_rows else 80  # COPY costs ~30 ms a statement, UNWIND ~10 ms
    with _open(tmp_path / "s", buffer_pool_mb=64) as store:
        store.copy_min_rows = copy_min_rows
        for n in range(writes):
            result = store.upsert_tables(*_batch(n))
            assert (result.entities_created, result.relations_created) == (5, 1), n
        stats = store.stats()
        assert (stats.entities, stats.relations) == (5 * writes, writes)
        last = store.get(entity_id(EntityType.enterprise, f"企业{writes - 1}-4"))
        assert last is not None and last.ingest == {"run": f"run{writes - 1}", "file": "body",
                                                    "row": 5}


def _varied() -> tuple[list[Entity], list[Relation]]:
    """Rows with every kind of value a column can hold: nulls, empty lists, negative
    hashes, props of several types, with and without ingest columns."""
    E, R = EntityType, RelationType
    entities = [
        Entity(entity_id(E.institute, "浙江大学温州研究院"), E.institute, "浙江大学温州研究院",
               name_raw="浙江大学 温州研究院", aliases=("浙大温州研究院", "浙大温研"),
               props={"level": "省级", "founded_year": 2019, "score": 0.5},
               provenance={"source_doc": "报告.docx", "source_span": "3-9"},
               ingest={"run": "r1", "file": "entities.csv", "row": 2}),
        Entity(entity_id(E.enterprise, "华联机械"), E.enterprise, "华联机械"),
        Entity(entity_id(E.region, "瓯海区"), E.region, "瓯海区", aliases=(),
               ingest={"run": "r1", "file": "regions.csv"}),
        Entity(entity_id(E.person, "叶志镇"), E.person, "叶志镇", props={"title": "院士"},
               ingest={"run": "r2", "file": "people.csv", "row": 7}),
    ]
    a, b, c, d = (e.id for e in entities)
    relations = [
        Relation(relation_id(b, R.partnership, a), R.partnership, b, a,
                 props={"kind": "共建", "year": 2021, "status": "active", "amount": 3.5},
                 provenance={"source_doc": "报告.docx"},
                 ingest={"run": "r1", "file": "relations.csv", "row": 2}),
        Relation(relation_id(a, R.located_in, c), R.located_in, a, c),  # every column null
        Relation(relation_id(d, R.affiliated_with, a), R.affiliated_with, d, a,
                 props={"role": "首席科学家"}, ingest={"run": "r2", "file": "people.csv"}),
    ]
    return entities, relations


def _stored(store: EmbeddedStore) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]:
    """Every stored column as LadybugDB returns it (types included), in a fixed order."""
    entities = sorted(store._connections.rows(q.ALL_ENTITIES), key=lambda row: row["id"])
    relations = [sorted(store._connections.rows(q.all_relations(t, with_hash=True)),
                        key=lambda row: (row["source"], row["target"])) for t in RelationType]
    return entities, relations


def test_unwind_and_copy_store_identical_rows(tmp_path: Path) -> None:
    entities, relations = _varied()
    changed = [Entity(entities[1].id, EntityType.enterprise, "华联机械",
                      props={"credit_code": "91330300"})]
    seen = []
    for copy_min_rows in (10**9, 0):  # every new row by UNWIND, then every one by COPY
        with _open(tmp_path / str(copy_min_rows)) as store:
            store.copy_min_rows = copy_min_rows
            store.upsert(entities[:2], [])  # a first load (no transaction) …
            store.upsert(entities, relations)  # … and a later one (new and unchanged rows)
            store.upsert(changed, [])  # an update
            ids = [e.id for e in entities]
            seen.append((store.stats().content_hash, store.get_many(ids),
                         sorted(store.iter_relations(), key=lambda r: r.id), _stored(store)))
    (hash_unwind, got_unwind, relations_unwind, rows_unwind), \
        (hash_copy, got_copy, relations_copy, rows_copy) = seen
    assert hash_unwind == hash_copy
    assert got_unwind == got_copy and got_unwind[entities[0].id] == entities[0]
    assert relations_unwind == relations_copy
    assert [r.props for r in relations_unwind] == [r.props for r in relations_copy]
    assert rows_unwind == rows_copy
    assert sum(map(len, rows_copy[1])) == len(relations)


def test_a_write_with_copy_replaces_the_write_connection(tmp_path: Path) -> None:
    """The connection that ran a COPY is closed when the write ends (that frees its memory);
    writes without COPY keep it."""
    with _open(tmp_path / "s") as store:
        first = store._connections.writer
        store.upsert_tables(*_batch(0))  # 5 rows: UNWIND
        assert store._connections.writer is first
        store.copy_min_rows = 0
        store.upsert_tables(*_batch(1))
        assert store._connections.writer is not first
        assert store.stats().entities == 10


def test_a_relation_whose_endpoint_vanished_is_an_error_not_skipped(tmp_path: Path) -> None:
    """``UNWIND … MATCH … CREATE`` silently skips a row whose endpoint is missing, where
    COPY fails: the store counts what it created."""
    from schema import StoreError

    entities, relations = _varied()
    with _open(tmp_path / "s") as store:
        store.upsert(entities, [])
        rows = relations_to_table(relations[:1]).select(
            ["source", "target", "kind", "status", "year", "role", "props", "provenance", "run",
             "file", "row", "origin", "chash", "claims"])
        rows = rows.set_column(1, "target", pa.array(["institute:不存在"]))
        with store._connections.writing(), \
                pytest.raises(StoreError, match="1 partnership relation"):
            store._upserts._create("partnership", rows)
