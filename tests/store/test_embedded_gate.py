"""Issue 17: a read-only store (a server without a key) read the graph through a database
opened before another process's checkpoint rewrote the files: wrong rows, 503 "Index
contains an invalid node offset", out-of-bounds errors, even a crash. Reads now never touch
a database opened before the last rewrite, and a checkpoint waits for the reads under way."""

from __future__ import annotations

import csv
import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from graph.store import open_store
from ingest.loader import load_paths

from ..conftest import SAMPLE

ROWS = 20_000


def _table(path: Path, tag: str, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "type", "level"])
        out.writerows([f"{tag}测试企业{i}号", "enterprise", "市级"] for i in range(rows))
    return path


def _cli_load(folder: Path, table: Path, tmp_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "INNOGRAPH_REJECTS_DIR": str(tmp_path / "rejects")}
    return subprocess.Popen([sys.executable, "-m", "innograph", "--store", str(folder),
                             "ingest", str(table), "--json"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_a_reader_opened_before_a_checkpoint_reads_the_graph_after_it(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with open_store(str(folder)) as writer:
        load_paths(writer, [SAMPLE])
        load_paths(writer, [_table(tmp_path / "first.csv", "甲", ROWS)])
    reader = open_store(str(folder), read_only=True)
    try:
        ids = [e.id for e in reader.iter_entities()]
        load = _cli_load(folder, _table(tmp_path / "second.csv", "乙", ROWS), tmp_path)
        assert load.wait(timeout=300) == 0, load.stderr.read() if load.stderr else ""
        # no version() call first: the reads themselves must not use the stale database
        found = reader.get_many(ids[::5])
        assert sorted(found) == sorted(ids[::5])
        assert reader.counts().entities == len(ids) + ROWS
        assert reader.get(f"enterprise:乙测试企业{ROWS - 1}号") is not None
    finally:
        reader.close()


def _epoch(folder: Path) -> int:
    return int((folder / "graph.lbug.gate").read_text().strip() or 0)


def _until_the_writer_waits(folder: Path, load: subprocess.Popen[str]) -> None:
    """Return once another process holds the turnstile (a writer waiting for the readers)."""
    deadline = time.monotonic() + 120
    fd = os.open(folder / "graph.lbug.turnstile", os.O_RDONLY)
    try:
        while time.monotonic() < deadline and load.poll() is None:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
            except BlockingIOError:
                return
            time.sleep(0.01)
    finally:
        os.close(fd)
    raise AssertionError("the load never waited for the read")


def test_a_checkpoint_waits_for_the_reads_under_way(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with open_store(str(folder)) as writer:
        load_paths(writer, [SAMPLE])
    reader = open_store(str(folder), read_only=True)
    connections = reader._connections  # type: ignore[attr-defined]
    load: subprocess.Popen[str] | None = None
    try:
        epoch = _epoch(folder)
        with connections.reading():  # a read in progress in this process
            load = _cli_load(folder, _table(tmp_path / "small.csv", "丙", 50), tmp_path)
            _until_the_writer_waits(folder, load)  # it holds the turnstile, waiting for us
            time.sleep(1)
            assert load.poll() is None, "the load finished while a read held the gate"
            assert _epoch(folder) == epoch  # the files were not rewritten meanwhile
            assert reader.counts().entities == 201  # this read still sees the graph before
        assert load.wait(timeout=120) == 0, load.stderr.read() if load.stderr else ""
        assert _epoch(folder) >= epoch + 2  # opening, checkpoint, closing
        assert reader.counts().entities == 251
    finally:
        reader.close()
        if load is not None and load.poll() is None:
            load.kill()


def test_readers_can_tell_that_a_write_is_running(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with open_store(str(folder)) as writer:
        load_paths(writer, [SAMPLE])
        entered, leave = threading.Event(), threading.Event()

        def write() -> None:
            with writer._connections.writing():  # type: ignore[attr-defined]
                entered.set()
                leave.wait(30)

        thread = threading.Thread(target=write)
        assert not writer.write_running()
        thread.start()
        try:
            assert entered.wait(30)
            assert writer.write_running()  # asked from another thread of the writer
            with open_store(str(folder), read_only=True) as reader:
                assert reader.write_running()  # and from another store on the files
        finally:
            leave.set()
            thread.join(30)
        assert not writer.write_running()
