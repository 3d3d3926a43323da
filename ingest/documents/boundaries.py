"""Where a new organisation name begins: the words before its kind word, read right to
left with jieba's tags, back to a verb, a conjunction or punctuation.

A Chinese organisation name ends in a kind word (研究院, 有限公司); what precedes it is its
specific part, and deciding how far left it reaches is most of the extraction's work (and,
through jieba's tagger, most of its time). The words that stop the read, the words kept
in a name whatever their tag and the cuts inside what was read are named rules in
:mod:`.boundary_rules`; the walk over jieba's words (brackets, counts, a 与 inside a name,
places) is here.
"""

from __future__ import annotations

import re

from .boundary_rules import cut, joining, kept, rare_name_part, stop_rule
from .patterns import (
    LEFT_STOPS,
    NAME_TAGS,
    PLACES,
    PROPER_TAGS,
    QUALIFIER,
    RIGHT_ONLY,
    SUFFIX_PATTERN,
)
from .words import tagged

_LATIN_OR_BRACKET = re.compile(r"[A-Za-z()]")
_WINDOW = 24
_DIGITS = re.compile(r"[\dX.%]")
_OPENING_BRACKET = re.compile(r"\([^)]*\)")
#: single characters jieba has no word for are mostly parts of names (小鹏, 西交), unless a
#: function word
FUNCTION_TAGS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "d", "y"})
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
# nouns after which 投资/发展 belong to a firm's name (产业投资集团, 天使投资引导基金)
_KIND_NOUNS = ("集团", "控股", "基金", "管理", "引导", "有限", "股份", "公司")
# an organisation name ending right here: a 与 after it joins two parties
_ENDS_IN_KIND_WORD = re.compile(f"(?:{SUFFIX_PATTERN.pattern}|团队)$")
_GENERIC_OPENERS = ("高能级", "高水平", "重点", "新型", "各类", "相关", "优质", "一批")
_CHINESE_COUNT = re.compile("[一二三四五六七八九十百千万亿两几]+")
# firms' names hold verbs, idioms and adjectives too (自动化, 量子计算)
_FIRM_TAGS = frozenset({"v", "l", "a", "i", "z"})
_NOT_FIRST = frozenset({"v", "vn", "d", "p", "c", "u", "m", "ad", "t"})
# adverbs that stand before a name, not in it (trade names hold others: 均胜, 正泰, 超聚变)
_ADVERB_CHARS = frozenset("也都还又已再并就才将曾仍")
# what may stand before a place without belonging to the name: verbs and adjectives
_BEFORE_A_PLACE = frozenset({"v", "vn", "a", "ad", "d", "zg", "vg"})
# verbs that may be a field's words inside a name (理化)
_FIELD_VERB_TAGS = frozenset({"v", "vn"})
_PLACES_OR_LEVEL = ("中国", "国家", "省", "市", "区", "县")
_PLACE_PREFIXES = frozenset(place[:2] for place in PLACES)
_PLACE_STARTS: dict[str, list[str]] = {}
for _place in PLACES:
    _PLACE_STARTS.setdefault(_place[0], []).append(_place)


def _after_a_proper_name(words: tuple[tuple[str, str], ...], index: int) -> bool:
    """The verb at ``index`` follows an organisation's name (中国科学院|理化|技术): a field
    inside a longer name. After a place it is usually what the place does (温州|搭建|平台)."""
    word, tag = words[index]
    if index == 0 or tag not in _FIELD_VERB_TAGS or word in LEFT_STOPS or len(word) < 2:
        return False
    before, before_tag = words[index - 1]
    return before_tag == "nt" and len(before) >= 2 and before not in LEFT_STOPS


def _latin_space(words: tuple[tuple[str, str], ...], index: int) -> bool:
    """The word at ``index`` is a space between two Latin words of one name (5G AIoT): the
    text keeps spaces only there, having dropped those touching Chinese characters."""
    return (words[index][0] == " " and 0 < index < len(words) - 1
            and words[index - 1][1] == "eng" and words[index + 1][1] == "eng")


def _opens(words: tuple[tuple[str, str], ...], index: int, at_floor: bool) -> bool:
    """The word at ``index`` opens what is read: the clause starts before it (``at_floor``:
    the window starts at the clause) or a punctuation mark does."""
    if index == 0:
        return at_floor
    before = words[index - 1][0]
    return not _HAN_CHAR.match(before) and before not in "()·&-"


def _opens_a_name(text: str, start: int) -> bool:
    """``text[start:end]``, read after a 与, is a name of its own: it opens with a place or an
    administrative level (与上海交通大学, 与市政府). A kind word inside it proves nothing: a
    lab's branch names its host (网络通信与安全紫金山实验室东南大学分部)."""
    return text.startswith(_PLACES_OR_LEVEL, start) or text[start:start + 2] in _PLACE_PREFIXES


def _from_the_place(text: str, start: int, end: int, taken: list[tuple[int, str, str]]) -> int:
    """A name read from a verb or adjective right before a place begins at the place
    (做强|佛山市…基金, 引导|济南圣泉集团…): names open with their place, not before it."""
    for position, word, tag in reversed(taken):  # left to right
        if position < start:
            continue
        if position > start and any(text.startswith(place, position)
                                    for place in _PLACE_STARTS.get(word[:1], ())):
            return position
        if tag not in _BEFORE_A_PLACE or position - start > 2:
            break
    return start


def name_start(text: str, end: int, floor: int, verbs: bool = False, firm: bool = False,
               joins: bool = True) -> tuple[int, bool]:
    """Where a name ending at ``end`` begins (no earlier than ``floor``), and whether its
    specific part holds a proper noun, a place, Latin letters or brackets. ``verbs``: the
    name may contain verbs and 投资/发展 (firms and funds: 量子计算有限公司); ``firm``: it is
    a firm's, whose trade name may even open with a verb (超聚变); ``joins``: a 与 may join
    two fields inside it (no university's name does: 美的与华南理工大学)."""
    window = text[max(floor, end - _WINDOW):end]
    start, depth = end, 0
    taken: list[tuple[int, str, str]] = []  # (start, word, tag), right to left
    allowed = NAME_TAGS | _FIRM_TAGS if verbs else NAME_TAGS
    qualified = False  # passed a (place) inside the name: what precedes it is its head
    bounded = len(window) < _WINDOW  # the read ends at a clear boundary: a stop word, a clause
    words = tagged(window)
    for index in range(len(words) - 1, -1, -1):
        word, tag = words[index]
        if word in PLACES:
            tag = "ns"  # jieba takes some places for adverbs (大连, d)
        elif tag not in allowed and _opens(words, index, bounded) and rare_name_part(word, tag):
            tag = "n"  # 正定, 呈贡: a county jieba hardly knows, taken for a verb
        if word in RIGHT_ONLY and (start == end or (verbs and text.startswith(_KIND_NOUNS, start))):
            start -= len(word)  # 发展基金, 产业投资集团: part of the name before a kind noun
            taken.append((start, word, tag))
            continue
        single = len(word) == 1 and _HAN_CHAR.match(word) and (
            tag not in FUNCTION_TAGS or (verbs and tag == "d" and word not in _ADVERB_CHARS))
        if (joins and taken and joining(word)
                and not _ENDS_IN_KIND_WORD.search(text, floor, start - 1)
                and not text.startswith(_GENERIC_OPENERS, start)
                and not _opens_a_name(text, start)):
            pass  # 纳米技术与纳米仿生研究所: 与 inside a name (no organisation ends before it,
            #       what follows does not open like a generic phrase (温商资本与高能级创新平台)
            #       nor like a name of its own (东方电缆与上海交通大学))
        elif ((stop := stop_rule(word)) is not None
              or (tag not in allowed and not kept(word) and not single
                  and not qualified and not _after_a_proper_name(words, index))
              or (tag == "x" and word not in "()·&-" and not _latin_space(words, index))):
            bounded = stop is not None and stop.bounds  # the boundary_rules' stops
            break
        if word == ")":
            depth += 1
        elif word == "(":
            if depth == 0:
                break
            depth -= 1
            # 光子集成(温州)创新研究院: the head before a place qualifier may hold a verb
            qualified = depth == 0 and QUALIFIER.match(text, start - 1) is not None
        if tag == "m" and _CHINESE_COUNT.fullmatch(word):
            # 做大做强百亿科创基金: a count opens the name (百亿, 三一 — jieba: 三/一)
            while text[start - len(word) - 1:start - len(word)] != "(":  # not a heading (一)
                start -= len(word)
                taken.append((start, word, tag))
                word = text[start - 1:start]
                if not _CHINESE_COUNT.fullmatch(word):
                    break
            place = next((p for n in (3, 2) if (p := text[max(floor, start - n):start]) in PLACES),
                         None)
            if place:  # 厦门万泰沧海…, 南宁五象…: a place before the count opens the name
                start -= len(place)
                taken.append((start, place, "ns"))
            break
        start -= len(word)
        taken.append((start, word, tag))
    if taken and start == end - len(window) and len(window) == _WINDOW:
        return end, False  # ran out of window: the name began further left than we can tell
    while taken and taken[-1][2] in _NOT_FIRST and not kept(taken[-1][1]) and (
            taken[-1][2] != "m" or _DIGITS.search(taken[-1][1])) and not (
            firm and bounded and taken[-1][2] == "v"):
        taken.pop()  # a name does not begin with a verb or a count (赴省科技厅, 19支), but a
        #              firm's may, when a stop word bounds it (投资超聚变数字技术有限公司)
    start = taken[-1][0] if taken else end
    if _OPENING_BRACKET.match(text, start, end):
        return end, False  # 集成(温州)创新研究院: the name was cut in the middle
    while start < end and text[start] in ")X":  # anonymised X or a stray bracket is no name
        start += 1
    start = cut(text, start, end, "read")  # 基金领投X公司, 检测机构威凯公司
    start = _from_the_place(text, start, end, taken)
    proper = any(position >= start and (tag in PROPER_TAGS or _LATIN_OR_BRACKET.search(word))
                 for position, word, tag in taken)
    proper = proper or any(text.startswith(place, start)
                           for place in _PLACE_STARTS.get(text[start:start + 1], ()))
    return start, proper
