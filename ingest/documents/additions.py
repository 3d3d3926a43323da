"""A reviewer's additions: a relation the extractor missed, read by a person in a document.

It joins the queue as a relation candidate of that document (marked ``added``, with the
reviewer's quote as its evidence), checked as an accept checks one, and is accepted like
any other (:func:`.review.accept`), so the graph gets it with the document as its source.
Re-reading the document never withdraws it.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from schema import (
    Entity,
    EntityNotFound,
    EntityType,
    IntegrityError,
    InvalidInput,
    RelationType,
    endpoint_problem,
    normalise_name,
)
from schema.properties import build_relation_props, validation_reasons

from .queue import Candidate, ReviewQueue, candidate_id


def check_document(queue: ReviewQueue, doc_id: str) -> None:
    """Refuse a document the queue has not read (additions cite a document it holds)."""
    if queue.document_hash(doc_id) is None:
        raise InvalidInput("doc", f"no document {doc_id!r} was read into the review queue")


def document_entity(queue: ReviewQueue, doc_id: str, name: str) -> Candidate | None:
    """The entity candidate of ``doc_id`` named ``name`` (as written or as normalised) that
    may still be accepted, if there is one."""
    wanted = normalise_name(name)
    for candidate in queue.document_candidates(doc_id):
        if candidate.kind == "entity" and candidate.status in ("pending", "accepted") and \
                wanted in (candidate.data["canonical"], normalise_name(candidate.data["name"])):
            return candidate
    return None


def _added_endpoint(end: Entity | Candidate) -> dict[str, Any]:
    if isinstance(end, Entity):
        return {"name": end.name, "canonical": end.name, "type": end.type.value,
                "entity_id": end.id, "candidate": None}
    return {"name": end.data["name"], "canonical": end.data["canonical"],
            "type": end.data["type"], "entity_id": None, "candidate": end.id}


def add_relation(queue: ReviewQueue, doc_id: str, source: Entity | Candidate,
                 target: Entity | Candidate, relation: RelationType,
                 values: dict[str, Any], *, quote: str = "", section: str = "") -> Candidate:
    """Queue a relation the extractor missed, as a reviewer read it in ``doc_id``: between
    graph entities or the document's entity candidates, checked as an accept would check it
    (endpoint types, properties), pending until accepted. ``values``: kind, status, year."""
    check_document(queue, doc_id)
    ends = [_added_endpoint(source), _added_endpoint(target)]
    problem = endpoint_problem(relation, EntityType(ends[0]["type"]),
                               EntityType(ends[1]["type"]))
    if problem:
        raise InvalidInput("relation", problem)
    try:
        props = build_relation_props(relation, values).model_dump(exclude_none=True)
    except ValidationError as e:
        field, reason = validation_reasons(e)[0]
        raise InvalidInput(field, reason) from e
    keys = [str(e["entity_id"] or f"{e['type']}:{e['canonical']}") for e in ends]
    if keys[0] == keys[1]:
        raise InvalidInput("target", "is the relation's source itself")
    if relation is RelationType.partnership:
        keys.sort()  # no direction, as the extractor keys it
    found = candidate_id(doc_id, "relation", [relation.value, *keys])
    try:
        queue.get(found)
    except EntityNotFound:
        pass
    else:  # the extractor read it: decide that candidate instead of adding a second one
        raise IntegrityError(f"candidate {found}: the document already proposes this "
                             "relation; accept or edit that candidate")
    data = {"relation": relation.value, "source": ends[0], "target": ends[1],
            "kind": props.get("kind"), "status": props.get("status"), "year": props.get("year"),
            "trigger": "", "endpoint_problem": None, "added": True}
    return queue.add(Candidate(
        candidate_id(doc_id, "relation", ["added", relation.value, *keys]), doc_id,
        kind="relation", confidence=1.0, section=section, start=0, end=0, sentence_start=0,
        sentence_end=0, evidence=quote, data=data))
