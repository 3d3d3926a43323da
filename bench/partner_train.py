"""Fit the partner ranker's boosted trees on a real network's own past.

Protocol (training period only: nothing from the network's answer years on is read; the
years below are H2020's, the shipped model's, each network's are in :mod:`bench.networks`):

- features are computed on the graph of ties first formed up to ``train_graph_to`` (2017),
  through the real store and projection (``ProjectionFilter(year_to=2017)``), each tie's
  history trimmed to those years;
- labels: pairs first tied in ``train_labels`` (2018) among organisations that already have
  a tie by 2017;
- queries: :data:`QUERIES` organisations with at least one such new tie, drawn with seed
  :data:`SEED`; the first 80 % give training rows, the other 20 % are a validation set
  (hit@10 and precision@10 against common neighbours, Adamic-Adar, resource allocation and
  most connected, and the history features :data:`SINGLES` alone, printed; used to choose
  the split, the features, the pool and the tree size, never the 2019+ answers);
- training rows: per query its pool (:func:`graph.analytics.partner_model.pool_of`: the
  :data:`~graph.analytics.partner_model.POOL` candidates with the most shared partners,
  then resource, among those with one), labelled 1 for a true new partner;
- fit: scikit-learn's histogram gradient boosting (log loss, :data:`TREES` trees of
  :data:`LEAVES` leaves, rate :data:`RATE`, seed 0; training only), exported as node
  arrays and checked to give scikit-learn's logits.

Run: ``.venv/bin/python -m bench.partner_train [--network h2020] [--data PATH] [--write |
--out PATH]`` (``--write`` replaces ``graph/analytics/partner_model.json``; ``--out`` writes
the model elsewhere, for ``bench.partner_eval --model``; needs scikit-learn, which the
product does not).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from graph.analytics import ProjectionFilter, project
from graph.analytics.partner_features import FEATURES, PartnerIndex
from graph.analytics.partner_model import POOL, SHIPPED, PartnerModel, Tree, pool_of
from graph.store import open_store

from . import cordis
from .networks import NETWORKS, RealNetwork, add_arguments

QUERIES = 5000  # every organisation with a new tie in the label years (4,135)
SEED = 2017
LEAVES = 31
TREES = 200
RATE = 0.05
#: single features whose precision the validation prints beside the baselines
SINGLES = ("shared_strength", "resource_strength", "three_strength", "shared_repeat")


def labelled_period(store_path: Path, graph_to: int, labels: tuple[int, int]) -> tuple[
        PartnerIndex, np.ndarray, dict[int, set[int]]]:
    """The index of the graph up to ``graph_to``, the present organisations (a tie by
    then) and, per present organisation, its new partners first tied within ``labels``."""
    with open_store(store_path) as store:
        past = project(store, ProjectionFilter(year_to=graph_to))
        later = project(store, ProjectionFilter(year_from=labels[0], year_to=labels[1]))
    index = PartnerIndex(past)
    present = index.degree > 0
    answers: dict[int, set[int]] = {}
    for u, v in later.graph.edges:
        i, j = index.index[u], index.index[v]
        if present[i] and present[j] and not past.graph.has_edge(u, v):
            answers.setdefault(i, set()).add(j)
            answers.setdefault(j, set()).add(i)
    return index, np.flatnonzero(present), answers


def candidates_of(index: PartnerIndex, universe: np.ndarray, query: int) -> np.ndarray:
    partners = index.linked[[query]].indices
    drop = np.concatenate([partners, [query]])
    return universe[~np.isin(universe, drop)]


def rows_for(index: PartnerIndex, universe: np.ndarray, answers: dict[int, set[int]],
             queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Training rows and labels: per query its pool (:func:`pool_of`), every member a
    row, labelled 1 when it is a true new partner."""
    xs, ys = [], []
    for q in queries:
        cands = candidates_of(index, universe, int(q))
        found = index.features([index.nodes[q]], cands)
        pool = pool_of(found.values, POOL)
        xs.append(found.values[pool])
        ys.append(np.isin(cands[pool], list(answers[int(q)])).astype(np.float64))
    return np.vstack(xs), np.concatenate(ys)


def fit(x: np.ndarray, y: np.ndarray, network: RealNetwork) -> PartnerModel:
    """Boosted trees (scikit-learn's histogram gradient boosting, log loss, fixed seed;
    training only) exported as node arrays for :class:`PartnerModel`, checked to give
    scikit-learn's own logits."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    clf = HistGradientBoostingClassifier(
        max_leaf_nodes=LEAVES, max_iter=TREES, learning_rate=RATE, random_state=0,
        early_stopping=False)
    clf.fit(x, y)
    trees = tuple(_exported(predictors[0].nodes) for predictors in clf._predictors)
    first, last = network.train_labels
    name = "CORDIS H2020" if network.name == "h2020" else network.title
    model = PartnerModel(float(np.ravel(clf._baseline_prediction)[0]), trees, POOL,
                         trained_on=f"{name} co-participation (consortia of 2–"
                         f"{cordis.MAX_CONSORTIUM}): features on ties up to "
                         f"{network.train_graph_to}, labels = new ties {first}–{last}; "
                         f"{len(y)} rows, "
                         f"{int(y.sum())} positive (pools of {POOL}); {TREES} trees of "
                         f"{LEAVES} leaves, rate {RATE}")
    check = x[:: max(len(x) // 5000, 1)]
    gap = np.abs(model.logits(check) - clf.decision_function(check)).max()
    if gap > 1e-6:
        raise RuntimeError(f"exported trees differ from scikit-learn's by {gap}")
    return model


def _exported(nodes: np.ndarray) -> Tree:
    """One scikit-learn predictor as node arrays; every inner node's value is the
    training-count-weighted mean of its children's (so that the path effects add up)."""
    leaf = nodes["is_leaf"].astype(bool)
    left = np.where(leaf, -1, nodes["left"].astype(np.int64))
    right = np.where(leaf, -1, nodes["right"].astype(np.int64))
    value = nodes["value"].astype(np.float64).copy()
    count = nodes["count"].astype(np.float64).copy()
    for i in sorted(np.flatnonzero(~leaf), key=lambda i: -int(nodes["depth"][i])):
        a, b = left[i], right[i]
        count[i] = count[a] + count[b]
        value[i] = (value[a] * count[a] + value[b] * count[b]) / max(count[i], 1.0)
    return Tree(np.where(leaf, 0, nodes["feature_idx"]).astype(np.int64),
                np.where(leaf, 0.0, nodes["num_threshold"]).astype(np.float64), left, right,
                value)


def validate(index: PartnerIndex, universe: np.ndarray, answers: dict[int, set[int]],
             queries: np.ndarray, model: PartnerModel) -> dict[str, tuple[float, float]]:
    """hit@10 and precision@10 on validation queries (training period)."""
    log_degree = np.log(np.maximum(index.degree, 1.0))
    inv_log = np.divide(1.0, log_degree, out=np.zeros_like(log_degree), where=log_degree > 0)
    inv = np.divide(1.0, index.degree, out=np.zeros_like(index.degree), where=index.degree > 0)
    tally: dict[str, list[tuple[float, float]]] = {}
    rng = np.random.default_rng(0)
    for q in queries:
        cands = candidates_of(index, universe, int(q))
        found = index.features([index.nodes[q]], cands)
        a = index.linked[[q]].toarray().ravel()
        pool = np.zeros(len(cands))
        pool[pool_of(found.values, model.pool)] = 1.0
        scores = {
            "learned": pool * 1e6 + model.logits(found.values),
            "common neighbours": found.values[:, 1],
            "adamic-adar": ((a * inv_log) @ index.linked)[cands],
            "resource allocation": ((a * inv) @ index.linked)[cands],
            "most connected": index.degree[cands]}
        for single in SINGLES:  # one history feature alone (information)
            scores[single] = found.values[:, FEATURES.index(single)]
        truth = np.isin(cands, list(answers[int(q)]))
        noise = rng.random(len(cands))
        for name, s in scores.items():
            top = np.lexsort((noise, -s))[:10]
            hits = truth[top].sum()
            tally.setdefault(name, []).append((float(hits > 0), hits / 10))
    return {name: (float(np.mean([h for h, _ in v])), float(np.mean([p for _, p in v])))
            for name, v in tally.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    written = parser.add_mutually_exclusive_group()
    written.add_argument("--write", action="store_true", help="replace the shipped model")
    written.add_argument("--out", type=Path, default=None,
                         help="write the model here (for bench.partner_eval --model)")
    args = parser.parse_args()
    network = NETWORKS[args.network]
    started = time.perf_counter()
    index, universe, answers = labelled_period(network.store(args.data),
                                               network.train_graph_to, network.train_labels)
    rng = np.random.default_rng(SEED)
    asked = np.array(sorted(answers))
    queries = rng.choice(asked, size=min(QUERIES, len(asked)), replace=False)
    cut = int(0.8 * len(queries))
    x, y = rows_for(index, universe, answers, queries[:cut])
    model = fit(x, y, network)
    first, last = network.train_labels
    print(f"{network.name}: graph ≤ {network.train_graph_to}: {len(universe):,} organisations "
          f"with ties; {len(asked):,} with new ties {first}–{last}; {len(y):,} training rows "
          f"({int(y.sum()):,} positive) ({time.perf_counter() - started:.1f}s)")
    print(f"  {len(model.trees)} trees, average logit {model.average:+.3f}")
    print(f"validation ({len(queries) - cut} queries of the training period): hit@10 / p@10")
    for name, (hit, precision) in validate(index, universe, answers, queries[cut:],
                                           model).items():
        print(f"  {name:<20} {hit:.3f} / {precision:.3f}")
    target = SHIPPED if args.write else args.out
    if target is not None:
        target.write_text(json.dumps(model.to_json(), ensure_ascii=False,
                                     separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
