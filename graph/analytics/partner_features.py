"""What the data holds about a possible partnership, as numbers: one row per candidate.

For a query Q (one actor, or a segment's members) and every candidate v, computed at once
for all candidates with sparse vector–matrix products (no loop over candidates):

- ``resource`` r₂(v): weighted resource allocation over shared partners
  (:mod:`.evidence`; with every tie strength 1, Σ 1/deg(z));
- ``shared``: the number of shared partners (common neighbours);
- ``shared_recent``: Q's partners tied to v by a tie first formed in the graph's last
  :data:`RECENT_YEARS` years (v joined Q's partners' work lately);
- ``three_step`` r₃(v): resource over paths of three ties;
- ``degree``: v's number of partners (how connected: the most-connected baseline);
- ``activity``: v's ties first formed in the graph's latest year (who forms ties now);
- ``recency``: years since v's latest new tie (0 = in the graph's last year; capped at
  :data:`STALE`; :data:`STALE` when the graph has no dated ties or v none);
- ``type_affinity``: how much more often than by chance ties join Q's type and v's type in
  this graph — log of observed over expected ties, expected from each type's summed
  degree (a university for a firm, where that is what the graph shows);
- ``type_share``: the share of Q's partners that have v's type;
- ``region``: Jaccard overlap of Q's and v's regions (at every level, as the catalog has
  them: same country, same district);
- ``region_share``: the share of Q's partners that lie in v's home region (its most
  specific one, at any depth: a partner in 瓯海区 lies in 温州市);
- ``query_degree``, ``query_activity``: Q's own partners and ties formed in the last
  :data:`RECENT_YEARS` years (the same for every candidate of a query: they let the model
  read the other features relative to the query — three shared partners say more for a
  query with five partners than for one with five hundred).

Types and regions come from the catalog, tie years from the projection's ``years``; a
graph without years or regions gives those features one value for every candidate, so
they neither help nor hurt there.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .projection import Projection

__all__ = ["FEATURES", "RECENT_YEARS", "STALE", "CandidateFeatures", "PartnerIndex",
           "sparse_pagerank"]

FEATURES: tuple[str, ...] = (
    "resource", "shared", "shared_recent", "three_step", "degree", "activity", "recency",
    "type_affinity", "type_share", "region", "region_share", "query_degree",
    "query_activity", "shared_strength", "resource_strength", "three_strength",
    "shared_repeat", "repeat_rate", "formation", "projects_recent")
#: a tie's weight in the history features halves with every year of age
HALF_LIFE = 1.0
#: ties first formed in the graph's last this many years count as activity (1: its
#: latest year)
RECENT_YEARS = 1
#: recency cap, in years
STALE = 5.0


@dataclass(frozen=True)
class CandidateFeatures:
    """Feature rows (``values[i]`` in :data:`FEATURES` order) of the candidates
    ``index[i]`` (node positions of the :class:`PartnerIndex`)."""

    index: np.ndarray
    values: np.ndarray

    def row(self, i: int) -> dict[str, float]:
        return {name: float(x) for name, x in zip(FEATURES, self.values[i], strict=True)}


class PartnerIndex:
    """Per-projection arrays for :data:`FEATURES`, built once (one pass over the edges)."""

    def __init__(self, projection: Projection) -> None:
        adjacency = projection.sparse()
        self.index = adjacency.index
        self.nodes = list(adjacency.index)
        n = len(self.nodes)
        weights = adjacency.weights
        self.weights = weights
        strength = np.asarray(weights.sum(axis=1)).ravel()
        inverse = np.divide(1.0, strength, out=np.zeros_like(strength), where=strength > 0)
        self.step = sp.csr_array(sp.diags_array(inverse) @ weights)
        linked = weights.copy()
        linked.data = np.ones_like(linked.data)
        self.linked = sp.csr_array(linked)
        self.degree = np.asarray(linked.sum(axis=1)).ravel()
        # tie years: first year of each edge; activity and recency per node
        first = np.full(n, -1, dtype=np.int64)  # latest first-tie year per node
        pair, year_arr = _first_years(projection)
        self.latest_year: int | None = int(year_arr.max()) if len(year_arr) else None
        self.activity = np.zeros(n)
        self.recent = sp.csr_array((n, n))
        if self.latest_year is not None:
            recent = year_arr > self.latest_year - RECENT_YEARS
            for column in (0, 1):
                np.maximum.at(first, pair[:, column], year_arr)
                np.add.at(self.activity, pair[recent, column], 1.0)
            a, b = pair[recent, 0], pair[recent, 1]
            self.recent = sp.csr_array((np.ones(2 * len(a)), (np.concatenate([a, b]),
                                                              np.concatenate([b, a]))),
                                       shape=(n, n))
            self.recency = np.where(first >= 0, np.minimum(self.latest_year - first, STALE),
                                    STALE).astype(np.float64)
        else:
            self.recency = np.full(n, STALE)
        self._history(projection, n)
        # types
        catalog = projection.catalog
        kinds = sorted({catalog.info(v).type.value for v in self.nodes})
        self.type_names = kinds
        code = {k: i for i, k in enumerate(kinds)}
        self.type_code = np.fromiter((code[catalog.info(v).type.value] for v in self.nodes),
                                     dtype=np.int64, count=n)
        self.type_affinity = _mixing(self.linked, self.type_code, len(kinds))
        # regions: node × region incidence
        regions = sorted({r for v in self.nodes for r in catalog.regions_of.get(v, ())})
        self.region_names = regions
        where = {r: i for i, r in enumerate(regions)}
        rows, cols = [], []
        for i, v in enumerate(self.nodes):
            for r in catalog.regions_of.get(v, ()):
                rows.append(i)
                cols.append(where[r])
        self.regions = sp.csr_array((np.ones(len(rows)), (rows, cols)),
                                    shape=(n, max(len(regions), 1)))
        self.region_count = np.asarray(self.regions.sum(axis=1)).ravel()
        nowhere = self.regions.shape[1]
        self.home = np.fromiter((where.get(catalog.home_region.get(v, ""), nowhere)
                                 for v in self.nodes), dtype=np.int64, count=n)

    def _history(self, projection: Projection, n: int) -> None:
        """Arrays of the ties' history (:func:`_observations`): recency-decayed strength
        (shared projects, halved each :data:`HALF_LIFE` years of age) as a matrix, the
        repeated ties (seen twice or more) as a 0/1 matrix, and per node its share of
        repeated ties, its new ties of the last two years per partner, and its observations
        in the latest year. A graph without years gives all of them one value."""
        ends, years, counts, edge = _observations(projection)
        latest = int(years.max()) if len(years) else None
        edges = len(ends)
        age = (latest or 0) - years
        decayed = np.bincount(edge, weights=counts * 0.5 ** (age / HALF_LIFE),
                              minlength=edges) if latest is not None else np.zeros(edges)
        seen = np.bincount(edge, weights=counts, minlength=edges)
        a, b = (ends[:, 0], ends[:, 1]) if edges else (np.empty(0, np.int64),) * 2

        def symmetric(values: np.ndarray) -> sp.csr_array:
            keep = values > 0
            return sp.csr_array((np.concatenate([values[keep], values[keep]]),
                                 (np.concatenate([a[keep], b[keep]]),
                                  np.concatenate([b[keep], a[keep]]))), shape=(n, n))

        self.decayed = symmetric(decayed)
        decayed_strength = np.asarray(self.decayed.sum(axis=1)).ravel()
        self.decayed_inverse = np.divide(1.0, decayed_strength,
                                         out=np.zeros_like(decayed_strength),
                                         where=decayed_strength > 0)
        self.decayed_step = sp.csr_array(sp.diags_array(self.decayed_inverse) @ self.decayed)
        repeated = (seen >= 2).astype(np.float64)
        self.repeated = symmetric(repeated)
        partners = np.maximum(self.degree, 1.0)
        self.repeat_rate = np.asarray(self.repeated.sum(axis=1)).ravel() / partners
        self.formation = np.zeros(n)
        self.projects_recent = np.zeros(n)
        if latest is not None:
            pair, first = _first_years(projection)
            new = first >= latest - 1
            for column in (0, 1):
                np.add.at(self.formation, pair[new, column], 1.0)
                now = years == latest
                np.add.at(self.projects_recent, ends[edge[now], column], counts[now])
            self.formation /= partners

    def positions(self, ids: Collection[str]) -> np.ndarray:
        return np.fromiter((self.index[v] for v in ids), dtype=np.int64, count=len(ids))

    def features(self, own: Collection[str], candidates: np.ndarray) -> CandidateFeatures:
        """The feature rows of ``candidates`` (node positions) for the query ``own``."""
        n = len(self.nodes)
        rows = self.positions(own)
        start = np.zeros(n)
        start[rows] = 1.0
        one = self.weights @ start           # r₁ on the query's partners (symmetric W)
        one[rows] = 0.0
        two = self.step.T @ one             # r₂
        two[rows] = 0.0
        three = self.step.T @ two           # r₃
        three[rows] = 0.0
        partners = (self.linked @ start) > 0
        partners[rows] = False
        p = partners.astype(np.float64)
        shared = self.linked @ p
        shared_recent = self.recent @ p
        k = max(float(p.sum()), 1.0)
        m = len(candidates)
        # types: of the query (mean over its nodes' types), and of its partners
        query_types = self.type_code[rows]
        affinity = self.type_affinity[query_types][:, self.type_code[candidates]].mean(axis=0)
        type_counts = np.bincount(self.type_code[partners], minlength=len(self.type_names))
        type_share = type_counts[self.type_code[candidates]] / k
        # regions
        mine = np.asarray(self.regions.T @ start).ravel() > 0
        inter = self.regions[candidates] @ mine.astype(np.float64)
        union = self.region_count[candidates] + mine.sum() - inter
        region = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        per_region = np.append(self.regions.T @ p, 0.0)  # the last: no home region
        region_share = per_region[self.home[candidates]] / k
        # history: the query's decayed ties to its partners, spread one and two steps on
        near = self.decayed @ start
        near[rows] = 0.0
        shared_strength = self.decayed @ near               # Σ_z w(u,z)·w(z,v)
        resource_strength = self.decayed @ (near * self.decayed_inverse)
        three_strength = self.decayed_step.T @ (self.decayed_step.T @ resource_strength)
        core = (self.repeated @ start) > 0                  # partners u works with again
        core[rows] = False
        shared_repeat = self.linked @ core.astype(np.float64)
        values = np.column_stack([
            two[candidates], shared[candidates], shared_recent[candidates],
            three[candidates], self.degree[candidates], self.activity[candidates],
            self.recency[candidates], affinity, type_share, region, region_share,
            np.full(m, float(p.sum())), np.full(m, float(self.activity[rows].sum())),
            shared_strength[candidates], resource_strength[candidates],
            three_strength[candidates], shared_repeat[candidates],
            self.repeat_rate[candidates], self.formation[candidates],
            self.projects_recent[candidates]])
        return CandidateFeatures(candidates, values)


def _first_years(projection: Projection) -> tuple[np.ndarray, np.ndarray]:
    """The dated edges' ends (node positions, rows × 2) and each one's first tie year —
    from the projection's tie arrays (vectorised: no NetworkX graph is built), or from the
    graph's ``years`` for a projection wrapping one."""
    ties = projection.ties
    if projection.native:
        dated = ties.tie_dated
        first = np.full(len(ties.u), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, ties.tie_edge[dated], ties.tie_year[dated])
        keep = first < np.iinfo(np.int64).max
        return np.column_stack([ties.u[keep], ties.v[keep]]), first[keep]
    index = projection.index()
    years: list[int] = []
    ends: list[tuple[int, int]] = []
    edges: Iterable[tuple[str, str, tuple[int | None, ...] | None]] = \
        projection.graph.edges(data="years")
    for u, v, tie_years in edges:
        dated_years = [y for y in (tie_years or ()) if y is not None]
        if dated_years:
            years.append(min(dated_years))
            ends.append((index[u], index[v]))
    return (np.asarray(ends, dtype=np.int64).reshape(-1, 2),
            np.asarray(years, dtype=np.int64))


def _observations(projection: Projection) -> tuple[np.ndarray, ...]:
    """The edges' ends (node positions, rows × 2), and every observation's year, count and
    edge: from the tie arrays' history, or — for a projection wrapping a NetworkX graph —
    each dated tie's year once."""
    ties = projection.ties
    ends = np.column_stack([ties.u, ties.v]).astype(np.int64)
    if projection.native:
        return (ends, ties.obs_year.astype(np.float64), ties.obs_count.astype(np.float64),
                ties.tie_edge[ties.obs_tie])
    years: list[int] = []
    edge: list[int] = []
    where = {(int(a), int(b)): e for e, (a, b) in enumerate(ends.tolist())}
    index = projection.index()
    listed: Iterable[tuple[str, str, tuple[int | None, ...] | None]] = \
        projection.graph.edges(data="years")
    for u, v, tie_years in listed:
        i, j = index[u], index[v]
        e = where.get((i, j), where.get((j, i)))
        for year in tie_years or ():
            if year is not None and e is not None:
                years.append(year)
                edge.append(e)
    return (ends, np.asarray(years, dtype=np.float64), np.ones(len(years)),
            np.asarray(edge, dtype=np.int64))


def _mixing(linked: sp.csr_array, code: np.ndarray, kinds: int) -> np.ndarray:
    """log((e_ab + 1) / (E_ab + 1)) for every pair of types a, b: e_ab the ties between
    them (both orders counted), E_ab = d_a·d_b / 2m the ties expected from each type's
    summed degree d (2m = Σ d)."""
    coo = linked.tocoo()
    observed = np.bincount(code[coo.row] * kinds + code[coo.col],
                           minlength=kinds * kinds).reshape(kinds, kinds).astype(np.float64)
    degree = observed.sum(axis=1)
    total = max(float(degree.sum()), 1.0)
    expected = np.outer(degree, degree) / total
    return np.log((observed + 1.0) / (expected + 1.0))


def sparse_pagerank(projection: Projection, alpha: float = 0.85, tol: float = 1e-10,
                    max_iter: int = 1000) -> dict[str, float]:
    """PageRank of every actor (ties weighted by strength) by power iteration on the
    projection's sparse matrix — NetworkX's ``pagerank`` (uniform teleport, dangling
    actors' rank spread uniformly, stop when the L1 change is below n·tol), without
    converting the graph: a fraction of a second on 20,000 actors and 400,000 ties.

    >>> import networkx as nx
    >>> from graph.analytics.catalog import Catalog
    >>> g = nx.Graph(); g.add_edge("a", "b", weight=2.0); g.add_edge("b", "c", weight=1.0)
    >>> g.add_node("d")
    >>> ours = sparse_pagerank(Projection(g, Catalog()))
    >>> theirs = nx.pagerank(g, weight="weight", tol=1e-12, max_iter=1000)
    >>> max(abs(ours[v] - theirs[v]) for v in g) < 1e-9
    True
    """
    adjacency = projection.sparse()
    nodes = list(adjacency.index)
    n = len(nodes)
    if not n:
        return {}
    weights = adjacency.weights
    strength = np.asarray(weights.sum(axis=1)).ravel()
    inverse = np.divide(1.0, strength, out=np.zeros_like(strength), where=strength > 0)
    step = sp.csr_array(sp.diags_array(inverse) @ weights).T.tocsr()  # column-stochastic
    dangling = strength == 0
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = x
        x = alpha * (step @ x + previous[dangling].sum() / n) + (1.0 - alpha) / n
        if np.abs(x - previous).sum() < n * tol:
            break
    return {v: float(r) for v, r in zip(nodes, x, strict=True)}
