"""Expanding a neighbourhood breadth-first over an edge reader.

One bounded expansion (levels, outgoing then incoming edges, a node cap that sets
``truncated``) that the embedded and Neo4j backends and ``graph/neighborhood_index.py``
all follow, so they give the same answer, truncated ones included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from schema import EntityType, Relation, RelationType

# one edge as the expansion sees it: (a key for the edge, its source, its target)
EdgeRef = tuple[Any, Any, Any]
EdgesFrom = Callable[[list[Any], bool, int], Sequence[EdgeRef]]


def expand_neighborhood(center: Any, depth: int, max_nodes: int,
                        edges_from: EdgesFrom) -> tuple[set[Any], list[Any], bool]:
    """The bounded breadth-first expansion every backend's neighbourhood follows.

    ``edges_from(frontier, outgoing, n)`` gives at most ``n`` edges leaving (or entering) the
    frontier, in (source, target, type) order. Per level and direction at most
    ``4·max_nodes`` edges are read; a node beyond ``max_nodes`` is not kept (nor its edge)
    and sets ``truncated``. Returns the kept nodes, the edge keys and ``truncated``.

    >>> star = {"a": ["b", "c", "d"]}
    >>> def out(frontier, outgoing, n):
    ...     found = [((f, t), f, t) for f in frontier for t in star.get(f, [])]
    ...     return found[:n] if outgoing else []
    >>> kept, edges, truncated = expand_neighborhood("a", 1, 3, out)
    >>> sorted(kept), edges, truncated
    (['a', 'b', 'c'], [('a', 'b'), ('a', 'c')], True)
    """
    cap = max_nodes * 4
    kept = {center}
    edges: dict[Any, None] = {}
    frontier = [center]
    truncated = False
    for _ in range(depth):
        reached: list[Any] = []
        for outgoing in (True, False):
            rows = edges_from(frontier, outgoing, cap + 1)
            truncated |= len(rows) > cap
            for key, source, target in rows:
                other = target if outgoing else source
                if other not in kept:
                    if len(kept) >= max_nodes:
                        truncated = True
                        continue
                    kept.add(other)
                    reached.append(other)
                edges[key] = None
        frontier = reached
        if not frontier:
            break
    return kept, list(edges), truncated


#: a backend's Cypher for one direction's edges: (relation_types, outgoing, filter_types)
EdgeQuery = Callable[[Sequence[RelationType] | None, bool, bool], str]
#: runs a query with its parameters and returns the relations it found
ReadRelations = Callable[[str, dict[str, Any]], list[Relation]]


def expand_relations(center: str, depth: int, max_nodes: int,
                     relation_types: Sequence[RelationType] | None,
                     entity_types: Sequence[EntityType] | None, edge_query: EdgeQuery,
                     read_relations: ReadRelations) -> tuple[set[str], list[Relation], bool]:
    """:func:`expand_neighborhood` over a store's relations, as both backends run it.

    ``edge_query`` takes the parameters ``$ids`` (the frontier), ``$n`` and, when it filters
    types, ``$entity_types`` (the far end's type values; no filter when ``entity_types`` is
    empty). Returns the kept entity ids, the relations to them in the order they were
    reached, and ``truncated``.
    """
    type_values = [EntityType(t).value for t in entity_types] if entity_types else None
    relations: dict[str, Relation] = {}

    def edges_from(frontier: list[str], outgoing: bool, n: int) -> list[EdgeRef]:
        params: dict[str, Any] = {"ids": frontier, "n": n}
        if type_values is not None:
            params["entity_types"] = type_values
        found = read_relations(edge_query(relation_types, outgoing, type_values is not None),
                               params)
        relations.update((r.id, r) for r in found)
        return [(r.id, r.source, r.target) for r in found]

    kept, edge_ids, truncated = expand_neighborhood(center, depth, max_nodes, edges_from)
    return kept, [relations[i] for i in edge_ids], truncated
