"""Relations between the mentions of one sentence: 共建, 签约 / 战略合作, 联合申报 and other
partnerships, 入驻, 依托, 投资, 落户, with the partnership's status and year.

Which words state which relation is data (:mod:`.relation_rules`); this module holds the
shapes with the trigger between its parties (``partner``, ``agreement``, ``subject-object``,
``placed``, ``built-on``, ``person-of``), :mod:`.relation_frames` those that frame them.
Only shapes that name both sides are read (``A与B签订战略合作协议``, ``A、B共建…``,
``A依托B``, ``依托B建设A``, ``A入驻B``); a sentence whose actor is left implicit
(``与华中科技大学启动新一轮校地合作``) yields nothing rather than a guess.
"""

from __future__ import annotations

import re

from schema import EntityType, RelationType
from schema.rules import ORGANISATIONS

from .mentions import Mention
from .relation_findings import (
    K,
    R,
    RelationFinding,
    clause_bounds,
    coordinated_after,
    coordinated_before,
    finding,
)
from .relation_frames import frame_relations
from .relation_people import person_relations
from .relation_rules import RelationRule, alternation, by_trigger
from .sections import Sentence

_PARTNER_RULES = by_trigger("partner")
_PARTNER = re.compile(alternation(_PARTNER_RULES))
# 签署投资协议: what is signed, right after the signing verb, may name another relation
_AGREEMENTS = by_trigger("agreement")
_AGREEMENT = re.compile(f"了?({alternation(_AGREEMENTS)})")
_DIRECTED_RULES = {**by_trigger("placed"), **by_trigger("built-on"),
                   **by_trigger("subject-object")}
_DIRECTED_TRIGGER = re.compile(alternation(_DIRECTED_RULES))
# what may stand between a subject and its verb: adverbs and dates (今年3月落户, 近日投资,
# 于2023年6月入驻), after a short name the document declares (A(以下简称“X”)2024年6月与B)
_BETWEEN = re.compile(r"(?:\((?:以下)?简称[^()]{1,16}\)|[”\"」]?\))?"
                      r"(?:已经?|将|正式|成功|先后|近日|日前|全年|年内|当年|同年|同时|同期|还|也|则|"
                      r"分别|首期|共同|当天|当日|同日|宣布|于|并|其中|"
                      r"[一二三四五六七八九十]期|"
                      r"(?:今|去|明)年|(?:19|20)\d\d年|\d{1,2}月(?:份)?|\d{1,2}日)*")
# …,研究院将落户B / 团队将入驻B: a bare kind word opening a clause refers back too
_ANAPHOR = re.compile(r"(?:该|这一)?(平台|中心|实验室|研究院|基金|园区|企业|公司|团队)"
                      r"(?:还|将|已|也)?")
_ANAPHOR_KINDS = {
    "平台": {EntityType.platform}, "中心": {EntityType.platform, EntityType.institute},
    "实验室": {EntityType.institute}, "研究院": {EntityType.institute}, "基金": {EntityType.fund},
    "园区": {EntityType.park, EntityType.incubator}, "企业": {EntityType.enterprise},
    "公司": {EntityType.enterprise}, "团队": {EntityType.talent_team}}
# A、B等22家企业新入驻C, …等9家新创团队集中入驻C: a count, what was counted, an adverb
_COUNTED = re.compile(r"等?[\dX一二三四五六七八九十几多余]+(?:家|个|支)"
                      r"[\u4e00-\u9fff]{0,6}?(?:新|集中|陆续|相继|先后|已|将)*")
# 依托B建设的A: the clause is a modifier of A, which follows it
_RELATIVE = re.compile("(?:建设|设立|组建|建立|打造)?的")
_BILATERAL = frozenset("和与同跟")
_WITH = frozenset("与同跟")  # A与B…: B is the partner
# … but not in 会同 (acting together with, a verb outside the list) or 连同 (along with)
_NOT_WITH = frozenset({"会同", "连同", "共同", "协同", "如同", "等同"})
_PARTY_TYPES = ORGANISATIONS


def _agreement(a: Mention, b: Mention, trigger: re.Match[str], sentence: Sentence, text: str,
               base: float) -> RelationFinding:
    """A与B签约: a partnership of the trigger's kind, unless what they sign names another
    relation (A与B签署投资协议: the fund among them invests in the other)."""
    rule = _PARTNER_RULES[trigger.group(0)]
    signed = _AGREEMENT.match(text, trigger.end()) if rule.signs else None
    if signed:
        deal = _AGREEMENTS[signed.group(1)]
        source, target = (b, a) if b.type is deal.source_type and a.type is not \
            deal.source_type else (a, b)
        return finding(source, target, deal.relation, trigger, sentence, text, base,
                       word=signed.group(1))
    return finding(a, b, R.partnership, trigger, sentence, text, base, kind=rule.kind)


def _partnerships(text: str, sentence: Sentence, parties: list[Mention]
                  ) -> list[RelationFinding]:
    found: list[RelationFinding] = []
    for trigger in _PARTNER.finditer(text, sentence.start, sentence.end):
        if any(m.start <= trigger.start() and trigger.end() <= m.end for m in parties):
            continue  # a word of a name (协同创新中心, 合作区), not a verb
        clause_start, clause_end = clause_bounds(text, trigger.start(), sentence)
        inside = [m for m in parties if clause_start <= m.start and m.end <= clause_end]
        before = [m for m in inside if m.end <= trigger.start()]
        # A、B共建 / A和B联合申报: coordinated subjects right before the trigger
        group = coordinated_before(text, before, trigger.start())
        # A、B签约: each signed (with someone unnamed); A和B签署: they signed with each other
        bilateral = len(group) == 2 and text[group[0].end:group[1].start] in _BILATERAL
        if len(group) >= 2 and (not _PARTNER_RULES[trigger.group(0)].signs or bilateral):
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    found.append(_agreement(a, b, trigger, sentence, text, 0.8))
            continue
        # A与B…签订/合作: B follows a 与 that a mention A precedes in the same clause
        for b in before:
            conj = text[b.start - 1:b.start] if b.start > clause_start else ""
            if text[b.start - 2:b.start] in _NOT_WITH:
                continue
            a_side = [m for m in before if m.end < b.start]
            # A联合B、C开展…合作, A携手B共建: the listed verb after B is the relation
            joined = text[b.start - 2:b.start] in ("联合", "携手")
            if (conj not in _WITH and not joined) or not a_side:
                continue
            a = a_side[-1]
            between = text[a.end:b.start - (2 if joined else 1)]
            base = 0.85 if _BETWEEN.fullmatch(between) else 0.7 if len(between) <= 4 else 0.0
            if base == 0.85 or (base and re.search(r"[与同跟]", between) is None):
                # A与B、C分别签约: A with each; A、B分别与C签约: each with C
                for side in coordinated_before(text, a_side, a.end):
                    for party in coordinated_after(text, before, b):
                        found.append(_agreement(side, party, trigger, sentence, text, base))
                break
        else:
            found += _with_earlier_subject(text, sentence, parties, before, trigger, clause_start)
    return found


def _with_earlier_subject(text: str, sentence: Sentence, parties: list[Mention],
                          before: list[Mention], trigger: re.Match[str], clause_start: int
                          ) -> list[RelationFinding]:
    """A clause opening with 与B / 携手B whose subject an earlier clause names:
    ``A全年新增专利312件,与B共建…``, ``…设立的A,携手B共建…``."""
    if not before or before[0].start - clause_start > 8:
        return []
    b = before[0]
    joined = text[b.start - 2:b.start] in ("联合", "携手")
    conj_at = b.start - (2 if joined else 1)
    if conj_at < clause_start or (not joined and (text[conj_at] not in _WITH
                                                  or text[b.start - 2:b.start] in _NOT_WITH)):
        return []
    subject = _earlier_subject(text, sentence, parties, clause_start, conj_at)
    if subject is None:
        return []
    return [_agreement(subject, party, trigger, sentence, text, 0.7)
            for party in coordinated_after(text, before, b)]


def _earlier_subject(text: str, sentence: Sentence, parties: list[Mention], clause_start: int,
                     trigger_start: int) -> Mention | None:
    """The subject of a clause that opens with its verb, named in an earlier clause:
    引进…团队,落户B (the last clause ends with it); B于3月揭牌运行,依托A建设 (the last clause
    opens with it); X平台正式启动,该平台依托A建设 (该平台 refers back to it)."""
    opener = text[clause_start:trigger_start]
    earlier = [m for m in parties if sentence.start <= m.start and m.end < clause_start]
    if not earlier:
        return None
    anaphor = _ANAPHOR.fullmatch(opener)
    if anaphor:
        kinds = _ANAPHOR_KINDS[anaphor.group(1)]
        return next((m for m in reversed(earlier) if m.type in kinds), None)
    if _BETWEEN.fullmatch(opener) is None:
        return None
    if earlier[-1].end >= clause_start - 1:
        return earlier[-1]
    last_start, _ = clause_bounds(text, clause_start - 1, sentence)
    return next((m for m in earlier if last_start <= m.start <= last_start + 2), None)


def _carried(rule: RelationRule, text: str, start: int, end: int) -> bool:
    """``text[start:end]`` names what the subject brings (A将北方总部落户B, A总部及研发中心
    落户B): one of ``rule.carries``, after a short qualifier, between adverbs."""
    if not rule.carries:
        return False
    carried = alternation(rule.carries)
    return re.fullmatch(f"(?:{_BETWEEN.pattern})(?:[\u4e00-\u9fff]{{0,4}}?(?:{carried})[及和、]?)+"
                        f"(?:{_BETWEEN.pattern})", text[start:end]) is not None


def _passive(text: str, before: list[Mention], trigger: re.Match[str]
             ) -> tuple[Mention, Mention] | None:
    """B由A投资建设: (A, B), when A stands right before the trigger and 由 right before A (a
    short name A declares in brackets after it is A itself)."""
    if len(before) < 2 or not _BETWEEN.fullmatch(text, before[-1].end, trigger.start()):
        return None
    i = len(before) - 1
    while i > 0 and text[before[i - 1].end:before[i - 1].end + 1] == "(" and \
            before[i].start - before[i - 1].end <= 6:
        i -= 1  # A(以下简称“X”): X is A
    agent = before[i]
    if i == 0 or text[agent.start - 1:agent.start] != "由":
        return None
    patient = before[i - 1]
    if not _BETWEEN.fullmatch(text, patient.end, agent.start - 1):
        return None
    return agent, patient


def _directed(text: str, sentence: Sentence, parties: list[Mention]) -> list[RelationFinding]:
    found: list[RelationFinding] = []
    for trigger in _DIRECTED_TRIGGER.finditer(text, sentence.start, sentence.end):
        rule: RelationRule = _DIRECTED_RULES[trigger.group(0)]
        relation = rule.relation
        clause_start, clause_end = clause_bounds(text, trigger.start(), sentence)
        inside = [m for m in parties if clause_start <= m.start and m.end <= clause_end]
        before = [m for m in inside if m.end <= trigger.start()]
        after = [m for m in inside if m.start >= trigger.end()]
        if ("placed" in rule.forms and before and text[before[-1].end:trigger.start()] == ""
                and text[before[-1].start - 1:before[-1].start] == "在"):
            place = before[-1]
            if len(before) >= 2 and _BETWEEN.fullmatch(text, before[-2].end, place.start - 1):
                # A在B落户 / A在B落地: B is where A settles
                found.append(finding(before[-2], place, relation, trigger, sentence, text, 0.75))
            elif len(before) == 1 and place.start - 1 == clause_start > sentence.start:
                # 引进…团队,在B落户: the subject ends the clause before
                earlier = [m for m in parties if sentence.start <= m.start
                           and m.end >= clause_start - 1 and m.end < clause_start]
                if earlier:
                    found.append(finding(earlier[-1], place, relation, trigger, sentence, text,
                                          0.7))
            continue
        passive = _passive(text, before, trigger) if "passive" in rule.forms else None
        if passive:
            found.append(finding(*passive, relation, trigger, sentence, text, 0.7))
            continue
        if not after or not {"subject-object", "built-on"} & set(rule.forms):
            continue  # 落地 alone is a status, not a place
        if not before and len(after) > 1 and "built-on" in rule.forms and \
                _RELATIVE.fullmatch(text, after[0].end, after[1].start):
            # 依托B建设的A: A, the modified, rests on B
            found.append(finding(after[1], after[0], relation, trigger, sentence, text, 0.7))
            continue
        if not before and "的" in text[trigger.end():after[0].start]:
            continue  # 入驻B的A: a modifier (relation_frames), not the clause before's subject
        adjacent = bool(before) and (_BETWEEN.fullmatch(text, before[-1].end, trigger.start())
                                     or _carried(rule, text, before[-1].end, trigger.start()))
        if not before and clause_start > sentence.start:
            subject = _earlier_subject(text, sentence, parties, clause_start, trigger.start())
            before = [subject] if subject else []
            adjacent = bool(before)
        target = after[0]
        if "built-on" in rule.forms and not before and len(after) > 1:
            # 依托B建设A: the thing built on B comes after it
            found.append(finding(after[1], target, relation, trigger, sentence, text, 0.7))
        elif adjacent:  # A依托B、C建设: every coordinated target
            # A联合B投资C: A acts too; A与B共同投资C: both act
            subjects = before[-2:] if len(before) >= 2 and text[
                before[-2].end:before[-1].start] == "联合" else before[-1:]
            if "共同" in text[before[-1].end:trigger.start()]:
                subjects = coordinated_before(text, before, before[-1].end)
            for subject in subjects:
                for party in coordinated_after(text, after, target):
                    found.append(finding(subject, party, relation, trigger, sentence, text,
                                         0.75))
        elif before and _COUNTED.fullmatch(text, before[-1].end, trigger.start()):
            # A、B等12家企业入驻C: every listed party
            for party in coordinated_before(text, before, before[-1].end):
                found.append(finding(party, target, relation, trigger, sentence, text, 0.7))
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
    partnerships = _partnerships(text, sentence, parties)
    found = partnerships + _directed(text, sentence, parties)
    found += frame_relations(text, sentence, parties, partnerships)
    # a name and its repeat or short form are one party: no relation with itself
    found = [f for f in found if f.source.key != f.target.key]
    return _dedupe(found) + person_relations(text, sentence, mentions)
