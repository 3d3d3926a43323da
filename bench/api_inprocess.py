"""The API's own CPU per request, in one process: no socket, no wrk, no uvicorn.

``wrk`` against a server on this shared 2-core machine swings by tens of percent between
runs; calling the ASGI apps directly does not. This drives innograph's app (``create_app``
over a store, read-only, its access line written to a file as ``innograph serve`` writes it
to its log) and the bare FastAPI app of ``bench/api_bare.py`` with the same requests in the
same process, alternating batches of each, and reports the median microseconds per request
of each and their ratio. ``--profile N`` also prints cProfile's top ``N`` functions of
innograph's requests (cumulative), which is where the per-request costs in
``bench/RESULTS.md`` come from.

Run: ``.venv/bin/python -m bench.api_inprocess --store PATH --entities N [--route search]
[--requests 3000] [--rounds 5] [--profile 30]``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from api.app import create_app
from api.serving import PLAIN, BatchedLines
from bench.api_bare import bare_app
from bench.api_bench import route_paths
from graph.settings import Settings

Asgi = Callable[[dict[str, Any], Any, Any], Coroutine[Any, Any, None]]


def scope_of(path: str) -> dict[str, Any]:
    """The ASGI scope uvicorn would give a GET of ``path``."""
    parts = urlsplit(path)
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "GET", "scheme": "http", "path": unquote(parts.path),
            "raw_path": parts.path.encode(), "query_string": parts.query.encode(),
            "root_path": "", "headers": [(b"host", b"127.0.0.1"), (b"accept", b"*/*")],
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}


async def call(app: Asgi, path: str) -> tuple[int, bytes]:
    """Status and body of one GET."""
    status, body = 0, []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await app(scope_of(path), receive, send)
    return status, b"".join(body)


async def batch(app: Asgi, paths: list[str], count: int) -> float:
    """Microseconds per request over ``count`` GETs cycling through ``paths``."""
    started = time.perf_counter()
    for i in range(count):
        await call(app, paths[i % len(paths)])
    return (time.perf_counter() - started) / count * 1e6


def log_access_to(file: Path, interval_s: float) -> None:
    """The access line as ``innograph serve`` writes it (``api.serving``: in batches at most
    ``interval_s`` apart), into ``file``."""
    access = logging.getLogger("innograph.access")
    handler = BatchedLines(file.open("w"), interval_s)
    handler.setFormatter(PLAIN)
    access.handlers = [handler]
    access.setLevel(logging.INFO)
    access.propagate = False


async def run(store: Path, entities: int, route: str, requests: int, rounds: int,
              profile: int, access_log: bool = True, flush_s: float = 0.5) -> dict[str, Any]:
    paths = route_paths(store, entities)[route]
    work = Path(tempfile.mkdtemp(prefix="innograph-inprocess-"))
    if access_log:
        log_access_to(work / "access.log", flush_s)
    app = create_app(Settings(store=str(store), rejects_dir=work / "rejects"))
    async with app.router.lifespan_context(app):
        bodies = [await call(app, p) for p in paths[:20]]  # warm, and the body size
        if any(status != 200 for status, _ in bodies):
            raise SystemExit(f"{route}: not every answer was 200")
        size = max(13, sum(len(b) for _, b in bodies) // len(bodies))
        bare = bare_app([size])
        bare_path = [f"/bare/{size}"]
        await batch(app, paths, requests // 5)
        await batch(bare, bare_path, requests // 5)
        ours, floor = [], []
        for _ in range(rounds):  # alternating: both see the machine as it is then
            floor.append(await batch(bare, bare_path, requests))
            ours.append(await batch(app, paths, requests))
        result = {"route": route, "bytes": size, "innograph_us": statistics.median(ours),
                  "bare_us": statistics.median(floor), "rounds": rounds,
                  "requests": requests}
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            await batch(app, paths, requests)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
            result["profile"] = out.getvalue()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--route", default="search")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0,
                        help="print cProfile's top N functions of innograph's requests")
    parser.add_argument("--no-access-log", action="store_true",
                        help="leave the access line off (what it costs a request)")
    parser.add_argument("--access-log-flush-s", type=float, default=0.5,
                        help="as INNOGRAPH_ACCESS_LOG_FLUSH_S (0: each line as it comes)")
    args = parser.parse_args()
    result = asyncio.run(run(args.store, args.entities, args.route, args.requests,
                             args.rounds, args.profile, not args.no_access_log,
                             args.access_log_flush_s))
    print(result.pop("profile", ""))
    print(f"{args.route} ({result['bytes']:,} B), {args.entities:,} entities, median of "
          f"{args.rounds} alternating batches of {args.requests:,} requests: innograph "
          f"{result['innograph_us']:.0f} µs per request, bare app {result['bare_us']:.0f} µs, "
          f"ratio {result['innograph_us'] / result['bare_us']:.2f}")


if __name__ == "__main__":
    main()
