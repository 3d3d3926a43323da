"""``/entities``: list (paginated), one entity, and its neighbourhood."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.convert import entity_out, neighborhood_out
from api.deps import StoreDep
from api.models import EntityOut, EntityPage, NeighborhoodOut
from graph.store.base import MAX_DEPTH
from schema import EntityNotFound, EntityType, RelationType

router = APIRouter(tags=["entities"])

MAX_PAGE = 500
# ids may hold "/" (they are built from names), hence {entity_id:path}; the neighbourhood
# route is declared first so that ".../neighborhood" reaches it
MAX_NEIGHBORHOOD = 500  # what a browser can draw; the store's own cap is higher
EntityId = Annotated[str, Path(min_length=1, max_length=300, description="实体 id",
                               examples=["institute:浙江大学温州研究院"])]


@router.get("/entities", response_model=EntityPage, summary="分页列出实体")
def list_entities(
    store: StoreDep,
    type: Annotated[EntityType | None, Query(description="实体类型")] = None,
    cursor: Annotated[str, Query(max_length=300, description="上一页的 next_cursor")] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> EntityPage:
    page = store.entity_page(after=cursor, limit=limit + 1, entity_type=type)
    more = len(page) > limit
    page = page[:limit]
    scores = store.read_scores([e.id for e in page])
    return EntityPage(items=[entity_out(e, scores.get(e.id)) for e in page],
                      next_cursor=page[-1].id if more else None)


@router.get("/entities/{entity_id:path}/neighborhood", response_model=NeighborhoodOut,
            summary="实体的邻域（深度与规模有上限）")
def neighborhood(
    store: StoreDep,
    entity_id: EntityId,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="跳数")] = 1,
    types: Annotated[list[EntityType] | None, Query(description="只保留这些类型的实体")] = None,
    relations: Annotated[list[RelationType] | None, Query(description="只沿这些关系")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_NEIGHBORHOOD, description="最多实体数")] = 200,
) -> NeighborhoodOut:
    found = store.neighborhood(entity_id, depth=depth, max_nodes=limit,
                               relation_types=relations or None, entity_types=types or None)
    return neighborhood_out(found)


@router.get("/entities/{entity_id:path}", response_model=EntityOut,
            summary="一个实体：属性、别名、出处与分析得分")
def get_entity(store: StoreDep, entity_id: EntityId) -> EntityOut:
    entity = store.get(entity_id)
    if entity is None:
        raise EntityNotFound(entity_id)
    return entity_out(entity, store.read_scores([entity_id]).get(entity_id))
