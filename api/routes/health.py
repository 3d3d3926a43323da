"""``GET /health``: is the store there, what does it hold (cheap: counts only), and is a load
being written into it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import get_store
from api.models import HealthOut
from graph.store import is_neo4j_uri
from schema import GraphIncomplete, StoreBusy, StoreError

router = APIRouter(tags=["health"])

#: the detail while a write is under way (the viewer shows it as it is: Chinese)
WRITING = "正在写入新数据：数量为写入前的图谱，写入完成后更新"


@router.get("/health", response_model=HealthOut, summary="存储状态与实体数量",
            responses={503: {"model": HealthOut, "description": "store unreachable"}})
def health(request: Request) -> HealthOut | JSONResponse:
    kind = "neo4j" if is_neo4j_uri(request.app.state.settings.store) else "embedded"
    try:
        store = get_store(request)
        store.ping()
        # first, as every read's request does: a read-only store moves to another process's
        # committed writes here, so the counts below are those the next read sees
        if store.interrupted_load() is not None:
            raise GraphIncomplete(store.location)
        counts = store.counts()
        writing = store.write_running()
    except StoreError as e:
        status = "loading" if isinstance(e, GraphIncomplete | StoreBusy) else "unavailable"
        down = HealthOut(status=status, store_type=kind,
                         store_reachable=isinstance(e, GraphIncomplete | StoreBusy),
                         entities=0, relations=0, entities_by_type={}, relations_by_type={},
                         writing=isinstance(e, StoreBusy), detail=str(e))
        return JSONResponse(down.model_dump(), status_code=503)
    return HealthOut(status="ok", store_type=store.kind, store_reachable=True,
                     entities=counts.entities, relations=counts.relations,
                     entities_by_type=counts.entities_by_type,
                     relations_by_type=counts.relations_by_type,
                     writing=writing, detail=WRITING if writing else None)
