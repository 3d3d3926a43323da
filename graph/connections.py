"""How two entities are connected, real ties first.

"Both are in 瓯海区" is not a connection a promoter can use; a partnership, an affiliation, an
investment, an incubation or a shared patent is. :func:`connections` searches the real ties
first and only when they do not connect the two looks through shared context (place,
industry, chain segment, part-of), saying so; when nothing connects them it says why
(an entity without relations, or nothing within the hops allowed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from schema import RelationType

from .store.base import Neighborhood
from .store.records import GraphPath

#: relations that say two actors work together or belong together (a path along these is a
#: connection a promoter can use)
TIES: tuple[RelationType, ...] = (
    RelationType.partnership, RelationType.affiliated_with, RelationType.invests_in,
    RelationType.incubated_at, RelationType.co_applicant, RelationType.leads,
    RelationType.sub_fund_of, RelationType.supports)
#: relations that only place an entity: a region, a park, an industry, a segment
CONTEXT: tuple[RelationType, ...] = tuple(t for t in RelationType if t not in TIES)

TIES_FOUND = "ties"              # connected by real ties
CONTEXT_ONLY = "shared_context"  # connected only through a shared place, industry or segment
NOT_CONNECTED = "none"

NOTES = {
    TIES_FOUND: "通过合作、隶属、投资、孵化、共同申请专利等实际关系相连",
    CONTEXT_ONLY: "两者之间没有实际合作关系，只是同在一个地区、园区、产业或产业链环节",
}


class Graph(Protocol):
    """What connections are read from: a store, or the in-memory
    :class:`~graph.paths_index.PathFinder` (the same answers)."""

    def shortest_paths(self, source: str, target: str, max_hops: int = 6, limit: int = 5,
                       relation_types: Sequence[RelationType] | None = None
                       ) -> list[GraphPath]: ...

    def neighborhood(self, entity_id: str, depth: int = 1, max_nodes: int = 200
                     ) -> Neighborhood: ...


@dataclass(frozen=True)
class Connections:
    """The paths found, which kind they are, and a sentence saying what that means."""

    kind: str
    paths: list[GraphPath]
    note: str
    relations_searched: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "note": self.note, "paths": [p.to_json() for p in self.paths],
                "relations_searched": self.relations_searched}


def connections(store: Graph, source: str, target: str, *, max_hops: int = 4,
                limit: int = 5,
                relation_types: Sequence[RelationType] | None = None) -> Connections:
    """Shortest paths from ``source`` to ``target`` (ids), along real ties when they connect
    the two, else along any relation, marked as shared context; ``relation_types`` given by
    the caller are searched as they are."""
    if relation_types:
        found = store.shortest_paths(source, target, max_hops=max_hops, limit=limit,
                                     relation_types=list(relation_types))
        chosen = [t.value for t in relation_types]
        if found:
            only_context = all(e.type in CONTEXT for p in found for e in p.edges) and any(
                p.edges for p in found)
            kind = CONTEXT_ONLY if only_context else TIES_FOUND
            return Connections(kind, found, NOTES[kind], chosen)
        return Connections(NOT_CONNECTED, [], _why_not(store, source, target, max_hops), chosen)
    found = store.shortest_paths(source, target, max_hops=max_hops, limit=limit,
                                 relation_types=list(TIES))
    if found:
        return Connections(TIES_FOUND, found, NOTES[TIES_FOUND], [t.value for t in TIES])
    found = store.shortest_paths(source, target, max_hops=max_hops, limit=limit)
    everything = [t.value for t in RelationType]
    if found:
        return Connections(CONTEXT_ONLY, found, NOTES[CONTEXT_ONLY], everything)
    return Connections(NOT_CONNECTED, [], _why_not(store, source, target, max_hops), everything)


def _why_not(store: Graph, source: str, target: str, max_hops: int) -> str:
    for end in (source, target):
        hood = store.neighborhood(end, depth=1, max_nodes=2)
        if not hood.edges:
            name = hood.nodes[0].name if hood.nodes else end
            return f"{name}在图谱中还没有任何关系，无从连接"
    return f"{max_hops}跳之内两者没有任何关系相连；可加大跳数，或补充两者的合作数据"
