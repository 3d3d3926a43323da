"""Recommendation quality: hide 20 % of partnership ties, recommend, count what comes back.

Protocol (seeded): among partnerships whose two ends are candidate types, hide a random
20 % of the partner pairs (every partnership relation between them, both directions);
build the projection from the rest; for each hidden pair (u, v), rank candidates for u.

- hits@10: share of hidden pairs whose v is in u's top 10;
- AUC: probability that the score of a hidden pair (u, v) exceeds that of (u, w) for a
  random non-partner w of the same type set (ties count half).

Rankers: the project's :class:`~graph.analytics.Recommender`; plain common neighbours
(ties broken at random); random. All rank the same universe: actors of the candidate
types that are not u or u's remaining partners. The score weights were fixed before this
evaluation was first run and are not tuned on it.

Run: ``.venv/bin/python -m bench.recommend_eval [--entities 5000 --relations 25000]``
(also ``--wenzhou`` for the curated sample).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.analytics import (
    PARTNER_TYPES,
    Projection,
    Recommender,
    ScoreWeights,
    build_projection,
    pagerank,
)
from schema import Entity, EntityType, Relation, RelationType

from .ecosystem import generate

HIDE = 0.2
TOP = 10


@dataclass
class Scores:
    hits: int = 0
    wins: float = 0.0
    pairs: int = 0

    def line(self, name: str) -> str:
        return (f"{name:<22} hits@{TOP} {self.hits / self.pairs:6.3f}   "
                f"AUC {self.wins / self.pairs:6.3f}")


def split(relations: Sequence[Relation], kinds: dict[str, EntityType],
          candidate_types: frozenset[EntityType], seed: int) -> tuple[
        list[Relation], list[tuple[str, str]]]:
    """Training relations and the hidden (u, v) pairs."""
    rng = random.Random(seed)
    pairs = sorted({tuple(sorted((r.source, r.target))) for r in relations
                    if r.type is RelationType.partnership
                    and kinds[r.source] in candidate_types and kinds[r.target] in candidate_types})
    hidden = set(rng.sample(pairs, round(HIDE * len(pairs))))
    train = [r for r in relations if not (r.type is RelationType.partnership
                                          and tuple(sorted((r.source, r.target))) in hidden)]
    oriented = [(a, b) if rng.random() < 0.5 else (b, a) for a, b in sorted(hidden)]
    return train, oriented


def evaluate(entities: list[Entity], relations: list[Relation], seed: int,
             candidate_types: frozenset[EntityType] = PARTNER_TYPES,
             max_queries: int = 1000, weights: ScoreWeights | None = None) -> dict[str, Scores]:
    kinds = {e.id: e.type for e in entities}
    train, hidden = split(relations, kinds, candidate_types, seed)
    projection = build_projection(entities, train)
    graph = projection.graph
    # a pair still tied by another relation (e.g. 依托) is not hidden: drop it
    hidden = [(u, v) for u, v in hidden if not graph.has_edge(u, v)]
    rng = random.Random(seed + 1)
    if len(hidden) > max_queries:
        hidden = rng.sample(hidden, max_queries)
    recommender = Recommender(projection, pagerank(projection), weights,
                              candidate_types=candidate_types)
    universe = sorted(v for v in graph if kinds[v] in candidate_types)
    full = build_projection(entities, relations).graph

    def common(u: str, v: str) -> float:
        return float(len(set(graph.adj[u]) & set(graph.adj[v])))

    results = {name: Scores() for name in ("innograph ranker", "common neighbours", "random")}
    for u, v in hidden:
        excluded = {u, *graph.adj[u]}
        negative = rng.choice(universe)
        while negative in excluded or full.has_edge(u, negative):
            negative = rng.choice(universe)
        top = {r.entity.id for r in recommender.recommend(u, TOP, explain=False)}
        _tally(results["innograph ranker"], v in top,
               recommender.pair_score(u, v), recommender.pair_score(u, negative))
        _tally(results["common neighbours"], _cn_hit(projection, u, v, excluded, universe,
                                                      common, rng),
               common(u, v), common(u, negative))
        draw = rng.random
        _tally(results["random"], rng.random() < TOP / (len(universe) - len(excluded)),
               draw(), draw())
    return results


def _cn_hit(projection: Projection, u: str, v: str, excluded: set[str], universe: list[str],
            common: Callable[[str, str], float], rng: random.Random) -> bool:
    """Whether v makes u's top 10 by common neighbours, ties broken at random."""
    graph = projection.graph
    scored = {w: common(u, w) for z in graph.adj[u] for w in graph.adj[z]
              if w not in excluded and w in projection.graph}
    allowed = set(universe)
    mine = common(u, v)
    better = sum(1 for w, s in scored.items() if s > mine and w in allowed)
    if better >= TOP:
        return False
    tied = sum(1 for w, s in scored.items() if s == mine and w in allowed) if mine > 0 else \
        len(allowed - excluded) - sum(1 for w, s in scored.items() if s > 0 and w in allowed)
    return rng.random() < (TOP - better) / max(tied, 1)


def _tally(scores: Scores, hit: bool, positive: float, negative: float) -> None:
    scores.pairs += 1
    scores.hits += hit
    scores.wins += 1.0 if positive > negative else 0.5 if positive == negative else 0.0


def wenzhou_records() -> tuple[list[Entity], list[Relation]]:
    import tempfile

    from graph.store import open_store
    from ingest.loader import load_paths

    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "s") as store:
        load_paths(store, [Path(__file__).resolve().parents[1] / "data" / "wenzhou"])
        return list(store.iter_entities()), list(store.iter_relations())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--relations", type=int, default=25000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--wenzhou", action="store_true", help="Evaluate on the sample too.")
    args = parser.parse_args()
    for seed in args.seeds:
        started = time.perf_counter()
        eco = generate(args.entities, args.relations, seed=seed)
        results = evaluate(eco.entities, list(eco.relations.values()), seed)
        pairs = results["random"].pairs
        print(f"synthetic {args.entities:,}/{args.relations:,}, seed {seed}: {pairs} hidden "
              f"pairs ({time.perf_counter() - started:.1f}s)")
        for name, found in results.items():
            print("  " + found.line(name))
    if args.wenzhou:
        entities, relations = wenzhou_records()
        # the sample's partners are mostly governments and parks: let every organisation
        # be a candidate
        types = frozenset(EntityType) - {EntityType.person, EntityType.industry,
                                         EntityType.chain_segment, EntityType.region}
        for seed in args.seeds:
            results = evaluate(entities, relations, seed, candidate_types=types)
            print(f"wenzhou sample, seed {seed}: {results['random'].pairs} hidden pairs")
            for name, found in results.items():
                print("  " + found.line(name))


if __name__ == "__main__":
    main()
