"""Library records → response models (the one place that decides what a client sees)."""

from __future__ import annotations

from graph.store.base import GraphPath, Neighborhood, Subgraph
from schema import Entity, Relation

from .models import EntityBrief, EntityOut, GraphOut, Hop, NeighborhoodOut, PathOut, RelationOut


def brief(entity: Entity) -> EntityBrief:
    return EntityBrief(id=entity.id, name=entity.name, type=entity.type.value,
                       type_label=entity.type.label, layer=entity.layer)


def entity_out(entity: Entity, scores: dict[str, float] | None = None) -> EntityOut:
    return EntityOut(**entity.to_json(), scores=scores or {})


def relation_out(relation: Relation) -> RelationOut:
    return RelationOut(id=relation.id, type=relation.type.value, type_label=relation.type.label,
                       source=relation.source, target=relation.target, props=relation.props,
                       provenance=relation.provenance)


def graph_out(graph: Subgraph) -> GraphOut:
    return GraphOut(nodes=[brief(n) for n in graph.nodes],
                    edges=[relation_out(e) for e in graph.edges])


def neighborhood_out(graph: Neighborhood) -> NeighborhoodOut:
    return NeighborhoodOut(center=graph.center, depth=graph.depth, truncated=graph.truncated,
                           nodes=[brief(n) for n in graph.nodes],
                           edges=[relation_out(e) for e in graph.edges])


def relation_words(relation: Relation) -> str:
    """The relation as a reader says it: ``合作(共建, 2021)``."""
    details = [str(relation.props[k]) for k in ("kind", "status", "role", "year")
               if k in relation.props]
    return relation.type.label + (f"({', '.join(details)})" if details else "")


def path_out(path: GraphPath) -> PathOut:
    hops = []
    for here, there, edge in zip(path.nodes, path.nodes[1:], path.edges, strict=False):
        forward = edge.source == here.id
        words = relation_words(edge)
        text = (f"{here.name} —{words}→ {there.name}" if forward
                else f"{here.name} ←{words}— {there.name}")
        hops.append(Hop(source=brief(here), target=brief(there), relation=relation_out(edge),
                        forward=forward, text=text))
    return PathOut(hops=hops)
