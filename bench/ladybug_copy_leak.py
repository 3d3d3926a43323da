"""LadybugDB 0.22: every ``COPY … FROM`` a pyarrow table keeps its memory until the
connection that ran it closes (issue 15). Bare LadybugDB, no innograph code.

Four runs, each on a fresh database with a small buffer pool (default 64 MB), each writing
the same rows (5 a statement, up to ``--writes`` statements):

1. ``COPY E FROM $rows`` (a pyarrow table) on one connection: fails after a few dozen
   statements with "The buffer pool is full and no memory could be freed!";
2. ``UNWIND $rows AS row CREATE (:E {...})`` with the same rows: all statements succeed;
3. ``COPY`` from pyarrow, closing the connection and opening a new one after each: all
   succeed (what innograph does after every write that ran a COPY);
4. ``COPY`` from pyarrow with ``CHECKPOINT`` after each: fails like 1 (a checkpoint frees
   nothing).

With ``--pool-mb 2048`` run 1 shows the process's resident memory growing by ~13 MB a
statement, far past the buffer pool (psutil, if installed).

Run: ``python bench/ladybug_copy_leak.py [--pool-mb 64] [--writes 2000]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from typing import Any

import ladybug
import pyarrow as pa

try:
    import psutil
except ImportError:  # pragma: no cover - resident memory is then read from /proc
    psutil = None

SCHEMA = "CREATE NODE TABLE E(id STRING PRIMARY KEY, name STRING, n INT64)"
UNWIND = "UNWIND $rows AS row CREATE (:E {id: row.id, name: row.name, n: row.n})"


def rss_mb() -> int:
    if psutil is not None:
        return int(psutil.Process().memory_info().rss >> 20)
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) >> 10
    return -1


def rows(statement: int, size: int = 5) -> pa.Table:
    return pa.table({"id": [f"s{statement}-{i}" for i in range(size)],
                     "name": ["name"] * size, "n": list(range(size))})


def run(mode: str, pool_mb: int, writes: int) -> dict[str, Any]:
    folder = tempfile.mkdtemp(prefix="lbug-leak-")
    try:
        database = ladybug.Database(os.path.join(folder, "g.lbug"),
                                    buffer_pool_size=pool_mb << 20)
        connection = ladybug.Connection(database)
        connection.execute(SCHEMA)
        before = rss_mb()
        failed_at, error = None, ""
        start = time.perf_counter()
        for statement in range(writes):
            table = rows(statement)
            try:
                if mode == "unwind":
                    connection.execute(UNWIND, {"rows": table.to_pylist()})
                else:
                    connection.execute("COPY E FROM $rows", {"rows": table})
                if mode == "copy+new connection":
                    connection.close()
                    connection = ladybug.Connection(database)
                elif mode == "copy+checkpoint":
                    connection.execute("CHECKPOINT")
            except RuntimeError as e:
                failed_at, error = statement + 1, str(e).splitlines()[0]
                break
        seconds = time.perf_counter() - start
        counted = connection.execute("MATCH (e:E) RETURN count(*) AS n")
        assert not isinstance(counted, list)
        stored = counted.get_as_arrow().column("n")[0].as_py()
        result = {"mode": mode, "failed_at": failed_at, "error": error, "stored": stored,
                  "seconds": seconds, "rss_growth_mb": rss_mb() - before,
                  "statements": failed_at - 1 if failed_at else writes}
        connection.close()
        database.close()
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool-mb", type=int, default=64)
    parser.add_argument("--writes", type=int, default=2000)
    args = parser.parse_args()
    print(f"ladybug {ladybug.__version__}, pyarrow {pa.__version__}; buffer pool "
          f"{args.pool_mb} MB; up to {args.writes} statements of 5 rows each")
    print(f"{'mode':<22}{'ok statements':>14}{'rows stored':>12}{'ms/stmt':>9}"
          f"{'RSS growth MB':>15}  outcome")
    for mode in ("copy", "unwind", "copy+new connection", "copy+checkpoint"):
        r = run(mode, args.pool_mb, args.writes)
        outcome = f"failed at statement {r['failed_at']}: {r['error']}" if r["failed_at"] \
            else "all succeeded"
        per = 1000 * r["seconds"] / max(1, r["statements"])
        print(f"{r['mode']:<22}{r['statements']:>14}{r['stored']:>12}{per:>9.1f}"
              f"{r['rss_growth_mb']:>15}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
