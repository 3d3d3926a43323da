"""Embedded-store behaviour beyond the contract: failures injected into its write path."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import GraphStore

Graph = tuple[list, list]


def test_failed_write_leaves_the_store_as_it_was(embedded: GraphStore, small_graph: Graph,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Both the first load into an empty store and a later load are all or nothing."""
    from schema import StoreError

    entities, relations = small_graph
    upserts = type(embedded._upserts)  # type: ignore[attr-defined]
    original = upserts._upsert_relations

    def fail_after_entities(self: object, *args: object) -> None:
        original(self, *args)
        raise StoreError("simulated failure after the relations were copied")

    monkeypatch.setattr(upserts, "_upsert_relations", fail_after_entities)
    with pytest.raises(StoreError, match="simulated"):
        embedded.upsert(entities[:4], relations[:2])
    assert embedded.stats().entities == 0 and embedded.stats().relations == 0
    monkeypatch.undo()
    embedded.upsert(entities[:4], relations[:2])
    before = embedded.stats()
    monkeypatch.setattr(upserts, "_upsert_relations", fail_after_entities)
    with pytest.raises(StoreError, match="simulated"):
        embedded.upsert(entities, relations)
    assert embedded.stats() == before


@pytest.mark.parametrize("copy_min_rows", [0, 1000], ids=["copy", "unwind"])
def test_chunked_tables_with_an_empty_chunk_load_every_row(embedded: GraphStore,
                                                           small_graph: Graph,
                                                           copy_min_rows: int) -> None:
    """LadybugDB 0.22's COPY drops the rows after an empty arrow chunk; the store must not
    (and an empty chunk must not become an empty ``UNWIND`` batch either)."""
    import pyarrow as pa

    from schema.tables import ENTITY_SCHEMA, entities_to_table, relations_to_table

    embedded.copy_min_rows = copy_min_rows  # type: ignore[attr-defined]
    entities, relations = small_graph
    table = entities_to_table(entities)
    chunked = pa.concat_tables([ENTITY_SCHEMA.empty_table(), table.slice(0, 2),
                                ENTITY_SCHEMA.empty_table(), table.slice(2)])
    embedded.upsert_tables(chunked, relations_to_table(relations))
    assert embedded.stats().entities == len(entities)
    assert embedded.stats().relations == len(relations)


def test_a_store_of_another_schema_is_refused_with_the_reason(tmp_path: Path) -> None:
    from graph.store import ladybug_queries as q
    from graph.store import open_store
    from schema import StoreUnavailable

    with open_store(tmp_path / "old") as store:
        store._run(q.SET_META, {"key": "schema_version", "value": "2"})  # type: ignore[attr-defined]
    with pytest.raises(StoreUnavailable, match="store schema 2, this one reads"):
        open_store(tmp_path / "old")


def test_reads_in_other_threads_never_see_half_a_write(tmp_path: Path,
                                                       small_graph: Graph) -> None:
    """The API serves reads from a thread pool while a write may be open."""
    import threading

    from graph.store import open_store

    entities, relations = small_graph
    seen: set[tuple[int, int]] = set()
    failures: list[BaseException] = []
    with open_store(tmp_path / "s") as store:
        store.upsert(entities[:3], [])
        done = threading.Event()

        def read() -> None:
            try:
                while not done.is_set():
                    stats = store.stats()
                    seen.add((stats.entities, stats.relations))
            except BaseException as e:  # pragma: no cover - reported below
                failures.append(e)

        readers = [threading.Thread(target=read) for _ in range(3)]
        for reader in readers:
            reader.start()
        store.upsert(entities, relations)
        store.delete_relations([relations[0].id])
        done.set()
        for reader in readers:
            reader.join()
    assert not failures
    assert seen <= {(3, 0), (len(entities), len(relations)), (len(entities), len(relations) - 1)}


def test_a_read_over_the_timeout_is_stopped_with_the_reason(tmp_path: Path,
                                                            small_graph: Graph) -> None:
    from graph.store.embedded import EmbeddedStore
    from schema import StoreError

    with EmbeddedStore(tmp_path / "s") as store:
        store.upsert(*small_graph)
    with EmbeddedStore(tmp_path / "s", read_only=True, read_timeout_ms=50) as store, \
            pytest.raises(StoreError, match="longer than the read timeout"):
        # a filtered cross product of the 12 entities, seven deep: 35 million rows to test
        store._run("MATCH (a:Entity), (b:Entity), (c:Entity), (d:Entity), (e:Entity), "
                   "(f:Entity), (g:Entity) WHERE a.name + b.name + c.name + d.name + e.name "
                   "+ f.name + g.name <> 'x' RETURN count(*)")


def test_a_reader_sees_the_version_another_process_wrote(tmp_path: Path) -> None:
    """A read-only LadybugDB database keeps the snapshot it opened; the store reopens it when
    the files changed, and answers version() from a cache while they have not."""
    import subprocess
    import sys

    from graph.store import open_store
    from schema import EntityType
    from tests.conftest import entity

    with open_store(tmp_path / "s") as store:
        store.upsert([entity(EntityType.region, "瓯海区")], [])
    with open_store(tmp_path / "s", read_only=True) as reader:
        before = reader.version()
        assert reader.version() == before
        script = ("import sys; from graph.store import open_store; from tests.conftest import "
                  "entity; from schema import EntityType; s = open_store(sys.argv[1]); "
                  "s.upsert([entity(EntityType.region, '鹿城区')], []); s.close()")
        subprocess.run([sys.executable, "-c", script, str(tmp_path / "s")], check=True)
        assert reader.version() != before
        assert reader.stats().entities == 2  # and it reads the new data, not its old snapshot
