"""``/viz``: pyvis pages of a neighbourhood and of an industry chain (HTML, not JSON).

The pages load vis-network from ``/vendor`` on this server (see :mod:`api.routes.viewer`);
nodes link to each other's neighbourhood page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse

from api.analysis import analysis_of
from api.deps import StoreDep
from api.indexes import current
from api.params import PathId
from graph.analytics import CentralityMeasure, chain_report
from graph.store.base import MAX_DEPTH, MAX_NEIGHBORHOOD_NODES
from schema import EntityNotFound, EntityType, RelationType
from viz import render_chain, render_subgraph

router = APIRouter(tags=["visualisations"])

VENDOR_URL = "/vendor"
NEIGHBORHOOD_LINK = "/viz/neighborhood/"
MEASURE_LABELS = {"degree": "度数", "weighted_degree": "加权度数", "pagerank": "PageRank",
                  "betweenness": "中介中心性"}
VizId = Annotated[PathId, Path(description="实体 id", examples=["park:中国眼谷"])]
_HTML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "a self-contained HTML page"}}


@router.get("/viz/neighborhood/{entity_id:path}", response_class=HTMLResponse, responses=_HTML,
            summary="邻域图（pyvis 页面，节点大小按中心性）")
def neighborhood_page(
    store: StoreDep,
    entity_id: VizId,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="跳数")] = 1,
    types: Annotated[list[EntityType] | None, Query(description="只保留这些类型的实体")] = None,
    relations: Annotated[list[RelationType] | None, Query(description="只沿这些关系")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_NEIGHBORHOOD_NODES, description="最多实体数")] = 200,
    size_by: Annotated[CentralityMeasure | None,
                       Query(description="节点大小依据的中心性")] = CentralityMeasure.pagerank,
) -> HTMLResponse:
    center = store.get(entity_id)
    if center is None:
        raise EntityNotFound(entity_id)
    served = current(store)  # the in-memory index when it is current (same answer)
    found = (served.neighborhoods if served is not None else store).neighborhood(
        entity_id, depth=depth, max_nodes=limit, relation_types=relations or None,
        entity_types=types or None)
    scores = analysis_of(store).centrality.scores.get(size_by.value) if size_by else None
    notes = [f"超过 {limit} 个实体，只显示前 {limit} 个"] if found.truncated else []
    html = render_subgraph(
        found, heading=f"{center.name}（{center.type.label}）的邻域",
        subheading=f"{depth} 跳内 {len(found.nodes)} 个实体、{len(found.edges)} 条关系"
                   + (f"；节点大小按{MEASURE_LABELS[size_by.value]}" if size_by else "")
                   + "；双击节点查看其邻域",
        scores=scores, score_name=MEASURE_LABELS[size_by.value] if size_by else "",
        center=entity_id, link_base=NEIGHBORHOOD_LINK, vendor_url=VENDOR_URL, notes=notes)
    return HTMLResponse(html)


@router.get("/viz/chain/{industry_id:path}", response_class=HTMLResponse, responses=_HTML,
            summary="产业链图谱（pyvis 页面：环节按上下游分列，缺口标红）")
def chain_page(
    store: StoreDep,
    industry_id: Annotated[PathId, Path(description="产业 id", examples=["industry:眼镜"])],
    few: Annotated[int, Query(ge=0, le=50, description="成员不多于此数的环节算薄弱")] = 1,
    candidates: Annotated[int, Query(ge=0, le=20, description="每个缺口的候选数")] = 3,
    region: Annotated[str | None, Query(max_length=300, description="只算该区域的成员",
                                        examples=["region:瓯海区"])] = None,
) -> HTMLResponse:
    analysis = analysis_of(store)
    catalog = analysis.projection.catalog
    for wanted, kind in ((industry_id, EntityType.industry), (region, EntityType.region)):
        info = catalog.entities.get(wanted) if wanted else None
        if wanted and (info is None or info.type is not kind):
            raise EntityNotFound(wanted)
    report = chain_report(analysis.projection, industry_id, analysis.recommender, few=few,
                          candidates=candidates, region=region)
    return HTMLResponse(render_chain(report, link_base=NEIGHBORHOOD_LINK, vendor_url=VENDOR_URL))
