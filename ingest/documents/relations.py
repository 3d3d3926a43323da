"""Relations between the mentions of one sentence: 共建, 签约 / 战略合作, 联合申报 and other
partnerships, 入驻, 依托, 投资, 落户, with the partnership's status and year.

Which words state which relation is data (:mod:`.relation_rules`). This module holds the
shapes where one party acts on another with the trigger between them (``subject-object``,
``placed``, ``built-on``, ``passive``) and runs every shape: partnerships are read in
:mod:`.relation_partners`, framed shapes in :mod:`.relation_frames`, people's relations in
:mod:`.relation_people`; :mod:`.relation_subjects` finds a clause's subject.
Only shapes that name both sides are read (``A与B签订战略合作协议``, ``A、B共建…``,
``A依托B``, ``依托B建设A``, ``A入驻B``); a sentence whose actor is left implicit
(``与华中科技大学启动新一轮校地合作``) yields nothing rather than a guess.
"""

from __future__ import annotations

import re
from functools import cache

from schema import RelationType
from schema.rules import ORGANISATIONS

from .mentions import Mention
from .relation_findings import (
    K,
    RelationFinding,
    clause_bounds,
    coordinated_after,
    coordinated_before,
    finding,
    signed_kind,
)
from .relation_frames import frame_relations
from .relation_partners import partnerships as partner_relations
from .relation_people import person_relations
from .relation_rules import RelationRule, alternation, by_trigger
from .relation_subjects import BETWEEN, earlier_subject
from .sections import Sentence

_DIRECTED_RULES = {**by_trigger("placed"), **by_trigger("built-on"),
                   **by_trigger("subject-object")}
_DIRECTED_TRIGGER = re.compile(alternation(_DIRECTED_RULES))
# A、B等22家企业新入驻C, …等9家新创团队集中入驻C: a count, what was counted, an adverb
_COUNTED = re.compile(r"等?[\dX一二三四五六七八九十几多余]+(?:家|个|支)"
                      r"[\u4e00-\u9fff]{0,6}?(?:新|集中|陆续|相继|先后|已|将)*")
# 依托B建设的A: the clause is a modifier of A, which follows it
_RELATIVE = re.compile("(?:建设|设立|组建|建立|打造)?的")
_PARTY_TYPES = ORGANISATIONS
# 入驻企业, 投资方, 落户项目: the trigger names a role, it is no verb between two parties
# (the residents of a place are read by the ``resident`` shape, relation_frames)
NOUN_USE = re.compile("企业|项目|团队|机构|方|人|者|额|规模|总额|主体|单位")
# A是一家入驻B的企业, A(入驻B), A是依托B建设的平台: the subject described by the clause
_APPOSED = re.compile(r"(?:是(?:一家|一个|一所|一支|一座)?|\()")
# A签约落户B, A整体搬迁入驻B, F战略投资X: how the subject acts, between it and the verb
_MANNERS = {relation: re.compile(f"(?:{BETWEEN.pattern})(?:{words})(?:{BETWEEN.pattern})")
            for relation, words in ((RelationType.located_in, "签约|整体搬迁|搬迁"),
                                    (RelationType.incubated_at, "签约|整体搬迁|搬迁"),
                                    (RelationType.invests_in, "战略|股权|天使|追加|增资"))}
# F出资3000万元投资X: the sum between the investor and the verb
_SUM = re.compile(r"(?:以|出资|斥资|累计|共|再)?[\d.,]+(?:多|余)?(?:万|亿)*(?:美)?元")


@cache
def _carrying(rule: RelationRule) -> re.Pattern[str]:
    """What may stand between a subject and ``rule``'s trigger when the subject brings
    something (A将北方总部落户B, A总部及研发中心落户B): one of ``rule.carries`` after a short
    qualifier, between adverbs."""
    carried = alternation(rule.carries)
    return re.compile(f"(?:{BETWEEN.pattern})(?:[\u4e00-\u9fff]{{0,4}}?(?:{carried})[及和、]?)+"
                      f"(?:{BETWEEN.pattern})")


def _carried(rule: RelationRule, text: str, start: int, end: int) -> bool:
    return bool(rule.carries) and _carrying(rule).fullmatch(text, start, end) is not None


def _passive(text: str, before: list[Mention], trigger: re.Match[str]
             ) -> tuple[Mention, Mention] | None:
    """B由A投资建设: (A, B), when A stands right before the trigger and 由 right before A (a
    short name A declares in brackets after it is A itself)."""
    if len(before) < 2 or not BETWEEN.fullmatch(text, before[-1].end, trigger.start()):
        return None
    i = len(before) - 1
    while i > 0 and text[before[i - 1].end:before[i - 1].end + 1] == "(" and \
            before[i].start - before[i - 1].end <= 6:
        i -= 1  # A(以下简称“X”): X is A
    agent = before[i]
    if i == 0 or text[agent.start - 1:agent.start] != "由":
        return None
    patient = before[i - 1]
    if not BETWEEN.fullmatch(text, patient.end, agent.start - 1):
        return None
    return agent, patient


def _directed(text: str, sentence: Sentence, parties: list[Mention]) -> list[RelationFinding]:
    found: list[RelationFinding] = []
    for trigger in _DIRECTED_TRIGGER.finditer(text, sentence.start, sentence.end):
        rule: RelationRule = _DIRECTED_RULES[trigger.group(0)]
        if NOUN_USE.match(text, trigger.end()):
            continue
        clause_start, clause_end = clause_bounds(text, trigger.start(), sentence)
        inside = [m for m in parties if clause_start <= m.start and m.end <= clause_end]
        before = [m for m in inside if m.end <= trigger.start()]
        after = [m for m in inside if m.start >= trigger.end()]
        if ("placed" in rule.forms and before and BETWEEN.fullmatch(text, before[-1].end,
                                                                     trigger.start())
                and text[before[-1].start - 1:before[-1].start] == "在"):
            place = before[-1]
            if len(before) >= 2 and BETWEEN.fullmatch(text, before[-2].end, place.start - 1):
                # A在B落户 / A在B落地: B is where A settles
                found.append(finding(before[-2], place, rule, trigger, sentence, text, 0.75))
            elif len(before) == 1 and place.start - 1 == clause_start > sentence.start:
                # 引进…团队,在B落户: the subject ends the clause before
                earlier = [m for m in parties if sentence.start <= m.start
                           and m.end >= clause_start - 1 and m.end < clause_start]
                if earlier:
                    found.append(finding(earlier[-1], place, rule, trigger, sentence, text,
                                          0.7))
            continue
        passive = _passive(text, before, trigger) if "passive" in rule.forms else None
        if passive:
            found.append(finding(*passive, rule, trigger, sentence, text, 0.7))
            continue
        if not after or not {"subject-object", "built-on"} & set(rule.forms):
            continue  # 落地 alone is a status, not a place
        if not before and len(after) > 1 and "built-on" in rule.forms and \
                _RELATIVE.fullmatch(text, after[0].end, after[1].start):
            # 依托B建设的A: A, the modified, rests on B
            found.append(finding(after[1], after[0], rule, trigger, sentence, text, 0.7))
            continue
        if not before and "的" in text[trigger.end():after[0].start]:
            continue  # 入驻B的A: a modifier (relation_frames), not the clause before's subject
        adjacent = bool(before) and (BETWEEN.fullmatch(text, before[-1].end, trigger.start())
                                     or _carried(rule, text, before[-1].end, trigger.start())
                                     or _APPOSED.fullmatch(text, before[-1].end,
                                                           trigger.start()) is not None
                                     or _SUM.fullmatch(text, before[-1].end,
                                                       trigger.start()) is not None
                                     or (rule.relation in _MANNERS and _MANNERS[
                                         rule.relation].fullmatch(text, before[-1].end,
                                                                  trigger.start()) is not None))
        if not before and clause_start > sentence.start:
            subject = earlier_subject(text, sentence, parties, clause_start, trigger.start())
            before = [subject] if subject else []
            adjacent = bool(before)
        target = after[0]
        if "round" in rule.forms and target.start != trigger.end():
            continue  # A领投X…融资: the firm right after; A领投、B跟投 is a list of roles
        if "built-on" in rule.forms and not before and len(after) > 1:
            # 依托B建设A: the thing built on B comes after it
            found.append(finding(after[1], target, rule, trigger, sentence, text, 0.7))
        elif adjacent:  # A依托B、C建设: every coordinated target
            # A联合B投资C: A acts too; A与B共同投资C: both act
            subjects = before[-2:] if len(before) >= 2 and text[
                before[-2].end:before[-1].start] == "联合" else before[-1:]
            if "共同" in text[before[-1].end:trigger.start()]:
                subjects = coordinated_before(text, before, before[-1].end)
            for subject in subjects:
                for party in coordinated_after(text, after, target):
                    found.append(finding(subject, party, rule, trigger, sentence, text,
                                         0.75))
        elif before and _COUNTED.fullmatch(text, before[-1].end, trigger.start()):
            # A、B等12家企业入驻C: every listed party
            for party in coordinated_before(text, before, before[-1].end):
                found.append(finding(party, target, rule, trigger, sentence, text, 0.7))
    return found


def _outermost(parties: list[Mention]) -> list[Mention]:
    """``parties`` without those inside a longer one (工大 read inside 西工大昆明院): a party
    stands where its whole name stands."""
    return [m for m in parties if not any(o.start <= m.start and m.end <= o.end
                                          and o.end - o.start > m.end - m.start for o in parties)]


def _dedupe(findings: list[RelationFinding]) -> list[RelationFinding]:
    """One finding per (source, type, target) in a sentence: the most specific kind."""
    best: dict[tuple[int, RelationType, int], RelationFinding] = {}
    for found in findings:
        key = (found.source.start, found.type, found.target.start)
        earlier = best.get(key)
        if earlier is None or (earlier.kind is K.general and found.kind not in (None,
                                                                                K.general)):
            best[key] = found
    return list(best.values())


def sentence_relations(text: str, sentence: Sentence, mentions: list[Mention]
                       ) -> list[RelationFinding]:
    """Relations among the mentions of one sentence.

    >>> from schema import EntityType as E
    >>> s = "甲研究院与乙有限公司签订战略合作协议。"
    >>> a = Mention(0, 4, "甲研究院", "甲研究院", E.institute, 0.8, "suffix")
    >>> b = Mention(5, 10, "乙有限公司", "乙有限公司", E.enterprise, 0.9, "suffix")
    >>> [(r.source.text, r.target.text, r.kind, r.status)
    ...  for r in sentence_relations(s, Sentence(0, len(s), "序", s), [a, b])]
    [('甲研究院', '乙有限公司', <PartnershipKind.strategic: '战略合作'>, <PartnershipStatus.signed: '签约'>)]
    """
    parties = _outermost([m for m in mentions if m.type in _PARTY_TYPES])
    partnerships = partner_relations(text, sentence, parties)
    found = partnerships + _directed(text, sentence, parties)
    found += frame_relations(text, sentence, parties, partnerships)
    # a name and its repeat or short form are one party: no relation with itself
    found = [f for f in found if f.source.key != f.target.key]
    return [signed_kind(text, f) for f in _dedupe(found)] + person_relations(text, sentence,
                                                                              mentions)
