"""Industry chains: the industries, and each chain's segments, members, gaps and the
candidates that could fill them (the list a promoter takes to a 补链 meeting)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.analysis import analysis_of
from api.deps import StoreDep
from api.models import IndustryOut
from api.params import PathId
from api.resolve import entity_id_named, entity_named
from graph.analytics import ChainReport, chain_report
from graph.analytics.external import reference_pool
from schema import EntityNotFound, EntityType

router = APIRouter(tags=["industries"])


@router.get("/industries", response_model=list[IndustryOut], summary="产业列表（含产业链环节数）")
def industries(store: StoreDep) -> list[IndustryOut]:
    catalog = analysis_of(store).projection.catalog
    counts: dict[str, int] = {}
    for found in catalog.industries_of.values():
        for industry in found:
            counts[industry] = counts.get(industry, 0) + 1
    listed = [info for info in catalog.entities.values() if info.type is EntityType.industry]
    return [IndustryOut(industry=info.ref(), segments=len(catalog.chain(info.id)),
                        members=counts.get(info.id, 0))
            for info in sorted(listed, key=lambda i: (-len(catalog.chain(i.id)), i.id))]


@router.get("/industries/{industry_id:path}/chain", response_model=ChainReport,
            summary="产业链图谱：上游到下游的环节、成员、缺口与补链候选")
def chain(
    store: StoreDep,
    industry_id: Annotated[PathId, Path(description="产业 id 或名称", examples=["industry:眼镜"])],
    few: Annotated[int, Query(ge=0, le=50, description="成员不多于此数的环节算薄弱")] = 1,
    candidates: Annotated[int, Query(ge=0, le=20, description="每个缺口的候选数")] = 5,
    region: Annotated[str | None, Query(max_length=300, description="只算该区域（id 或名称）的成员")] = None,
) -> ChainReport:
    analysis = analysis_of(store)
    industry = entity_named(store, industry_id, EntityType.industry).id
    place = entity_id_named(store, region, EntityType.region)
    for wanted in filter(None, (industry, place)):
        if wanted not in analysis.projection.catalog.entities:
            raise EntityNotFound(wanted)  # an unknown id is a 404 wherever it is given
    return chain_report(analysis.projection, industry, analysis.recommender, few=few,
                        candidates=candidates, region=place, external=reference_pool(store))
