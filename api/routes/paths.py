"""``GET /paths``: shortest connections between two entities, hop by hop."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.convert import brief, path_out
from api.deps import StoreDep
from api.indexes import current, rebuild_in_background
from api.models import PathsOut
from api.named import named_entity
from graph.connections import Graph, connections
from graph.paths_index import PathFinder
from graph.store.base import MAX_PATH_HOPS
from schema import RelationType

router = APIRouter(tags=["paths"])
Endpoint = Annotated[str, Query(min_length=1, max_length=300,
                                description="实体 id、名称或别名", examples=["华联机械"])]


@router.get("/paths", response_model=PathsOut, summary="两个实体之间的最短路径，实际关系优先（每一跳的关系与出处）")
def paths(
    store: StoreDep,
    source: Endpoint,
    target: Endpoint,
    max_hops: Annotated[int, Query(ge=1, le=MAX_PATH_HOPS)] = 4,
    limit: Annotated[int, Query(ge=1, le=20, description="最多返回几条路径")] = 5,
    relations: Annotated[list[RelationType] | None, Query(description="只沿这些关系")] = None,
) -> PathsOut:
    start, end = named_entity(store, source), named_entity(store, target)
    served = current(store)
    # from the in-memory adjacency (milliseconds); while a write made it stale, the store
    # answers (the same paths, graph/paths_index.py) and the index is rebuilt meanwhile
    graph: Graph = PathFinder(served.neighborhoods) if served is not None else store
    if served is None:
        rebuild_in_background(store)
    found = connections(graph, start.id, end.id, max_hops=max_hops, limit=limit,
                        relation_types=relations or None)
    return PathsOut(source=brief(start), target=brief(end), kind=found.kind, note=found.note,
                    paths=[path_out(p) for p in found.paths])
