"""The lock between the embedded store's reads and its writer's commits."""

from __future__ import annotations

import threading
import time

import pytest

from graph.store.shared_exclusive import SharedExclusive


def test_readers_share_and_a_writer_waits_for_them() -> None:
    lock = SharedExclusive()
    order: list[str] = []
    reading = threading.Event()
    release = threading.Event()

    def reader() -> None:
        with lock.shared():
            reading.set()
            release.wait(5)
            order.append("read done")

    def writer() -> None:
        with lock.exclusive():
            order.append("write")

    first = threading.Thread(target=reader)
    first.start()
    reading.wait(5)
    with lock.shared():  # a second reader shares it
        order.append("second read")
    blocked = threading.Thread(target=writer)
    blocked.start()
    time.sleep(0.1)
    assert order == ["second read"]  # the writer waits for the first reader
    release.set()
    first.join(5)
    blocked.join(5)
    assert order == ["second read", "read done", "write"]


def test_a_waiting_writer_goes_before_new_readers_but_not_nested_ones() -> None:
    lock = SharedExclusive()
    order: list[str] = []
    outer_holding = threading.Event()
    writer_waiting = threading.Event()

    def nested_reader() -> None:
        with lock.shared():
            outer_holding.set()
            writer_waiting.wait(5)
            time.sleep(0.1)
            with lock.shared():  # re-entrant: a waiting writer must not deadlock it
                order.append("nested read")

    def writer() -> None:
        writer_waiting.set()
        with lock.exclusive():
            order.append("write")

    def late_reader() -> None:
        with lock.shared():
            order.append("late read")

    threads = [threading.Thread(target=nested_reader)]
    threads[0].start()
    outer_holding.wait(5)
    threads.append(threading.Thread(target=writer))
    threads[1].start()
    writer_waiting.wait(5)
    time.sleep(0.05)
    threads.append(threading.Thread(target=late_reader))
    threads[2].start()
    for thread in threads:
        thread.join(5)
    assert order == ["nested read", "write", "late read"]


def test_the_writer_reads_under_its_own_hold_and_a_reader_cannot_upgrade() -> None:
    lock = SharedExclusive()
    with lock.exclusive(), lock.shared(), lock.exclusive():
        pass
    upgrade = pytest.raises(RuntimeError, match="cannot take it exclusive")
    with lock.shared(), upgrade, lock.exclusive():
        pass
    with lock.exclusive():  # nothing left held
        pass
