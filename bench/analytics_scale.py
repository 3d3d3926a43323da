"""Analytics at scale (issue 22): time and peak memory of each step, igraph beside it.

On a kept store (``bench/analytics_data.py``), in one process: innograph's projection,
group densities, centrality (degree, weighted degree, PageRank, sampled betweenness),
Louvain communities and ego figures — the steps of ``innograph analyze scores`` — and then
igraph doing the same work on the same projection (its edge list and weights), so both
columns describe one graph in one run. Memory is the resident set size, sampled every
20 ms: ``peak`` is the highest seen during the step, ``added`` that peak minus the size
when the step began.

Run memory-capped (LadybugDB reserves 8 TiB of address space, hence the sum)::

    prlimit --as=$((8*1024**4 + 10*1024**3)) -- .venv/bin/python -m bench.analytics_scale \\
        /tmp/ig-scale/s1m [--region ID] [--industry ID] [--sources 64] [--json OUT]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from graph.analytics import (
    Projection,
    ProjectionFilter,
    centrality,
    density_by,
    detect_communities,
    ego_figures,
    groups_by,
    project,
)
from graph.store import GraphStore, open_store

T = TypeVar("T")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    """Resident set size of this process, bytes."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * _PAGE


class Meter:
    """Times named steps (wall, CPU) and samples the resident set size while they run."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.steps: dict[str, dict[str, float]] = {}
        self._peak = 0
        self._running = False

    def _sample(self) -> None:
        while self._running:
            self._peak = max(self._peak, rss())
            time.sleep(0.02)

    def run(self, name: str, work: Callable[[], T]) -> T:
        gc.collect()
        start = rss()
        self._peak, self._running = start, True
        sampler = threading.Thread(target=self._sample, daemon=True)
        sampler.start()
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            result = work()
        finally:
            self._running = False
            sampler.join()
        peak = max(self._peak, rss())
        step = {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
                "peak_gib": peak / 2**30, "added_gib": (peak - start) / 2**30}
        self.steps[name] = step
        print(f"  {self.title:<9} {name:<32} {step['wall_s']:8.2f}s wall {step['cpu_s']:8.2f}s"
              f" cpu  peak {step['peak_gib']:6.2f} GiB (+{step['added_gib']:.2f})", flush=True)
        return result


def innograph_steps(store: GraphStore, chosen: ProjectionFilter, sources: int,
                    seed: int) -> tuple[Meter, Projection]:
    meter = Meter("innograph")
    p = meter.run("projection", lambda: project(store, chosen))
    meter.run("density (industry, region)",
              lambda: (density_by(p, "industry"), density_by(p, "region")))
    scores = meter.run("centrality", lambda: centrality(p, betweenness_sources=sources,
                                                        seed=seed))
    found = meter.run("communities (Louvain)", lambda: detect_communities(p, seed=seed))
    print(f"  Louvain: {len(found.communities):,} communities, modularity "
          f"{found.modularity:.4f}, backend {found.backend}", flush=True)
    del found
    meter.run("ego figures", lambda: ego_figures(p))
    print(f"  betweenness {scores.betweenness_method}, {scores.betweenness_sources} sources, "
          f"backend {scores.backend}", flush=True)
    del scores
    return meter, p


def igraph_steps(p: Projection, sources: int, seed: int) -> Meter:
    """igraph on the same projection: its nodes, edges (NetworkX's order) and weights."""
    import igraph as ig

    meter = Meter("igraph")

    def build() -> ig.Graph:
        ties = p.ties
        order = ties.nx_edge_order()
        return ig.Graph(n=len(ties.nodes),
                        edges=np.stack([ties.u[order], ties.v[order]], axis=1),
                        edge_attrs={"weight": ties.weight[order]})

    g = meter.run("projection", build)
    index = p.index()

    def densities() -> None:
        for by in ("industry", "region"):
            for group in groups_by(p, by):
                sub = g.induced_subgraph([index[m] for m in group.members])
                (sub.density(), sum(sub.es["weight"]) if sub.ecount() else 0.0,
                 sub.transitivity_avglocal_undirected(mode="zero"),
                 sum(1 for d in sub.degree() if d == 0))

    meter.run("density (industry, region)", densities)
    sample = random.Random(seed).sample(range(g.vcount()), min(sources, g.vcount()))
    meter.run("centrality", lambda: (g.degree(), g.strength(weights="weight"),
                                     g.pagerank(weights="weight"),
                                     g.betweenness(directed=False, sources=sample)))
    ig.set_random_number_generator(random.Random(seed))
    found = meter.run("communities (Louvain)",
                      lambda: g.community_multilevel(weights="weight"))
    print(f"  igraph multilevel: {len(found):,} communities, modularity "
          f"{found.modularity:.4f}", flush=True)
    meter.run("ego figures", lambda: (g.transitivity_local_undirected(mode="zero"),
                                      g.strength(weights="weight")))
    return meter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="made by bench.analytics_data")
    parser.add_argument("--region")
    parser.add_argument("--industry")
    parser.add_argument("--sources", type=int, default=64, help="betweenness sample size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-igraph", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    chosen = ProjectionFilter(region=args.region, industry=args.industry)
    with open_store(args.folder / "store", read_only=True) as store:
        print(f"store {args.folder}: rss {rss() / 2**30:.2f} GiB at start", flush=True)
        ours, p = innograph_steps(store, chosen, args.sources, args.seed)
        shape = {"nodes": p.number_of_nodes(), "edges": p.number_of_edges()}
        print(f"  projection: {shape['nodes']:,} actors, {shape['edges']:,} edges", flush=True)
        theirs = None if args.no_igraph else igraph_steps(p, args.sources, args.seed)
    if args.json:
        args.json.write_text(json.dumps({"shape": shape, "innograph": ours.steps,
                                         "igraph": theirs.steps if theirs else None}, indent=1))


if __name__ == "__main__":
    main()
