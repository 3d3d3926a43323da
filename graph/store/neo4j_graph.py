"""Traversals on Neo4j: bounded neighbourhoods and all shortest paths.

They follow the embedded store step by step (breadth-first by level, outgoing then incoming
edges in the same order, a node cap with a ``truncated`` flag, edges only to kept nodes), so
both backends give the same answer, truncated ones included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from schema import Entity, EntityNotFound, EntityType, Relation, RelationType

from . import neo4j_queries as q
from .expansion import expand_relations
from .neo4j_records import entity_from_properties, relation_from_properties
from .records import GraphPath, Neighborhood

ReadFn = Callable[[str, dict[str, Any]], list[dict[str, Any]]]
GetManyFn = Callable[[Iterable[str]], dict[str, Entity]]


def _relation(row: dict[str, Any]) -> Relation:
    return relation_from_properties(row["source"], row["type"], row["target"], row["props"])


def neighborhood(read: ReadFn, get_many: GetManyFn, center: str, depth: int, max_nodes: int,
                 relation_types: Sequence[RelationType] | None,
                 entity_types: Sequence[EntityType] | None) -> Neighborhood:
    """Entities within ``depth`` hops of ``center`` (which must exist), ``max_nodes`` at most."""
    def read_relations(query: str, params: dict[str, Any]) -> list[Relation]:
        return [_relation(row) for row in read(query, params)]

    # the same expansion as the embedded store, so both give the same answer
    kept, edges, truncated = expand_relations(center, depth, max_nodes, relation_types,
                                              entity_types, q.edges_from, read_relations)
    # each read is its own transaction: an entity deleted meanwhile is left out, not a KeyError
    nodes = get_many(sorted(kept))
    if center not in nodes:
        raise EntityNotFound(center)
    return Neighborhood(nodes=[nodes[center]] + [nodes[i] for i in sorted(kept)
                                                 if i != center and i in nodes],
                        edges=sorted((e for e in edges
                                      if e.source in nodes and e.target in nodes),
                                     key=lambda r: r.id),
                        center=center, depth=depth, truncated=truncated)


def shortest_paths(read: ReadFn, source: str, target: str, max_hops: int, limit: int,
                   relation_types: Sequence[RelationType] | None) -> list[GraphPath]:
    """All shortest paths between two different entities, ignoring direction."""
    rows = read(q.shortest_paths(max_hops, relation_types),
                {"source": source, "target": target, "n": limit})
    return [GraphPath(nodes=[entity_from_properties(n) for n in row["nodes"]],
                      edges=[_relation(r) for r in row["rels"]]) for row in rows]
