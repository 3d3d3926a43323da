"""Server-side layout for graphs too large for the browser to settle by physics.

vis-network's physics wobbles for minutes on thousands of nodes; positions computed here
let the page draw once, with physics off. The graph is built with NetworkX and laid out by
igraph's Fruchterman-Reingold (C): NetworkX's own ``spring_layout`` took about 20 s for
2,000 nodes on the 2-core test machine, igraph 0.2 s. Without igraph, NetworkX lays it out.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Iterable

import networkx as nx

#: above this many nodes a page gets fixed positions and no physics
LAYOUT_THRESHOLD = 300
_igraph_rng = threading.Lock()


def spring_positions(node_ids: Iterable[str], links: Iterable[tuple[str, str]],
                     seed: int = 7, engine: str = "igraph") -> dict[str, tuple[float, float]]:
    """Pixel positions from a seeded force-directed layout, spread so that nodes keep about
    the same spacing whatever their number. ``engine`` is ``igraph`` or ``networkx``.

    >>> pos = spring_positions(["a", "b", "c"], [("a", "b"), ("b", "c")])
    >>> sorted(pos) == ["a", "b", "c"] and all(len(p) == 2 for p in pos.values())
    True
    >>> pos == spring_positions(["a", "b", "c"], [("a", "b"), ("b", "c")])  # seeded
    True
    """
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(node_ids)
    graph.add_edges_from((a, b) for a, b in links if a != b)
    if graph.number_of_nodes() == 0:
        return {}
    if engine not in ("igraph", "networkx"):
        raise ValueError(f"engine must be 'igraph' or 'networkx', got {engine!r}")
    nodes = list(graph.nodes)
    coords = _igraph_layout(graph, nodes, seed) if engine == "igraph" else None
    if coords is None:
        # few iterations: the picture only has to be readable
        layout = nx.spring_layout(graph, seed=seed, iterations=30)
        coords = [(float(layout[n][0]), float(layout[n][1])) for n in nodes]
    return dict(zip(nodes, _spread(coords, 40.0 * math.sqrt(len(nodes))), strict=True))


def _igraph_layout(graph: nx.Graph[str], nodes: list[str],
                   seed: int) -> list[tuple[float, float]] | None:
    try:
        import igraph
    except ImportError:  # an optional speed-up
        return None
    index = {n: i for i, n in enumerate(nodes)}
    shaped = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges])
    # igraph starts from given positions: seeded, so repeatable; spread like igraph's own
    # start (a square of side √n), else its grid puts every node in one cell and it crawls
    rng = random.Random(seed)
    side = math.sqrt(len(nodes)) / 2
    start = [[rng.uniform(-side, side), rng.uniform(-side, side)] for _ in nodes]
    with _igraph_rng:  # igraph draws from the random module: seed it for repeatable output
        saved = random.getstate()
        random.seed(seed)
        try:
            layout = shaped.layout_fruchterman_reingold(niter=300, seed=start)
        finally:
            random.setstate(saved)
    return [(float(x), float(y)) for x, y in layout.coords]


def _spread(coords: list[tuple[float, float]], half_width: float) -> list[tuple[float, float]]:
    """``coords`` scaled (aspect kept) into a square of ``half_width`` around the origin."""
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return [((x - cx) / extent * half_width, (y - cy) / extent * half_width) for x, y in coords]
