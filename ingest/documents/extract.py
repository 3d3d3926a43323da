"""One document in, mentions and relations out, each citing the original text.

:func:`extract_document` runs the whole chain (sections, sentences, mentions, teams,
relations); :meth:`Extraction.lines` gives the ``innograph extract --json`` lines
(ARCHITECTURE.md): offsets in them are offsets into the document as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schema import RelationType, endpoint_problem

from .abbreviations import abbreviations, institutions
from .discourse import (
    declared_names,
    document_names,
    names_pattern,
    repeated_mentions,
    split_merged,
)
from .explanations import explain
from .gazetteer import Gazetteer
from .mentions import Mention, sentence_mentions
from .readers import SourceDocument, read_document
from .relation_context import context_relations
from .relation_findings import RelationFinding
from .relations import sentence_relations
from .sections import Section, Sentence, find_sections, split_sentences
from .teams import TeamFinding, sentence_leaders, sentence_teams

if TYPE_CHECKING:  # the second reader (numpy, the model) is imported by whoever passes one
    from .second_reading import SecondReader

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年")


@dataclass(frozen=True)
class Found:
    """A mention or relation with the sentence it was read from."""

    sentence: Sentence
    item: Mention | RelationFinding


@dataclass
class Extraction:
    """What one document says: its sections, mentions and relations."""

    document: SourceDocument
    sections: list[Section]
    mentions: list[Found]
    relations: list[Found]
    gazetteer_used: bool
    #: leaders' canonical names by team span (normalised offsets)
    leaders: dict[tuple[int, int], list[str]] = field(default_factory=dict)

    def leaders_of(self, mention: Mention) -> list[str]:
        """Canonical names of the people leading a team mention (empty for others)."""
        return self.leaders.get((mention.start, mention.end), [])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of a normalised span."""
        return self.document.mapped.original_span(start, end)

    def written(self, start: int, end: int) -> str:
        """The original text of a normalised span."""
        a, b = self.span(start, end)
        return self.document.original[a:b]

    def _mention_json(self, mention: Mention) -> dict[str, Any]:
        start, end = self.span(mention.start, mention.end)
        return {"name": self.written(mention.start, mention.end),
                "canonical": mention.canonical, "type": mention.type.value,
                "start": start, "end": end, "entity_id": mention.known.id if mention.known
                else None, "resolved_by": mention.known.how if mention.known else None}

    def explanation(self, mention: Mention) -> dict[str, Any]:
        """Who read ``mention`` and why (second reader on; :mod:`.explanations`)."""
        return explain(mention, self.written, self.span)

    def mention_line(self, found: Found) -> dict[str, Any]:
        mention = found.item
        assert isinstance(mention, Mention)
        return {"record": "mention", "doc": self.document.doc_id,
                **self._mention_json(mention), "confidence": mention.confidence,
                "method": mention.method, **({"leaders": self.leaders_of(mention)}
                                             if self.leaders_of(mention) else {}),
                **(self.explanation(mention) if mention.readers else {}),
                "section": found.sentence.section,
                "sentence": list(self.span(found.sentence.start, found.sentence.end))}

    def relation_line(self, found: Found) -> dict[str, Any]:
        rel = found.item
        assert isinstance(rel, RelationFinding)
        start, end = self.span(rel.start, rel.end)
        return {"record": "relation", "doc": self.document.doc_id,
                "source": self._mention_json(rel.source),
                "target": self._mention_json(rel.target), "relation": rel.type.value,
                "kind": rel.kind.value if rel.kind else None,
                "status": rel.status.value if rel.status else None, "year": rel.year,
                "trigger": rel.trigger, "rule": rel.rule, "start": start, "end": end,
                "evidence": self.written(rel.start, rel.end), "confidence": rel.confidence,
                "endpoint_problem": endpoint_problem(rel.type, rel.source.type, rel.target.type),
                "section": found.sentence.section,
                "sentence": list(self.span(found.sentence.start, found.sentence.end))}

    def lines(self) -> Iterator[dict[str, Any]]:
        """Mention lines, then relation lines, in document order."""
        for found in self.mentions:
            yield self.mention_line(found)
        for found in self.relations:
            yield self.relation_line(found)


def section_years(sections: list[Section]) -> dict[str, int]:
    """Years named in section headings (``二、2022年重点工作``), by section path."""
    years = {}
    for section in sections:
        found = _YEAR.search(section.title)
        if found:
            years[section.path] = int(found.group(1))
    return years


def _year_of(path: str, years: dict[str, int]) -> int | None:
    parts = path.split("/")
    for depth in range(len(parts), 0, -1):
        year = years.get("/".join(parts[:depth]))
        if year is not None:
            return year
    return None


def _dated(found: RelationFinding, sentence: Sentence, years: dict[str, int]
           ) -> RelationFinding:
    """A partnership the sentence gives no year, dated by its plan's heading
    (``二、2022年重点工作``) when it has one."""
    if found.type is not RelationType.partnership or found.year is not None:
        return found
    return replace(found, year=_year_of(sentence.section, years))


def _sentence_mentions(text: str, sentence: Sentence, gazetteer: Gazetteer | None
                       ) -> tuple[list[Mention], list[TeamFinding]]:
    """A sentence's organisation mentions, teams and leaders, in text order."""
    found = sentence_mentions(text, sentence, gazetteer)
    teams = sentence_teams(text, sentence, gazetteer)
    team_spans = [(t.team.start, t.team.end) for t in teams]
    leader_spans = {(p.start, p.end) for t in teams for p in t.leaders}
    found = [m for m in found if (m.start, m.end) not in leader_spans
             and not any(a <= m.start and m.end <= b for a, b in team_spans)]
    found += [t.team for t in teams] + [p for t in teams for p in t.leaders]
    found += sentence_leaders(text, sentence, gazetteer, found)  # leaders of no named team
    return found, teams


def extract_document(document: SourceDocument, gazetteer: Gazetteer | None,
                     second: SecondReader | None = None) -> Extraction:
    """Mentions and relations of a read document (``gazetteer=None``: patterns only;
    ``second``: the model reads too, :mod:`.second_reading`).

    Two passes: the first reads each sentence on its own; the second adds the other
    occurrences of the names the first found (:mod:`.discourse`); then the second reader,
    if any, joins in, and relations are read."""
    text = document.text
    sections = find_sections(text)
    years = section_years(sections)
    sentences = split_sentences(text, sections)
    first = [_sentence_mentions(text, sentence, gazetteer) for sentence in sentences]
    first_mentions = [m for found, _ in first for m in found]
    names = document_names(first_mentions)
    names.update(declared_names(text, first_mentions))
    pattern = names_pattern(names)
    full_names = institutions(first_mentions)
    read: list[tuple[Sentence, list[Mention]]] = []
    leaders: dict[tuple[int, int], list[str]] = {}
    for sentence, (found, teams) in zip(sentences, first, strict=True):
        short = abbreviations(text, sentence, found, full_names)
        found = split_merged(text, found, short)
        found = split_merged(text, found,
                             repeated_mentions(text, sentence, found, names, pattern))
        leaders.update({(t.team.start, t.team.end): [p.canonical for p in t.leaders]
                        for t in teams})
        found.sort(key=lambda m: (m.start, -m.end))
        read.append((sentence, found))
    if second is not None:
        read = list(zip(sentences, second.read(text, read, gazetteer), strict=True))
    mentions: list[Found] = []
    relations: list[Found] = []
    for (sentence, found), (_, teams) in zip(read, first, strict=True):
        mentions += [Found(sentence, m) for m in found]
        stated = [_dated(r, sentence, years) for r in sentence_relations(text, sentence, found)]
        for team in teams:
            for leader in team.leaders:
                stated.append(RelationFinding(leader, team.team, RelationType.leads, None, None,
                                              None, "", min(leader.start, team.team.start),
                                              max(leader.end, team.team.end), 0.8,
                                              rule="team-leader"))
        relations += [Found(sentence, r) for r in stated]
    # a sentence naming its party by reference to an earlier one (:mod:`.relation_context`)
    relations += [Found(spanning, _dated(r, spanning, years))
                  for spanning, r in context_relations(text, read, sentence_relations)]
    relations.sort(key=lambda f: f.sentence.end)  # each after its own sentence's
    return Extraction(document, sections, mentions, relations, gazetteer is not None, leaders)


def extract_path(path: Path, gazetteer: Gazetteer | None,
                 second: SecondReader | None = None) -> Extraction:
    """Read ``path`` (fixing the gazetteer's known name slips) and extract from it."""
    document = read_document(path, gazetteer.slips if gazetteer else None)
    return extract_document(document, gazetteer, second)
