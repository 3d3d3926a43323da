"""How each serving cost grows with the graph: ``bench/api_bench.py`` at 10k, 100k and 1M.

For each size (entities, with five relations each, ``bench/synthetic.py`` seed 7) the store
is loaded once into ``--work`` and kept there for the next run; then the API benchmark
measures it. Prints, per cost, its value at each size and the exponent ``k`` of its growth
(least-squares slope of log cost on log size: cost ∝ size^k; 0 is flat, 1 linear):
start-up (``/health`` answering, indexes ready), resident memory, and per route the time
per request under 16 connections (1 / throughput) and the p99 latency; then
``bench/startup_bench.py`` on the same store: start-up with the indexes built (cold) and
read from the files saved beside the store (warm), and the warm server's memory.

Run: ``.venv/bin/python -m bench.api_scaling [--sizes 10000,100000,1000000]
[--work /tmp/innograph-api-scaling] [--seconds 8]`` (needs ``wrk``; the 1M load takes
about 10 minutes and several GiB the first time).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from .synthetic import generate


def exponent(sizes: list[int], costs: list[float]) -> float:
    """Slope of log cost against log size.

    >>> round(exponent([10, 100, 1000], [1, 10, 100]), 2), exponent([10, 100], [3, 3])
    (1.0, 0.0)
    """
    xs, ys = [math.log(s) for s in sizes], [math.log(max(c, 1e-9)) for c in costs]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs)


def store_of(work: Path, entities: int) -> Path:
    """The synthetic store of ``entities`` under ``work``, loaded once."""
    store, done = work / f"store-{entities}", work / f"store-{entities}.loaded"
    if not done.exists():
        entities_csv, relations_csv = generate(work / f"data-{entities}", entities, entities * 5)
        subprocess.run([sys.executable, "-m", "innograph", "--store", str(store), "ingest",
                        str(entities_csv), str(relations_csv)], check=True,
                       env={**os.environ, "INNOGRAPH_MAX_FILE_MB": "2000"},
                       stdout=subprocess.DEVNULL)
        done.touch()
    return store


def costs(result: dict[str, Any]) -> dict[str, float]:
    found = {"start-up to /health, s": result["startup"]["health_s"],
             "resident memory once ready, MiB": result["rss_ready_mib"],
             "resident memory after the runs, MiB": result["rss_mib"]}
    for route, figures in result["routes"].items():
        found[f"{route}: ms per request (1/throughput)"] = 1000 / figures["innograph"]["rps"]
        found[f"{route}: p99 ms"] = figures["innograph"]["p99"]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/innograph-api-scaling"))
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--routes", default="search,neighborhood,entity,paths,recommendations,chain")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    for size in sizes:
        out = args.work / f"result-{size}.json"
        subprocess.run([sys.executable, "-m", "bench.api_bench", "--store",
                        str(store_of(args.work, size)), "--entities", str(size), "--relations",
                        str(size * 5), "--seconds", str(args.seconds), "--routes", args.routes,
                        "--json", str(out)], check=True)
        found = costs(json.loads(out.read_text()))
        # start-up with and without the index saved beside the store (bench.startup_bench)
        work = args.work / f"startup-{size}"
        subprocess.run([sys.executable, "-m", "bench.startup_bench", "--work", str(work),
                        str(store_of(args.work, size))], check=True, stdout=subprocess.DEVNULL)
        startup = json.loads((work / "result.json").read_text())[str(store_of(args.work, size))]
        found |= {"start-up, index built (cold), s": startup["cold"]["health_s"],
                  "start-up, index saved (warm), s": startup["warm"]["health_s"],
                  "warm resident memory, MiB": startup["warm"]["ready"]["rss"],
                  "warm heap (anonymous), MiB": startup["warm"]["ready"]["anon"]}
        results.append(found)
    print("| cost | " + " | ".join(f"{s:,}" for s in sizes) + " | exponent |")
    print("|---|" + "---:|" * (len(sizes) + 1))
    for name in results[0]:
        values = [r[name] for r in results]
        print(f"| {name} | " + " | ".join(f"{v:,.1f}" for v in values)
              + f" | {exponent(sizes, values):.2f} |")


if __name__ == "__main__":
    main()
