"""Partner recommendation on a real network, temporal split: the past as the graph, the
ties that formed later as the answers.

Data: a real co-participation network of :mod:`bench.networks` (``--network``, default
``h2020``: CORDIS Horizon 2020, European Commission, CORDIS, 2020-12-14, CC BY 4.0;
processed by zambujo/eunets, MIT; ``fp7`` and ``horizon`` from a copy of CORDIS's dump
passed with ``--data``), loaded through the real ingest into a real store, projected with
``ProjectionFilter(year_to=graph_to)``.

Protocol (fixed before the first run; the shipped model was fitted on H2020's training
period by ``bench/partner_train.py`` — graph up to 2017, labels 2018 — and never saw what
this script reads from 2019 on; the years below are H2020's, each network's are in
:mod:`bench.networks`):

- graph: ties first formed in projects started up to ``graph_to`` (2018);
- answers: pairs first tied from ``answers_from`` (2019) on, both of whose
  organisations already had a tie by 2018 (the pairs a ranker over the 2018 graph could
  name);
- queries: :data:`QUERIES` organisations with at least one answer, drawn with seed
  :data:`SEED`; each asked for ten new partners among every organisation of the 2018 graph
  that is not itself or already its partner;
- hit@10: share of queries with at least one answer in their ten; precision@10: answers in
  the ten / 10; AUC: per query, the probability that an answer scores above a non-partner
  drawn uniformly (:data:`NEGATIVES` per query; ties ½), averaged over queries;
- 95 % intervals: bootstrap over queries (:data:`BOOTSTRAP` resamples, seeded); paired
  differences and the precision ratio are bootstrapped on the same resamples;
- baselines, scored over the same candidates, ties broken by one seeded random order of
  the organisations: common neighbours |N(u) ∩ N(v)|; Adamic-Adar Σ 1/log deg(z);
  resource allocation Σ 1/deg(z); recent common neighbours (a shared partner counts twice
  when its tie to the candidate was first formed in the graph's last year); weighted
  resource allocation Σ w(u,z)·w(z,v)/W(z), w a tie's shared projects, each halved for
  every year of age (the ties' history; W(z) = Σ w of z's ties); Katz
  Σ_{k=1..4} β^k·paths_k(u, v), β = :data:`KATZ_BETA`; personalised PageRank from u
  (restart 0.15, :data:`PPR_STEPS` power steps); most connected (degree); recently
  active (ties first formed in the graph's last year).

The innograph ranker is the product's :class:`~graph.analytics.Recommender` with the
shipped model (or ``--model``: a model file ``bench/partner_train.py --out`` wrote, for a
second line), every organisation type a candidate (and, for comparison, the same class
with the hand score, ``model=None``); its queries go through
``recommend(u, 10)`` (errors are counted, not skipped) and its AUC through ``scores``.

Run: ``.venv/bin/python -m bench.partner_eval [--network h2020] [--data PATH]
[--queries 300] [--model PATH]``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from graph.analytics import ACTOR_TYPES, ProjectionFilter, Recommender, project
from graph.analytics.partner_features import sparse_pagerank
from graph.analytics.partner_model import PartnerModel
from graph.analytics.recommend import SHIPPED_MODEL
from graph.store import open_store
from schema import EntityType

from .networks import NETWORKS, add_arguments

QUERIES = 300
SEED = 2019
NEGATIVES = 100
BOOTSTRAP = 2000
TOP = 10
KATZ_BETA = 0.005
PPR_STEPS = 30
CANDIDATES = frozenset(ACTOR_TYPES - {EntityType.person})
RANKERS = ("innograph", "innograph hand score", "common neighbours", "Adamic-Adar",
           "resource allocation", "recent common neighbours", "weighted resource allocation",
           "Katz", "personalised PageRank", "most connected", "recently active")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.add_argument("--queries", type=int, default=QUERIES)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--model", type=Path, default=None,
                        help="a model file (bench.partner_train --out) instead of the shipped")
    args = parser.parse_args()
    network = NETWORKS[args.network]
    graph_to, answers_from = network.graph_to, network.answers_from
    model: PartnerModel | str = SHIPPED_MODEL
    if args.model is not None:
        model = PartnerModel.from_json(json.loads(args.model.read_text(encoding="utf-8")))
    started = time.perf_counter()
    path = network.store(args.data)
    print(f"{network.name} ({network.title}); model: {args.model or 'shipped'}; store ready "
          f"({time.perf_counter() - started:.1f}s): {path}", flush=True)
    with open_store(path) as store:
        t0 = time.perf_counter()
        past = project(store, ProjectionFilter(year_to=graph_to))
        t1 = time.perf_counter()
        ranks = sparse_pagerank(past)  # as the API and the CLI
        t2 = time.perf_counter()
        recommender = Recommender(past, ranks, candidate_types=CANDIDATES, model=model)
        t3 = time.perf_counter()
        hand = Recommender(past, ranks, candidate_types=CANDIDATES)  # model=None
        later = project(store, ProjectionFilter(year_from=answers_from))
    graph = past.graph
    index = recommender.index
    assert index is not None
    present = index.degree > 0
    answers: dict[int, set[int]] = {}
    for u, v in later.graph.edges:
        i, j = index.index[u], index.index[v]
        if present[i] and present[j] and not graph.has_edge(u, v):
            answers.setdefault(i, set()).add(j)
            answers.setdefault(j, set()).add(i)
    rng = np.random.default_rng(args.seed)
    asked = np.array(sorted(answers))
    queries = rng.choice(asked, size=min(args.queries, len(asked)), replace=False)
    universe = np.flatnonzero(present)
    print(f"graph ≤ {graph_to}: {int(present.sum()):,} organisations with ties, "
          f"{graph.number_of_edges():,} ties; answers from {answers_from}: "
          f"{sum(map(len, answers.values())) // 2:,} new ties among them, "
          f"{len(asked):,} organisations with one or more; {len(queries)} queries "
          f"(seed {args.seed})", flush=True)
    first = time.perf_counter()
    recommender.recommend(index.nodes[int(queries[0])], TOP)
    t4 = time.perf_counter()
    print(f"latency (cold, this process): projection {t1 - t0:.2f}s, PageRank (sparse) "
          f"{t2 - t1:.2f}s, recommender with its feature index {t3 - t2:.2f}s, first "
          f"recommendation {t4 - first:.3f}s; from nothing to the first answer "
          f"{t1 - t0 + t3 - t1 + t4 - first:.2f}s", flush=True)

    baselines = _baselines(index.linked, index.degree, index.recent, index.activity,
                           index.decayed, index.decayed_inverse)
    order = np.random.default_rng(args.seed + 1).permutation(len(index.nodes))
    per: dict[str, list[tuple[float, float, float]]] = {name: [] for name in RANKERS}
    errors: list[str] = []
    timings: list[float] = []
    for q in queries:
        u = index.nodes[int(q)]
        truth = answers[int(q)]
        partners = set(index.linked[[int(q)]].indices.tolist())
        allowed = universe[~np.isin(universe, [*partners, int(q)])]
        non = allowed[~np.isin(allowed, list(truth))]
        negatives = rng.choice(non, size=min(NEGATIVES, len(non)), replace=False)
        positives = np.array(sorted(truth))
        for name, ranker in (("innograph", recommender), ("innograph hand score", hand)):
            try:
                t = time.perf_counter()
                top = [index.index[r.entity.id] for r in ranker.recommend(u, TOP)]
                if ranker is recommender:
                    timings.append(time.perf_counter() - t)
                ids = [index.nodes[i] for i in (*positives, *negatives)]
                scored = ranker.scores(u, ids)
                s = np.array([scored[v] for v in ids])
                per[name].append(_figures(top, truth, s[:len(positives)],
                                          s[len(positives):]))
            except Exception as e:  # counted: the target is no query answered with an error
                errors.append(f"{name}, {u}: {type(e).__name__}: {e}")
                per[name].append((0.0, 0.0, 0.5))
        for name, score in baselines.items():
            vector = score(int(q))
            ranked = allowed[np.lexsort((order[allowed], -vector[allowed]))[:TOP]]
            per[name].append(_figures(ranked.tolist(), truth, vector[positives],
                                      vector[negatives]))
    report(per, errors, timings)


def _baselines(linked: sp.csr_array, degree: np.ndarray, recent: sp.csr_array,
               activity: np.ndarray, decayed: sp.csr_array,
               decayed_inverse: np.ndarray) -> dict[str, Callable[[int], np.ndarray]]:
    inverse = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
    log_degree = np.log(np.maximum(degree, 1.0))
    inverse_log = np.divide(1.0, log_degree, out=np.zeros_like(log_degree),
                            where=log_degree > 0)
    step = sp.csr_array(sp.diags_array(inverse) @ linked)  # row z: 1/deg(z) on its ties

    def row(q: int) -> np.ndarray:
        a = np.zeros(linked.shape[0])
        a[q] = 1.0
        return a

    def neighbours(q: int) -> np.ndarray:
        return linked @ row(q)

    def katz(q: int) -> np.ndarray:
        walk, total = row(q), np.zeros(linked.shape[0])
        for k in range(1, 5):
            walk = linked @ walk
            total += KATZ_BETA ** k * walk
        return total

    def ppr(q: int) -> np.ndarray:
        start = row(q)
        x = start.copy()
        for _ in range(PPR_STEPS):
            x = 0.15 * start + 0.85 * (step.T @ x)
        return x

    return {
        "common neighbours": lambda q: linked @ neighbours(q),
        "Adamic-Adar": lambda q: linked @ (neighbours(q) * inverse_log),
        "resource allocation": lambda q: linked @ (neighbours(q) * inverse),
        # a shared partner counts twice when its tie to the candidate is of the last year
        "recent common neighbours": lambda q: (linked + recent) @ neighbours(q),
        # resource allocation over the ties' history: shared projects, halved a year of age
        "weighted resource allocation": lambda q: decayed @ ((decayed @ row(q))
                                                             * decayed_inverse),
        "Katz": katz,
        "personalised PageRank": ppr,
        "most connected": lambda q: degree,
        "recently active": lambda q: activity,
    }


def _figures(top: list[int], truth: set[int], positive: np.ndarray,
             negative: np.ndarray) -> tuple[float, float, float]:
    found = sum(1 for v in top if v in truth)
    wins = (positive[:, None] > negative[None, :]).mean() \
        + 0.5 * (positive[:, None] == negative[None, :]).mean()
    return float(found > 0), found / TOP, float(wins)


def report(per: dict[str, list[tuple[float, float, float]]], errors: list[str],
           timings: list[float]) -> None:
    figures = {name: np.array(rows) for name, rows in per.items()}
    n = len(next(iter(figures.values())))
    picks = np.random.default_rng(SEED + 2).integers(0, n, size=(BOOTSTRAP, n))

    def interval(values: np.ndarray) -> str:
        means = values[picks].mean(axis=1)
        low, high = np.percentile(means, [2.5, 97.5])
        return f"{values.mean():.3f} [{low:.3f}, {high:.3f}]"

    print(f"\n| ranker ({n} queries; 95 % bootstrap interval) | hit@{TOP} | precision@{TOP} "
          "| AUC |")
    print("|---|---:|---:|---:|")
    for name, rows in figures.items():
        print(f"| {name} | {interval(rows[:, 0])} | {interval(rows[:, 1])} | "
              f"{interval(rows[:, 2])} |")
    ours = figures["innograph"]
    best = max(("common neighbours", "Adamic-Adar"), key=lambda k: figures[k][:, 1].mean())
    theirs = figures[best]
    print(f"\npaired, innograph − {best} (the better of CN and AA on precision@{TOP}):")
    for column, label in ((0, f"hit@{TOP}"), (1, f"precision@{TOP}"), (2, "AUC")):
        print(f"  {label:<14} {interval(ours[:, column] - theirs[:, column])}")
    ratios = ours[picks, 1].mean(axis=1) / theirs[picks, 1].mean(axis=1)
    low, high = np.percentile(ratios, [2.5, 97.5])
    print(f"  precision ratio {ours[:, 1].mean() / theirs[:, 1].mean():.2f} "
          f"[{low:.2f}, {high:.2f}] (target ≥ 1.2)")
    print(f"errors: {len(errors)}" + "".join(f"\n  {e}" for e in errors[:5]))
    if timings:
        print(f"recommend(u, {TOP}) with explanations: median {np.median(timings) * 1000:.0f} ms,"
              f" max {max(timings) * 1000:.0f} ms over {len(timings)} queries")


if __name__ == "__main__":
    main()
