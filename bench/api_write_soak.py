"""Write soak (issue 15): thousands of small writes and hundreds of uploads against one server.

Starts the API in this process (uvicorn on 127.0.0.1, a free port, writes enabled by a key)
over a fresh store, then, one request at a time:

1. ``--writes`` POST /entities, each 5 new entities (default 2,000);
2. ``--uploads`` POST /ingest, each one CSV of ``--upload-rows`` new entities (default 200 of
   1,000 rows: at ``COPY_MIN_ROWS`` these take the ``COPY`` path).

Every 100 writes (and every 20 uploads) it prints the server's resident memory (this
process: psutil if installed, else ``/proc/self/status``), the status codes so far and the
window's median and worst latency, then checks ``/health`` and the stored count. Before the
fix, write 129 and every one after answered 503 ``buffer pool is full``.

Run: ``.venv/bin/python -m bench.api_write_soak [--writes 2000 --uploads 200
--upload-rows 1000 --pool-mb 1024 --copy-min-rows N]`` (``--copy-min-rows 0`` sends every
write through ``COPY``).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import uvicorn

from api.app import create_app
from bench.procs import free_port, rss_mb
from graph.settings import Settings
from graph.store import open_store

KEY = "soak-key-15"

class Window:
    """Status codes and latencies since the last row printed."""

    def __init__(self) -> None:
        self.codes: Counter[int] = Counter()
        self.total: Counter[int] = Counter()
        self.seconds: list[float] = []

    def add(self, code: int, seconds: float) -> None:
        self.codes[code] += 1
        self.total[code] += 1
        self.seconds.append(seconds)

    def row(self, label: str, done: int) -> str:
        codes = " ".join(f"{c}×{n}" for c, n in sorted(self.codes.items()))
        line = (f"{label:<9}{done:>6}  {rss_mb():>8.0f}  {1000 * statistics.median(self.seconds):>8.1f}"
                f"  {1000 * max(self.seconds):>8.1f}  {codes}")
        self.codes.clear()
        self.seconds.clear()
        return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--upload-rows", type=int, default=1000)
    parser.add_argument("--pool-mb", type=int, default=1024)
    parser.add_argument("--copy-min-rows", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="innograph-soak-") as folder:
        store = open_store(Path(folder) / "store", buffer_pool_mb=args.pool_mb)
        if args.copy_min_rows is not None:
            store.copy_min_rows = args.copy_min_rows  # type: ignore[attr-defined]
        settings = Settings(store=store.location, api_key=KEY,
                            rejects_dir=Path(folder) / "rejects", buffer_pool_mb=args.pool_mb)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(settings, store=store), host="127.0.0.1",
                                               port=port, log_level="warning", access_log=False))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, headers={"X-API-Key": KEY}, timeout=120) as client:
                for _ in range(600):  # up to 60 s for the server to start
                    try:
                        if client.get("/health").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    time.sleep(0.1)
                soak(client, args)
        finally:
            server.should_exit = True
            thread.join(30)
            store.close()


def soak(client: httpx.Client, args: argparse.Namespace) -> None:
    print(f"server RSS at start {rss_mb():.0f} MB; buffer pool {args.pool_mb} MB; "
          f"copy_min_rows {args.copy_min_rows if args.copy_min_rows is not None else 'default'}")
    print(f"{'phase':<9}{'done':>6}  {'RSS MB':>8}  {'p50 ms':>8}  {'max ms':>8}  status codes")
    window = Window()
    expected = 0
    started = time.perf_counter()
    for n in range(1, args.writes + 1):
        body = [{"name": f"浸泡企业{n:05d}-{i}", "type": "enterprise"} for i in range(5)]
        t0 = time.perf_counter()
        response = client.post("/entities", json=body)
        window.add(response.status_code, time.perf_counter() - t0)
        if response.status_code == 200:
            expected += response.json()["created"]["entities"]
        if n % 100 == 0 or n == args.writes:
            print(window.row("entities", n), flush=True)
    writes_seconds = time.perf_counter() - started
    write_codes = dict(window.total)
    window = Window()
    started = time.perf_counter()
    for n in range(1, args.uploads + 1):
        lines = ["name,type"] + [f"上传企业{n:04d}-{i:05d},enterprise"
                                 for i in range(args.upload_rows)]
        files = [("files", ("entities.csv", "\n".join(lines).encode(), "text/csv"))]
        t0 = time.perf_counter()
        response = client.post("/ingest", files=files)
        window.add(response.status_code, time.perf_counter() - t0)
        if response.status_code == 200:
            expected += response.json()["tables"]["created"]["entities"]
        if n % 20 == 0 or n == args.uploads:
            print(window.row("uploads", n), flush=True)
    uploads_seconds = time.perf_counter() - started
    health = client.get("/health")
    stored = health.json().get("entities") if health.status_code == 200 else None
    print(f"POST /entities: {args.writes} in {writes_seconds:.1f} s, status codes "
          f"{write_codes}; POST /ingest: {args.uploads} in {uploads_seconds:.1f} s, status "
          f"codes {dict(window.total)}")
    print(f"/health {health.status_code}; entities stored {stored}, acknowledged {expected}; "
          f"server RSS at end {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
