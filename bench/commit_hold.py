"""How long a load holds this process's reads off (issue 16): a commit of the embedded store
rewrites LadybugDB's primary-key index in place, so reads in the writer's process wait for
it (``graph/store/shared_exclusive.py``). Measured: every exclusive hold during loads of
3,000, 30,000 and 100,000 new rows into a store of the Wenzhou sample and ``--base`` rows;
reported: each load's time, its number of holds, the longest and their sum, and the sum as
a share of the load (the baseline: the load itself, in the same process).

Run: ``.venv/bin/python -m bench.commit_hold [--base 100000]``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from graph.store import open_store
from graph.store.shared_exclusive import SharedExclusive
from ingest.loader import load_paths

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "wenzhou"


def _table(folder: Path, tag: str, rows: int) -> Path:
    path = folder / f"{tag}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "type", "level"])
        writer.writerows([f"{tag}测试企业{i}号", "enterprise", "市级"] for i in range(rows))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=100_000, help="rows stored before")
    args = parser.parse_args()
    holds: list[float] = []
    exclusive = SharedExclusive.exclusive

    @contextlib.contextmanager
    def timed(self: SharedExclusive) -> Iterator[None]:
        with exclusive(self):
            started = time.perf_counter()
            yield
            holds.append(time.perf_counter() - started)

    SharedExclusive.exclusive = timed  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = open_store(root / "store")
        load_paths(store, [SAMPLE, _table(root, "甲", args.base)])
        print("| new rows | load s | holds | longest hold s | holds s | share of the load |")
        print("|---:|---:|---:|---:|---:|---:|")
        for rows in (3_000, 30_000, 100_000):
            holds.clear()
            started = time.perf_counter()
            load_paths(store, [_table(root, f"乙{rows}", rows)])
            took = time.perf_counter() - started
            print(f"| {rows:,} | {took:.2f} | {len(holds)} | {max(holds):.3f} | "
                  f"{sum(holds):.3f} | {sum(holds) / took:.1%} |")
        store.close()


if __name__ == "__main__":
    main()
