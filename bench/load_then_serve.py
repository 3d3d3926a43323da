"""A user's first hour with a large data set (issue 16): ``innograph ingest`` through the
command line, then ``innograph serve`` on the store it left — how long each takes, the
load's peak memory, and when the server answers.

With ``INNOGRAPH_SAVE_INDEXES_FROM`` set (here 0: always), a load ends by saving the server's
indexes beside the store, in a process of its own, so the first ``serve`` maps them instead
of building them; without it (the default) the first ``serve`` builds them. The same store
is then served once more with the saved files removed (that default's cold start), in the
same run: the floor of either is the bare FastAPI app's own start-up, printed beside it.

Run: ``.venv/bin/python -m bench.load_then_serve [--entities 1000000]`` (relations: 5×).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph.index_files import FOLDER

from .ingest_bench import split_rows
from .startup_bench import bare_start, serve_once
from .synthetic import generate

GIB = 1024 ** 3


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every process below it, now (0 once it is gone)."""
    total, pending = 0, [pid]
    while pending:
        here = pending.pop()
        try:
            with open(f"/proc/{here}/status", encoding="ascii") as status:
                total += next((int(line.split()[1]) * 1024 for line in status
                               if line.startswith("VmRSS:")), 0)
            for task in Path(f"/proc/{here}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def ingest(store: Path, files: list[Path], work: Path) -> dict[str, float]:
    """Seconds of ``innograph ingest`` and its peak memory: of its largest process
    (``ru_maxrss``), and of all its processes together (sampled every 0.1 s: the index
    build runs in a child while the load's process still holds memory)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    command = subprocess.Popen(
        [sys.executable, "-m", "innograph", "--store", str(store), "ingest", *map(str, files),
         "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "INNOGRAPH_REJECTS_DIR": str(work / "rejects"),
             "INNOGRAPH_SAVE_INDEXES_FROM": "0"})
    tree_peak = 0
    while command.poll() is None:
        tree_peak = max(tree_peak, _tree_rss(command.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if command.returncode != 0:
        raise SystemExit(f"ingest failed: {command.stderr.read()[-2000:] if command.stderr else ''}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:
        raise SystemExit("the ingest's peak memory is hidden by an earlier, larger child")
    return {"seconds": round(seconds, 1), "peak_gib": round(peak * 1024 / GIB, 2),
            "peak_all_processes_gib": round(tree_peak / GIB, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="innograph-load-serve-"))
    try:
        data = work / "data"
        _, relations = generate(data, args.entities, 5 * args.entities)
        split_rows(relations)
        files = sorted(data.glob("*.csv"))
        store = work / "store"
        bare = bare_start(work)
        loaded = ingest(store, files, work)
        saved = sorted(p.name for p in (store / FOLDER).glob("*"))  # empty: none saved
        warm = serve_once(store, work, "warm", {}, wait_saved=False)
        shutil.rmtree(store / FOLDER, ignore_errors=True)
        cold = serve_once(store, work, "cold", {}, wait_saved=False)
        figures = {"entities": args.entities, "relations": 5 * args.entities,
                   "ingest": loaded, "saved_versions": saved, "bare": bare,
                   "serve_after_load": warm, "serve_without_saved": cold}
        print(json.dumps(figures, ensure_ascii=False, indent=1))
        print(f"\ningest {loaded['seconds']:.0f} s, peak {loaded['peak_gib']:.2f} GiB, "
              f"{loaded['peak_all_processes_gib']:.2f} GiB of its processes together "
              f"(targets ≤ 600 s, ≤ 4 GiB); serve ready {warm['health_s']:.1f} s after the load "
              f"(target ≤ 60 s; {cold['health_s']:.1f} s without the saved indexes; the bare "
              f"app {bare['health_s']:.1f} s)")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
