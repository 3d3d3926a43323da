"""Server-side layout for graphs too large for the browser to settle by physics.

vis-network's physics wobbles for minutes on thousands of nodes; a NetworkX layout
computed here lets the page draw once, with physics off.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import networkx as nx

#: above this many nodes a page gets fixed positions and no physics
LAYOUT_THRESHOLD = 300


def spring_positions(node_ids: Iterable[str], links: Iterable[tuple[str, str]],
                     seed: int = 7) -> dict[str, tuple[float, float]]:
    """Pixel positions from a seeded Fruchterman-Reingold layout, spread so that nodes
    keep about the same spacing whatever their number.

    >>> pos = spring_positions(["a", "b", "c"], [("a", "b"), ("b", "c")])
    >>> sorted(pos) == ["a", "b", "c"] and all(len(p) == 2 for p in pos.values())
    True
    """
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(node_ids)
    graph.add_edges_from((a, b) for a, b in links if a != b)
    if graph.number_of_nodes() == 0:
        return {}
    scale = 40.0 * math.sqrt(graph.number_of_nodes())
    # few iterations: the picture only has to be readable, and 2,000 nodes must lay out fast
    layout = nx.spring_layout(graph, seed=seed, iterations=30, scale=scale)
    return {str(n): (float(x), float(y)) for n, (x, y) in layout.items()}
