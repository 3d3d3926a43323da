"""Graph evidence for a partnership: how much of a query's collaboration reaches a candidate
along two and three ties (resource allocation, weighted by tie strength).

The query Q (one actor, or the members of a chain segment taken together) puts resource on
each of its ties, as much as the tie's strength; every actor passes on what it receives
along its own ties, in proportion to their strengths. With w(a, b) the strength of the
edge a–b (the projection's ``weight``) and s(z) = Σ_b w(z, b) the strength of z:

- r₁(z) = Σ_{q ∈ Q} w(q, z): on the query's partners;
- r₂(v) = Σ_z r₁(z)·w(z, v) / s(z): for one actor u, Σ_{z ∈ N(u) ∩ N(v)}
  w(u, z)·w(z, v) / s(z), the weighted resource-allocation index (with every strength 1 it
  is the plain RA index Σ 1/deg(z): a shared partner with few ties says more than a hub);
- r₃(v) = Σ_b r₂(b)·w(b, v) / s(b): the same over paths of three ties u–a–b–v.

Resource that comes back to the query's own nodes is dropped, so a segment's members do
not pass resource to each other. Computed as sparse vector–matrix products; the shared
partners, paths and tie labels of an explanation are read from the same sparse matrix and
the projection's tie arrays, so nothing here waits for the NetworkX graph (seconds on a
20,000-organisation projection).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .projection import Projection

__all__ = ["Reach", "ResourceSpread"]


@dataclass(frozen=True)
class Reach:
    """Resource from one query on each actor after one, two and three ties (actors with
    none are absent)."""

    one: dict[str, float]
    two: dict[str, float]
    three: dict[str, float]


class ResourceSpread:
    """Spreads resource from a query over one projection (see the module docstring).

    >>> g = nx.Graph()
    >>> g.add_edge("u", "z", weight=3.0); g.add_edge("z", "v", weight=1.0)
    >>> g.add_edge("v", "x", weight=1.0)
    >>> from graph.analytics.catalog import Catalog
    >>> reach = ResourceSpread(Projection(g, Catalog())).reach({"u"})
    >>> reach.one, reach.two, reach.three["x"]
    ({'z': 3.0}, {'v': 0.75}, 0.375)
    """

    def __init__(self, projection: Projection) -> None:
        adjacency = projection.sparse()
        self._projection = projection
        self._index = adjacency.index
        self._nodes = list(adjacency.index)
        self._weights = adjacency.weights
        strength = np.asarray(self._weights.sum(axis=1)).ravel()
        inverse = np.divide(1.0, strength, out=np.zeros_like(strength), where=strength > 0)
        self._strength = strength
        # one step of the spread: row z of w(z, ·) / s(z)
        self._step = sp.csr_array(sp.diags_array(inverse) @ self._weights)
        self._edge_of: sp.csr_array | None = None  # built on the first tie label

    @property
    def graph(self) -> nx.Graph[str]:
        """The projection's NetworkX graph (built on first use; nothing here needs it)."""
        return self._projection.graph

    def neighbours(self, node: str) -> dict[str, float]:
        """The node's partners and the strength of its tie to each, w(node, ·)."""
        row = self._index[node]
        start, end = self._weights.indptr[row], self._weights.indptr[row + 1]
        nodes = self._nodes
        return {nodes[j]: w for j, w in zip(self._weights.indices[start:end].tolist(),
                                            self._weights.data[start:end].tolist(),
                                            strict=True)}

    def tie(self, u: str, v: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The partnership kinds and the relation types of the ties joining u and v, as
        the projection's graph holds them on the edge (``kinds``, ``types``)."""
        projection = self._projection
        if projection.has_graph or not projection.native:
            data = projection.graph.edges[u, v]
            return tuple(data["kinds"]), tuple(data["types"])
        ties = projection.ties
        if self._edge_of is None:
            n, m = len(ties.nodes), len(ties.u)
            ids = np.arange(1, m + 1, dtype=np.int64)
            self._edge_of = sp.csr_array((np.concatenate([ids, ids]), (
                np.concatenate([ties.u, ties.v]), np.concatenate([ties.v, ties.u]))),
                shape=(n, n))
            self._tie_rows = np.argsort(ties.tie_edge, kind="stable")
            self._tie_starts = np.concatenate([[0], np.cumsum(ties.count)])
        edge = int(self._edge_of[self._index[u], self._index[v]]) - 1
        if edge < 0:
            raise KeyError((u, v))
        rows = self._tie_rows[self._tie_starts[edge]:self._tie_starts[edge + 1]].tolist()
        kinds = tuple(ties.kind_names[ties.tie_kind[t]] for t in rows if ties.tie_kind[t] >= 0)
        types = sorted({ties.type_names[ties.tie_type[t]] for t in rows})
        return kinds, tuple(types)

    def strength(self, node: str) -> float:
        """s(node), the summed strength of its ties."""
        return float(self._strength[self._index[node]])

    def reach(self, own: Collection[str]) -> Reach:
        """Resource reaching every actor from the query's nodes ``own``."""
        n = len(self._nodes)
        rows = np.fromiter((self._index[q] for q in own), dtype=np.int64, count=len(own))
        if not len(rows) or not n:
            return Reach({}, {}, {})
        start = sp.csr_array((np.ones(len(rows)), (np.zeros(len(rows), dtype=np.int64), rows)),
                             shape=(1, n))
        one = _without(start @ self._weights, rows)
        two = _without(one @ self._step, rows)
        three = _without(two @ self._step, rows)
        return Reach(self._as_dict(one), self._as_dict(two), self._as_dict(three))

    def _as_dict(self, vector: sp.csr_array) -> dict[str, float]:
        nodes = self._nodes
        return {nodes[i]: value for i, value in zip(vector.indices.tolist(),
                                                    vector.data.tolist(), strict=True)}

    # -- where a candidate's evidence comes from -----------------------------------------
    def shared(self, reach: Reach, candidate: str) -> list[tuple[str, float]]:
        """The candidate's partners that hold resource from the query (its shared partners)
        with what each passes to it, r₁(z)·w(z, v)/s(z), largest first."""
        found = [(z, reach.one[z] * weight / self.strength(z))
                 for z, weight in self.neighbours(candidate).items() if z in reach.one]
        return sorted(found, key=lambda item: (-item[1], item[0]))

    def path(self, own: Collection[str], reach: Reach, candidate: str) -> list[str]:
        """A shortest path of two to four ties from the query to ``candidate``, found by
        following the largest inflow backwards: the neighbour that passed it the most
        resource at the last step, then the one that passed that neighbour the most, and so
        on to the query node with the strongest tie; ``[]`` beyond four ties.

        For a candidate with evidence, the path that carries most of it."""
        layers = (reach.one, reach.two, reach.three)
        for ties in (2, 3, 4):
            path = [candidate]
            for layer in reversed(layers[:ties - 1]):
                sender = self._largest_inflow(path[-1], layer)
                if sender is None:
                    break
                path.append(sender)
            else:
                adj = self.neighbours(path[-1])
                path.append(min((q for q in own if q in adj), key=lambda q: (-adj[q], q)))
                return path[::-1]
        return []

    def _largest_inflow(self, node: str, layer: dict[str, float]) -> str | None:
        """The neighbour of ``node`` holding resource in ``layer`` that passes it the most,
        layer[z]·w(z, node)/s(z) (ties by id)."""
        best: tuple[float, str] | None = None
        for z, weight in self.neighbours(node).items():
            if z in layer:
                key = (-layer[z] * weight / self.strength(z), z)
                if best is None or key < best:
                    best = key
        return best[1] if best else None


def _without(vector: sp.csr_array, rows: np.ndarray) -> sp.csr_array:
    """The 1 × n ``vector`` with the query's own entries dropped."""
    keep = ~np.isin(vector.indices, rows)
    return sp.csr_array((vector.data[keep], vector.indices[keep],
                         np.array([0, int(keep.sum())])), shape=vector.shape)
