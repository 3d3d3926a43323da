"""``graph.store.expansion.expand_relations``, the neighbourhood expansion both backends share,
run on the embedded store's own queries (no server needed)."""

from __future__ import annotations

from typing import Any

from graph.store import GraphStore, ladybug_queries
from graph.store.expansion import expand_relations
from schema import EntityType, Relation, RelationType
from schema.tables import relation_from_row

Graph = tuple[list, list]


def _reader(store: Any, seen: list[dict[str, Any]]) -> Any:
    """The embedded store's own row reading, noting the parameters each query got."""
    def read_relations(query: str, params: dict[str, Any]) -> list[Relation]:
        seen.append(params)
        return [relation_from_row(store._reads.decode(row))
                for row in store._connections.rows(query, params)]
    return read_relations


def test_parameters_follow_the_contract_of_both_backends_queries(embedded: GraphStore,
                                                                  small_graph: Graph) -> None:
    """``$ids`` the frontier, ``$n`` one more than 4·max_nodes, ``$entity_types`` the type
    values only when filtering (both backends' Cypher depend on these names)."""
    entities, relations = small_graph
    embedded.upsert(entities, relations)
    zju = entities[0]
    seen: list[dict[str, Any]] = []
    expand_relations(zju.id, 1, 10, None, [EntityType.region], ladybug_queries.edges_from,
                     _reader(embedded, seen))
    assert seen == [{"ids": [zju.id], "n": 41, "entity_types": ["region"]}] * 2
    seen.clear()
    expand_relations(zju.id, 1, 10, None, [], ladybug_queries.edges_from,
                     _reader(embedded, seen))
    assert all("entity_types" not in params for params in seen) and len(seen) == 2


def test_expansion_keeps_the_relations_to_kept_nodes_in_the_order_reached(
        embedded: GraphStore, small_graph: Graph) -> None:
    entities, relations = small_graph
    embedded.upsert(entities, relations)
    zju, ouhai, wenzhou = entities[0], entities[2], entities[3]
    kept, found, truncated = expand_relations(zju.id, 2, 200, [RelationType.located_in,
                                                               RelationType.part_of],
                                              None, ladybug_queries.edges_from,
                                              _reader(embedded, []))
    leaf_in_ouhai = entities[7]
    assert kept == {zju.id, ouhai.id, wenzhou.id, leaf_in_ouhai.id} and not truncated
    # level 1 outgoing (zju→ouhai), level 2 outgoing (ouhai→wenzhou), then incoming (leaf→ouhai)
    assert [(r.source, r.target) for r in found] == [(zju.id, ouhai.id), (ouhai.id, wenzhou.id),
                                                      (leaf_in_ouhai.id, ouhai.id)]
    neighborhood = embedded.neighborhood(zju.id, depth=2, relation_types=[
        RelationType.located_in, RelationType.part_of])
    assert sorted(r.id for r in found) == [r.id for r in neighborhood.edges]
