"""Organisation mentions: known names from the gazetteer, new names from suffix and
context patterns, with jieba deciding where a new name begins.

Each mention carries its span in the normalised text, its type, a confidence and, when
the graph already knows it, the resolved entity.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from schema import EntityType, normalise_name

from .gazetteer import Gazetteer, Known
from .patterns import (
    ADMIN_PREFIX,
    BODIES,
    GENERIC_PARTS,
    LEFT_STOPS,
    LIST_CLOSE,
    NAME_TAGS,
    PARK_PARTS,
    PLACES,
    PROPER_TAGS,
    RESEARCH_OWNER,
    RIGHT_ONLY,
    SUFFIX_PATTERN,
    SUFFIXES,
)
from .sections import Sentence

_CLAUSE_BREAK = re.compile(r"[,，、;；:：。!?“”\"《》\n\t]")
_LIST_BREAK = re.compile(r"[,，;；:：。!?“”\"《》\n\t]")
_LATIN_OR_BRACKET = re.compile(r"[A-Za-z()]")
_WINDOW = 24
_DIGITS = re.compile(r"[\dX.%]")
_OPENING_BRACKET = re.compile(r"\([^)]*\)")
# single characters jieba has no word for are mostly parts of names (小鹏, 西交), unless a
# function word
_FUNCTION_TAGS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "d", "y"})
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
# nouns after which 投资/发展 belong to a firm's name (产业投资集团, 天使投资引导基金)
_KIND_NOUNS = ("集团", "控股", "基金", "管理", "引导", "有限", "股份", "公司")
# firms' names hold verbs, idioms and adjectives too (自动化, 量子计算)
# an organisation name ending right here: a 与 after it joins two parties
_ENDS_IN_KIND_WORD = re.compile(f"(?:{SUFFIX_PATTERN.pattern}|团队)$")
_GENERIC_OPENERS = ("高能级", "高水平", "重点", "新型", "各类", "相关", "优质", "一批")
_CHINESE_COUNT = re.compile("[一二三四五六七八九十百千万亿两几]+")
_FIRM_TAGS = frozenset({"v", "l", "a", "i"})
_NOT_FIRST = frozenset({"v", "vn", "d", "p", "c", "u", "m", "ad"})
_LEVEL = re.compile(r"(?:省|市|区|县|国家)级")
_COLLECTIVE = re.compile(r"[一二三四五六七八九十两几多X]大|一.一")
_NAMED_ALONE = frozenset({"大学", "医学院"})
_FOUNDING = re.compile("共建|组建|成立|设立|筹建|新建")
_INVESTING = re.compile("(?:领投|跟投|参投|注资)(?!.*(?:领投|跟投|参投|注资))")
_AWARDED = re.compile("获得者|获得人|资助|项目")
# where firms move in is a place with a name (入驻天府国际生物城)
_SETTLING = re.compile("入驻|落户|落户于|落地于|坐落于|位于")
_PLACES_TYPES = frozenset({EntityType.park, EntityType.incubator})
_QUALIFIER = re.compile(r"\(([\u4e00-\u9fff]{2,4}|[A-Za-z][A-Za-z0-9 ]{1,15})\)")
# words jieba tags as verbs that names are made of (合肥创新产业园, 检测中心)
_NAME_WORDS = frozenset({"(", ")", "创新", "创业", "孵化", "研发", "检测", "制造", "计算", "应用",
                         "未来", "创意", "自主", "环", "先进", "高端", "精密", "现代", "新兴"})
_HEADING = re.compile(r"\([一二三四五六七八九十]{1,3}\)|\d{1,2} ?\.")
_PLACE_STARTS: dict[str, list[str]] = {}
for _place in PLACES:
    _PLACE_STARTS.setdefault(_place[0], []).append(_place)
# generic kind words inside a stretch: a name that follows one starts after it
_KIND_WORD = re.compile(r"(?:机构|单位|企业|平台)(?!.*(?:机构|单位|企业|平台))")


@dataclass(frozen=True)
class Mention:
    """An entity named in the text (offsets into the normalised text)."""

    start: int
    end: int
    text: str
    canonical: str
    type: EntityType
    confidence: float
    method: str  # gazetteer | suffix | list | body | team | leader
    known: Known | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Identity within a document: the resolved id, or type and canonical name."""
        if self.known is not None:
            return ("id", self.known.id)
        return (self.type.value, self.canonical)


@lru_cache(maxsize=1)
def _posseg() -> Any:
    """jieba's tagger, imported once (it loads its dictionary on first use, about a second)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" lines are not ours to print
    return jieba.posseg


@lru_cache(maxsize=20_000)
def _tagged(text: str) -> tuple[tuple[str, str], ...]:
    # no HMM for unknown words: it costs four fifths of the time, and a Chinese character
    # jieba does not know (tag x) is read as part of a name (n), which is what it usually is
    return tuple((pair.word, "n" if pair.flag == "x" and _HAN_CHAR.match(pair.word)
                  else pair.flag) for pair in _posseg().cut(text, HMM=False))


def _name_start(text: str, end: int, floor: int, verbs: bool = False) -> tuple[int, bool]:
    """Where a name ending at ``end`` begins (no earlier than ``floor``), and whether its
    specific part holds a proper noun, a place, Latin letters or brackets. ``verbs``: the
    name may contain verbs and 投资/发展 (firms and funds: 量子计算有限公司)."""
    window = text[max(floor, end - _WINDOW):end]
    start, depth = end, 0
    taken: list[tuple[int, str, str]] = []  # (start, word, tag), right to left
    allowed = NAME_TAGS | _FIRM_TAGS if verbs else NAME_TAGS
    qualified = False  # passed a (place) inside the name: what precedes it is its head
    for word, tag in reversed(_tagged(window)):
        if word in RIGHT_ONLY and (start == end or (verbs and text.startswith(_KIND_NOUNS, start))):
            start -= len(word)  # 发展基金, 产业投资集团: part of the name before a kind noun
            taken.append((start, word, tag))
            continue
        single = len(word) == 1 and tag not in _FUNCTION_TAGS and _HAN_CHAR.match(word)
        if (word == "与" and taken and not _ENDS_IN_KIND_WORD.search(text, floor, start - 1)
                and not text.startswith(_GENERIC_OPENERS, start)):
            pass  # 纳米技术与纳米仿生研究所: 与 inside a name (no organisation ends before it,
            #       and what follows does not open like a generic phrase: 温商资本与高能级创新平台)
        elif word in LEFT_STOPS or (tag not in allowed and word not in _NAME_WORDS and not single
                                    and not qualified) or (tag == "x" and word not in "()·&-"):
            break
        if word == ")":
            depth += 1
        elif word == "(":
            if depth == 0:
                break
            depth -= 1
            # 光子集成(温州)创新研究院: the head before a place qualifier may hold a verb
            qualified = depth == 0 and _QUALIFIER.match(text, start - 1) is not None
        if tag == "m" and _CHINESE_COUNT.fullmatch(word):
            # 做大做强百亿科创基金: a count opens the name (百亿, 三一 — jieba: 三/一)
            while text[start - len(word) - 1:start - len(word)] != "(":  # not a heading (一)
                start -= len(word)
                taken.append((start, word, tag))
                word = text[start - 1:start]
                if not _CHINESE_COUNT.fullmatch(word):
                    break
            break
        start -= len(word)
        taken.append((start, word, tag))
    if taken and start == end - len(window) and len(window) == _WINDOW:
        return end, False  # ran out of window: the name began further left than we can tell
    while taken and taken[-1][2] in _NOT_FIRST and taken[-1][1] not in _NAME_WORDS and (
            taken[-1][2] != "m" or _DIGITS.search(taken[-1][1])):
        taken.pop()  # a name does not begin with a verb or a count (赴省科技厅, 19支)
    start = taken[-1][0] if taken else end
    heading = _HEADING.match(text, start, end)  # (一)平台建设: a numbering label is no name
    if heading:
        start = heading.end()
    if _OPENING_BRACKET.match(text, start, end):
        return end, False  # 集成(温州)创新研究院: the name was cut in the middle
    while start < end and text[start] in ")X":  # anonymised X or a stray bracket is no name
        start += 1
    invested = _INVESTING.search(text, start, end)  # 基金领投X公司 (jieba: 领/投)
    if invested:
        start = invested.end()
    kind_word = _KIND_WORD.search(text, start, end)  # 检测机构威凯公司: the name follows
    if kind_word and end - kind_word.end() >= 2:
        start = kind_word.end()
    proper = any(position >= start and (tag in PROPER_TAGS or _LATIN_OR_BRACKET.search(word))
                 for position, word, tag in taken)
    proper = proper or any(text.startswith(place, start)
                           for place in _PLACE_STARTS.get(text[start:start + 1], ()))
    return start, proper


def _clause_floor(text: str, position: int, sentence: Sentence) -> int:
    floor = sentence.start
    for match in _CLAUSE_BREAK.finditer(text, sentence.start, position):
        floor = match.end()
    return floor


def _suffix_mentions(text: str, sentence: Sentence, gazetteer: Gazetteer | None,
                     known_names: Sequence[Mention] = ()) -> list[Mention]:
    """Names by their kind word. A kind word that ends inside or at the end of a full name
    in ``known_names`` is skipped: whatever it would read, :func:`_select` keeps the known name
    (jieba's tagging is most of the extraction's time). So is one inside a name read from a
    later kind word (浙江大学 in 浙江大学温州研究院): kind words are read right to left."""
    found: list[Mention] = []
    covered = [(m.start, m.end) for m in known_names
               if m.known is not None and m.known.how == "name"]
    matches = list(SUFFIX_PATTERN.finditer(text, sentence.start, sentence.end))
    for match in reversed(matches):
        if any(a < match.end() <= b for a, b in covered):
            continue
        suffix = match.group(0)
        entity_type, strength = SUFFIXES[suffix]
        floor = _clause_floor(text, match.start(), sentence)
        company = entity_type is EntityType.enterprise
        start, proper = _name_start(text, match.start(), floor,
                                    verbs=company or entity_type is EntityType.fund)
        level = _LEVEL.match(text, start, match.start())  # 省级智能锁…平台: the level is no name
        if level and match.start() - level.end() >= 2:
            start = level.end()
        specific = text[start:match.start()]
        if _COLLECTIVE.search(specific):
            continue  # 三大创新中心, 一器一园一基金: a count or a slogan, not a name
        admin = entity_type is EntityType.government and bool(ADMIN_PREFIX.match(specific))
        # firms' and funds' names, and what is being founded (共建X联合实验室), are names even
        # without a proper noun in them
        # … and so is the subject a clause opens with (国际未来科技岛签约落地): reports open
        # clauses with unnamed kinds only in generic words, which GENERIC_PARTS rejects
        named = (company or entity_type is EntityType.fund or suffix in _NAMED_ALONE
                 or _FOUNDING.search(text, max(floor, start - 2), start) is not None
                 or (start == floor and strength >= 0.75)
                 or (entity_type in _PLACES_TYPES
                     and _SETTLING.search(text, max(floor, start - 3), start) is not None))
        firm = named and len(specific) >= 2
        if not specific or not (proper or admin or firm) or (
                GENERIC_PARTS.match(specific) and not admin):  # 市 is generic, 市科技局 is not
            continue
        end = match.end()
        if entity_type is EntityType.fund and ((suffix == "基金" and specific.endswith("科学"))
                                               or _AWARDED.match(text, end)):
            continue  # 国家自然科学基金, …基金获得者: a research grant or a prize, not a fund
        qualifier = _QUALIFIER.match(text, end)  # 香港科技大学(广州), 杭州高新区(滨江)
        if qualifier:
            end = qualifier.end()
        part = PARK_PARTS.match(text, end) if entity_type is EntityType.park else None
        if part:
            end = part.end()
        if suffix == "合伙企业" and ("投资" in specific or "基金" in specific):
            entity_type = EntityType.fund  # 股权投资合伙企业(有限合伙): a fund's vehicle
        if (suffix == "创新中心"
                or suffix == "委员会") and RESEARCH_OWNER.search(specific):
            # a university's centre, a lab's advisory committee: bodies of that institute
            entity_type = EntityType.institute
        name = text[start:end]
        known = gazetteer.resolve(name, entity_type) if gazetteer else None
        confidence = strength * (0.95 if proper else 0.85) + (0.05 if known else 0.0)
        found.append(Mention(start, end, name, normalise_name(name), entity_type,
                             round(min(confidence, 0.95), 3), "suffix", known))
        covered.append((start, end))
    return found[::-1]


# 在苏州纳米城落地: what follows 在 and precedes a settling verb is a place
_PLACE_CONTEXT = re.compile(r"在([^,，。、;；:：在的]{2,12}?[城谷园岛港湾])(?=落地|落户|建设|布局|投产)")


def _place_mentions(text: str, sentence: Sentence, gazetteer: Gazetteer | None
                    ) -> list[Mention]:
    """Parks named by where things settle (在X城落地), when the name has a proper part."""
    found = []
    for match in _PLACE_CONTEXT.finditer(text, sentence.start, sentence.end):
        start, proper = _name_start(text, match.end(1) - 1, match.start(1))
        specific = text[start:match.end(1) - 1]
        if start != match.start(1) or not proper or GENERIC_PARTS.match(specific):
            continue
        name = match.group(1)
        known = gazetteer.resolve(name) if gazetteer else None
        found.append(Mention(start, match.end(1), name, normalise_name(name), EntityType.park,
                             0.7, "suffix", known))
    return found


def _list_mentions(text: str, sentence: Sentence, gazetteer: Gazetteer | None
                   ) -> list[Mention]:
    """Items of a 、-separated list closed by a count of firms (华联机械、天球电器X家单位)."""
    found: list[Mention] = []
    for match in LIST_CLOSE.finditer(text, sentence.start, sentence.end):
        floor = sentence.start
        for brk in _LIST_BREAK.finditer(text, sentence.start, match.start()):
            floor = brk.end()
        items = text[floor:match.start()].split("、")
        if len(items) < 2:
            continue
        position = floor
        for i, item in enumerate(items):
            start, end = position, position + len(item)
            position = end + 1
            if i == 0:
                start, _ = _name_start(text, end, start)
            name = text[start:end]
            if not 2 <= len(name) <= 12:
                continue
            known = gazetteer.resolve(name) if gazetteer else None
            found.append(Mention(start, end, name, normalise_name(name),
                                 known.type if known else EntityType.enterprise,
                                 0.85 if known else 0.65, "list", known))
    return found


def _body_mentions(text: str, sentence: Sentence, gazetteer: Gazetteer | None
                   ) -> list[Mention]:
    """Government bodies from the closed list :data:`.patterns.BODIES` (国务院, 市委)."""
    found = []
    for match in BODIES.finditer(text, sentence.start, sentence.end):
        name = match.group(0)
        known = gazetteer.resolve(name, EntityType.government) if gazetteer else None
        found.append(Mention(match.start(), match.end(), name, normalise_name(name),
                             EntityType.government, 0.85, "body", known))
    return found


def _gazetteer_mentions(text: str, sentence: Sentence, gazetteer: Gazetteer) -> list[Mention]:
    return [Mention(hit.start, hit.end, text[hit.start:hit.end], hit.known.name,
                    hit.known.type, 0.95 if hit.known.how == "name" else 0.9, "gazetteer",
                    hit.known)
            for hit in gazetteer.scan(text, sentence.start, sentence.end)]


def _select(candidates: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions: longer spans first; at equal ends a known name wins over
    a pattern that stretched further left."""
    # a known full name protects its span from a pattern that stretched further left
    # (发展中国科学院大学温州研究院); a short alias (区政府) does not (黄埔区政府)
    known_ends = {(m.end, m.start): m for m in candidates
                  if m.method == "gazetteer" and m.known is not None and m.known.how == "name"}
    kept: list[Mention] = []
    taken: list[tuple[int, int]] = []
    ordered = sorted(candidates, key=lambda m: (-(m.end - m.start), m.method != "gazetteer",
                                                m.start))
    for mention in ordered:
        if mention.method != "gazetteer" and any(
                end == mention.end and start > mention.start for end, start in known_ends):
            continue
        if any(mention.start < b and a < mention.end for a, b in taken):
            continue
        kept.append(mention)
        taken.append((mention.start, mention.end))
    return sorted(kept, key=lambda m: m.start)


def sentence_mentions(text: str, sentence: Sentence, gazetteer: Gazetteer | None
                      ) -> list[Mention]:
    """Organisation mentions in one sentence (teams and their leaders come from
    :mod:`.teams`)."""
    known = _gazetteer_mentions(text, sentence, gazetteer) if gazetteer is not None else []
    candidates = known + _suffix_mentions(text, sentence, gazetteer, known)
    candidates += _list_mentions(text, sentence, gazetteer)
    candidates += _body_mentions(text, sentence, gazetteer)
    candidates += _place_mentions(text, sentence, gazetteer)
    return _select(candidates)


def with_known(mention: Mention, known: Known | None) -> Mention:
    """The mention resolved to ``known`` (name and type from the graph)."""
    if known is None:
        return mention
    return replace(mention, known=known, canonical=known.name, type=known.type)
