"""What the read gate costs (issue 17): reads of a read-only embedded store with the gate
(a shared ``flock`` and a read of the epoch around each query, ``graph/store/embedded_gate.py``)
against the same reads with it switched off, in one process, on the same store.

The store holds the Wenzhou sample (201 entities, 411 relations). Each round times
``--reads`` reads of each kind with the gate on, then off (round-robin, so the shared
machine's load falls on both alike); reported: the median over rounds of each kind's time
per read and the ratio gate-on / gate-off.

* ``get``: one entity by id (one query);
* ``neighbourhood``: depth 2 around 浙江大学温州研究院 (a read transaction of several queries);
* ``counts``: counts by type (one transaction, a query per relation type).

Run: ``.venv/bin/python -m bench.read_gate [--rounds 7] [--reads 300]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from graph.store import GraphStore, open_store
from ingest.loader import load_paths

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "wenzhou"


def _kinds(store: GraphStore) -> dict[str, Callable[[], object]]:
    return {"get": lambda: store.get("institute:浙江大学温州研究院"),
            "neighbourhood": lambda: store.neighborhood("institute:浙江大学温州研究院", depth=2),
            "counts": store.counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--reads", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store"
        with open_store(path) as writer:
            load_paths(writer, [SAMPLE])
        store = open_store(path, read_only=True)
        gate = store._connections._gate  # type: ignore[attr-defined]
        times: dict[tuple[str, bool], list[float]] = {}
        try:
            for _ in range(args.rounds):
                for kind, read in _kinds(store).items():
                    for enabled in (True, False):
                        gate.enabled = enabled
                        started = time.perf_counter()
                        for _ in range(args.reads):
                            read()
                        elapsed = (time.perf_counter() - started) / args.reads
                        times.setdefault((kind, enabled), []).append(elapsed)
        finally:
            gate.enabled = True
            store.close()
    print(f"{args.rounds} rounds of {args.reads} reads each; median time per read")
    print(f"{'read':<14} {'gate off (ms)':>14} {'gate on (ms)':>13} {'ratio':>7}")
    for kind in _kinds(store):
        off = statistics.median(times[(kind, False)]) * 1000
        on = statistics.median(times[(kind, True)]) * 1000
        print(f"{kind:<14} {off:>14.3f} {on:>13.3f} {on / off:>7.3f}")


if __name__ == "__main__":
    main()
