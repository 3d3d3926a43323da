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

from .boundaries import FUNCTION_TAGS, name_start
from .boundary_rules import FOUNDING_VERBS, Rule, cut, of_kind, parent_type
from .gazetteer import Gazetteer, Known
from .patterns import (
    ADMIN_PREFIX,
    BODIES,
    GENERIC_PARTS,
    LEFT_STOPS,
    LIST_CLOSE,
    SUFFIX_PATTERN,
    SUFFIXES,
)
from .sections import Sentence
from .short_forms import picks_in_order
from .words import tagged

_CLAUSE_BREAK = re.compile(r"[,，、;；:：。!?“”\"《》\n\t]")
_LIST_BREAK = re.compile(r"[,，;；:：。!?“”\"《》\n\t]")
# a key lab is named after its field, whose words jieba often tags as verbs (感知, 挖掘)
_KEY_LABS = frozenset({"重点实验室", "全国重点实验室", "国家重点实验室"})
# no university's name joins two fields with 与 (美的与华南理工大学)
_NO_JOINS = frozenset({"大学", "医学院"})
_FOUNDING_WORD = re.compile(f"(?:{FOUNDING_VERBS}|建设)的?")
# a field's words: no function words, counts or symbols
_NOT_IN_FIELD = FUNCTION_TAGS | {"m", "x"}
#: how far before a name a ``named`` rule's words may stand (共建的X, 入驻X)
_NAMED_BEFORE = 3

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


def _named(rule: Rule, text: str, floor: int, start: int, kind: re.Match[str],
           strength: float) -> bool:
    """A ``named`` rule (:mod:`.boundary_rules`) makes the reading of ``text[start:kind.end()]``
    (``kind``: its kind word) a name: by what stands right before it or in its specific
    part, and what follows its kind word."""
    if (rule.then is not None and rule.then.match(text, kind.end()) is None) or (
            strength < rule.strong):
        return False
    if rule.pattern is not None:
        if rule.where == "specific":
            found = rule.pattern.search(text, start, kind.start())
        elif rule.where == "kind":
            found = rule.pattern.fullmatch(kind.group(0))
        else:
            found = rule.pattern.search(text, max(floor, start - _NAMED_BEFORE), start)
        if found is None:
            return False
    return rule.opener is None or (start == floor and strength >= rule.opener)


#: vetoes that look only at the kind word's surroundings, checked before the name is read
#: (jieba's tagging is most of the time, and 布局, 格局 are frequent)
_EARLY = frozenset({"after", "end"})


def _vetoed_early(rule: Rule, text: str, kind: re.Match[str]) -> bool:
    """A ``veto`` rule read ``after`` the kind word or at the ``end`` of the specific part
    (the characters right before the kind word) rejects the reading of ``kind``."""
    assert rule.pattern is not None
    if rule.where == "after":
        return rule.pattern.match(text, kind.end()) is not None
    return rule.pattern.search(text, max(0, kind.start() - 4), kind.start()) is not None


def _vetoed(rule: Rule, specific: str, admin: bool) -> bool:
    """A ``veto`` rule (:mod:`.boundary_rules`) rejects a reading whose specific part is
    ``specific`` (``admin``: an administrative prefix)."""
    assert rule.pattern is not None
    if rule.spares_admin and admin:
        return False
    if rule.where == "whole":
        return rule.pattern.fullmatch(specific) is not None
    return rule.pattern.search(specific) is not None


def _extended(rule: Rule, text: str, start: int, end: int) -> int:
    """Where a name ends after an ``extend`` rule (:mod:`.boundary_rules`)."""
    assert rule.pattern is not None
    found = rule.pattern.match(text, end)
    if found is None or (rule.declared and picks_in_order(found.group(1), text[start:end])):
        return end  # 贵州白山云科技股份有限公司(白山云) declares a short name
    return found.end()


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
        if any(_vetoed_early(rule, text, match) for rule in of_kind("veto")
               if rule.where in _EARLY and rule.about(suffix, entity_type)):
            continue
        floor = _clause_floor(breaks, match.start(), sentence)
        company = entity_type is EntityType.enterprise
        start, proper = name_start(text, match.start(), floor, firm=company,
                                   verbs=company or entity_type is EntityType.fund
                                   or suffix in _KEY_LABS,
                                   joins=not company and suffix not in _NO_JOINS)
        start = cut(text, start, match.start(), "kind-word")
        specific = text[start:match.start()]
        admin = entity_type is EntityType.government and bool(ADMIN_PREFIX.match(specific))
        # a name needs a proper part (a place, a proper noun), an administrative prefix
        # (市科技局), or a ``named`` rule's reason to be a name without one
        firm = len(specific) >= 2 and any(
            _named(rule, text, floor, start, match, strength)
            for rule in of_kind("named") if rule.about(suffix, entity_type))
        if not (proper or admin or firm) and entity_type is EntityType.institute:
            founded = _founded_start(text, floor, match.start())
            if founded is not None:
                start, specific, firm = founded, text[founded:match.start()], True
        end = match.end()
        if not specific or not (proper or admin or firm) or any(
                _vetoed(rule, specific, admin) for rule in of_kind("veto")
                if rule.where not in _EARLY and rule.about(suffix, entity_type)):
            continue
        for rule in of_kind("extend"):
            if rule.about(suffix, entity_type):
                end = _extended(rule, text, start, end)
        for rule in of_kind("retype"):
            assert rule.pattern is not None
            hit = rule.pattern.search(specific) if rule.about(suffix, entity_type) else None
            if hit is not None:
                entity_type = parent_type(hit, entity_type) if rule.where == "parent" else rule.to or \
                    entity_type
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


# a financial product is named in quotes and ends in 贷 (a loan) or 保 (an insurance):
# “科技贷”, 「甬科贷」, “科创保”
_LOAN_PRODUCT = re.compile(r"[“「『\"]([\u4e00-\u9fffA-Za-z]{1,5}[贷保])[”」』\"]")


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
