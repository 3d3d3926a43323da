"""``/entities``: list (paginated), one entity, and its neighbourhood."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.analysis import analysis_of
from api.convert import entity_out
from api.deps import StoreDep
from api.indexes import current, rebuild_in_background
from api.models import EntityDetailOut, EntityPage, NeighborhoodOut
from api.named import named_entity
from api.params import PathId
from api.record_json import neighborhood_json
from api.resolve import entity_id_named, entity_named
from graph.store.base import MAX_DEPTH
from schema import EntityNotFound, EntityType, RelationType
from schema.claims import conflicts

router = APIRouter(tags=["entities"])

MAX_PAGE = 500
# ids may hold "/" (they are built from names), hence {entity_id:path}; the neighbourhood
# route is declared first so that ".../neighborhood" reaches it
MAX_NEIGHBORHOOD = 500  # what a browser can draw; the store's own cap is higher
EntityId = Annotated[PathId, Path(description="实体 id、名称或别名", examples=["institute:浙江大学温州研究院"])]


@router.get("/entities", response_model=EntityPage, summary="分页列出实体（可按类型、区域、产业筛选）")
def list_entities(
    store: StoreDep,
    type: Annotated[EntityType | None, Query(description="实体类型")] = None,
    region: Annotated[str | None, Query(max_length=300, description="区域 id 或名称（含下级区域）",
                                        examples=["region:瓯海区"])] = None,
    industry: Annotated[str | None, Query(max_length=300, description="产业 id 或名称（含其产业链环节）",
                                          examples=["industry:眼镜"])] = None,
    cursor: Annotated[str, Query(max_length=300, description="上一页的 next_cursor")] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> EntityPage:
    if region or industry:
        ids = _members(store, type, entity_id_named(store, region, EntityType.region),
                       entity_id_named(store, industry, EntityType.industry), cursor,
                       limit + 1)
        found = store.get_many(ids)
        page = [found[i] for i in ids if i in found]
    else:
        page = store.entity_page(after=cursor, limit=limit + 1, entity_type=type)
    more = len(page) > limit
    page = page[:limit]
    scores = store.read_scores([e.id for e in page])
    return EntityPage(items=[entity_out(e, scores.get(e.id)) for e in page],
                      next_cursor=page[-1].id if more else None)


def _members(store: StoreDep, entity_type: EntityType | None, region: str | None,
             industry: str | None, after: str, limit: int) -> list[str]:
    """Ids after ``after`` of the entities in ``region`` (at any depth) and ``industry``
    (directly or through a segment of its chain), from the analytics catalog."""
    catalog = analysis_of(store).projection.catalog
    for wanted, kind in ((region, EntityType.region), (industry, EntityType.industry)):
        info = catalog.entities.get(wanted) if wanted else None
        if wanted and (info is None or info.type is not kind):
            raise EntityNotFound(wanted)
    chosen = sorted(
        e for e, info in catalog.entities.items()
        if e > after and (entity_type is None or info.type is entity_type)
        and (region is None or region in catalog.regions_of.get(e, ()))
        and (industry is None or industry in catalog.industries_of.get(e, ())))
    return chosen[:limit]


@router.get("/entities/{entity_id:path}/neighborhood", response_model=NeighborhoodOut,
            summary="实体的邻域（深度与规模有上限）", response_class=JSONResponse)
async def neighborhood(
    store: StoreDep,
    entity_id: EntityId,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="跳数")] = 1,
    types: Annotated[list[EntityType] | None, Query(description="只保留这些类型的实体")] = None,
    relations: Annotated[list[RelationType] | None, Query(description="只沿这些关系")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_NEIGHBORHOOD, description="最多实体数")] = 200,
) -> Response:
    served = current(store)
    if served is not None:  # in memory, on the event loop (about a millisecond)
        found = served.neighborhoods.neighborhood(
            served.search.resolve(entity_id).id, depth=depth, max_nodes=limit,
            relation_types=relations or None, entity_types=types or None)
    else:  # a write made the index stale: the store answers (same answer) while it is rebuilt
        rebuild_in_background(store)
        found = await run_in_threadpool(
            lambda: store.neighborhood(entity_named(store, entity_id).id, depth=depth,
                                       max_nodes=limit, relation_types=relations or None,
                                       entity_types=types or None))
    # serialised here, from each record's JSON made once (api/record_json.py)
    return Response(neighborhood_json(found), media_type="application/json")


@router.get("/entities/{entity_id:path}", response_model=EntityDetailOut,
            summary="一个实体：属性、别名、出处、各来源所述与冲突、分析得分")
def get_entity(store: StoreDep, entity_id: EntityId) -> EntityDetailOut:
    entity = named_entity(store, entity_id)  # from memory while the index is current
    entity_id = entity.id
    sources = entity.sources()
    return EntityDetailOut(**entity_out(entity, store.read_scores([entity_id]).get(
        entity_id)).model_dump(), sources=[c.to_json() for c in sources],
        conflicts=[c.to_json() for c in conflicts(sources, entity.type.value)])

