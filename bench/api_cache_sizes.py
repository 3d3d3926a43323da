"""What the neighbourhood caches save, by size: records kept, resident memory, time a request.

The neighbourhood index keeps the records it parsed (``graph/neighborhood_index.py``,
``_CACHE_RECORDS`` per kind) and ``api/record_json.py`` their JSON pieces (``_KEPT``); both
start afresh when full. For each pair of caps, in a fresh process and without a socket (as
``bench/api_inprocess.py``), this serves 2-hop neighbourhoods (limit 500) of the firms among
``--sample`` entities of a store (``bench/api_bench.py``'s sample, seed 7) and prints the
records kept, the resident memory before and after, and the microseconds per request in
each quarter of the run (the first ones parse; later ones show whether the working set fit).

Run: ``.venv/bin/python -m bench.api_cache_sizes --store PATH --entities N --sample 4000
--caps 200000:400000,100000:200000,50000:100000 [--requests 4000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

import api.record_json as record_json
import bench.api_bench as api_bench
import graph.neighborhood_index as neighborhood_index
from api.app import create_app
from api.indexes import current
from bench.api_inprocess import batch, call, log_access_to
from graph.settings import Settings


def rss_mib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return 0


async def run(store: Path, entities: int, sample: int, records: int, pieces: int,
              requests: int) -> str:
    neighborhood_index._CACHE_RECORDS = records  # type: ignore[attr-defined]
    record_json._KEPT = pieces  # type: ignore[attr-defined]
    api_bench.SAMPLE = sample
    paths = api_bench.route_paths(store, entities)
    work = Path(tempfile.mkdtemp(prefix="innograph-cache-sizes-"))
    log_access_to(work / "access.log")
    app = create_app(Settings(store=str(store), rejects_dir=work / "rejects"))
    async with app.router.lifespan_context(app):
        await batch(app, paths["search"], 200)
        status, _ = await call(app, paths["neighborhood"][0])
        if status != 200:
            raise SystemExit(f"a neighbourhood answered {status}")
        before = rss_mib()
        quarters = [round(await batch(app, paths["neighborhood"], requests // 4))
                    for _ in range(4)]
        index = current(app.state.store)
        kept = (len(index.neighborhoods._entity_cache), len(index.neighborhoods._relation_cache)
                ) if index else (0, 0)
        return (f"| {records:,} / {pieces:,} | {len(paths['neighborhood']):,} | {kept[0]:,} / "
                f"{kept[1]:,} / {len(record_json._pieces):,} | {before} → {rss_mib()} | "
                f"{' / '.join(map(str, quarters))} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=4000)
    parser.add_argument("--caps", default="200000:400000,100000:200000,50000:100000")
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # one pair, in a fresh process
    args = parser.parse_args()
    if args.one:
        records, pieces = map(int, args.one.split(":"))
        print(asyncio.run(run(args.store, args.entities, args.sample, records, pieces,
                              args.requests)))
        return
    print("| caps: records per kind / pieces | firms | kept: entities / relations / pieces "
          "| RSS MiB before → after | µs per 2-hop, by quarter |\n|---|---:|---:|---:|---:|")
    for caps in args.caps.split(","):
        subprocess.run([sys.executable, "-m", "bench.api_cache_sizes", "--store",
                        str(args.store), "--entities", str(args.entities), "--sample",
                        str(args.sample), "--requests", str(args.requests), "--one", caps],
                       check=True)


if __name__ == "__main__":
    main()
