"""One name, one meaning per document: a name read once is read everywhere in it.

The patterns see one sentence at a time, so a name they recognise where its context is
clear (``推进温州国际未来科技岛建设``) can be missed where it is not (``国际未来科技岛签约
落地``: nothing in that clause marks the name as specific). Reports repeat their names,
often shortened by the place in front (``中国基因药谷`` → ``基因药谷``). This module
collects the names the patterns found in a document, with those short forms, and finds
their other occurrences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from schema import EntityType

from .gazetteer import Known
from .mentions import Mention
from .patterns import GENERIC_PARTS, PLACES, SUFFIX_PATTERN
from .sections import Sentence

#: methods whose names are worth repeating: read from their own form, not from a list
_SOURCES = frozenset({"suffix", "team"})
_MIN_CONFIDENCE = 0.6
#: a short form keeps at least this many characters (基因药谷, not 药谷)
_MIN_SHORT = 4
_LEADING_PLACE = re.compile("|".join(sorted((*PLACES, "中国"), key=len, reverse=True)))
#: a repeat is slightly less sure than the reading it repeats
_REPEAT_FACTOR = 0.95


@dataclass(frozen=True)
class _Name:
    canonical: str
    type: EntityType
    confidence: float
    known: Known | None



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
        name = _Name(mention.canonical, mention.type, mention.confidence * _REPEAT_FACTOR,
                     mention.known)
        names.setdefault(mention.text, name)
        short = _short_form(mention.text)
        if short:
            names.setdefault(short, _Name(short, mention.type, name.confidence, None))
    return names


def repeated_mentions(text: str, sentence: Sentence, found: list[Mention],
                      names: dict[str, _Name], pattern: re.Pattern[str] | None
                      ) -> list[Mention]:
    """Occurrences of the document's ``names`` in ``sentence`` that no mention covers
    (``pattern``: :func:`names_pattern` of ``names``)."""
    if pattern is None:
        return []
    repeats = []
    for match in pattern.finditer(text, sentence.start, sentence.end):
        start, end = match.span()
        if any(m.start < end and start < m.end for m in found):
            continue  # the sentence's own reading wins (a longer name, or a team)
        name = names[match.group(0)]
        repeats.append(Mention(start, end, match.group(0), name.canonical, name.type,
                               round(name.confidence, 3), "document", name.known))
    return repeats


def names_pattern(names: dict[str, _Name]) -> re.Pattern[str] | None:
    """One alternation of ``names``, longest first (leftmost-longest matches)."""
    if not names:
        return None
    return re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
