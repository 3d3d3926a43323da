"""``GET /search``: Chinese, Traditional, pinyin, initials and fuzzy name search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic_core import to_json

from api.deps import StoreDep
from api.indexes import indexes_of
from api.models import SearchOut
from graph.search import MAX_LIMIT, MAX_QUERY_LENGTH
from schema import EntityType

router = APIRouter(tags=["search"])


# async: the index is in memory (about a millisecond a query), so the answer is computed on
# the event loop rather than handed to a worker thread and back
@router.get("/search", response_model=SearchOut, summary="按名称、别名、拼音或首字母搜索实体")
async def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_LENGTH,
                            description="名称、别名、拼音或拼音首字母", examples=["浙大温州研究院"])],
    type: Annotated[EntityType | None, Query(description="实体类型")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
) -> Response:
    hits = (await indexes_of(store)).search.search(q, entity_type=type, limit=limit)
    # the hits are SearchOut's fields already: validating them again would only cost time
    body = {"query": q, "items": [hit.to_json() for hit in hits]}
    return Response(to_json(body), media_type="application/json")
