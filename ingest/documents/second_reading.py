"""Two readers, one reading: the rules' mentions and the model's organisation spans.

The model (:mod:`.model_reader`) reads windows of the text around what the rules found —
the clauses holding their mentions — so it confirms or contests each of them, and adds
the organisations it finds there that the rules missed. The rules' boundary stands where
both read a name; a name only the model reads takes its type from its kind word (the
rules' :data:`.patterns.SUFFIXES`), from the graph (the gazetteer), or from its last
character (:data:`TAIL_TYPES`). Each mention then carries who proposed it and a
confidence calibrated on the dev set (:mod:`.calibration`); a name only the model read is
kept when that confidence reaches the calibration's floor.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from schema import EntityType

from .calibration import JOINED, Calibration, calibration, features
from .gazetteer import Gazetteer
from .mentions import Mention, canonical_form
from .model_reader import ModelReader, model_reader
from .patterns import SUFFIX_PATTERN, SUFFIXES
from .sections import Sentence

RULES, MODEL = "rules", "model"
#: mentions the model is asked about (teams are the rules' alone, and people are no
#: candidates of their own: they come with their teams)
ORGANISATIONS = frozenset(EntityType) - {EntityType.person, EntityType.talent_team}
#: what ends a window: clause punctuation (a list's 、 does not: its items share a context)
_CLAUSE_END = re.compile(r"[,，;；:：。!?！？\n]")
#: window lengths are rounded up to a multiple of this, from the text itself, so that the
#: model's batches hold texts of one length (:mod:`.model_reader`)
WINDOW_STEP = 8
#: type of a name only the model read, by its last character, when no kind word types it
#: (教育部, 大数据局, 国资委: government; 浪潮, 美的: a firm's trade name)
TAIL_TYPES: dict[str, EntityType] = {
    "局": EntityType.government, "委": EntityType.government, "厅": EntityType.government,
    "部": EntityType.government, "办": EntityType.government, "署": EntityType.government,
    "院": EntityType.institute, "所": EntityType.institute, "校": EntityType.institute,
    "室": EntityType.institute, "中心": EntityType.platform, "站": EntityType.platform,
    "会": EntityType.platform, "盟": EntityType.platform,
}
_TAIL = re.compile(f"(?:{'|'.join(sorted(map(re.escape, TAIL_TYPES), key=len, reverse=True))})$")


def windows(text: str, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """The clauses holding the organisation ``mentions``, merged where they touch, each
    stretched over the following text to a multiple of :data:`WINDOW_STEP` characters."""
    breaks = [m.start() for m in _CLAUSE_END.finditer(text)]
    spans: list[tuple[int, int]] = []
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.type not in ORGANISATIONS:
            continue
        before = bisect.bisect_left(breaks, mention.start)
        start = breaks[before - 1] + 1 if before else 0
        after = bisect.bisect_left(breaks, mention.end)
        end = breaks[after] if after < len(breaks) else len(text)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    stretched = []
    for start, end in spans:
        length = -(-(end - start) // WINDOW_STEP) * WINDOW_STEP
        end = min(len(text), start + length)
        stretched.append((max(0, end - length), end))
    return stretched


def model_spans(reader: ModelReader, text: str, mentions: Sequence[Mention]
                ) -> list[tuple[int, int]]:
    """The model's organisation spans in the windows around ``mentions``, in text order."""
    found: set[tuple[int, int]] = set()
    spans = windows(text, mentions)
    for (start, _), organisations in zip(spans, reader.organisations(
            [text[a:b] for a, b in spans]), strict=True):
        found.update((start + a, start + b) for a, b in organisations)
    return sorted(found)


def model_type(name: str, gazetteer: Gazetteer | None) -> tuple[EntityType, bool]:
    """Type of a name only the model read, and whether a kind word gave it."""
    kind = max((m for m in SUFFIX_PATTERN.finditer(name) if m.end() == len(name)),
               key=lambda m: len(m.group(0)), default=None)
    if kind is not None:
        return SUFFIXES[kind.group(0)][0], True
    known = gazetteer.resolve(name) if gazetteer else None
    if known is not None:
        return known.type, False
    tail = _TAIL.search(name)
    return (TAIL_TYPES[tail.group(0)] if tail else EntityType.enterprise), False


def _model_mention(text: str, start: int, end: int, gazetteer: Gazetteer | None) -> Mention:
    name = text[start:end]
    entity_type, _ = model_type(name, gazetteer)
    known = gazetteer.resolve(name, entity_type) if gazetteer else None
    return Mention(start, end, name, known.name if known else canonical_form(name),
                   known.type if known else entity_type, 0.0, MODEL, known, (MODEL,),
                   (start, end), None)


def _longer(text: str, mention: Mention, found: Sequence[Mention],
            gazetteer: Gazetteer | None) -> Mention:
    """``mention`` with the model's start when the model read the same name further left
    (国家技术转移东部中心乐清分中心 where the rules stopped at 东部中心乐清分中心) over
    words that join no two names (not 会同市财政局, nor a fund 投资 a firm), and no other
    mention is there; else ``mention`` as it is."""
    if mention.model_span is None or MODEL in mention.readers:
        return mention
    start, end = mention.model_span
    if end != mention.end or start >= mention.start or JOINED.search(
            text, start, mention.start) or any(m.start < mention.start and start < m.end
                                               for m in found if m is not mention):
        return mention
    name = text[start:end]
    known = gazetteer.resolve(name, mention.type) if gazetteer else None
    return replace(mention, start=start, text=name,
                   canonical=known.name if known else canonical_form(name), known=known,
                   readers=(RULES, MODEL), rule_span=(mention.start, mention.end))


def combine(text: str, sentence: Sentence, found: Sequence[Mention],
            spans: Sequence[tuple[int, int]], gazetteer: Gazetteer | None,
            calibration: Calibration, keep_all: bool = False) -> list[Mention]:
    """One sentence's mentions from both readers, each with its readers, the model's span
    and a calibrated confidence; ``spans``: the model's spans (any part of the text).
    ``keep_all`` keeps names only the model read below the floor too (for calibrating)."""
    inside = [s for s in spans if sentence.start <= s[0] and s[1] <= sentence.end]
    combined: list[Mention] = []
    for mention in found:
        if mention.type is EntityType.person:
            combined.append(mention)
            continue
        if mention.type not in ORGANISATIONS:
            combined.append(replace(mention, readers=(RULES,),
                                    rule_confidence=mention.confidence))
            continue
        overlapping = [s for s in inside if s[0] < mention.end and mention.start < s[1]]
        same = (mention.start, mention.end) in overlapping
        read = replace(mention, readers=(RULES, MODEL) if same else (RULES,),
                       model_span=(mention.start, mention.end) if same else
                       (overlapping[0] if overlapping else None),
                       rule_confidence=mention.confidence)
        combined.append(_longer(text, read, found, gazetteer))
    for start, end in inside:
        if end - start < 2 or any(m.start < end and start < m.end for m in found):
            continue
        combined.append(_model_mention(text, start, end, gazetteer))
    scored = []
    for mention in combined:
        if not mention.readers:
            scored.append(mention)
            continue
        confidence = calibration.confidence(features(mention, text))
        if mention.readers == (MODEL,) and confidence < calibration.floor and not keep_all:
            continue
        scored.append(replace(mention, confidence=confidence))
    return sorted(scored, key=lambda m: (m.start, -m.end))


@dataclass(frozen=True)
class SecondReader:
    """The model and the calibration that joins its reading to the rules'."""

    model: ModelReader
    calibration: Calibration
    #: keep names only the model read below the floor too (to fit the calibration)
    keep_all: bool = False

    def read(self, text: str, sentences: Sequence[tuple[Sentence, list[Mention]]],
             gazetteer: Gazetteer | None) -> list[list[Mention]]:
        """Each sentence's mentions, read by both: one batch of model calls a document."""
        spans = model_spans(self.model, text, [m for _, found in sentences for m in found])
        return [combine(text, sentence, found, spans, gazetteer, self.calibration,
                        self.keep_all) for sentence, found in sentences]


def second_reader() -> SecondReader:
    """The shipped second reader (the model is loaded on its first read)."""
    return SecondReader(model_reader(), calibration())
