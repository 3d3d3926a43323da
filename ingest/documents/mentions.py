"""Organisation mentions: known names from the gazetteer, new names from suffix and
context patterns, with jieba deciding where a new name begins.

Each mention carries its span in the normalised text, its type, a confidence and, when
the graph already knows it, the resolved entity.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from schema import EntityType, normalise_name

from .boundaries import FUNCTION_TAGS, QUALIFIER, name_start, tagged
from .gazetteer import Gazetteer, Known
from .patterns import (
    ADMIN_PREFIX,
    BODIES,
    GENERIC_PARTS,
    LEFT_STOPS,
    LIST_CLOSE,
    PARK_PARTS,
    PLACE_ALTERNATION,
    RESEARCH_OWNER,
    SUFFIX_PATTERN,
    SUFFIXES,
)
from .sections import Sentence
from .short_forms import picks_in_order

_CLAUSE_BREAK = re.compile(r"[,，、;；:：。!?“”\"《》\n\t]")
_LIST_BREAK = re.compile(r"[,，;；:：。!?“”\"《》\n\t]")
_LEVEL = re.compile(r"(?:省|市|区|县|国家)级")
_COLLECTIVE = re.compile(r"[一二三四五六七八九十两几多X]大|一.一")
# kinds of body that take the type of the institute owning them (郑州大学技术转移中心)
_OWNED_BODIES = frozenset({"创新中心", "委员会", "技术转移中心"})
# a key lab is named after its field, whose words jieba often tags as verbs (感知, 挖掘)
_KEY_LABS = frozenset({"重点实验室", "全国重点实验室", "国家重点实验室"})
_PLACE_ONLY = re.compile(f"(?:{PLACE_ALTERNATION})?[省市区县]?")
_NAMED_ALONE = frozenset({"大学", "医学院"})
# what is being founded is named even without a proper noun (共建X联合实验室, 共建的X中心)
_FOUNDING_VERBS = "共建|组建|成立|设立|筹建|新建"
_FOUNDED = re.compile(f"(?:(?:{_FOUNDING_VERBS})的?|建设的)$")
_FOUNDING_WORD = re.compile(f"(?:{_FOUNDING_VERBS}|建设)的?")
# a field's words: no function words, counts or symbols
_NOT_IN_FIELD = FUNCTION_TAGS | {"m", "x"}
_AWARDED = re.compile("获得者|获得人|资助|项目")
# where firms move in is a place with a name (入驻天府国际生物城)
_SETTLING = re.compile("入驻|落户|落户于|落地于|坐落于|位于")
_PLACES_TYPES = frozenset({EntityType.park, EntityType.incubator})

#: a name's canonical spelling (schema.normalise_name), remembered: reports repeat their
#: names, and converting to Simplified characters is most of its cost
canonical_form = lru_cache(maxsize=20_000)(normalise_name)


@dataclass(frozen=True)
class Mention:
    """An entity named in the text (offsets into the normalised text)."""

    start: int
    end: int
    text: str
    canonical: str
    type: EntityType
    confidence: float
    method: str  # gazetteer | suffix | list | body | team | leader | document | model
    known: Known | None = None
    #: with the second reader on (:mod:`.second_reading`): who proposed it (rules, model),
    #: the model's span that agreed or disagreed, and the rules' own confidence
    readers: tuple[str, ...] = ()
    model_span: tuple[int, int] | None = None
    rule_confidence: float | None = None
    #: the rules' span, when the model's longer reading of the name replaced it
    rule_span: tuple[int, int] | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Identity within a document: the resolved id, or type and canonical name."""
        if self.known is not None:
            return ("id", self.known.id)
        return (self.type.value, self.canonical)


def _clause_floor(breaks: list[int], position: int, sentence: Sentence) -> int:
    """Where the clause holding ``position`` starts (``breaks``: the sentence's clause ends)."""
    index = bisect.bisect_right(breaks, position)
    return breaks[index - 1] if index else sentence.start


def _founded_start(text: str, floor: int, kind_start: int) -> int | None:
    """Start of a research unit's name right after the verb founding it, when the name is
    only its field (共建的聚变能源联合实验室, 建设的深空探测实验室): jieba tags such fields'
    words as verbs (聚变, 探测), which :func:`.boundaries.name_start` stops at."""
    founding = max(_FOUNDING_WORD.finditer(text, floor, kind_start), key=lambda m: m.end(),
                   default=None)
    if founding is None or not 2 <= kind_start - founding.end() <= 12:
        return None
    words = tagged(text[founding.end():kind_start])
    if any(word in LEFT_STOPS or tag in _NOT_IN_FIELD for word, tag in words):
        return None
    return founding.end()


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
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end)]
    for match in reversed(matches):
        if any(a < match.end() <= b for a, b in covered):
            continue
        suffix = match.group(0)
        entity_type, strength = SUFFIXES[suffix]
        floor = _clause_floor(breaks, match.start(), sentence)
        company = entity_type is EntityType.enterprise
        start, proper = name_start(text, match.start(), floor, firm=company,
                                   verbs=company or entity_type is EntityType.fund
                                   or suffix in _KEY_LABS,
                                   joins=not company and suffix not in _NAMED_ALONE)
        level = _LEVEL.match(text, start, match.start())  # 省级智能锁…平台: the level is no name
        if level and match.start() - level.end() >= 2:
            start = level.end()
        specific = text[start:match.start()]
        if _COLLECTIVE.search(specific):
            continue  # 三大创新中心, 一器一园一基金: a count or a slogan, not a name
        if suffix in _KEY_LABS and _PLACE_ONLY.fullmatch(specific):
            continue  # 山东省重点实验室: a level of designation, not a lab's name
        admin = entity_type is EntityType.government and bool(ADMIN_PREFIX.match(specific))
        # firms' and funds' names, and what is being founded (共建X联合实验室), are names even
        # without a proper noun in them
        # … and so is the subject a clause opens with (国际未来科技岛签约落地): reports open
        # clauses with unnamed kinds only in generic words, which GENERIC_PARTS rejects
        named = (company or entity_type is EntityType.fund or suffix in _NAMED_ALONE
                 or _FOUNDED.search(text, max(floor, start - 3), start) is not None
                 or (start == floor and strength >= 0.75)
                 or (entity_type in _PLACES_TYPES
                     and _SETTLING.search(text, max(floor, start - 3), start) is not None))
        firm = named and len(specific) >= 2
        if not (proper or admin or firm) and entity_type is EntityType.institute:
            founded = _founded_start(text, floor, match.start())
            if founded is not None:
                start, specific, firm = founded, text[founded:match.start()], True
        if not specific or not (proper or admin or firm) or (
                GENERIC_PARTS.match(specific) and not admin):  # 市 is generic, 市科技局 is not
            continue
        end = match.end()
        if entity_type is EntityType.fund and ((suffix == "基金" and specific.endswith("科学"))
                                               or _AWARDED.match(text, end)):
            continue  # 国家自然科学基金, …基金获得者: a research grant or a prize, not a fund
        qualifier = QUALIFIER.match(text, end)  # 香港科技大学(广州), 杭州高新区(滨江)
        if qualifier and not picks_in_order(qualifier.group(1), text[start:end]):
            end = qualifier.end()  # … but 贵州白山云科技股份有限公司(白山云) declares a short name
        part = PARK_PARTS.match(text, end) if entity_type is EntityType.park else None
        if part:
            end = part.end()
        if (suffix == "合伙企业" and ("投资" in specific or "基金" in specific)) or (
                company and "基金" in specific):
            # 股权投资合伙企业(有限合伙), 产业股权投资基金有限公司: a fund's vehicle
            entity_type = EntityType.fund
        if suffix in _OWNED_BODIES and RESEARCH_OWNER.search(specific):
            # a university's centre, a lab's advisory committee: bodies of that institute
            entity_type = EntityType.institute
        name = text[start:end]
        known = gazetteer.resolve(name, entity_type) if gazetteer else None
        confidence = strength * (0.95 if proper else 0.85) + (0.05 if known else 0.0)
        found.append(Mention(start, end, name, canonical_form(name), entity_type,
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
        start, proper = name_start(text, match.end(1) - 1, match.start(1))
        specific = text[start:match.end(1) - 1]
        if start != match.start(1) or not proper or GENERIC_PARTS.match(specific):
            continue
        name = match.group(1)
        known = gazetteer.resolve(name) if gazetteer else None
        found.append(Mention(start, match.end(1), name, canonical_form(name), EntityType.park,
                             0.7, "suffix", known))
    return found


# a financial product is named in quotes and ends in 贷 (a loan): “科技贷”, 「甬科贷」
_LOAN_PRODUCT = re.compile(r"[“「『\"]([\u4e00-\u9fffA-Za-z]{1,5}贷)[”」』\"]")


def _matched_mentions(text: str, sentence: Sentence, gazetteer: Gazetteer | None,
                      pattern: re.Pattern[str], entity_type: EntityType, confidence: float,
                      method: str) -> list[Mention]:
    """Every match of ``pattern`` (its first group when it has one) as a mention of one type:
    loan products in quotes (the annotation counts them as funds), government bodies from
    the closed list :data:`.patterns.BODIES` (国务院, 市委)."""
    found = []
    group = 1 if pattern.groups else 0
    for match in pattern.finditer(text, sentence.start, sentence.end):
        name = match.group(group)
        known = gazetteer.resolve(name, entity_type) if gazetteer else None
        found.append(Mention(match.start(group), match.end(group), name, canonical_form(name),
                             entity_type, confidence, method, known))
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
                start, _ = name_start(text, end, start)
            name = text[start:end]
            if not 2 <= len(name) <= 12:
                continue
            known = gazetteer.resolve(name) if gazetteer else None
            found.append(Mention(start, end, name, canonical_form(name),
                                 known.type if known else EntityType.enterprise,
                                 0.85 if known else 0.65, "list", known))
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
    candidates += _matched_mentions(text, sentence, gazetteer, BODIES, EntityType.government,
                                    0.85, "body")
    candidates += _place_mentions(text, sentence, gazetteer)
    candidates += _matched_mentions(text, sentence, gazetteer, _LOAN_PRODUCT, EntityType.fund,
                                    0.75, "suffix")
    return _select(candidates)


def with_known(mention: Mention, known: Known | None) -> Mention:
    """The mention resolved to ``known`` (name and type from the graph)."""
    if known is None:
        return mention
    return replace(mention, known=known, canonical=known.name, type=known.type)
