"""The heavy algorithms on the projection's arrays, without the NetworkX graph.

With franken-networkx installed (and not overridden, see :mod:`.backends`), PageRank,
sampled betweenness, Louvain and modularity run on a franken-networkx graph built straight
from :class:`~.ties.Ties` — integer nodes in the projection's node order, edges in the
order NetworkX adds them, weights only — which is what NetworkX's backend dispatch would
convert the full graph into, at a fraction of the memory (the NetworkX graph with its
edge attributes is never built). Degrees and clustering are counted with NumPy/SciPy.
Results are the same as through NetworkX (``tests/analytics/test_scale.py``).

Without the backend, each function falls back to NetworkX on ``projection.graph``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .backends import backend_for, dispatch
from .projection import Projection

__all__ = ["backend_graph", "betweenness", "clustering", "degrees", "louvain", "pagerank"]

#: rows of A per block when counting triangles: bounds the temporary A[rows] @ A
_TRIANGLE_BLOCK_PATHS = 20_000_000


def backend_graph(projection: Projection, function: Callable[..., Any]) -> Any | None:
    """The franken-networkx graph of ``projection`` (built once, kept on it) when that
    backend runs ``function``; ``None`` when NetworkX or another backend does.

    Parameters
    ----------
    projection : Projection
    function : callable
        The NetworkX function about to run (its backends decide).

    Returns
    -------
    franken_networkx.Graph or None
        Nodes ``0…n−1`` in :attr:`Projection.nodes` order, edges weighted by strength.

    >>> import networkx as nx
    >>> from schema import Entity, EntityType as E
    >>> from graph.analytics.projection import build_projection
    >>> p = build_projection([Entity("enterprise:a", E.enterprise, "甲")], [])
    >>> g = backend_graph(p, nx.pagerank)
    >>> g is None or g.number_of_nodes() == 1
    True
    """
    if backend_for(function) != "franken_networkx":
        return None
    cached = projection._engine
    if cached is None:
        import franken_networkx as fnx

        ties = projection.ties
        graph = fnx.Graph()
        graph.add_nodes_from(range(len(ties.nodes)))
        # in the order the NetworkX graph adds them: every node's partners in the same
        # order, as the backend's own conversion of that graph keeps them
        graph.add_weighted_edges_from(zip(ties.u.tolist(), ties.v.tolist(),
                                          ties.weight.tolist(), strict=True))
        projection._engine = cached = graph
    return cached


def _by_id(projection: Projection, values: dict[int, Any]) -> dict[str, float]:
    nodes = projection.nodes
    return {nodes[i]: float(value) for i, value in values.items()}


def degrees(projection: Projection) -> tuple[dict[str, float], dict[str, float]]:
    """Partners and summed tie strength of every actor, by id.

    Parameters
    ----------
    projection : Projection

    Returns
    -------
    tuple of dict
        Degree (distinct partners) and weighted degree, as floats by actor id; strengths
        are added in NetworkX's order, so the sums are NetworkX's to the last bit.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> p = build_projection([Entity("enterprise:a", E.enterprise, "甲"),
    ...                       Entity("enterprise:b", E.enterprise, "乙")],
    ...                      [Relation("r", R.partnership, "enterprise:a", "enterprise:b",
    ...                                props={"kind": "共建"})])
    >>> degrees(p)
    ({'enterprise:a': 1.0, 'enterprise:b': 1.0}, {'enterprise:a': 3.0, 'enterprise:b': 3.0})
    """
    if projection.has_graph and not projection.native:
        graph = projection.graph
        return ({v: float(d) for v, d in graph.degree()},
                {v: float(d) for v, d in graph.degree(weight="weight")})
    partners, strength = projection.ties.degrees()
    nodes = projection.nodes
    return (dict(zip(nodes, partners.astype(np.float64).tolist(), strict=True)),
            dict(zip(nodes, strength.tolist(), strict=True)))


def pagerank(projection: Projection, **options: Any) -> tuple[dict[str, float], str]:
    """PageRank with NetworkX's ``options``; the scores by id and the backend's name.

    Parameters
    ----------
    projection : Projection
    **options
        As for ``nx.pagerank`` (``alpha``, ``weight``, ``tol``, ``max_iter``).

    Returns
    -------
    tuple
        Score by actor id, and the backend that computed it.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> p = build_projection([Entity(f"enterprise:{c}", E.enterprise, c) for c in "ab"],
    ...                      [Relation("r", R.partnership, "enterprise:a", "enterprise:b")])
    >>> pagerank(p, weight="weight")[0]
    {'enterprise:a': 0.5, 'enterprise:b': 0.5}
    """
    graph = backend_graph(projection, nx.pagerank) if projection.native else None
    if graph is None:
        ranks, backend = dispatch(nx.pagerank, projection.graph, **options)
        return {v: float(r) for v, r in ranks.items()}, backend
    import franken_networkx as fnx

    found = fnx.pagerank(graph, **options)  # type: ignore[no-untyped-call]
    return _by_id(projection, found), "franken_networkx"


def betweenness(projection: Projection, **options: Any) -> tuple[dict[str, float], str]:
    """Betweenness with NetworkX's ``options`` (``k``, ``seed``…); by id, and the backend.

    Parameters
    ----------
    projection : Projection
    **options
        As for ``nx.betweenness_centrality`` (``k`` sampled sources, ``normalized``,
        ``seed``).

    Returns
    -------
    tuple
        Betweenness by actor id, and the backend that computed it.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> p = build_projection([Entity(f"enterprise:{c}", E.enterprise, c) for c in "abc"],
    ...                      [Relation(f"r{x}", R.partnership, f"enterprise:{x}", "enterprise:b")
    ...                       for x in "ac"])
    >>> betweenness(p, normalized=True)[0]["enterprise:b"]
    1.0
    """
    graph = backend_graph(projection, nx.betweenness_centrality) if projection.native \
        else None
    if graph is None:
        found, backend = dispatch(nx.betweenness_centrality, projection.graph, **options)
        return {v: float(b) for v, b in found.items()}, backend
    import franken_networkx as fnx

    found = fnx.betweenness_centrality(graph, **options)  # type: ignore[no-untyped-call]
    return _by_id(projection, found), "franken_networkx"


def louvain(projection: Projection, *, resolution: float, seed: int) -> tuple[
        list[set[str]], float, str]:
    """Louvain communities (weighted, seeded), their modularity and the backend's name.

    Parameters
    ----------
    projection : Projection
    resolution : float
        Louvain resolution.
    seed : int
        Seed of the visiting order.

    Returns
    -------
    tuple
        The communities (sets of actor ids), the partition's modularity, the backend.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> p = build_projection([Entity(f"enterprise:{c}", E.enterprise, c) for c in "abcd"],
    ...                      [Relation(f"r{x}", R.partnership, f"enterprise:{x}",
    ...                                f"enterprise:{y}") for x, y in ["ab", "cd"]])
    >>> parts, modularity, _ = louvain(p, resolution=1.0, seed=7)
    >>> sorted(sorted(c) for c in parts), modularity
    ([['enterprise:a', 'enterprise:b'], ['enterprise:c', 'enterprise:d']], 0.5)
    >>> louvain(build_projection([Entity("enterprise:a", E.enterprise, "a")], []),
    ...         resolution=1.0, seed=7)
    ([{'enterprise:a'}], 0.0, 'none')
    """
    if not projection.number_of_edges():
        # no ties: every actor is its own community, and modularity (which divides by the
        # total weight) is 0 by convention rather than a division by zero
        return [{node} for node in projection.nodes], 0.0, "none"
    function = nx.community.louvain_communities
    graph = backend_graph(projection, function) if projection.native else None
    if graph is None:
        parts, backend = dispatch(function, projection.graph, weight="weight",
                                  resolution=resolution, seed=seed)
        modularity, _ = dispatch(nx.community.modularity, projection.graph, parts,
                                 weight="weight", resolution=resolution)
        return [set(p) for p in parts], float(modularity), backend
    import franken_networkx as fnx

    found = fnx.community.louvain_communities(graph, weight="weight", resolution=resolution,
                                              seed=seed)
    modularity = fnx.community.modularity(graph, found, weight="weight",
                                          resolution=resolution)
    nodes = projection.nodes
    return [{nodes[i] for i in part} for part in found], float(modularity), "franken_networkx"


def clustering(projection: Projection, ids: Iterable[str] | None = None) -> dict[str, float]:
    """Local clustering coefficient (unweighted) of the given actors (all when ``None``):
    ``2t / (k(k−1))``, t the ties among the k partners; NetworkX's ``nx.clustering``.

    Triangles are counted as row sums of ``(A[rows] @ A) ∘ A[rows]`` in blocks of rows, so
    the temporary product stays bounded on a million-actor graph.

    Parameters
    ----------
    projection : Projection
    ids : iterable of str, optional
        Actors to measure (default: all).

    Returns
    -------
    dict
        Clustering coefficient by actor id (0 below two partners).

    >>> g = nx.Graph(); g.add_edges_from(["ab", "bc", "ca", "cd"], weight=1.0)
    >>> from graph.analytics.catalog import Catalog
    >>> clustering(Projection(g, Catalog()))
    {'a': 1.0, 'b': 1.0, 'c': 0.3333333333333333, 'd': 0.0}
    """
    if projection.has_graph and not projection.native:
        wanted = list(projection.graph) if ids is None else list(ids)
        found = nx.clustering(projection.graph, wanted) if wanted else {}
        return {v: float(c) for v, c in found.items()}  # type: ignore[union-attr]
    index = projection.index()
    rows = np.arange(len(projection.nodes)) if ids is None else np.fromiter(
        (index[v] for v in ids), dtype=np.int64)
    closed = _closed_paths(projection.ties.adjacency(), rows)
    partners = projection.ties.degrees()[0][rows].astype(np.float64)
    values = np.zeros(len(rows), dtype=np.float64)
    wide = closed > 0
    values[wide] = closed[wide] / (partners[wide] * (partners[wide] - 1))
    nodes = projection.nodes
    return {nodes[r]: c for r, c in zip(rows.tolist(), values.tolist(), strict=True)}


def _closed_paths(adjacency: sp.csr_array, rows: npt.NDArray[np.int64]) -> npt.NDArray[
        np.float64]:
    """For each row r: twice the ties among r's partners (``((A A) ∘ A)[r].sum()``)."""
    partners = np.diff(adjacency.indptr)
    # two-step paths starting at each row: the work and memory of its product row
    cost = (adjacency @ partners.astype(np.int64))[rows]
    out = np.zeros(len(rows), dtype=np.float64)
    start = 0
    while start < len(rows):
        budget = np.cumsum(cost[start:])
        stop = start + max(1, int(np.searchsorted(budget, _TRIANGLE_BLOCK_PATHS)))
        block = adjacency[rows[start:stop]]
        out[start:stop] = np.asarray((block @ adjacency).multiply(block).sum(axis=1),
                                     dtype=np.float64).ravel()
        start = stop
    return out
