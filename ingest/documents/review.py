"""Review decisions: accept a candidate into the graph, edit it, or reject it.

An accepted candidate joins the graph through ``store.upsert`` with schema ids and
provenance citing the document (section, span, sentence offsets, ``evidence=report``).
A relation is accepted only when the ontology allows its endpoints' types
(``schema.rules``); otherwise the reviewer must edit or reject it. Accepting a relation
also accepts the new entities it needs, in one write. The document is the relation's source
(``kind="document"``): a relation the graph already holds keeps its other sources, whose
values outrank a report's, and gains the document's claim and the fields no other source
stated (the decision's note names them).

A *match* candidate (a table row that may name an entity already in the graph, put in the
queue by the table loader) is accepted by merging the incoming entity into the existing
one: its claims join the existing entity's (so its name becomes an alias, and re-loading
its list resolves the row to the existing entity), its relations move to the existing id,
and it is deleted, all in one write (:func:`accept_match`). Rejecting keeps the two apart.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pyarrow as pa
from pydantic import ValidationError

from graph.store.base import MAX_NEIGHBORHOOD_NODES, GraphStore, RelationKey
from ingest.loader import new_run_id
from ingest.merge import combine_claims, merged_entity_row, merged_relation_row
from schema import (
    Entity,
    EntityType,
    InvalidInput,
    Relation,
    RelationType,
    endpoint_problem,
    entity_id,
    normalise_name,
    relation_id,
)
from schema.claims import Claim, merge
from schema.properties import build_relation_props, validation_reasons
from schema.tables import ENTITY_SCHEMA, RELATION_SCHEMA, entities_to_table

from .queue import Candidate, ReviewQueue

ENTITY_EDITS = frozenset({"canonical", "type"})
RELATION_EDITS = frozenset({"relation", "kind", "status", "year"})


#: characters of a document's own words kept with an accepted fact (provenance ``quote``)
QUOTE_MAX = 300


def quoted(text: str) -> str:
    """A document's words as a fact's provenance keeps them: whitespace runs made one space,
    at most :data:`QUOTE_MAX` characters (a longer passage keeps its start and ends in …).

    >>> quoted("甬江实验室与   宁波材料所 签订协议")
    '甬江实验室与 宁波材料所 签订协议'
    >>> len(quoted("字" * 1000)), quoted("字" * 1000)[-1]
    (300, '…')
    """
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX else text[:QUOTE_MAX - 1] + "…"


def _provenance(candidate: Candidate) -> dict[str, str]:
    # the note is shown to people as it is: in Chinese
    if candidate.data.get("added"):  # a reviewer's own reading: no extractor span
        added = {"source_doc": candidate.doc_id, "source_section": candidate.section,
                 "evidence": "user", "quote": quoted(candidate.evidence),
                 "note": f"审核时补充的关系；审核编号 {candidate.id}"}
        return {k: v for k, v in added.items() if v}
    edited = "；审核时修改过" if candidate.data.get("edited") else ""
    return {"source_doc": candidate.doc_id, "source_section": candidate.section,
            "source_span": f"{candidate.start}-{candidate.end}", "evidence": "report",
            # the whole sentence it was read in (queues from before kept only the span)
            "quote": quoted(candidate.data.get("sentence") or candidate.evidence),
            "note": f"所在句子：第 {candidate.sentence_start}-{candidate.sentence_end} 字；"
                    f"抽取置信度 {candidate.confidence:.2f}；审核编号 {candidate.id}{edited}"}


def entity_record(candidate: Candidate) -> Entity:
    """The graph entity an entity candidate proposes."""
    entity_type = EntityType(candidate.data["type"])
    name = normalise_name(candidate.data["canonical"])
    props = ({"leader": candidate.data["leader"]}  # only a team has a leader property
             if candidate.data.get("leader") and entity_type is EntityType.talent_team else {})
    return Entity(entity_id(entity_type, name), entity_type, name,
                  name_raw=candidate.data["name"], props=props, provenance=_provenance(candidate))


def _endpoint(store: GraphStore, queue: ReviewQueue, endpoint: dict[str, Any], side: str,
              owner: str) -> tuple[str, EntityType, Candidate | None, Entity | None]:
    """(id, type, entity candidate to accept, entity to write) of a relation's endpoint."""
    if endpoint.get("entity_id"):
        stored = store.get(endpoint["entity_id"])
        if stored is None:
            raise InvalidInput(f"candidate {owner}", f"its {side} {endpoint['entity_id']!r} is "
                               "no longer in the graph")
        return stored.id, stored.type, None, None
    needed = queue.get(endpoint["candidate"])
    if needed.status in ("rejected", "obsolete"):
        raise InvalidInput(f"candidate {owner}", f"its {side} {needed.data['canonical']!r} "
                           f"(candidate {needed.id}) is {needed.status}")
    record = entity_record(needed)
    stored = store.get(record.id)
    if stored is not None:  # accepted earlier, or added to the graph since
        return stored.id, stored.type, needed if needed.status == "pending" else None, None
    return record.id, record.type, needed, record


def _union(stored: list[Claim], incoming: list[Claim]) -> list[Claim]:
    """Both records' claims. :func:`ingest.merge.combine_claims` replaces a source's stored
    claims with its incoming ones: right for a re-load, wrong when one source stated both
    records (two rows of one list, or two records written without a source), whose stored
    claim would be lost. Those claims are kept side by side, as a load keeps two rows of one
    file that name one record; an identical statement is kept once."""
    shared = {c.source for c in stored} & {c.source for c in incoming}
    claims = combine_claims(stored, [c for c in incoming if c.source not in shared])
    said = {c.statement() for c in claims}
    return claims + [c for c in incoming if c.source in shared and c.statement() not in said]


def _moved_key(key: RelationKey, incoming: str, existing: str) -> RelationKey:
    source, relation, target = key
    return (existing if source == incoming else source, relation,
            existing if target == incoming else target)


def accept_match(store: GraphStore, queue: ReviewQueue, candidate: Candidate,
                 db: sqlite3.Connection) -> dict[str, Any]:
    """Merge a match candidate's incoming entity into the existing one, in one write.

    Call inside ``queue.deciding`` (``db`` is its connection) with ``store.exclusive()``
    held, so two reviewers cannot both merge it.
    """
    the_id = candidate.id
    incoming_id, existing_id = candidate.data["incoming"]["id"], candidate.data["existing"]["id"]
    if incoming_id == existing_id:
        raise InvalidInput(f"candidate {the_id}", f"matches {existing_id!r} with itself")
    found = store.get_many([incoming_id, existing_id])
    for side, wanted in (("incoming", incoming_id), ("existing", existing_id)):
        if wanted not in found:
            raise InvalidInput(f"candidate {the_id}", f"its {side} entity {wanted!r} is no "
                               "longer in the graph; reject the candidate")
    incoming, existing = found[incoming_id], found[existing_id]
    hood = store.neighborhood(incoming_id, depth=1, max_nodes=MAX_NEIGHBORHOOD_NODES)
    if hood.truncated:
        raise InvalidInput(f"candidate {the_id}", f"{incoming_id!r} has relations with more "
                           f"than {MAX_NEIGHBORHOOD_NODES} entities; too many to merge in review")
    types = {n.id: n.type for n in hood.nodes} | {existing_id: existing.type}
    own = sorted((e for e in hood.edges if incoming_id in (e.source, e.target)),
                 key=lambda e: (e.source, e.type.value, e.target))
    moves: dict[RelationKey, RelationKey] = {}  # new key -> old key
    dropped: list[str] = []
    for edge in own:
        old = (edge.source, edge.type.value, edge.target)
        new = _moved_key(old, incoming_id, existing_id)
        if new[0] == new[2]:
            dropped.append(edge.id)  # it joined the two: merged, it would join one to itself
            continue
        problem = endpoint_problem(edge.type, types[new[0]], types[new[2]])
        if problem:
            raise InvalidInput(f"candidate {the_id}", f"moving {edge.id!r} to {existing_id!r}: "
                               f"{problem}; reject the candidate")
        moves[new] = old
    # read as stored (claims and sources too), the moved relations and any they join
    stored = store.relations_between([*moves, *moves.values()])
    relation_rows = []
    combined = 0
    for new in sorted(moves):
        if moves[new] not in stored:
            continue  # gone since the neighbourhood was read (another process's write)
        moved = stored[moves[new]].sources()
        there = stored.get(new)
        combined += there is not None
        relation_rows.append(merged_relation_row(
            new, moved if there is None else _union(there.sources(), moved)))
    entity_row = merged_entity_row(existing_id, _union(existing.sources(), incoming.sources()),
                                   existing.type.value)
    store.upsert_tables(pa.Table.from_pylist([entity_row], schema=ENTITY_SCHEMA),
                        pa.Table.from_pylist(relation_rows, schema=RELATION_SCHEMA),
                        delete_entities=[incoming_id],
                        delete_relations=list(moves.values()))
    note = (f"merged {incoming_id} into {existing_id}; {len(relation_rows)} relation(s) moved"
            + (f", {len(dropped)} dropped (joined the two)" if dropped else ""))
    queue.decide(db, the_id, "accepted", graph_id=existing_id, note=note)
    return {"id": the_id, "status": "accepted", "graph_id": existing_id, "created": False,
            "merged_from": incoming_id, "relations_moved": len(relation_rows),
            "relations_combined": combined, "relations_dropped": dropped}


def accept(store: GraphStore, queue: ReviewQueue, the_id: str) -> dict[str, Any]:
    """Write a pending candidate to the graph; return what was done.

    The queue's write lock is held from the check that the candidate is pending to its
    decision, around the graph write: of an accept and a reject racing, exactly one wins
    and the other gets :class:`schema.AlreadyDecided` (409)."""
    with queue.deciding(the_id) as (db, candidate):
        if candidate.kind == "match":
            with store.exclusive():
                return accept_match(store, queue, candidate, db)
        if candidate.kind == "entity":
            return _accept_entity(store, queue, candidate, db)
        return _accept_relation(store, queue, candidate, db)


def _accept_entity(store: GraphStore, queue: ReviewQueue, candidate: Candidate,
                   db: sqlite3.Connection) -> dict[str, Any]:
    record = entity_record(candidate)
    known = store.get(record.id) is not None
    if not known:
        store.upsert([record])
    queue.decide(db, candidate.id, "accepted", graph_id=record.id,
                 note="already in the graph" if known else None)
    return {"id": candidate.id, "status": "accepted", "graph_id": record.id,
            "created": not known}


def _accept_relation(store: GraphStore, queue: ReviewQueue, candidate: Candidate,
                     db: sqlite3.Connection) -> dict[str, Any]:
    the_id = candidate.id
    relation = RelationType(candidate.data["relation"])
    source, source_type, source_candidate, source_record = _endpoint(
        store, queue, candidate.data["source"], "source", the_id)
    target, target_type, target_candidate, target_record = _endpoint(
        store, queue, candidate.data["target"], "target", the_id)
    problem = endpoint_problem(relation, source_type, target_type)
    if problem:
        raise InvalidInput(f"candidate {the_id}", f"{problem}; edit its relation or its "
                           "endpoints' types, or reject it")
    try:
        props = build_relation_props(relation, {k: candidate.data.get(k)
                                                for k in ("kind", "status", "year")})
    except ValidationError as e:
        raise InvalidInput(f"candidate {the_id}", "; ".join(
            f"{f}: {r}" for f, r in validation_reasons(e))) from e
    key = (source, relation.value, target)
    stated = Claim(source=candidate.doc_id, kind="document", run=new_run_id(),
                   props=props.model_dump(exclude_none=True), provenance=_provenance(candidate))
    new_entities = [e for e in (source_record, target_record) if e is not None]
    with store.exclusive():  # from the read of the stored relation to the merged write
        stored = store.relations_between([key]).get(key)
        claims = [stated] if stored is None else _union(stored.sources(), [stated])
        store.upsert_tables(entities_to_table(new_entities), pa.Table.from_pylist(
            [merged_relation_row(key, claims)], schema=RELATION_SCHEMA))
    for needed, entity in ((source_candidate, source), (target_candidate, target)):
        if needed is not None:
            queue.decide(db, needed.id, "accepted", graph_id=entity)
    edge_id = relation_id(source, relation, target)
    note = None if stored is None else _joined_note(stored, claims)
    queue.decide(db, the_id, "accepted", graph_id=edge_id, note=note)
    return {"id": the_id, "status": "accepted", "graph_id": edge_id, "created": stored is None,
            "entities_created": [e.id for e in new_entities], "note": note}


def _joined_note(stored: Relation, claims: list[Claim]) -> str:
    """What accepting a relation the graph already held did: the document became one more
    source of it, and filled the fields no stronger source had stated."""
    filled = sorted(k for k, v in merge(claims).props.items() if stored.props.get(k) is None
                    and v is not None)
    return ("already in the graph; the document joined its sources"
            + (f" and gave {', '.join(filled)}" if filled else ""))


def _checked_edit(candidate: Candidate, changes: dict[str, Any]) -> dict[str, Any]:
    if candidate.kind == "match":
        raise InvalidInput(f"candidate {candidate.id}", "a match can only be accepted or "
                           "rejected")
    allowed = ENTITY_EDITS if candidate.kind == "entity" else RELATION_EDITS
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise InvalidInput(unknown[0], f"cannot be edited on a {candidate.kind} candidate "
                           f"(editable: {', '.join(sorted(allowed))})")
    data = {**candidate.data, **changes}
    if candidate.kind == "entity":
        try:
            EntityType(data["type"])
        except ValueError:
            raise InvalidInput("type", f"unknown entity type {data['type']!r}") from None
        if not normalise_name(str(data["canonical"])):
            raise InvalidInput("canonical", "is empty")
        data["canonical"] = normalise_name(str(data["canonical"]))
        return data
    try:
        relation = RelationType(data["relation"])
    except ValueError:
        raise InvalidInput("relation", f"unknown relation type {data['relation']!r}") from None
    if relation is not RelationType.partnership:
        data.update(kind=None, status=None, year=None)
    try:
        build_relation_props(relation, {k: data.get(k) for k in ("kind", "status", "year")})
    except ValidationError as e:
        field, reason = validation_reasons(e)[0]
        raise InvalidInput(field, reason) from e
    data["endpoint_problem"] = endpoint_problem(
        relation, EntityType(data["source"]["type"]), EntityType(data["target"]["type"]))
    return data


def edit(queue: ReviewQueue, the_id: str, changes: dict[str, Any]) -> Candidate:
    """Change what a pending candidate says; relations that use an edited entity follow."""
    with queue.deciding(the_id) as (db, candidate):
        candidate.data = {**_checked_edit(candidate, changes), "edited": True}
        queue.save_data(db, candidate)
        if candidate.kind == "entity":
            for other in queue.document_candidates(candidate.doc_id):
                if other.kind != "relation" or other.status != "pending":
                    continue
                changed = False
                for side in ("source", "target"):
                    if other.data[side].get("candidate") == the_id:
                        other.data[side].update(canonical=candidate.data["canonical"],
                                                type=candidate.data["type"])
                        changed = True
                if changed:
                    other.data["endpoint_problem"] = endpoint_problem(
                        RelationType(other.data["relation"]),
                        EntityType(other.data["source"]["type"]),
                        EntityType(other.data["target"]["type"]))
                    queue.save_data(db, other)
    return queue.get(the_id)


def reject(queue: ReviewQueue, the_id: str, reason: str | None = None) -> Candidate:
    """Mark a pending candidate rejected (relations needing a rejected entity cannot be
    accepted later)."""
    with queue.deciding(the_id) as (db, _):
        queue.decide(db, the_id, "rejected", note=reason)
    return queue.get(the_id)
