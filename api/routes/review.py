"""The review queue over HTTP: ``GET /review`` lists candidates and ``GET
/review/documents`` the documents they come from; ``POST /review/{id}/accept|edit|reject``
decide them and ``POST /review/relations`` adds a relation the extractor missed, behind the
``X-API-Key`` header.

With no key configured (``INNOGRAPH_API_KEY``) every write is refused with 403. Accepting
writes to the app's store, so the app must hold a writable store for it (the embedded store
opened read-only answers accepts with 503).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi import Path as PathParam

from api.deps import ReviewQueueDep, StoreDep
from api.models import (
    AddRelationIn,
    CandidateList,
    CandidateOut,
    Decision,
    EditIn,
    RejectIn,
    ReviewDocument,
    ReviewDocuments,
)
from api.params import PathId
from api.resolve import entity_named
from api.security import require_api_key
from graph.store.base import GraphStore
from ingest.documents.additions import add_relation, check_document, document_entity
from ingest.documents.queue import (
    MAX_LIST,
    Candidate,
    CandidateKind,
    CandidateStatus,
    ReviewQueue,
)
from ingest.documents.review import accept, edit, reject
from schema import Entity, EntityNotFound, InvalidInput, StoreError

router = APIRouter(prefix="/review", tags=["review"])
WRITE = [Depends(require_api_key)]  # checked before the store or queue is touched
CandidateId = Annotated[PathId, PathParam(pattern=r"^c:[0-9a-f]{16}$", description="候选项 id",
                                          examples=["c:0123456789abcdef"])]


@router.get("", response_model=CandidateList, summary="列出待审核的候选实体、关系与匹配")
def list_candidates(
    queue_path: ReviewQueueDep,
    status: Annotated[CandidateStatus | None, Query(description="审核状态")] = (
        CandidateStatus.pending),
    doc: Annotated[str | None, Query(max_length=200, description="文档 id")] = None,
    kind: Annotated[CandidateKind | None, Query(description="候选类别")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CandidateList:
    with ReviewQueue(queue_path, read_only=True) as queue:
        items = queue.candidates(status=status.value if status else None, doc_id=doc,
                                 kind=kind.value if kind else None, limit=limit, offset=offset)
        return CandidateList(counts=queue.counts(),
                             items=[CandidateOut(**c.to_json()) for c in items])


@router.get("/documents", response_model=ReviewDocuments,
            summary="列出有候选项的文档及各状态的数量")
def list_documents(queue_path: ReviewQueueDep,
                   limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = MAX_LIST
                   ) -> ReviewDocuments:
    with ReviewQueue(queue_path, read_only=True) as queue:
        return ReviewDocuments(items=[ReviewDocument(**d) for d in queue.documents(limit)])


def _endpoint(store: GraphStore, queue: ReviewQueue, doc: str, text: str,
              side: str) -> Entity | Candidate:
    """A graph entity by id, name or alias, else an entity candidate of the document."""
    try:
        return entity_named(store, text)
    except EntityNotFound:
        found = document_entity(queue, doc, text)
        if found is None:
            raise InvalidInput(side, f"{text!r} is neither in the graph nor an entity "
                               f"candidate of {doc!r}") from None
        return found


@router.post("/relations", response_model=CandidateOut, status_code=201, dependencies=WRITE,
             summary="补充抽取遗漏的关系（成为该文档的待审核候选项）")
def add_missed_relation(body: AddRelationIn, store: StoreDep,
                        queue_path: ReviewQueueDep) -> CandidateOut:
    with ReviewQueue(queue_path) as queue:
        check_document(queue, body.doc)
        source = _endpoint(store, queue, body.doc, body.source, "source")
        target = _endpoint(store, queue, body.doc, body.target, "target")
        values = body.model_dump(mode="json", include={"kind", "status", "year"})
        added = add_relation(queue, body.doc, source, target, body.relation, values,
                             quote=body.quote or "", section=body.section or "")
        return CandidateOut(**added.to_json())


@router.post("/{candidate_id}/accept", response_model=Decision, dependencies=WRITE,
             summary="接受候选项：写入图谱并记录出处")
def accept_candidate(candidate_id: CandidateId, store: StoreDep,
                     queue_path: ReviewQueueDep) -> Decision:
    if store.read_only:
        raise StoreError(f"store {store.location} is open read-only; serve a writable store "
                         "to accept candidates")
    with ReviewQueue(queue_path) as queue:
        return Decision(**accept(store, queue, candidate_id))


@router.post("/{candidate_id}/edit", response_model=CandidateOut, dependencies=WRITE,
             summary="修改候选项")
def edit_candidate(candidate_id: CandidateId, body: EditIn,
                   queue_path: ReviewQueueDep) -> CandidateOut:
    changes = body.model_dump(mode="json", exclude_none=True)
    with ReviewQueue(queue_path) as queue:
        return CandidateOut(**edit(queue, candidate_id, changes).to_json())


@router.post("/{candidate_id}/reject", response_model=Decision, dependencies=WRITE,
             summary="拒绝候选项")
def reject_candidate(candidate_id: CandidateId, body: RejectIn,
                     queue_path: ReviewQueueDep) -> Decision:
    with ReviewQueue(queue_path) as queue:
        candidate = reject(queue, candidate_id, body.reason)
    return Decision(id=candidate.id, status=CandidateStatus(candidate.status))
