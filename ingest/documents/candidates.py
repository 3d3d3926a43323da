"""Turn an extraction into review candidates: one per new entity and per relation.

Mentions of entities the graph already knows need no review; a new name becomes one
entity candidate per document (its first mention is the evidence), and every relation
becomes a relation candidate whose endpoints point either at a graph entity or at an
entity candidate, so an edit to that candidate carries over to the relation.
"""

from __future__ import annotations

from typing import Any

from schema import RelationType, endpoint_problem

from .extract import Extraction, Found
from .mentions import Mention
from .queue import Candidate, candidate_id
from .relation_findings import RelationFinding


def _entity_key(mention: Mention) -> list[str]:
    return [mention.type.value, mention.canonical]


def _base(extraction: Extraction, found: Found, start: int, end: int) -> dict[str, Any]:
    a, b = extraction.span(start, end)
    s, e = extraction.span(found.sentence.start, found.sentence.end)
    return {"doc_id": extraction.document.doc_id, "section": found.sentence.section,
            "start": a, "end": b, "sentence_start": s, "sentence_end": e,
            "evidence": extraction.document.original[a:b]}


#: characters of the sentence a candidate keeps, to quote when it is accepted
SENTENCE_MAX = 500


def _sentence(extraction: Extraction, found: Found) -> str:
    """The sentence ``found`` was read in, as written (the quote of the accepted fact)."""
    s, e = extraction.span(found.sentence.start, found.sentence.end)
    return " ".join(extraction.document.original[s:e].split())[:SENTENCE_MAX]


def _endpoint(extraction: Extraction, mention: Mention) -> dict[str, Any]:
    doc = extraction.document.doc_id
    return {"name": extraction.written(mention.start, mention.end),
            "canonical": mention.canonical, "type": mention.type.value,
            "entity_id": mention.known.id if mention.known else None,
            "candidate": None if mention.known else candidate_id(doc, "entity",
                                                                 _entity_key(mention))}


def _endpoint_key(endpoint: dict[str, Any]) -> str:
    return str(endpoint["entity_id"] or f"{endpoint['type']}:{endpoint['canonical']}")


def build_candidates(extraction: Extraction) -> list[Candidate]:
    """Candidates of one document, in document order, without duplicates."""
    doc = extraction.document.doc_id
    entities: dict[str, Candidate] = {}
    for found in extraction.mentions:
        mention = found.item
        assert isinstance(mention, Mention)
        if mention.known is not None:
            continue
        the_id = candidate_id(doc, "entity", _entity_key(mention))
        if the_id in entities:
            entities[the_id].data["mentions"] += 1
            continue
        data: dict[str, Any] = {"name": extraction.written(mention.start, mention.end),
                "canonical": mention.canonical, "type": mention.type.value,
                "method": mention.method, "mentions": 1,
                "sentence": _sentence(extraction, found)}
        if extraction.leaders_of(mention):
            data["leader"] = extraction.leaders_of(mention)[0]  # the graph keeps the first
        if mention.readers:  # the second reader: who read it and why (review shows it)
            data.update(extraction.explanation(mention))
        entities[the_id] = Candidate(the_id, kind="entity", confidence=mention.confidence,
                                     data=data, **_base(extraction, found, mention.start,
                                                        mention.end))
    relations: dict[str, Candidate] = {}
    for found in extraction.relations:
        finding = found.item
        assert isinstance(finding, RelationFinding)
        source = _endpoint(extraction, finding.source)
        target = _endpoint(extraction, finding.target)
        ends = [_endpoint_key(source), _endpoint_key(target)]
        if ends[0] == ends[1]:
            continue  # a name and its alias in one sentence: not a relation
        if finding.type is RelationType.partnership:
            ends.sort()  # a partnership has no direction: one candidate for A–B and B–A
        the_id = candidate_id(doc, "relation", [finding.type.value, *ends])
        if the_id in relations and relations[the_id].confidence >= finding.confidence:
            continue
        data = {"relation": finding.type.value, "source": source, "target": target,
                "kind": finding.kind.value if finding.kind else None,
                "status": finding.status.value if finding.status else None,
                "year": finding.year, "trigger": finding.trigger, "rule": finding.rule,
                "endpoint_problem": endpoint_problem(finding.type, finding.source.type,
                                                     finding.target.type),
                "sentence": _sentence(extraction, found)}
        relations[the_id] = Candidate(the_id, kind="relation", confidence=finding.confidence,
                                      data=data, **_base(extraction, found, finding.start,
                                                         finding.end))
    return [*entities.values(), *relations.values()]
