"""Issue 15: per-version rebuilds on many threads must not grow the process without bound."""

from __future__ import annotations

import threading
from pathlib import Path

import psutil

from graph.store import open_store
from graph.versioned import per_version
from ingest.loader import load_paths
from tests.conftest import SAMPLE

THREADS, ROUNDS = 16, 12


def test_rebuilds_on_many_threads_keep_rss_flat(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    try:
        load_paths(store, [SAMPLE])
        bulk = tmp_path / "bulk.csv"
        bulk.write_text("name,type\n" + "\n".join(f"批量企业{i:05d},enterprise"
                                                   for i in range(5000)))
        load_paths(store, [bulk])
        process = psutil.Process()

        def rebuild(n: int) -> None:  # each thread builds its own kind, as the API's do
            per_version(store, f"memtest-{n}",
                        lambda s: (s.entities_table(), s.relations_table()))

        def one_round(k: int) -> None:
            write = tmp_path / f"w{k}.csv"
            write.write_text("name,type\n" + "\n".join(f"写入{k}-{i},enterprise" for i in range(5)))
            load_paths(store, [write])
            threads = [threading.Thread(target=rebuild, args=(n,)) for n in range(THREADS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        for k in range(3):  # warm up: the buffer pool and caches fill once
            one_round(k)
        start = process.memory_info().rss
        for k in range(3, 3 + ROUNDS):
            one_round(k)
        grown_mb = (process.memory_info().rss - start) / 2**20
        assert grown_mb < 150, f"RSS grew {grown_mb:.0f} MB over {ROUNDS} write+rebuild rounds"
    finally:
        store.close()
