"""The projection's ties as arrays: what a million-actor graph can be held in.

A NetworkX graph spends about 1.5 kB on each edge with its attribute dict and tuples, and
a Python object per node; at 1,000,000 actors and 2.6 million edges that is more than the
8 GiB analytics may use. :class:`Ties` keeps the same information in NumPy arrays
(about 60 bytes per tie) — node order, each edge's ends, tie count and summed strength,
each tie's edge, type, kind, year and strength, and its history (every year it was
observed, how often) — from which the NetworkX graph can be
rebuilt exactly (:meth:`Ties.to_networkx`), and the sparse matrix and backend graph the
algorithms run on are built directly (:meth:`Ties.sparse`, :mod:`.engine`).

Order matters, because node and neighbour order steer seeded algorithms: edges are kept
in order of their first tie (relations sorted by source, target, type), as the NetworkX
graph adds them; :meth:`Ties.nx_edge_order` is the order ``graph.edges()`` reports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .catalog import Catalog
from .sparse import SparseAdjacency

__all__ = ["Ties"]

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Ties:
    """Nodes, edges and ties of a projection as arrays (see the module docstring).

    Edge ``e`` joins ``nodes[u[e]]`` and ``nodes[v[e]]`` (``u[e] < v[e]``), carries
    ``count[e]`` ties whose strengths sum to ``weight[e]``. Tie ``t`` (in relation order)
    belongs to edge ``tie_edge[t]``; its type is ``type_names[tie_type[t]]``, its kind
    ``kind_names[tie_kind[t]]`` (``-1``: none), its year ``tie_year[t]`` where
    ``tie_dated[t]``. Projections wrapping a NetworkX graph have no tie rows.
    """

    nodes: list[str]
    u: Ints
    v: Ints
    count: Ints
    weight: Floats
    tie_edge: Ints
    tie_type: Ints
    tie_kind: Ints
    tie_year: Ints
    tie_dated: npt.NDArray[np.bool_]
    tie_strength: Floats
    type_names: tuple[str, ...] = ()
    kind_names: tuple[str, ...] = ()
    #: the ties' history: observation ``o`` saw tie ``obs_tie[o]`` ``obs_count[o]`` times
    #: in ``obs_year[o]`` (a tie's ``years``, else its year once; within the filter's
    #: years), sorted by tie then year; empty when the projection has no tie rows
    obs_tie: Ints = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    obs_year: Ints = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    obs_count: Ints = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays (the node id strings not counted)."""
        return sum(getattr(self, name).nbytes for name in (
            "u", "v", "count", "weight", "tie_edge", "tie_type", "tie_kind", "tie_year",
            "tie_dated", "tie_strength", "obs_tie", "obs_year", "obs_count"))

    @classmethod
    def of_graph(cls, graph: nx.Graph[str]) -> Ties:
        """Edges and weights of an existing graph (no tie rows).

        >>> g = nx.Graph(); g.add_edge("b", "a", weight=2.0, ties=1); g.add_node("c")
        >>> t = Ties.of_graph(g); t.nodes, t.u.tolist(), t.v.tolist(), t.weight.tolist()
        (['b', 'a', 'c'], [0], [1], [2.0])
        """
        nodes = list(graph)
        index = {node: i for i, node in enumerate(nodes)}
        m = graph.number_of_edges()
        u, v = np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int64)
        weight = np.empty(m, dtype=np.float64)
        count = np.empty(m, dtype=np.int64)
        for i, (a, b, data) in enumerate(graph.edges(data=True)):
            u[i], v[i] = index[a], index[b]
            weight[i] = data.get("weight", 1.0)
            count[i] = data.get("ties", 1)
        empty = np.empty(0, dtype=np.int64)
        return cls(nodes, u, v, count, weight, empty, empty, empty, empty,
                   np.empty(0, dtype=np.bool_), np.empty(0, dtype=np.float64))

    def nx_edge_order(self) -> Ints:
        """Edge indexes in the order NetworkX's ``graph.edges()`` lists them: by the first
        end's node position, then by when the edge was added."""
        order: Ints = np.argsort(self.u, kind="stable")
        return order

    def to_networkx(self, catalog: Catalog) -> nx.Graph[str]:
        """The NetworkX graph of these ties, as :func:`~.projection.build_projection`
        describes it (node attributes ``name`` and ``type``; edge attributes ``ties``,
        ``weight``, ``types``, ``kinds``, ``years``, ``strengths``)."""
        graph: nx.Graph[str] = nx.Graph()
        info = catalog.entities
        graph.add_nodes_from((node, {"name": info[node].name, "type": info[node].type.value})
                             for node in self.nodes)
        by_edge = np.argsort(self.tie_edge, kind="stable")
        starts = np.zeros(len(self.u) + 1, dtype=np.int64)
        np.cumsum(self.count, out=starts[1:])
        types, kinds = self.type_names, self.kind_names
        tie_type, tie_kind = self.tie_type.tolist(), self.tie_kind.tolist()
        tie_year, dated = self.tie_year.tolist(), self.tie_dated.tolist()
        strength = self.tie_strength.tolist()
        nodes, weights = self.nodes, self.weight.tolist()

        def edge(e: int, first: int, last: int) -> tuple[str, str, dict[str, object]]:
            rows = by_edge[first:last].tolist()
            if len(rows) == 1:
                t = rows[0]
                kind = kinds[tie_kind[t]] if tie_kind[t] >= 0 else None
                return nodes[self_u[e]], nodes[self_v[e]], {
                    "ties": 1, "weight": strength[t], "types": (types[tie_type[t]],),
                    "kinds": (kind,) if kind else (),
                    "years": (tie_year[t] if dated[t] else None,), "strengths": (strength[t],)}
            return nodes[self_u[e]], nodes[self_v[e]], {
                "ties": len(rows), "weight": weights[e],
                "types": tuple(sorted({types[tie_type[t]] for t in rows})),
                "kinds": tuple(kinds[tie_kind[t]] for t in rows if tie_kind[t] >= 0),
                "years": tuple(tie_year[t] if dated[t] else None for t in rows),
                "strengths": tuple(strength[t] for t in rows)}

        self_u, self_v = self.u.tolist(), self.v.tolist()
        bounds = starts.tolist()
        graph.add_edges_from(edge(e, bounds[e], bounds[e + 1]) for e in range(len(self_u)))
        return graph

    def sparse(self, index: Mapping[str, int]) -> SparseAdjacency:
        """The symmetric weight matrix (entries in the order NetworkX lists the edges, so
        sums over it add in the same order as before the arrays existed).

        >>> g = nx.Graph(); g.add_edge("a", "b", weight=3.0); g.add_node("c")
        >>> Ties.of_graph(g).sparse({"a": 0, "b": 1, "c": 2}).weights.toarray().tolist()
        [[0.0, 3.0, 0.0], [3.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
        """
        order = self.nx_edge_order()
        rows, cols, values = self.u[order], self.v[order], self.weight[order]
        n = len(self.nodes)
        matrix = sp.csr_array((np.concatenate([values, values]),
                               (np.concatenate([rows, cols]), np.concatenate([cols, rows]))),
                              shape=(n, n))
        return SparseAdjacency(dict(index), matrix)

    def degrees(self) -> tuple[Ints, Floats]:
        """Partners and summed tie strength of every node, in node order. Strengths are
        added in the order NetworkX's ``graph.degree(weight=…)`` adds them.

        >>> g = nx.Graph(); g.add_edge("a", "b", weight=3.0); g.add_edge("a", "c", weight=1.0)
        >>> k, s = Ties.of_graph(g).degrees(); k.tolist(), s.tolist()
        ([2, 1, 1], [4.0, 3.0, 1.0])
        """
        n = len(self.nodes)
        ends = np.stack([self.u, self.v], axis=1).ravel()
        partners: Ints = np.bincount(ends, minlength=n).astype(np.int64)
        strength: Floats = np.bincount(ends, weights=np.repeat(self.weight, 2),
                                       minlength=n).astype(np.float64)
        return partners, strength

    def adjacency(self) -> sp.csr_array:
        """The 0/1 adjacency matrix (int64), for counting triangles."""
        n = len(self.nodes)
        ones = np.ones(2 * len(self.u), dtype=np.int64)
        return sp.csr_array((ones, (np.concatenate([self.u, self.v]),
                                    np.concatenate([self.v, self.u]))), shape=(n, n))
