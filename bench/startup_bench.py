"""``innograph serve`` start-up and memory, cold (no saved index) and warm (the index saved
beside the store by the cold run), against a bare FastAPI app started the same way.

For each store: remove ``<store>/.innograph-index``, start the server and time ``/health``
(indexes ready), the first search and the first 2-hop neighbourhood, read its memory from
``/proc/<pid>/smaps_rollup`` (resident, proportional, anonymous = heap, file-backed =
mapped index files and libraries), wait for the background save, read the memory again
(the saved files replace the heap copy), stop it; then start it again (warm) and take the
same figures. The bare app's start-up and memory are the floor, measured in the same run.

Run: ``.venv/bin/python -m bench.startup_bench STORE... [--buffer-pool-mb N]`` (stores made
by ``bench.api_scaling``, e.g. ``/tmp/innograph-api-scaling/store-1000000``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

from bench.api_bench import start, timed_get, wait_for
from bench.procs import free_port
from graph.index_files import FOLDER, MANIFEST
from graph.store import open_store

_FIELDS = {"Rss": "rss", "Pss": "pss", "Anonymous": "anon", "Pss_File": "pss_file"}


def memory(pid: int) -> dict[str, float]:
    """MiB resident, proportional, anonymous and proportional file-backed, of ``pid``."""
    found = {}
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            name, _, rest = line.partition(":")
            if name in _FIELDS:
                found[_FIELDS[name]] = round(int(rest.split()[0]) / 1024, 1)
    return found


def probes(store: Path) -> tuple[str, str]:
    with open_store(store, read_only=True) as opened:
        first = opened.entity_page(limit=1)[0]
    quote = urllib.parse.quote
    return (f"/search?q={quote(first.name[:4])}&limit=20",
            f"/entities/{quote(first.id, safe='')}/neighborhood?depth=2&limit=500")


def serve_once(store: Path, work: Path, label: str, env: dict[str, str],
               wait_saved: bool) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    search, hood = probes(store)
    server = start([sys.executable, "-m", "innograph", "serve", "--port", str(port)],
                   work / f"{label}.log", {"INNOGRAPH_STORE": str(store), **env})
    try:
        figures: dict[str, Any] = {"health_s": round(wait_for(base + "/health", 1800, server), 2)}
        figures["first_search_ms"] = round(timed_get(base + search)[0], 1)
        figures["first_2hop_ms"] = round(timed_get(base + hood)[0], 1)
        figures["ready"] = memory(server.pid)
        if wait_saved:
            started = time.monotonic()
            while not list((store / FOLDER).glob(f"*/{MANIFEST}")):
                time.sleep(0.5)
            figures["saved_after_s"] = round(time.monotonic() - started + figures["health_s"], 1)
            time.sleep(3)  # the saved files replace the heap copy
            timed_get(base + search)
            timed_get(base + hood)
            figures["after_save"] = memory(server.pid)
        return figures
    finally:
        server.terminate()
        server.wait(timeout=120)


def bare_start(work: Path) -> dict[str, Any]:
    port = free_port()
    started = time.monotonic()
    bare = start([sys.executable, "-m", "bench.api_bare", str(port), "300"], work / "bare.log")
    try:
        seconds = wait_for(f"http://127.0.0.1:{port}/bare/300", 60, bare)
        return {"health_s": round(seconds, 2), "wall_s": round(time.monotonic() - started, 2),
                "ready": memory(bare.pid)}
    finally:
        bare.terminate()
        bare.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("stores", nargs="+", type=Path)
    parser.add_argument("--buffer-pool-mb", type=int, default=None)
    parser.add_argument("--work", type=Path, default=Path("/tmp/innograph-startup-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    env = {"INNOGRAPH_BUFFER_POOL_MB": str(args.buffer_pool_mb)} if args.buffer_pool_mb else {}
    results: dict[str, Any] = {"bare": bare_start(args.work)}
    print("bare app:", json.dumps(results["bare"]), flush=True)
    for store in args.stores:
        shutil.rmtree(store / FOLDER, ignore_errors=True)
        cold = serve_once(store, args.work, "cold", env, wait_saved=True)
        print(store.name, "cold:", json.dumps(cold), flush=True)
        warm = serve_once(store, args.work, "warm", env, wait_saved=False)
        print(store.name, "warm:", json.dumps(warm), flush=True)
        print(f"{store.name}: warm/cold start-up {warm['health_s'] / cold['health_s']:.3f}, "
              f"index files {sum(f.stat().st_size for f in (store / FOLDER).rglob('*')) >> 20}"
              " MiB", flush=True)
        results[str(store)] = {"cold": cold, "warm": warm}
    (args.work / "result.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
