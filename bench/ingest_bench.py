"""Ingest benchmark: innograph's end-to-end CSV ingest against a raw LadybugDB COPY.

Both run in the same process on the same generated rows, so the ratios hold on a noisy
shared machine. Run: ``.venv/bin/python -m bench.ingest_bench [--entities N --relations M]``.
Targets (issue 2): first ingest ≥ 25 % of the raw COPY rate; re-ingesting the unchanged
set ≥ 50 % of the first ingest's rate.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import ladybug
import pyarrow.csv as pacsv

from graph.store import open_store
from ingest.loader import load_paths

from .synthetic import generate


def raw_copy(folder: Path, entities_csv: Path, relations_csv: Path) -> float:
    """Seconds for LadybugDB alone to COPY the same rows (read with pyarrow, as innograph does)."""
    db = ladybug.Database(str(folder / "raw.lbug"))
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE Entity(id STRING PRIMARY KEY, name STRING, type STRING, "
                 "aliases STRING, level STRING)")
    conn.execute("CREATE REL TABLE Rel(FROM Entity TO Entity, relation STRING, kind STRING, "
                 "year INT64, role STRING)")
    started = time.perf_counter()
    nodes = pacsv.read_csv(entities_csv)
    edges = pacsv.read_csv(relations_csv)
    conn.execute("COPY Entity FROM $rows", {"rows": nodes})
    conn.execute("COPY Rel FROM $rows", {"rows": edges})
    conn.execute("CHECKPOINT")
    seconds = time.perf_counter() - started
    conn.close()
    db.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=500_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="innograph-bench-"))
    try:
        started = time.perf_counter()
        entities_csv, relations_csv = generate(work / "data", args.entities, args.relations)
        rows = args.entities + args.relations
        print(f"generated {args.entities:,} entities and {args.relations:,} relations "
              f"in {time.perf_counter() - started:.1f}s")
        raw = raw_copy(work, entities_csv, relations_csv)
        print(f"raw LadybugDB COPY:        {raw:7.2f}s  {rows / raw:>10,.0f} rows/s")
        with open_store(work / "store") as store:
            first = load_paths(store, [entities_csv, relations_csv])
            assert first.rejected == 0, first.rejects[:3]
            print(f"innograph ingest (new):    {first.seconds:7.2f}s  "
                  f"{rows / first.seconds:>10,.0f} rows/s")
            again = load_paths(store, [entities_csv, relations_csv])
            assert again.rows_read == sum(again.unchanged.values())
            print(f"innograph ingest (again):  {again.seconds:7.2f}s  "
                  f"{rows / again.seconds:>10,.0f} rows/s")
        print(f"ratio first ingest / raw COPY:     {raw / first.seconds:6.1%}  (target ≥ 25%)")
        print(f"ratio re-ingest / first ingest:    {first.seconds / again.seconds:6.1%}  "
              "(target ≥ 50%)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
