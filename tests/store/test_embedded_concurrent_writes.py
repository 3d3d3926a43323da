"""Issue 15, finding 2: concurrent writes failed spuriously (503 ``duplicated primary key``)
because readers replaced the writer's cache of ``Source`` rows outside the write lock; the
next writer then handed out a source number that already existed."""

from __future__ import annotations

import threading
from pathlib import Path

from graph.store import open_store
from ingest.loader import load_paths

from ..conftest import SAMPLE


def test_writes_of_new_sources_while_others_read_all_succeed(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store"))
    load_paths(store, [SAMPLE])
    errors: list[BaseException] = []
    done = threading.Event()

    def write(worker: int) -> None:
        try:
            for n in range(12):  # every write is a new file: a new Source row
                path = tmp_path / f"w{worker}-{n}.csv"
                path.write_text(f"name,type\n并发企业{worker}-{n},enterprise\n", encoding="utf-8")
                load_paths(store, [path])
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    def read() -> None:
        try:
            while not done.is_set():
                store.entities_table()  # refreshes the reader's view of the sources
                store.get_many(["incubator:青科孵化器", "enterprise:并发企业0-0"])
        except BaseException as e:
            errors.append(e)

    readers = [threading.Thread(target=read) for _ in range(2)]
    writers = [threading.Thread(target=write, args=(w,)) for w in range(3)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=120)
    done.set()
    for thread in readers:
        thread.join(timeout=30)
    try:
        assert not errors, errors[:3]
        assert store.stats().entities == 201 + 36
        sources = {c.source for e in store.iter_entities() for c in e.sources()}
        assert len([s for s in sources if s.startswith(str(tmp_path))]) == 36
    finally:
        store.close()


def test_reads_never_replace_the_writers_sources(tmp_path: Path) -> None:
    """The cause, shown directly: every read that refreshes its view of the Source rows
    leaves the writer's cache alone (it used to replace it, outside the write lock)."""
    store = open_store(str(tmp_path / "store"))
    try:
        load_paths(store, [SAMPLE])
        writers = store._upserts.sources  # type: ignore[attr-defined]
        store.entities_table()
        store.relations_table()
        store.source_records(str(SAMPLE / "entities.csv"))
        store._reads.sources = type(writers)()  # type: ignore[attr-defined]  # forget all
        store.get_many(["incubator:青科孵化器"])  # decodes a row: refreshes the readers' view
        assert store._upserts.sources is writers  # type: ignore[attr-defined]
    finally:
        store.close()
