"""Ingest benchmark: innograph's end-to-end CSV ingest against a raw LadybugDB COPY.

Both run on the same generated rows in the same run, so the ratios hold on a noisy shared
machine. Run: ``.venv/bin/python -m bench.ingest_bench [--entities N --relations M]
[--scale 10000,100000,1000000]``.

Targets (issue 2): first ingest ≥ 25 % of the raw COPY rate; re-ingesting the unchanged
set ≥ 50 % of the first ingest's rate. Targets (issue 16, ``--scale``): 1M entities / 5M
relations ingested in ≤ 10 min with peak resident memory ≤ 4 GiB. ``--scale`` runs each
step in a process of its own (so each peak is its own), for each size N entities and 5N
relations, relations in files of at most 1M rows (the loader reads files up to 200 MB);
it prints seconds and peak RSS of the raw COPY, the first ingest and the re-ingest, and
the exponent of their growth between sizes (1.0: linear).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import ladybug
import pyarrow as pa
import pyarrow.csv as pacsv

from graph.store import open_store
from ingest.loader import load_paths

from .synthetic import generate

ROOT = Path(__file__).resolve().parents[1]
#: rows per relations file in ``--scale`` runs (a 1M-row file is ~56 MB)
PART_ROWS = 1_000_000
GIB = 1 << 30
#: what ``--scale`` measures: raw COPY (the baseline), the first ingest, the re-ingest
STEPS = ("raw", "first", "again")


def raw_copy(folder: Path, entities_csv: Path, relations_csv: list[Path]) -> float:
    """Seconds for LadybugDB alone to COPY the same rows (read with pyarrow, as innograph does)."""
    db = ladybug.Database(str(folder / "raw.lbug"))
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE Entity(id STRING PRIMARY KEY, name STRING, type STRING, "
                 "aliases STRING, level STRING)")
    conn.execute("CREATE REL TABLE Rel(FROM Entity TO Entity, relation STRING, kind STRING, "
                 "year INT64, role STRING)")
    started = time.perf_counter()
    nodes = pacsv.read_csv(entities_csv)
    conn.execute("COPY Entity FROM $rows", {"rows": nodes})
    edges = pa.concat_tables([pacsv.read_csv(p) for p in relations_csv]).combine_chunks()
    conn.execute("COPY Rel FROM $rows", {"rows": edges})
    conn.execute("CHECKPOINT")
    seconds = time.perf_counter() - started
    conn.close()
    db.close()
    return seconds


def split_rows(path: Path, rows: int = PART_ROWS) -> list[Path]:
    """``path`` as files of at most ``rows`` rows each (header repeated); ``path`` goes."""
    parts: list[Path] = []
    with path.open(encoding="utf-8") as handle:
        header = handle.readline()
        while lines := [line for _, line in zip(range(rows), handle, strict=False)]:
            part = path.with_name(f"{path.stem}-{len(parts):02d}.csv")
            part.write_text(header + "".join(lines), encoding="utf-8")
            parts.append(part)
    path.unlink()
    return parts


def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def child(step: str, data: Path, store: Path) -> dict[str, Any]:
    """One step in this process: ``raw``, ``first`` (into an empty store) or ``again``."""
    entities, relations = data / "entities.csv", sorted(data.glob("relations-*.csv"))
    if step == "raw":
        seconds = raw_copy(store, entities, relations)
        return {"seconds": seconds, "peak": _peak_bytes()}
    with open_store(store) as opened:
        summary = load_paths(opened, [entities, *relations])
    assert summary.rejected == 0, summary.rejects[:3]
    if step == "again":
        assert summary.rows_read == sum(summary.unchanged.values()), summary.to_json()
    return {"seconds": summary.seconds, "peak": _peak_bytes(), "rows": summary.rows_read}


def _run_child(step: str, data: Path, store: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "bench.ingest_bench", "--child", step,
                          str(data), str(store)], cwd=ROOT, check=True, capture_output=True,
                         text=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def scale(sizes: list[int], work: Path, steps: tuple[str, ...] = STEPS) -> None:
    """Seconds and peak RSS of each step at each size, and their growth exponents."""
    found: dict[int, dict[str, dict[str, Any]]] = {}
    for n in sizes:
        data = work / f"data-{n}"
        started = time.perf_counter()
        _, relations = generate(data, n, 5 * n)
        split_rows(relations)
        print(f"\n{n:,} entities / {5 * n:,} relations (generated in "
              f"{time.perf_counter() - started:.0f}s)", flush=True)
        found[n] = {}
        raw_store = work / f"raw-{n}"
        raw_store.mkdir()
        store = work / f"store-{n}"
        for step, where in (("raw", raw_store), ("first", store), ("again", store)):
            if step not in steps:
                continue
            found[n][step] = result = _run_child(step, data, where)
            print(f"  {step:6} {result['seconds']:8.1f} s   peak RSS "
                  f"{result['peak'] / GIB:5.2f} GiB", flush=True)
        shutil.rmtree(raw_store)
        first, raw = found[n]["first"], found[n]["raw"]
        print(f"  first ingest / raw COPY: time {first['seconds'] / raw['seconds']:.2f}x, "
              f"peak RSS {first['peak'] / raw['peak']:.2f}x", flush=True)
        shutil.rmtree(store)
        shutil.rmtree(data)
    print("\n| size (entities / relations) | raw COPY s / peak GiB | first ingest s / peak GiB "
          "| re-ingest s / peak GiB |\n|---|---|---|---|")
    for n, done in found.items():
        cells = [f"{done[s]['seconds']:.1f} / {done[s]['peak'] / GIB:.2f}" if s in done
                 else "—" for s in STEPS]
        print(f"| {n:,} / {5 * n:,} | " + " | ".join(cells) + " |")
    for low, high in itertools.pairwise(sizes):
        growth = {s: (_exponent(found[low][s]["seconds"], found[high][s]["seconds"], low, high),
                      _exponent(found[low][s]["peak"], found[high][s]["peak"], low, high))
                  for s in steps}
        print(f"growth exponent {low:,} → {high:,}: " + ", ".join(
            f"{s} time {t:.2f} peak {p:.2f}" for s, (t, p) in growth.items()))
    biggest = found[sizes[-1]]["first"]
    print(f"\nlargest size, first ingest: {biggest['seconds']:.0f} s (target ≤ 600 s), peak RSS "
          f"{biggest['peak'] / GIB:.2f} GiB (target ≤ 4 GiB)")


def _exponent(low_value: float, high_value: float, low: int, high: int) -> float:
    """k in value ∝ size^k between two sizes."""
    return math.log(high_value / low_value) / math.log(high / low)


def compare(entities: int, relations: int) -> None:
    """The issue-2 comparison: first ingest and re-ingest against raw COPY, one process."""
    work = Path(tempfile.mkdtemp(prefix="innograph-bench-"))
    try:
        started = time.perf_counter()
        entities_csv, relations_csv = generate(work / "data", entities, relations)
        rows = entities + relations
        print(f"generated {entities:,} entities and {relations:,} relations "
              f"in {time.perf_counter() - started:.1f}s")
        raw = raw_copy(work, entities_csv, [relations_csv])
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=500_000)
    parser.add_argument("--scale", help="comma-separated entity counts (relations: 5×), "
                        "e.g. 10000,100000,1000000")
    parser.add_argument("--steps", default=",".join(STEPS),
                        help="which of raw,first,again --scale runs (raw and first always)")
    parser.add_argument("--work", type=Path, help="folder for --scale's data and stores "
                        "(default: a new temporary folder, removed after)")
    parser.add_argument("--child", nargs=3, metavar=("STEP", "DATA", "STORE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        step, data, store = args.child
        print(json.dumps(child(step, Path(data), Path(store))))
        return
    if args.scale:
        work = args.work or Path(tempfile.mkdtemp(prefix="innograph-ingest-scale-"))
        work.mkdir(parents=True, exist_ok=True)
        try:
            steps = tuple(s for s in STEPS if s in {"raw", "first", *args.steps.split(",")})
            scale([int(n) for n in args.scale.split(",")], work, steps)
        finally:
            if args.work is None:
                shutil.rmtree(work, ignore_errors=True)
        return
    compare(args.entities, args.relations)


if __name__ == "__main__":
    main()
