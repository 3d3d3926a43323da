"""``GET /health``: is the store there, and what does it hold."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.models import HealthOut
from schema import StoreError

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, summary="存储状态与实体数量")
def health(store: StoreDep) -> HealthOut:
    try:
        store.ping()
        stats = store.stats()
    except StoreError:
        return HealthOut(status="unavailable", store_type=store.kind, store_reachable=False,
                         entities=0, relations=0, entities_by_type={}, relations_by_type={})
    return HealthOut(status="ok", store_type=store.kind, store_reachable=True,
                     entities=stats.entities, relations=stats.relations,
                     entities_by_type=stats.entities_by_type,
                     relations_by_type=stats.relations_by_type)

