"""API load benchmark: search and 2-hop neighbourhoods against a bare route, under wrk.

Loads the synthetic set (default 100k entities / 500k relations) into a fresh store, serves
it with ``bench/api_server.py`` (innograph's app plus a bare route returning a body of the
same size without touching the store: the baseline, in the same process and
configuration), and drives each with Debian's ``wrk`` (16 connections). Targets (issue 5):
search p99 ≤ 2× the baseline's p99; 2-hop neighbourhood (≤ 500 nodes) p99 ≤ 4× the
baseline's and throughput ≥ ¼ of it.

Run: ``.venv/bin/python -m bench.api_bench [--entities N --relations M --seconds S]``
(needs ``wrk``: ``apt-get install -y wrk``).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from graph.store import open_store
from ingest.loader import load_paths

from .synthetic import generate

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer {url}")


def wrk(base: str, paths: list[str], seconds: int, connections: int, folder: Path) -> dict[str, float]:
    """p50/p99 (ms) and requests/s of GETs cycling through ``paths``."""
    script = folder / "paths.lua"
    quoted = ",\n".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    script.write_text("local paths = {" + quoted + "}\nlocal i = 0\n"
                      "request = function()\n  i = i + 1\n"
                      "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n")
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-s", str(script), base], capture_output=True, text=True, check=True).stdout
    figures = {}
    for label in ("50%", "99%"):
        found = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if found is None:
            raise SystemExit(f"cannot read the {label} latency from wrk:\n{out}")
        figures["p" + label[:-1]] = float(found.group(1)) * _UNITS[found.group(2)]
    figures["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{errors.group(1)} failed requests:\n{out}")
    return figures


def size_of(url: str) -> int:
    return len(urllib.request.urlopen(url, timeout=60).read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=500_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    work = Path(tempfile.mkdtemp(prefix="innograph-api-bench-"))
    server = None
    try:
        entities_csv, relations_csv = generate(work / "data", args.entities, args.relations)
        with open_store(work / "store") as store:
            load_paths(store, [entities_csv, relations_csv])
            rows = store.entity_page(limit=args.entities)
        rng = random.Random(7)
        sample = rng.sample(rows, min(200, len(rows)))
        searches = [f"/search?q={urllib.parse.quote(e.name[:4])}&limit=20" for e in sample]
        firms = [e for e in sample if e.type.value == "enterprise"]
        hoods = [f"/entities/{urllib.parse.quote(e.id, safe='')}/neighborhood?depth=2&limit=500"
                 for e in firms]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "-m", "bench.api_server", str(work / "store"),
                                   str(port)])
        wait_for(base + "/health")
        for path in searches[:5] + hoods[:5]:  # warm the search index and the caches
            urllib.request.urlopen(base + path, timeout=120).read()
        search_size = sum(size_of(base + p) for p in searches[:20]) // 20
        hood_size = sum(size_of(base + p) for p in hoods[:20]) // 20
        print(f"{args.entities:,} entities, {args.relations:,} relations; {args.connections} "
              f"connections, {args.seconds}s each; mean body: search {search_size:,} B, "
              f"2-hop neighbourhood {hood_size:,} B")
        run = {
            "bare (search size)": wrk(base, [f"/bench/bare?n={search_size}"], args.seconds,
                                      args.connections, work),
            "search": wrk(base, searches, args.seconds, args.connections, work),
            "bare (neighbourhood size)": wrk(base, [f"/bench/bare?n={hood_size}"], args.seconds,
                                             args.connections, work),
            "2-hop neighbourhood": wrk(base, hoods, args.seconds, args.connections, work),
        }
        for name, f in run.items():
            print(f"{name:28s} p50 {f['p50']:8.1f} ms  p99 {f['p99']:8.1f} ms  "
                  f"{f['rps']:8.0f} req/s")
        small, big = run["bare (search size)"], run["bare (neighbourhood size)"]
        print(f"search p99 / baseline p99:               "
              f"{run['search']['p99'] / small['p99']:5.2f}  (target ≤ 2)")
        print(f"neighbourhood p99 / baseline p99:        "
              f"{run['2-hop neighbourhood']['p99'] / big['p99']:5.2f}  (target ≤ 4)")
        print(f"neighbourhood throughput / baseline:     "
              f"{run['2-hop neighbourhood']['rps'] / big['rps']:5.2f}  (target ≥ 0.25)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
