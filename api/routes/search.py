"""``GET /search``: Chinese, Traditional, pinyin, initials and fuzzy name search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.models import SearchItem, SearchOut
from graph.search import MAX_LIMIT, MAX_QUERY_LENGTH, SearchIndex
from schema import EntityType

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut, summary="按名称、别名、拼音或首字母搜索实体")
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_LENGTH,
                            description="名称、别名、拼音或拼音首字母", examples=["浙大温州研究院"])],
    type: Annotated[EntityType | None, Query(description="实体类型")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
) -> SearchOut:
    hits = SearchIndex.for_store(store).search(q, entity_type=type, limit=limit)
    return SearchOut(query=q, items=[SearchItem(**hit.to_json()) for hit in hits])
