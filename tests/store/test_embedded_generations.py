"""A read-only embedded store that follows outside writes lets go of the databases it
reopened from, while other threads keep reading."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from graph.store import open_store
from graph.store.embedded import EmbeddedStore
from schema import EntityType
from tests.conftest import entity

FOLLOWS = 6
NAMES = ["鹿城区", "龙湾区", "瓯海区", "洞头区", "乐清市", "瑞安市", "永嘉县", "平阳县"]


def _wait_until(condition: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.005)


def test_a_reader_following_writes_closes_the_databases_no_thread_reads(tmp_path: Path) -> None:
    """Before, every outside write left one more LadybugDB database open until close."""
    writer = EmbeddedStore(tmp_path / "s")
    writer.upsert([entity(EntityType.region, NAMES[0])], [])
    reader = EmbeddedStore(tmp_path / "s", read_only=True)
    seen: dict[str, int] = {}  # thread name -> entities its latest read counted
    failures: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                seen[threading.current_thread().name] = reader.counts().entities
                assert reader.get(f"region:{NAMES[0]}") is not None
        except BaseException as e:  # pragma: no cover - reported below
            failures.append(e)

    threads = [threading.Thread(target=read, name=f"reader-{i}") for i in range(2)]
    try:
        for thread in threads:
            thread.start()
        _wait_until(lambda: len(seen) == 2, "both threads have read")
        for n in range(2, FOLLOWS + 2):
            writer.upsert([entity(EntityType.region, NAMES[n - 1])], [])
            reader.version()  # notices the write and reopens (this thread moves at once)
            # a read that counts n entities ran on the new database: that thread let go of
            # the old one, and the last to let go closed it
            _wait_until(lambda n=n: all(count == n for count in seen.values()) or bool(failures),
                        f"both threads read {n} entities")
            assert reader._connections.open_generations == 1
    finally:
        done.set()
        for thread in threads:
            thread.join()
        reader.close()
        writer.close()
    assert not failures


def test_a_thread_that_ends_lets_go_of_its_database(tmp_path: Path) -> None:
    """An API worker thread may end without reading again; its connection must not keep a
    reopened-from database alive."""
    with open_store(tmp_path / "s") as writer:
        writer.upsert([entity(EntityType.region, NAMES[0])], [])
        reader = EmbeddedStore(tmp_path / "s", read_only=True)
        try:
            thread = threading.Thread(target=reader.counts)
            thread.start()
            thread.join()
            writer.upsert([entity(EntityType.region, NAMES[1])], [])
            reader.version()
            _wait_until(lambda: reader._connections.open_generations == 1,
                        "the old database is closed")
            assert reader.counts().entities == 2
        finally:
            reader.close()


def test_a_read_transaction_keeps_its_database_while_the_store_moves_on(tmp_path: Path) -> None:
    """A snapshot read that straddles a reopen finishes on the database it began on, which
    closes afterwards."""
    with open_store(tmp_path / "s") as writer:
        writer.upsert([entity(EntityType.region, NAMES[0])], [])
        reader = EmbeddedStore(tmp_path / "s", read_only=True)
        try:
            inside, resume = threading.Event(), threading.Event()
            reads = reader._reads  # neighborhood reads the entities through its get_many
            original = reads.get_many
            results: list[int] = []

            def slow_get_many(ids: object) -> object:
                inside.set()
                resume.wait(10)
                return original(ids)  # type: ignore[arg-type]

            reads.get_many = slow_get_many  # type: ignore[method-assign, assignment]

            def read() -> None:
                results.append(len(reader.neighborhood(f"region:{NAMES[0]}").nodes))

            thread = threading.Thread(target=read)
            thread.start()
            assert inside.wait(10)
            writer.upsert([entity(EntityType.region, NAMES[1])], [])
            reader.version()
            # the snapshot still reads the old one
            assert reader._connections.open_generations == 2
            resume.set()
            thread.join()
            assert results == [1]
            del reads.get_many
            reader.counts()
            _wait_until(lambda: reader._connections.open_generations == 1,
                        "the old database is closed")
        finally:
            reader.close()
