"""How long the first partner recommendation waits on a 20,000-organisation graph, as
ratios to common neighbours computed on the same arrays, in the same process.

Data: the CORDIS Horizon 2020 store of :mod:`bench.cordis` (every year: about 29,000
organisations and 561,000 ties; built once by the real ingest). The store's tables are
read once (timed, for context: reading the store belongs to the projection, not to the
recommender); then, :data:`ROUNDS` times, alternating, on a projection freshly built from
those tables (so nothing is cached between rounds):

- **CN**: common neighbours of one organisation on the projection's arrays — the 0/1
  adjacency from the tie arrays, two sparse products, the top 10 (the baseline);
- **innograph**: ``sparse_pagerank``, ``Recommender(model=SHIPPED_MODEL)`` and the first
  ``recommend(u, 10)`` with explanations — what the API's first request waits for once the
  projection exists; the NetworkX graph must not get built (checked);
- **NetworkX graph**: building the projection's NetworkX graph alone (``to_networkx``),
  which the recommender waited for before it read the arrays.

Run: ``.venv/bin/python -m bench.partner_latency [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from graph.analytics import Projection, Recommender
from graph.analytics.partner_features import sparse_pagerank
from graph.analytics.projection import projection_from_tables
from graph.analytics.recommend import SHIPPED_MODEL
from graph.store import open_store

from . import cordis

ROUNDS = 3
TOP = 10


def common_neighbours(projection: Projection, u: str) -> list[str]:
    linked = projection.ties.adjacency()
    q = np.zeros(linked.shape[0])
    q[projection.index()[u]] = 1.0
    scores = linked @ (linked @ q)
    scores[(linked @ q) > 0] = -1.0  # its partners are not candidates
    scores[projection.index()[u]] = -1.0
    best = np.argpartition(-scores, TOP)[:TOP]
    return [projection.nodes[i] for i in best[np.argsort(-scores[best], kind="stable")]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    with open_store(cordis.store_path(), read_only=True) as store:
        t0 = time.perf_counter()
        entities, relations = store.entities_table(), store.relations_table()
        read = time.perf_counter() - t0
    times: dict[str, list[float]] = {"CN": [], "innograph": [], "NetworkX graph": []}
    for round_ in range(args.rounds):
        for name in times:
            t = time.perf_counter()
            projection = projection_from_tables(entities, relations)
            built = time.perf_counter() - t
            u = projection.nodes[len(projection.nodes) // 2]
            t = time.perf_counter()
            if name == "CN":
                common_neighbours(projection, u)
            elif name == "innograph":
                recommender = Recommender(projection, sparse_pagerank(projection),
                                          model=SHIPPED_MODEL)
                found = recommender.recommend(u, TOP)
                assert len(found) == TOP and not projection.has_graph
            else:
                projection.graph  # noqa: B018 - built for its cost
            times[name].append(time.perf_counter() - t)
            print(f"round {round_ + 1}: {name:<15} {times[name][-1]:7.2f}s "
                  f"(projection from the tables {built:.2f}s)", flush=True)
    print(f"\nstore tables read once: {read:.2f}s; "
          f"{projection.number_of_nodes():,} actors, {projection.number_of_edges():,} edges")
    base = np.median(times["CN"])
    for name, values in times.items():
        print(f"{name:<15} median {np.median(values):7.3f}s  ratio to CN "
              f"{np.median(values) / base:7.1f}x  (runs: "
              + ", ".join(f"{v:.2f}" for v in values) + ")")


if __name__ == "__main__":
    main()
