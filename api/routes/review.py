"""The review queue over HTTP: ``GET /review`` lists candidates; ``POST
/review/{id}/accept|edit|reject`` decide them, behind the ``X-API-Key`` header.

With no key configured (``INNOGRAPH_API_KEY``) every write is refused with 403. Accepting
writes to ``request.app.state.store``, so the app must hold a writable store for it (the
embedded store opened read-only answers accepts with 503).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from api.deps import StoreDep, get_store
from api.params import PathId
from api.security import require_api_key
from graph.settings import Settings
from ingest.documents.pipeline import review_queue_path
from ingest.documents.queue import KINDS, MAX_LIST, STATUSES, ReviewQueue
from ingest.documents.review import accept, edit, reject
from schema import StoreError

router = APIRouter(prefix="/review", tags=["review"])
WRITE = [Depends(require_api_key)]  # checked before the store or queue is touched
CandidateId = Annotated[PathId, PathParam(pattern=r"^c:[0-9a-f]{16}$", description="候选项 id",
                                          examples=["c:0123456789abcdef"])]


class CandidateOut(BaseModel):
    id: str = Field(examples=["c:6c4a5e4d29d3fd6a"])
    doc_id: str
    kind: str = Field(examples=["relation"], description="entity | relation | match")
    status: str = Field(examples=["pending"])
    confidence: float
    section: str = Field(examples=["二/(二)"])
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    evidence: str
    data: dict[str, Any]
    note: str | None = None
    graph_id: str | None = None
    created_at: str
    updated_at: str


class CandidateList(BaseModel):
    counts: dict[str, int]
    items: list[CandidateOut]


class Decision(BaseModel):
    id: str
    status: str
    graph_id: str | None = None
    created: bool | None = None
    entities_created: list[str] = Field(default_factory=list)
    merged_from: str | None = Field(None, description="match: the entity merged into graph_id "
                                    "(now deleted)")
    relations_moved: int | None = Field(None, description="match: relations moved to graph_id")
    relations_combined: int | None = Field(None, description="match: moved relations that "
                                           "joined one graph_id already had")
    relations_dropped: list[str] = Field(default_factory=list, description="match: relations "
                                         "between the two, dropped (they would join one entity "
                                         "to itself)")


class EditIn(BaseModel):
    """Fields to change; entity: canonical, type; relation: relation, kind, status, year."""

    model_config = ConfigDict(extra="forbid")
    canonical: str | None = Field(None, min_length=1, max_length=200)
    type: str | None = Field(None, max_length=40)
    relation: str | None = Field(None, max_length=40)
    kind: str | None = Field(None, max_length=20)
    status: str | None = Field(None, max_length=20)
    year: int | None = Field(None, ge=1800, le=2100)


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(None, max_length=500)


def install(app: FastAPI, settings: Settings,
            responses: dict[int | str, dict[str, Any]] | None = None) -> None:
    """Serve the review routes on ``app`` with ``settings`` (API key, queue location)."""
    app.state.review_settings = settings
    app.include_router(router, responses=responses)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.review_settings
    return settings


def _queue_path(request: Request) -> Path:
    """The queue beside the app's store (opened on first use, like every route's)."""
    configured = getattr(_settings(request), "review_db", None)
    return review_queue_path(get_store(request).location, configured)


@router.get("", response_model=CandidateList, summary="列出待审核的候选实体、关系与匹配")
def list_candidates(
    request: Request,
    status: Annotated[str | None, Query(description="pending | accepted | rejected | obsolete",
                                        pattern=f"^({'|'.join(STATUSES)})$")] = "pending",
    doc: Annotated[str | None, Query(max_length=200, description="文档 id")] = None,
    kind: Annotated[str | None, Query(pattern=f"^({'|'.join(KINDS)})$")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CandidateList:
    with ReviewQueue(_queue_path(request), read_only=True) as queue:
        items = queue.candidates(status=status, doc_id=doc, kind=kind, limit=limit,
                                 offset=offset)
        return CandidateList(counts=queue.counts(),
                             items=[CandidateOut(**c.to_json()) for c in items])


@router.post("/{candidate_id}/accept", response_model=Decision, dependencies=WRITE,
             summary="接受候选项：写入图谱并记录出处")
def accept_candidate(candidate_id: CandidateId, request: Request, store: StoreDep) -> Decision:
    if store.read_only:
        raise StoreError(f"store {store.location} is open read-only; serve a writable store "
                         "to accept candidates")
    with ReviewQueue(_queue_path(request)) as queue:
        return Decision(**accept(store, queue, candidate_id))


@router.post("/{candidate_id}/edit", response_model=CandidateOut, dependencies=WRITE, summary="修改候选项")
def edit_candidate(candidate_id: CandidateId, body: EditIn, request: Request) -> CandidateOut:
    changes = body.model_dump(exclude_none=True)
    with ReviewQueue(_queue_path(request)) as queue:
        return CandidateOut(**edit(queue, candidate_id, changes).to_json())


@router.post("/{candidate_id}/reject", response_model=Decision, dependencies=WRITE, summary="拒绝候选项")
def reject_candidate(candidate_id: CandidateId, body: RejectIn, request: Request) -> Decision:
    with ReviewQueue(_queue_path(request)) as queue:
        candidate = reject(queue, candidate_id, body.reason)
    return Decision(id=candidate.id, status=candidate.status)
