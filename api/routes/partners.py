"""Partner recommendations and talent-team links, each with its explanation."""

from __future__ import annotations

import logging
import threading
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.analysis import analysis_of
from api.deps import StoreDep
from api.models import RecommendationsOut
from api.params import PathId
from api.resolve import entity_named
from graph.analytics import TeamLinks, team_links
from graph.analytics.external import external_for
from graph.analytics.recommend import MAX_N
from graph.store.base import GraphStore
from schema import EntityType

router = APIRouter(tags=["recommendations"])
log = logging.getLogger(__name__)


def warm_up(store: GraphStore) -> threading.Thread:
    """Build ``store``'s projection and partner recommender in a background thread, so
    that the first ``/recommendations/partners`` request finds them built (a request that
    arrives meanwhile waits for this build, never starts a second one: ``Analysis`` builds
    each part once). Call it when the server starts; a failure is logged, and the first
    request then builds (and reports) it as usual.
    """
    def build() -> None:
        try:
            analysis_of(store).recommender  # noqa: B018 - built for its side effect
        except Exception:  # the request path reports errors; here they are only logged
            log.exception("partner recommender warm-up failed")

    thread = threading.Thread(target=build, name="innograph-warm-up", daemon=True)
    thread.start()
    return thread


@router.get("/recommendations/partners", response_model=RecommendationsOut,
            summary="为实体（企业、孵化器或产业链环节）推荐合作伙伴，并说明理由")
def partners(
    store: StoreDep,
    entity: Annotated[str, Query(min_length=1, max_length=300, description="实体 id、名称或别名",
                                 examples=["华联机械"])],
    limit: Annotated[int, Query(ge=1, le=MAX_N)] = 10,
    scope: Annotated[Literal["local", "external", "all"], Query(
        description="local：图谱内的合作伙伴；external：区外（全国参考名录）中学科与其产业、"
                    "环节对应的机构；all：两者")] = "local",
) -> RecommendationsOut:
    found = entity_named(store, entity)
    analysis = analysis_of(store)
    local = analysis.recommender.recommend(found.id, n=limit) if scope != "external" else []
    why_empty = analysis.recommender.why_none(found.id) if scope != "external" and not local \
        else ""
    outside = external_for(store, found.id, limit) if scope != "local" else None
    return RecommendationsOut(
        entity=analysis.projection.catalog.info(found.id).ref(), scope=scope, items=local,
        why_empty=why_empty,
        external=outside.items if outside else [], external_asked=outside.asked if outside else [],
        note=outside.note if outside else "")


@router.get("/talent-teams/{team_id:path}/links", response_model=TeamLinks,
            summary="人才团队的依托机构、实验室、孵化器与企业（k 跳之内）")
def links(
    store: StoreDep,
    team_id: Annotated[PathId, Path(description="人才团队 id 或名称",
                                    examples=["talent_team:叶志镇院士团队"])],
    hops: Annotated[int, Query(ge=1, le=4)] = 2,
) -> TeamLinks:
    team = entity_named(store, team_id, EntityType.talent_team).id
    return team_links(analysis_of(store).projection, team, hops=hops)
