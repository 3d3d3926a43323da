"""Relations across sentences: a sentence whose party is named in a sentence before it.

Reports and news name an organisation once and then refer to it (``X研究院于3月揭牌。该研究院
依托Y建设``, ``X完成B轮融资。本轮融资由A领投``, ``A与B举行签约仪式。双方将共建C``). The
sentence-level shapes (:mod:`.relations`) cannot see the earlier sentence; this pass, run over
the whole document after them, resolves such a reference to the organisation it names, within
a bounded window: at most :data:`WINDOW` sentences back, in the same section, and in the same
paragraph or (for a reference that ``crosses_paragraph``) the one before.

How a reference is read is data (:mod:`.relation_references`), one named entry per kind of
reference, each with example sentences (``tests/documents/test_relation_context.py`` turns every example
into a test case). A reference stands where the sentence's party would: at the start of a
clause, with nothing but an opener (``据介绍,``, ``目前``) and no organisation before it in
its sentence (a reference to an organisation of the same sentence is read there,
:func:`.relation_subjects.earlier_subject`); ``该…`` may also be an object. It names the
topic of the sentences before (their subject, or what their own reference named), else the
last organisation of its kind. The sentence is then read again by the
sentence-level shapes with the reference standing in for the organisation, and what is read
about the reference becomes a relation of the organisation itself: its ``rule`` is the shape's
rule and the reference's (``rests-on+this-kind``), its evidence and sentence run from the
earlier sentence to the trigger, so the review queue quotes both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from schema import EntityType
from schema.rules import ORGANISATIONS

from .mentions import Mention
from .relation_findings import RelationFinding, clause_bounds
from .relation_frames import round_firm, round_roles
from .relation_partners import party_groups, signed_together
from .relation_references import (
    CONTEXT_RULES,
    KIND_WORDS,
    PARTIES_REFERENCE,
    REFERENCES,
    ROUND_REFERENCE,
    Reference,
)
from .sections import Sentence

#: how many sentences back a reference may reach
WINDOW = 2
#: the sentence-level relation reader (:func:`.relations.sentence_relations`)
Reader = Callable[[str, Sentence, list[Mention]], list[RelationFinding]]

# what may open a clause before its subject: a source, a time, a connective (one flat
# alternation, so that a long clause fails fast)
_OPENER = re.compile(r"(?:据(?:了解|介绍|悉)|目前|同时|此外|另外|其中|随后|今年|去年|近日|日前|"
                     r"当天|当日|同日|会上|现场|[\d一二三四五六七八九十]+月(?:份)?|"
                     r"[\d一二三四五六七八九十]+日|(?:19|20)\d\d年|[,，])*")
_CLAUSE_END = re.compile(r"[,，;；:：]")
_ANY_REFERENCE = re.compile("|".join(rule.pattern.pattern.replace("(?P<kind>", "(?:")
                                     for rule in CONTEXT_RULES))


def _paragraph_back(read: list[tuple[Sentence, list[Mention]]], index: int,
                    reference: Reference) -> list[tuple[Sentence, list[Mention]]]:
    """The sentences before ``read[index]`` ``reference`` may reach, nearest first: at most
    :data:`WINDOW`, in the same section, and in the same paragraph (no line break between)
    unless it ``crosses_paragraph`` (then into the paragraph before, not further)."""
    back = []
    current = read[index][0]
    breaks = 0
    for sentence, mentions in reversed(read[max(0, index - WINDOW):index]):
        breaks += "\n" in sentence.text
        if sentence.section != current.section or breaks > reference.crosses_paragraph:
            break
        back.append((sentence, mentions))
        current = sentence
    return back


def _parties(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.type in ORGANISATIONS]


def _subject(text: str, sentence: Sentence, parties: list[Mention]) -> Mention | None:
    """The sentence's first party, when it opens its clause (after an opener such as
    据介绍, or a clause setting the scene: 科技金融方面,X基金与…)."""
    first = next(iter(parties), None)
    if first is None:
        return None
    clause_start, _ = clause_bounds(text, first.start, sentence)
    return first if _OPENER.fullmatch(text, clause_start, first.start) else None


def _antecedent(text: str, reference: Reference, kinds: frozenset[EntityType],
                back: list[tuple[Sentence, list[Mention]]]
                ) -> tuple[Sentence, Mention] | None:
    """The organisation ``reference`` names: the nearest earlier sentence's subject of one
    of ``kinds`` (the topic: X完成融资。本轮融资由A领投。该公司… is X, not A); failing that,
    unless ``subject_first``, the last of ``kinds`` in the nearest sentence naming one."""
    for sentence, mentions in back:
        subject = _subject(text, sentence, _parties(mentions))
        if subject is not None and subject.type in kinds:
            return sentence, subject
    if reference.subject_first:
        return None
    for sentence, mentions in back:
        of_kind = [m for m in _parties(mentions) if m.type in kinds]
        if of_kind:
            return sentence, of_kind[-1]
    return None


def _opens(text: str, sentence: Sentence, parties: list[Mention], start: int) -> bool:
    """``start`` stands where the sentence's first party would: no organisation before it,
    only an opener between its clause's start and it."""
    if any(m.start < start for m in parties):
        return False
    clause_start, _ = clause_bounds(text, start, sentence)
    return _OPENER.fullmatch(text, clause_start, start) is not None


def _candidates(text: str, sentence: Sentence, reference: Reference
                ) -> Iterator[re.Match[str]]:
    """Where ``reference`` may stand in ``sentence``: anywhere, or only where a clause's
    subject would, after its opener (most sentences hold no clause opening with one, and
    kind words are common inside names)."""
    if reference.anywhere:
        yield from reference.pattern.finditer(text, sentence.start, sentence.end)
        return
    starts = [sentence.start, *(m.end() for m in _CLAUSE_END.finditer(text, sentence.start,
                                                                       sentence.end))]
    for start in starts:
        opener = _OPENER.match(text, start, sentence.end)
        match = reference.pattern.match(text, opener.end() if opener else start, sentence.end)
        if match is not None:
            yield match


def _spanning(text: str, earlier: Sentence, sentence: Sentence) -> Sentence:
    """One sentence from ``earlier`` to ``sentence``: what a cross-sentence relation quotes."""
    return Sentence(earlier.start, sentence.end, sentence.section,
                    text[earlier.start:sentence.end])


def _resolved(found: RelationFinding, stand_in: Mention, named: Mention, rule: str
              ) -> RelationFinding | None:
    """``found`` about ``named`` instead of the reference standing in for it."""
    source = named if found.source is stand_in else found.source
    target = named if found.target is stand_in else found.target
    if source.key == target.key:
        return None
    return replace(found, source=source, target=target, start=min(found.start, named.start),
                   rule=f"{found.rule}+{rule}", confidence=round(found.confidence * 0.9, 3))


def _references(text: str, read: list[tuple[Sentence, list[Mention]]], index: int,
                reader: Reader, standing: dict[tuple[int, int], Mention]
                ) -> list[tuple[Sentence, RelationFinding]]:
    """What a sentence says about the organisations its references name (``standing``: the
    organisation each reference resolved so far stands for, by its span; the sentence joins
    its stand-in to its mentions in ``read``, so a later reference may name it)."""
    sentence, mentions = read[index]
    parties = _parties(mentions)
    found: list[tuple[Sentence, RelationFinding]] = []
    for reference in REFERENCES:
        back = _paragraph_back(read, index, reference)
        if not back:
            continue
        for match in _candidates(text, sentence, reference):
            start, end = match.span()
            kind = match.groupdict().get("kind")
            kinds = KIND_WORDS[kind] if kind else ORGANISATIONS
            if any(m.start < end and start < m.end for m in mentions):
                continue  # a word of a name
            opens = _opens(text, sentence, parties, start)
            if reference.anywhere and not opens:
                clause_start, _ = clause_bounds(text, start, sentence)
                if any(m.start < start and m.type in kinds for m in parties) or \
                        _OPENER.fullmatch(text, clause_start, start):
                    continue  # of its kind, or the subject, in this sentence: read there
            elif not opens:
                continue
            named = _antecedent(text, reference, kinds, back)
            if named is None:
                continue
            earlier, organisation = named
            organisation = standing.get((organisation.start, organisation.end), organisation)
            stand_in = Mention(start, end, match.group(0), organisation.canonical,
                               organisation.type, organisation.confidence, "reference",
                               organisation.known)
            with_it = sorted([*mentions, stand_in], key=lambda m: (m.start, -m.end))
            spanning = _spanning(text, earlier, sentence)
            for relation in reader(text, sentence, with_it):
                if stand_in in (relation.source, relation.target):
                    resolved = _resolved(relation, stand_in, organisation, reference.name)
                    if resolved is not None:
                        found.append((spanning, resolved))
            standing[(start, end)] = organisation
            read[index] = (sentence, with_it)
            return found  # one reference a sentence: its subject
    return found


def _previous_round(text: str, read: list[tuple[Sentence, list[Mention]]], index: int,
                    standing: dict[tuple[int, int], Mention]
                    ) -> list[tuple[Sentence, RelationFinding]]:
    """本轮融资由A领投, B跟投: the investors of the firm that closed the round before (the
    round then stands for the firm, the sentence's topic, in ``read`` and ``standing``)."""
    sentence, mentions = read[index]
    parties = _parties(mentions)
    match = ROUND_REFERENCE.pattern.search(text, sentence.start, sentence.end)
    if match is None or round_firm(text, sentence, parties) is not None:
        return []
    for earlier, earlier_mentions in _paragraph_back(read, index, ROUND_REFERENCE):
        firm = round_firm(text, earlier, _parties(earlier_mentions))
        if firm is None:
            continue
        spanning = _spanning(text, earlier, sentence)
        named = standing.get((firm[0].start, firm[0].end), firm[0])
        stand_in = Mention(match.start(), match.end(), match.group(0), named.canonical,
                           named.type, named.confidence, "reference", named.known)
        standing[(stand_in.start, stand_in.end)] = named  # the round is the firm's
        read[index] = (sentence, sorted([*mentions, stand_in], key=lambda m: (m.start, -m.end)))
        return [(spanning, replace(r, start=min(r.start, named.start),
                                   rule=f"{r.rule}+{ROUND_REFERENCE.name}",
                                   confidence=round(r.confidence * 0.9, 3)))
                for r in round_roles(text, sentence, parties, named, match.end())]
    return []


def _parties_before(text: str, read: list[tuple[Sentence, list[Mention]]], index: int
                    ) -> list[tuple[Sentence, RelationFinding]]:
    """双方将共建C / 三方签署…协议: a partnership among the parties the sentence before lists
    together (A与B, A、B和C)."""
    sentence, mentions = read[index]
    parties = _parties(mentions)
    match = PARTIES_REFERENCE.pattern.search(text, sentence.start, sentence.end)
    if match is None or not _opens(text, sentence, parties, match.start()):
        return []
    for earlier, earlier_mentions in _paragraph_back(read, index, PARTIES_REFERENCE):
        groups = [g for g in party_groups(text, _parties(earlier_mentions)) if len(g) >= 2]
        if not groups:
            continue
        spanning = _spanning(text, earlier, sentence)
        return [(spanning, replace(r, rule=f"{r.rule}+{PARTIES_REFERENCE.name}",
                                   confidence=round(r.confidence * 0.9, 3)))
                for r in signed_together(text, sentence, groups[-1], match.end())]
    return []


def context_relations(text: str, read: list[tuple[Sentence, list[Mention]]],
                      reader: Reader) -> list[tuple[Sentence, RelationFinding]]:
    """Relations whose party a sentence names only by reference to an earlier sentence
    (``read``: every sentence with its mentions, in order; ``reader``: the sentence-level
    relation reader). Each comes with the sentences it spans.

    A reference resolved in one sentence stands for its organisation in the next ones
    (``X揭牌。该研究院由A与B共建。研究院将依托C…``: both name X)."""
    found: list[tuple[Sentence, RelationFinding]] = []
    read = list(read)  # the stand-ins resolved so far join their sentence's mentions
    standing: dict[tuple[int, int], Mention] = {}
    for index in range(1, len(read)):
        sentence = read[index][0]
        if _ANY_REFERENCE.search(text, sentence.start, sentence.end) is None:
            continue  # most sentences hold no reference: done with one look
        found += _references(text, read, index, reader, standing)
        found += _previous_round(text, read, index, standing)
        found += _parties_before(text, read, index)
    return found
