"""Abbreviations of the universities and institutes a document names in full.

Reports name an institution in full once, then by an abbreviation that keeps some of its
characters in order and its last kind character: 中国科学技术大学 → 中国科大, 西北工业大学 →
西工大, 郑州大学 → 郑大; 中国科学院宁波材料技术与工程研究所 → 宁波材料所, 清华大学无锡应用
技术研究院 → 清华无锡院, 江苏省产业技术研究院 → 省产研院. Only names read in full in the
same document are abbreviated, which is what keeps the search precise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from schema import EntityType

from .discourse import REPEAT_FACTOR, merged_at
from .mentions import Mention
from .patterns import PLACE_ALTERNATION
from .sections import Sentence
from .short_forms import is_abbreviation
from .words import COMMON_WORD, tagged, word_frequency

#: the kind character an abbreviation ends with, when it ends no other word (温州大道, 院士)
_SHORT_KIND = re.compile(r"大(?![学道楼厦桥会型赛力幅量批项街院])|[所院](?![长士内外区系所])")
#: full names by the last character their abbreviations keep
#: the longest abbreviation read: 中科院烟台海岸带所 for 中国科学院烟台海岸带研究所
_LONGEST = 10
_FULL_KINDS = {"大": ("大学",), "所": ("研究所",), "院": ("研究院",)}
#: what an abbreviation ending in 所 or 院 may not end with: a kind word of its own
_KIND_ENDINGS = frozenset({"究所", "究院", "学院", "医院", "科院", "程院", "法院", "书院", "剧院",
                           "分院", "产院"})
#: prefixes an abbreviation may leave out: the academy (中国科学院宁波材料…所 → 宁波材料所),
#: and the province or city (江苏省产业技术研究院 → 省产研院, 福建物质结构研究所 → 物构所)
_DROPPABLE = re.compile(f"(?:中国科学院|中科院|{PLACE_ALTERNATION})")


def _shortened(full: str) -> Iterator[str]:
    """``full`` and ``full`` without the prefixes an abbreviation may leave out.

    >>> list(_shortened("中国科学院福建物质结构研究所"))
    ['中国科学院福建物质结构研究所', '福建物质结构研究所', '物质结构研究所']
    """
    yield full
    while (prefix := _DROPPABLE.match(full)) and len(full) - prefix.end() >= 4:
        full = full[prefix.end():]
        yield full


def _plausible(short: str) -> bool:
    """``short`` could be an abbreviation: not a kind word of its own (研究所), and a
    two-character one is no common word (重大)."""
    if short[-1] != "大":
        return len(short) >= 3 and short[-2:] not in _KIND_ENDINGS
    if len(short) > 2:
        return True
    words = tagged(short)
    return len(words) > 1 or words[0][1] == "j" or word_frequency(short) < COMMON_WORD


#: full names by the kind character their abbreviations end with, then by the first
#: character of each form an abbreviation may start from
FullNames = dict[str, dict[str, list[tuple[str, Mention]]]]


def institutions(mentions: list[Mention]) -> FullNames:
    """The document's institutes named in full, indexed for :func:`abbreviations`."""
    index: FullNames = {}
    for mention in mentions:
        if mention.type is not EntityType.institute or len(mention.text) < 4:
            continue
        for kind, endings in _FULL_KINDS.items():
            if mention.text.endswith(endings):
                by_first = index.setdefault(kind, {})
                for form in _shortened(mention.text):
                    by_first.setdefault(form[0], []).append((form, mention))
    return index


def abbreviations(text: str, sentence: Sentence, found: list[Mention],
                  full_names: FullNames) -> list[Mention]:
    """Abbreviations in ``sentence`` of the institutions in ``full_names``
    (:func:`institutions`). An abbreviation replaces a reading inside it (中国 in 中国科大)."""
    hits: list[Mention] = []
    for kind in _SHORT_KIND.finditer(text, sentence.start, sentence.end):
        by_first = full_names.get(kind.group(0))
        if not by_first:
            continue
        end = kind.end()
        shortest = 2 if kind.group(0) == "大" else 3
        # longest first: 西安交大, not 交大 (an abbreviation keeps its full name's first
        # character, so a longer reading cannot take in the word before it: 在西工大)
        for offset in range(max(sentence.start, end - _LONGEST), end - shortest + 1):
            short = text[offset:end]
            full = next((m for form, m in by_first.get(short[0], ())
                         if len(m.text) - len(short) >= 2 and is_abbreviation(short, form)),
                        None)
            if full is None or not _plausible(short):
                continue
            if any(m.start < end and offset < m.end and not (offset <= m.start and m.end <= end)
                   and not merged_at(text, m, offset, end) for m in found):
                continue  # it would cut a mention read in the sentence
            hits.append(Mention(offset, end, short, full.canonical, full.type,
                                round(full.confidence * REPEAT_FACTOR, 3), "document",
                                full.known))
            break
    # an abbreviation inside a longer one is part of it (浙大 in 浙大昆明院, the university's
    # institute in 昆明)
    return [hit for hit in hits if not any(
        other is not hit and other.start <= hit.start and hit.end <= other.end
        for other in hits)]
