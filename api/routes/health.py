"""``GET /health``: is the store there, and what does it hold (cheap: counts only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import get_store
from api.models import HealthOut
from graph.store import is_neo4j_uri
from schema import GraphIncomplete, StoreError

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, summary="存储状态与实体数量",
            responses={503: {"model": HealthOut, "description": "store unreachable"}})
def health(request: Request) -> HealthOut | JSONResponse:
    kind = "neo4j" if is_neo4j_uri(request.app.state.settings.store) else "embedded"
    try:
        store = get_store(request)
        store.ping()
        counts = store.counts()
        if store.interrupted_load() is not None:
            raise GraphIncomplete(store.location)
    except StoreError as e:
        status = "loading" if isinstance(e, GraphIncomplete) else "unavailable"
        down = HealthOut(status=status, store_type=kind,
                         store_reachable=isinstance(e, GraphIncomplete),
                         entities=0, relations=0, entities_by_type={}, relations_by_type={},
                         detail=str(e))
        return JSONResponse(down.model_dump(), status_code=503)
    return HealthOut(status="ok", store_type=store.kind, store_reachable=True,
                     entities=counts.entities, relations=counts.relations,
                     entities_by_type=counts.entities_by_type,
                     relations_by_type=counts.relations_by_type)
