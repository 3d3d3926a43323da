"""Mixed load (issue 15): many clients reading and writing at once, with an upload midway.

Loads the Wenzhou sample (``data/wenzhou``) into a fresh store in a temp folder, serves it
with ``innograph serve`` in a child process (127.0.0.1, a free port, writes enabled by
``INNOGRAPH_API_KEY``), then runs ``--clients`` concurrent clients (asyncio + httpx) for
``--seconds``. Each client loops over a weighted mix:

- GET /search?q=… (names, pinyin, initials);
- GET /entities/{id} and GET /entities/{id}/neighborhood?depth=2 for random sample ids;
- GET /recommendations/partners?entity=… (entities the recommender accepts);
- GET /viz/neighborhood/{id} (the HTML page);
- POST /entities with the key, 5 new entities with unique names.

At about a third of the time one extra task POSTs /ingest with a generated CSV of
``--upload-rows`` new entities (default 5,000). Any status outside 2xx (or a transport
error) counts as an error; the first few are printed with their body. Prints per route the
count, errors, p50 and p99 latency (ms), the overall throughput and the server's resident
memory at the end.

Run: ``.venv/bin/python -m bench.api_mixed_load [--clients 50] [--seconds 60]
[--upload-rows 5000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import httpx

from bench.procs import free_port, rss_mb
from graph.store import open_store
from ingest.loader import load_paths

KEY = "mixed-key-15"
ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["眼谷", "温州", "瓯海", "wenzhou", "ouhai", "yangu", "实验室", "孵化器", "wz", "研究院"]
# route -> weight in the mix
MIX = {"search": 30, "entity": 20, "neighborhood": 20, "partners": 10, "viz": 10, "write": 10}
PARTNER_TYPES = {"enterprise", "incubator", "chain_segment"}

def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class Tally:
    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []

    def add(self, route: str, seconds: float, status: int | str, body: str) -> None:
        self.seconds[route].append(seconds)
        if not (isinstance(status, int) and 200 <= status < 300):
            self.errors[route] += 1
            if len(self.samples) < 20:
                self.samples.append(f"{route}: {status} {body[:200]!r}")


async def timed(client: httpx.AsyncClient, tally: Tally, route: str, method: str, url: str,
                **kwargs: object) -> httpx.Response | None:
    t0 = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError as e:
        tally.add(route, time.perf_counter() - t0, type(e).__name__, str(e))
        return None
    tally.add(route, time.perf_counter() - t0, response.status_code, response.text)
    return response


async def worker(n: int, client: httpx.AsyncClient, tally: Tally, deadline: float,
                 ids: list[str], partner_ids: list[str], counter: itertools.count) -> None:
    rng = random.Random(n)
    routes, weights = list(MIX), list(MIX.values())
    while time.monotonic() < deadline:
        route = rng.choices(routes, weights)[0]
        quoted = urllib.parse.quote(rng.choice(ids), safe="")
        if route == "search":
            await timed(client, tally, "GET /search", "GET", "/search",
                        params={"q": rng.choice(QUERIES)})
        elif route == "entity":
            await timed(client, tally, "GET /entities/{id}", "GET", f"/entities/{quoted}")
        elif route == "neighborhood":
            await timed(client, tally, "GET /entities/{id}/neighborhood?depth=2", "GET",
                        f"/entities/{quoted}/neighborhood", params={"depth": 2})
        elif route == "partners":
            await timed(client, tally, "GET /recommendations/partners", "GET",
                        "/recommendations/partners", params={"entity": rng.choice(partner_ids)})
        elif route == "viz":
            await timed(client, tally, "GET /viz/neighborhood/{id}", "GET",
                        f"/viz/neighborhood/{quoted}")
        else:
            k = next(counter)
            body = [{"name": f"混合负载企业{k:06d}-{i}", "type": "enterprise"} for i in range(5)]
            await timed(client, tally, "POST /entities (5)", "POST", "/entities", json=body)


async def upload(client: httpx.AsyncClient, tally: Tally, start: float, at: float, rows: int,
                 log: list[str]) -> None:
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    lines = ["name,type"] + [f"批量上传企业{i:06d},enterprise" for i in range(rows)]
    files = [("files", ("entities.csv", "\n".join(lines).encode(), "text/csv"))]
    started = time.monotonic()
    log.append(f"POST /ingest of a {rows:,}-entity CSV started at t={started - start:.1f} s")
    response = await timed(client, tally, f"POST /ingest ({rows:,} rows)", "POST", "/ingest",
                           files=files, timeout=600)
    created = None
    if response is not None and response.status_code == 200:
        created = response.json().get("tables", {}).get("created", {}).get("entities")
    log.append(f"upload answered {response.status_code if response is not None else 'error'} "
               f"in {time.monotonic() - started:.1f} s (done at t={time.monotonic() - start:.1f} s); "
               f"entities created {created}")


async def run(base: str, args: argparse.Namespace, pid: int) -> None:
    limits = httpx.Limits(max_connections=args.clients + 5, max_keepalive_connections=args.clients + 5)
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": KEY}, timeout=120,
                                 limits=limits) as client:
        page = (await client.get("/entities", params={"limit": 200})).json()
        items = page["items"]
        ids = [item["id"] for item in items]
        candidates = [item["id"] for item in items if item.get("type") in PARTNER_TYPES]
        # Warm-up (not timed): ask for partners of every enterprise, incubator and chain
        # segment once; the mix uses the ones that answer 2xx, the others are reported.
        partner_ids, refused = [], []
        for entity in candidates:
            try:
                probe = await client.get("/recommendations/partners", params={"entity": entity})
                status: int | str = probe.status_code
            except httpx.HTTPError as e:
                status = type(e).__name__
            if isinstance(status, int) and 200 <= status < 300:
                partner_ids.append(entity)
            else:
                refused.append(f"{entity} -> {status}")
        if not partner_ids:
            partner_ids = ids[:1]
        health = (await client.get("/health")).json()
        print(f"sample: {len(ids)} ids, {len(partner_ids)} of {len(candidates)} candidates "
              f"answer /recommendations/partners; /health {health}")
        if refused:
            print(f"warm-up: {len(refused)} recommendation requests failed (left out of the mix):")
            for line in refused:
                print("  " + line)
        print(f"server RSS before the load {rss_mb(pid):.0f} MB", flush=True)
        tally = Tally()
        log: list[str] = []
        counter = itertools.count()
        start = time.monotonic()
        deadline = start + args.seconds
        tasks = [worker(n, client, tally, deadline, ids, partner_ids, counter)
                 for n in range(args.clients)]
        tasks.append(upload(client, tally, start, start + args.seconds / 3, args.upload_rows, log))
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - start
        health = await client.get("/health")
    report(tally, elapsed, args, log, rss_mb(pid), health, refused)


def report(tally: Tally, elapsed: float, args: argparse.Namespace, log: list[str],
           rss: float, health: httpx.Response, refused: list[str]) -> None:
    total = sum(len(v) for v in tally.seconds.values())
    errors = sum(tally.errors.values())
    print()
    print(f"{args.clients} clients, {elapsed:.1f} s (deadline {args.seconds} s)")
    for line in log:
        print(line)
    print()
    print("| route | requests | errors | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    for route in sorted(tally.seconds):
        values = tally.seconds[route]
        print(f"| {route} | {len(values):,} | {tally.errors[route]} | "
              f"{1000 * percentile(values, 0.5):.1f} | {1000 * percentile(values, 0.99):.1f} |")
    print(f"| **all** | {total:,} | {errors} | | |")
    print()
    print(f"throughput {total / elapsed:.1f} requests/s; server RSS at end {rss:.0f} MB; "
          f"/health {health.status_code} {health.text[:200]}")
    if tally.samples:
        print("errors (first 20):")
        for sample in tally.samples:
            print("  " + sample)
    verdict = "zero errors in the mix" if errors == 0 else f"{errors} errors in the mix"
    if refused:
        verdict += f"; {len(refused)} recommendation requests failed in the warm-up"
    print(verdict.upper())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--upload-rows", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="innograph-mixed-") as folder:
        store_dir = Path(folder) / "store"
        store = open_store(store_dir)
        try:
            load_paths(store, [ROOT / "data" / "wenzhou"])
        finally:
            store.close()
        port = free_port()
        env = dict(os.environ, INNOGRAPH_STORE=str(store_dir), INNOGRAPH_API_KEY=KEY,
                   INNOGRAPH_HOST="127.0.0.1", INNOGRAPH_PORT=str(port),
                   INNOGRAPH_REJECTS_DIR=str(Path(folder) / "rejects"))
        innograph = Path(sys.executable).with_name("innograph")
        with open(Path(folder) / "server.log", "wb") as server_log:
            server = subprocess.Popen([str(innograph), "serve"], env=env, cwd=ROOT,
                                      stdout=server_log, stderr=subprocess.STDOUT)
            try:
                base = f"http://127.0.0.1:{port}"
                for _ in range(600):
                    try:
                        if httpx.get(base + "/health", timeout=2).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if server.poll() is not None:
                        raise SystemExit("server exited:\n"
                                         + (Path(folder) / "server.log").read_text()[-2000:])
                    time.sleep(0.1)
                asyncio.run(run(base, args, server.pid))
            except BaseException:
                print("server log (tail):\n" + (Path(folder) / "server.log").read_text()[-12000:],
                      file=sys.stderr)
                raise
            finally:
                server.terminate()
                try:
                    server.wait(30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


if __name__ == "__main__":
    main()
