"""Analytics benchmark: a full analysis pass over a store, and igraph doing the same work.

Full pass (issue 4): projection from the store, group densities by industry and by region,
degree, weighted degree, PageRank, sampled betweenness, Louvain communities, and
recommendations with explanations for 100 entities. Then igraph, in the same process on
the same store: reading the store and building its graph, the same group densities,
degree, strength, PageRank, betweenness from the same sampled sources, and multilevel
(Louvain) communities. igraph has no recommender, so that step stays out of the ratio.

Both wall-clock and CPU seconds are printed: the machine is shared, so CPU seconds of
this process say more about the code than wall time does.

Run: ``.venv/bin/python -m bench.analytics_bench [--entities 100000 --relations 500000]``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import igraph as ig

from graph.analytics import (
    COLLABORATION,
    PARTNER_TYPES,
    Projection,
    Recommender,
    centrality,
    density_by,
    detect_communities,
    groups_by,
    paused_gc,
    project,
    strength_of,
)
from graph.analytics.columns import EntityColumns, RelationColumns
from graph.store import GraphStore, open_store
from ingest.loader import load_paths

from .ecosystem import generate, write_csv

T = TypeVar("T")
QUERIES = 100


class Clock:
    """Times named steps, wall and CPU."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.steps: dict[str, tuple[float, float]] = {}

    def run(self, name: str, work: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        self.steps[name] = (time.perf_counter() - wall, time.process_time() - cpu)
        print(f"  {self.title:<9} {name:<34} {self.steps[name][0]:7.2f}s wall "
              f"{self.steps[name][1]:7.2f}s cpu", flush=True)
        return result

    def total(self, names: list[str] | None = None) -> tuple[float, float]:
        chosen = [self.steps[n] for n in (names or list(self.steps))]
        return sum(w for w, _ in chosen), sum(c for _, c in chosen)


def innograph_pass(store: GraphStore, sources: int, seed: int) -> tuple[Clock, Projection,
                                                                        list[str]]:
    clock = Clock("innograph")
    p = clock.run("projection", lambda: project(store))
    clock.run("densities (industry, region)",
              lambda: (density_by(p, "industry"), density_by(p, "region")))
    scores = clock.run(f"centrality (betweenness k={sources})",
                       lambda: centrality(p, betweenness_sources=sources, seed=seed))
    found = clock.run("communities (Louvain)", lambda: detect_communities(p, seed=seed))
    print(f"  betweenness: {scores.betweenness_method}, {scores.betweenness_sources} sources, "
          f"seed {scores.seed}, backend {scores.backend}; Louvain backend {found.backend}: "
          f"{len(found.communities):,} communities, modularity {found.modularity:.4f}",
          flush=True)
    firms = sorted(v for v in p.graph if p.catalog.info(v).type in PARTNER_TYPES)
    queries = random.Random(seed).sample(firms, QUERIES)

    def recommend_all() -> None:
        rec = Recommender(p, scores.scores["pagerank"])
        for query in queries:
            rec.recommend(query, 10)

    clock.run(f"recommendations ({QUERIES} x 10, explained)", recommend_all)
    sample = sorted(random.Random(seed).sample(sorted(p.graph), sources))
    return clock, p, sample


def igraph_pass(store: GraphStore, p: Projection, sample: list[str], seed: int) -> Clock:
    clock = Clock("igraph")

    def build() -> tuple[ig.Graph, dict[str, int]]:
        with paused_gc():  # the same column reads as the projection
            entities = EntityColumns.from_table(store.entities_table())
            relations = RelationColumns.from_table(store.relations_table())
        index = {e: i for i, e in enumerate(x for x in entities.ids if x in p.graph)}
        edges, weights = [], []
        for source, target, kind, partnership_kind in zip(
                relations.sources, relations.targets, relations.types, relations.kinds,
                strict=True):
            if kind in COLLABORATION and source in index and target in index \
                    and source != target:
                edges.append((index[source], index[target]))
                weights.append(strength_of(kind, partnership_kind))
        g = ig.Graph(n=len(index), edges=edges, edge_attrs={"weight": weights})
        g.simplify(combine_edges={"weight": "sum"})
        return g, index

    g, index = clock.run("projection", build)

    def densities() -> list[tuple[float, float, float, int]]:
        found = []
        for by in ("industry", "region"):
            for group in groups_by(p, by):
                sub = g.induced_subgraph([index[m] for m in group.members])
                found.append((sub.density(), sum(sub.es["weight"]) if sub.ecount() else 0.0,
                              sub.transitivity_avglocal_undirected(mode="zero"),
                              sum(1 for d in sub.degree() if d == 0)))
        return found

    clock.run("densities (industry, region)", densities)
    clock.run(f"centrality (betweenness k={len(sample)})", lambda: (
        g.degree(), g.strength(weights="weight"), g.pagerank(weights="weight"),
        g.betweenness(directed=False, sources=[index[s] for s in sample])))
    ig.set_random_number_generator(random.Random(seed))
    found = clock.run("communities (Louvain)", lambda: g.community_multilevel(weights="weight"))
    print(f"  igraph multilevel: {len(found):,} communities, modularity {found.modularity:.4f}",
          flush=True)
    return clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=500_000)
    parser.add_argument("--sources", type=int, default=16, help="betweenness sample size")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="innograph-analytics-"))
    try:
        started = time.perf_counter()
        eco = generate(args.entities, args.relations, seed=args.seed)
        files = write_csv(eco, work / "data")
        del eco
        with open_store(work / "store") as store:
            summary = load_paths(store, list(files))
            assert summary.rejected == 0, summary.rejects[:3]
            print(f"setup: {args.entities:,} entities, {args.relations:,} relations generated "
                  f"and ingested in {time.perf_counter() - started:.0f}s", flush=True)
            ours, p, sample = innograph_pass(store, args.sources, args.seed)
            print(f"  projection: {p.graph.number_of_nodes():,} actors, "
                  f"{p.graph.number_of_edges():,} collaboration edges", flush=True)
            theirs = igraph_pass(store, p, sample, args.seed)
        common = list(theirs.steps)
        wall, cpu = ours.total()
        print(f"innograph full pass: {wall:.1f}s wall, {cpu:.1f}s cpu (target ≤ 60 s)")
        for name in common:
            print(f"  ratio {name:<34} {ours.steps[name][1] / theirs.steps[name][1]:8.1f}x cpu")
        ours_common, theirs_common = ours.total(common)[1], theirs.total(common)[1]
        print(f"ratio innograph / igraph, steps both do: {ours_common / theirs_common:.1f}x cpu "
              f"({ours_common:.1f}s vs {theirs_common:.1f}s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
