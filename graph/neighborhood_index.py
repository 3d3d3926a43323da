"""Neighbourhoods answered from memory, for a server that answers many of them.

A store answers :meth:`GraphStore.neighborhood` with several queries per hop (tens of
milliseconds). :class:`NeighborhoodIndex` holds the graph's adjacency, its entities and
relations as columns, built once per store version, and answers the same question in about
a millisecond — with the same answer: the same hop-by-hop expansion, the same edge order
(source, target, type), the same per-hop row cap and the same ``truncated`` flag (a test
compares the two on every entity of the sample graph).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa

from schema import Entity, EntityNotFound, EntityType, Relation, RelationType
from schema.tables import entity_from_row, relation_from_row

from .store.base import GraphStore, Neighborhood, check_bounds
from .store.expansion import EdgeRef, expand_neighborhood
from .versioned import per_version

__all__ = ["NeighborhoodIndex", "neighborhood_index"]

_CACHE_RECORDS = 200_000  # parsed records kept per kind (then the cache starts afresh)


class NeighborhoodIndex:
    """Adjacency of one version of a graph, with its records as arrow columns."""

    def __init__(self, entities: pa.Table, relations: pa.Table) -> None:
        # one chunk each: `take` over many chunks costs a millisecond a call
        self._entities = entities.combine_chunks()
        self._relations = relations.combine_chunks()
        ids: list[str] = entities.column("id").to_pylist()
        self._ids = ids
        self._position = {the_id: i for i, the_id in enumerate(ids)}
        self._types: list[str] = entities.column("type").to_pylist()
        sources: list[str] = relations.column("source").to_pylist()
        targets: list[str] = relations.column("target").to_pylist()
        self._relation_types: list[str] = relations.column("type").to_pylist()
        # edges in the order a query's ORDER BY source, target, type gives them
        order = sorted(range(len(sources)),
                       key=lambda e: (sources[e], targets[e], self._relation_types[e]))
        self._source = [self._position[s] for s in sources]
        self._target = [self._position[t] for t in targets]
        self._entity_cache: dict[int, Entity] = {}
        self._relation_cache: dict[int, Relation] = {}
        self._outgoing: dict[int, list[int]] = {}
        self._incoming: dict[int, list[int]] = {}
        for edge in order:
            self._outgoing.setdefault(self._source[edge], []).append(edge)
            self._incoming.setdefault(self._target[edge], []).append(edge)

    @classmethod
    def of(cls, store: GraphStore) -> NeighborhoodIndex:
        return cls(store.entities_table(), store.relations_table())

    def _entity(self, position: int) -> Entity:
        return self._entities_at([position])[0]

    def _edges(self, frontier: list[int], outgoing: bool, relation_types: set[str] | None,
               entity_types: set[str] | None, cap: int) -> list[int]:
        """The first ``cap`` edges leaving (or entering) the frontier, in query order."""
        lists = self._outgoing if outgoing else self._incoming
        far = self._target if outgoing else self._source
        found = [e for node in frontier for e in lists.get(node, ())
                 if (relation_types is None or self._relation_types[e] in relation_types)
                 and (entity_types is None or self._types[far[e]] in entity_types)]
        if not outgoing:  # (outgoing: the frontier is in id order, so the edges already are)
            found.sort(key=lambda e: (self._ids[self._source[e]], self._ids[self._target[e]],
                                      self._relation_types[e]))
        return found[:cap]

    def neighborhood(self, entity_id: str, depth: int = 1, max_nodes: int = 200,
                     relation_types: Sequence[RelationType] | None = None,
                     entity_types: Sequence[EntityType] | None = None) -> Neighborhood:
        """:meth:`graph.store.GraphStore.neighborhood`, from memory."""
        check_bounds(depth=depth, max_nodes=max_nodes)
        center = self._position.get(entity_id)
        if center is None:
            raise EntityNotFound(entity_id)
        wanted_relations = ({RelationType(t).value for t in relation_types}
                            if relation_types else None)
        wanted_types = {EntityType(t).value for t in entity_types} if entity_types else None

        def edges_from(frontier: list[int], outgoing: bool, n: int) -> list[EdgeRef]:
            frontier.sort(key=self._ids.__getitem__)
            rows = self._edges(frontier, outgoing, wanted_relations, wanted_types, n)
            return [(e, self._source[e], self._target[e]) for e in rows]

        kept, edges, truncated = expand_neighborhood(center, depth, max_nodes, edges_from)
        others = sorted((p for p in kept if p != center), key=self._ids.__getitem__)
        relations = self._records(sorted(edges), self._relations, self._relation_cache,
                                  relation_from_row)
        return Neighborhood(nodes=[self._entity(center), *self._entities_at(others)],
                            edges=sorted(relations, key=lambda r: r.id), center=entity_id,
                            depth=depth, truncated=truncated)

    def _entities_at(self, positions: list[int]) -> list[Entity]:
        return self._records(positions, self._entities, self._entity_cache, entity_from_row)

    @staticmethod
    def _records(positions: list[int], table: pa.Table, cache: dict[int, Any],
                 build: Callable[[dict[str, Any]], Any]) -> list[Any]:
        """Records at ``positions``, built from their rows once and then kept (popular
        nodes recur in many neighbourhoods; parsing their JSON was most of the cost)."""
        missing = [p for p in positions if p not in cache]
        if missing:
            rows = table.take(pa.array(missing, pa.int64())).to_pylist()
            if len(cache) + len(missing) > _CACHE_RECORDS:
                cache.clear()
            cache.update(zip(missing, map(build, rows), strict=True))
        return [cache[p] for p in positions]


def neighborhood_index(store: GraphStore) -> NeighborhoodIndex:
    """The index of ``store`` as it is now, rebuilt after any write."""
    return per_version(store, "neighborhoods", NeighborhoodIndex.of)
