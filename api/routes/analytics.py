"""Analytics over the collaboration graph: density, centrality, communities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.analysis import analysis_of
from api.deps import StoreDep
from api.models import CentralityOut, CommunitiesOut, CommunityOut, DensityOut
from graph.analytics import (
    CentralityMeasure,
    Community,
    DensityMatrix,
    EntityRef,
    GroupBy,
    density_by,
    density_matrix,
)

router = APIRouter(prefix="/analytics", tags=["analytics"])
MAX_ITEMS = 200


@router.get("/density", response_model=DensityOut, summary="按分组计算合作密度")
def density(
    store: StoreDep,
    by: Annotated[GroupBy, Query(description="分组方式")] = GroupBy.industry,
    min_members: Annotated[int, Query(ge=1, le=10_000)] = 2,
) -> DensityOut:
    projection = analysis_of(store).projection
    return DensityOut(by=by.value, groups=density_by(projection, by, min_members=min_members))


@router.get("/density/matrix", response_model=DensityMatrix, summary="两种分组之间的合作密度矩阵")
def matrix(
    store: StoreDep,
    rows: Annotated[GroupBy, Query()] = GroupBy.industry,
    columns: Annotated[GroupBy, Query()] = GroupBy.region,
) -> DensityMatrix:
    return density_matrix(analysis_of(store).projection, rows, columns)


@router.get("/centrality", response_model=CentralityOut, summary="中心性排名（度、加权度、PageRank、介数）")
def centrality_ranking(
    store: StoreDep,
    measure: Annotated[CentralityMeasure, Query()] = CentralityMeasure.pagerank,
    limit: Annotated[int, Query(ge=1, le=MAX_ITEMS)] = 20,
) -> CentralityOut:
    found = analysis_of(store).centrality
    return CentralityOut(measure=measure.value, betweenness_method=found.betweenness_method,
                         betweenness_sources=found.betweenness_sources, seed=found.seed,
                         nodes=len(found.scores[CentralityMeasure.degree.value]),
                         items=found.top(measure, limit))


@router.get("/communities", response_model=CommunitiesOut, summary="合作社区（Louvain，固定随机种子）")
def communities(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=MAX_ITEMS, description="最多社区数")] = 50,
    max_members: Annotated[int, Query(ge=1, le=MAX_ITEMS)] = 20,
) -> CommunitiesOut:
    analysis = analysis_of(store)
    found, refs = analysis.communities, analysis.centrality.refs
    return CommunitiesOut(
        modularity=found.modularity, resolution=found.resolution, seed=found.seed,
        count=len(found.communities),
        communities=[_community(c, refs, max_members) for c in found.communities[:limit]])


def _community(community: Community, refs: dict[str, EntityRef],
               max_members: int) -> CommunityOut:
    return CommunityOut(id=community.id, size=community.size, label=community.label,
                        industry=community.industry, industry_share=community.industry_share,
                        region=community.region, region_share=community.region_share,
                        members=[refs[m] for m in community.members[:max_members]])
