"""One name, one meaning per document: a name read once is read everywhere in it.

The patterns see one sentence at a time, so a name they recognise where its context is
clear (``推进温州国际未来科技岛建设``) can be missed where it is not (``国际未来科技岛签约
落地``: nothing in that clause marks the name as specific). Reports repeat their names,
often shortened by the place in front (``中国基因药谷`` → ``基因药谷``). This module
collects the names the patterns found in a document, with those short forms and firms'
trade names (:mod:`.brands`: 三一重工股份有限公司 → 三一重工), and finds their other
occurrences. Abbreviations (中国科大, 宁波材料所) are read by :mod:`.abbreviations`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from schema import EntityType

from .brands import brand_forms
from .gazetteer import Known
from .mentions import Mention, canonical_form
from .patterns import GENERIC_PARTS, LEFT_STOPS, PLACE_ALTERNATION, SUFFIX_PATTERN
from .sections import Sentence
from .short_forms import picks_in_order

#: methods whose names are worth repeating: read from their own form, not from a list
_SOURCES = frozenset({"suffix", "team"})
_MIN_CONFIDENCE = 0.6
#: a short form keeps at least this many characters (基因药谷, not 药谷)
_MIN_SHORT = 4
_LEADING_PLACE = re.compile(f"{PLACE_ALTERNATION}|中国")
_JOINS = "与和及、"
# 某研究所(以下简称某所): a short name the document declares for the name before it
_DECLARED = re.compile(r"\((?:(?:以下)?简称)?[“\"「]?([\u4e00-\u9fffA-Za-z0-9]{2,12})[”\"」]?\)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_FUNCTION_CHARS = frozenset("与和及等将在的为是同也已还并均又再于对向从把被")
#: a repeat is slightly less sure than the reading it repeats
REPEAT_FACTOR = 0.95


@dataclass(frozen=True)
class _Name:
    canonical: str
    type: EntityType
    confidence: float
    known: Known | None
    #: read only where it stands alone (a trade name of two or three characters)
    alone: bool = False


def _stands_alone(text: str, end: int) -> bool:
    """What follows ``end`` ends a name: punctuation, a function word or a verb that stops
    names (宇通将开放, 卓胜微与东南大学, 华润微联合…), not more of a word (容百科技)."""
    following = text[end:end + 1]
    return (not following or not _HAN.match(following) or following in _FUNCTION_CHARS
            or text[end:end + 2] in LEFT_STOPS)


def _short_form(name: str) -> str | None:
    """``name`` without its leading place, when what is left is still a specific name."""
    place = _LEADING_PLACE.match(name)
    if not place:
        return None
    rest = name[place.end():]
    if len(rest) < _MIN_SHORT:
        return None
    kind = SUFFIX_PATTERN.search(rest)
    # the specific part: before the kind word, or before a place's last character (…科创城)
    head = rest[:kind.start()] if kind and kind.end() == len(rest) else rest[:-1]
    if GENERIC_PARTS.match(head):
        return None  # 温州高新区 → 高新区 is any park's word
    return rest


def document_names(mentions: Iterable[Mention]) -> dict[str, _Name]:
    """Names found by the patterns (and their short forms), by text as written.

    >>> from schema import EntityType as E
    >>> m = Mention(0, 6, "中国基因药谷", "中国基因药谷", E.park, 0.7, "suffix")
    >>> sorted(document_names([m]))
    ['中国基因药谷', '基因药谷']
    """
    names: dict[str, _Name] = {}
    for mention in mentions:
        if mention.method not in _SOURCES or mention.confidence < _MIN_CONFIDENCE:
            continue
        name = _Name(mention.canonical, mention.type, mention.confidence * REPEAT_FACTOR,
                     mention.known)
        names.setdefault(mention.text, name)
        short = _short_form(mention.text)
        if short:
            names.setdefault(short, _Name(short, mention.type, name.confidence, None))
        if mention.type is EntityType.enterprise:
            for brand in brand_forms(mention.text):  # 三一重工股份有限公司 → 三一重工
                names.setdefault(brand, replace(name, alone=len(brand) < _MIN_SHORT))
    # a reading that joined a known name to the next one (海康威视与浙江大学) is not repeated:
    # the known name is, and split_merged takes that reading apart
    return {text: name for text, name in names.items()
            if not any(char in _JOINS and text[:i] in names for i, char in enumerate(text))}


def declared_names(text: str, mentions: Iterable[Mention]) -> dict[str, _Name]:
    """Short names a document declares: ``X研究所(以下简称泉州装备所)``, ``(简称"X")``, or a
    bare bracket that shortens the name before it (``贵州白山云科技股份有限公司(白山云)``).

    >>> from schema import EntityType as E
    >>> t = "福建物质结构研究所(以下简称物构所)牵头"
    >>> m = Mention(0, 9, t[:9], t[:9], E.institute, 0.8, "suffix")
    >>> {k: v.canonical for k, v in declared_names(t, [m]).items()}
    {'物构所': '福建物质结构研究所'}
    """
    ends = {m.end: m for m in mentions}
    declared: dict[str, _Name] = {}
    for match in _DECLARED.finditer(text):
        named = ends.get(match.start())
        short = match.group(1)
        # a bare bracket declares a short name only if it shortens the name (白山云), not
        # if it qualifies it (香港科技大学(广州))
        if named is not None and (match.group(0).find("简称") >= 0
                                  or picks_in_order(short, named.text)) and short != named.text:
            declared[match.group(1)] = _Name(named.canonical, named.type,
                                             named.confidence * REPEAT_FACTOR, named.known)
    return declared


def repeated_mentions(text: str, sentence: Sentence, found: list[Mention],
                      names: dict[str, _Name], pattern: re.Pattern[str] | None
                      ) -> list[Mention]:
    """Occurrences of the document's ``names`` in ``sentence`` that no mention covers, or
    that a mention joined to the next name (:func:`split_merged` takes them apart;
    ``pattern``: :func:`names_pattern` of ``names``)."""
    if pattern is None:
        return []
    repeats = []
    for match in pattern.finditer(text, sentence.start, sentence.end):
        start, end = match.span()
        name = names[match.group(0)]
        if name.alone and not _stands_alone(text, end):
            continue
        if any(m.start < end and start < m.end and not merged_at(text, m, start, end)
               for m in found):
            continue  # the sentence's own reading wins (a longer name, or a team)
        repeats.append(Mention(start, end, match.group(0), name.canonical, name.type,
                               round(name.confidence, 3), "document", name.known))
    return repeats


def merged_at(text: str, mention: Mention, start: int, end: int) -> bool:
    """``mention`` begins with the abbreviation at ``start:end`` and a conjunction after it
    (西南交大与中车集团): the first reading joined two names it could not tell apart."""
    return mention.start == start and mention.end > end + 1 and text[end] in _JOINS


def split_merged(text: str, found: list[Mention], abbreviations: list[Mention]
                 ) -> list[Mention]:
    """``found`` with the abbreviations in place: mentions inside one are dropped, and a
    mention that joined one to the next name keeps only that next name."""
    kept: list[Mention] = []
    for mention in found:
        inside = [a for a in abbreviations if a.start <= mention.start and mention.end <= a.end]
        merged = [a for a in abbreviations if merged_at(text, mention, a.start, a.end)]
        if merged:
            start = merged[0].end + 1
            name = text[start:mention.end]
            kept.append(Mention(start, mention.end, name, canonical_form(name), mention.type,
                                mention.confidence, mention.method))
        elif not inside:
            kept.append(mention)
    return kept + abbreviations


def names_pattern(names: dict[str, _Name]) -> re.Pattern[str] | None:
    """One alternation of ``names``, longest first (leftmost-longest matches)."""
    if not names:
        return None
    return re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
