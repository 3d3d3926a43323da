"""``GET /search``: Chinese, Traditional, pinyin, initials and fuzzy name search."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic_core import to_json

from api.deps import StoreDep, complete_graph, store_of
from api.indexes import indexes_of
from api.lean import lean_route
from api.models import SearchOut
from graph.search import MAX_LIMIT, MAX_QUERY_LENGTH
from graph.store.base import GraphStore
from schema import EntityType

router = APIRouter(tags=["search"])
DEFAULT_LIMIT = 10
_TYPES = {t.value: t for t in EntityType}
_PLAIN_INT = re.compile(r"[1-9][0-9]{0,5}")  # no sign, space, zero padding or fraction


async def _answer(store: GraphStore, q: str, entity_type: EntityType | None,
                  limit: int) -> Response:
    hits = (await indexes_of(store)).search.search(q, entity_type=entity_type, limit=limit)
    # the hits are SearchOut's fields already: validating them again would only cost time
    body = {"query": q, "items": [hit.to_json() for hit in hits]}
    return Response(to_json(body), media_type="application/json")


async def _quick(request: Request, params: dict[str, str]) -> Response | None:
    """The declared route's answer to plainly valid parameters (see :mod:`api.lean`);
    ``None`` for anything else, which FastAPI then validates and explains."""
    q, kind, limit = params.get("q"), params.get("type"), params.get("limit")
    if q is None or not 1 <= len(q) <= MAX_QUERY_LENGTH:
        return None
    if kind is not None and kind not in _TYPES:
        return None
    if limit is not None and not (_PLAIN_INT.fullmatch(limit) and int(limit) <= MAX_LIMIT):
        return None
    await complete_graph(request)  # what the router's dependency does on the declared path
    return await _answer(await store_of(request), q, _TYPES[kind] if kind else None,
                         int(limit) if limit else DEFAULT_LIMIT)


# async: the index is in memory (about a millisecond a query), so the answer is computed on
# the event loop rather than handed to a worker thread and back
async def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_LENGTH,
                            description="名称、别名、拼音或拼音首字母", examples=["浙大温州研究院"])],
    type: Annotated[EntityType | None, Query(description="实体类型")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Response:
    return await _answer(store, q, type, limit)


router.add_api_route("/search", search, methods=["GET"], response_model=SearchOut,
                     summary="按名称、别名、拼音或首字母搜索实体",
                     route_class_override=lean_route(_quick))
