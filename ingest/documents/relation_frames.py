"""Relation shapes where the trigger frames its parties instead of sitting between them.

``以B为依托, …推进A`` (A rests on B), ``A…建设在B`` (A is located in B), ``入驻B的A`` (A was
incubated at B) and ``A与B签约, 双方将依托C`` (each side rests on C). The plain shapes,
trigger between the parties, are in :mod:`.relations`; which words each shape reads, and
the relation they state, are the rules of :mod:`.relation_rules`.
"""

from __future__ import annotations

import re

from schema import EntityType

from .mentions import Mention
from .relation_findings import (
    RelationFinding,
    clause_bounds,
    coordinated_after,
    coordinated_before,
    finding,
)
from .relation_rules import alternation, by_trigger
from .sections import Sentence

_FRONTED_RULES = by_trigger("fronted")
_FRONTED_BASIS = re.compile(f"以([^,，。;；以]{{2,40}}?)为({alternation(_FRONTED_RULES)})")
_SITUATED_RULES = by_trigger("situated")
_SITUATED = re.compile(alternation(_SITUATED_RULES))
_PLACES = frozenset({EntityType.park, EntityType.incubator, EntityType.region})
# 入驻B的A, 落户B的A: the settled party follows the place it settled in
_SETTLED = by_trigger("modifier")
_SETTLED_IN = re.compile(alternation(_SETTLED))
# …B的科技型企业A: what may describe the settled party between 的 and its name
_DESCRIBED = re.compile(r"的(?:科技型|高新技术|初创|创新型|重点|龙头|硬科技|专精特新)?"
                        r"(?:企业|公司|团队|项目|机构)?")
# B新增入驻企业A: the residents of B, by role
_RESIDENT_RULES = by_trigger("resident")
_RESIDENT = re.compile(f"(?:今年|全年|年内|当年)?(?:新增|新|已|累计)?({alternation(_RESIDENT_RULES)})"
                       r"(?:的)?(?:科技型|高新技术|初创)?(?:企业|团队|项目|机构)")
# F向A、B投资, F向其追加投资: 向 names who receives the investment
_TOWARDS_RULES = by_trigger("towards")
_INVESTING = f"(?:进行|开展)?(?:战略|股权)?(?:追加|增加|新增)?({alternation(_TOWARDS_RULES)})"
_TOWARDS = re.compile(rf"[向对](其)?[^,，。;；向对]{{0,40}}?({_INVESTING})")
_COUNTED_INVESTEES = re.compile(r"等?[\dX一二三四五六七八九十几多]*(?:家|个)?(?:企业|公司|项目)?"
                                + _INVESTING)
# between the fund and 向: adverbs, perhaps after the comma ending the clause that named it
_ADVERBS = re.compile(r",?(?:已经?|将|还|也|首期|全年|年内|近日|累计|先后|共|再|今年以来|年初以来|"
                      r"今年|当天|当日|同日|"
                      r"宣布|拟|其中|于\d{1,2}月)*")
_INVESTORS = frozenset({EntityType.fund, EntityType.enterprise, EntityType.government})
# F全年投资42家企业,其中向B投资: the fund opening the clause before
_THEREOF = re.compile("其中|同时|并")
# 向孵化器内的B投资: a short modifier between 向 and the firm
_MODIFIER = re.compile(r"[\u4e00-\u9fff]{1,8}的")
# 双方将依托C: both sides of the partnership just read rest on C
_BOTH_SIDES_RULES = by_trigger("both-sides")
_BOTH_SIDES = re.compile(f"双方(?:将|还将|共同|拟)?({alternation(_BOTH_SIDES_RULES)})")


def _fronted_basis(text: str, sentence: Sentence, parties: list[Mention]
                   ) -> list[RelationFinding]:
    """以B为依托, …推进A: A, the first party named after the frame, rests on B."""
    found: list[RelationFinding] = []
    for frame in _FRONTED_BASIS.finditer(text, sentence.start, sentence.end):
        basis = [m for m in parties if (m.start, m.end) == frame.span(1)]
        later = [m for m in parties if m.start >= frame.end()
                 and text[m.start - 1:m.start] != "以"]  # not a second frame (以C为基础)
        if basis and later:
            found.append(finding(later[0], basis[0], _FRONTED_RULES[frame.group(2)],
                                 frame, sentence, text, 0.65, word=frame.group(2)))
    return found


def _situated(text: str, sentence: Sentence, parties: list[Mention]) -> list[RelationFinding]:
    """A…建设在B / A位于B: the clause's subject A is located in B, named right after."""
    found: list[RelationFinding] = []
    for trigger in _SITUATED.finditer(text, sentence.start, sentence.end):
        clause_start, clause_end = clause_bounds(text, trigger.start(), sentence)
        subject = [m for m in parties if clause_start <= m.start and m.end <= trigger.start()]
        place = [m for m in parties if m.start == trigger.end() and m.end <= clause_end
                 and m.type in _PLACES]
        if not subject and place and clause_start == trigger.start():
            # A,位于B,…: the clause before ends with A
            earlier = [m for m in parties if sentence.start <= m.start
                       and m.end == clause_start - 1]
            subject = earlier[-1:]
            clause_start = subject[0].start if subject else clause_start
        # the subject opens the clause (a word such as 即 may come first)
        if subject and place and subject[0].start - clause_start <= 2:
            found.append(finding(subject[0], place[0], _SITUATED_RULES[trigger.group(0)],
                                 trigger, sentence, text, 0.7))
    return found


def _settled_modifier(text: str, sentence: Sentence, parties: list[Mention]
                      ) -> list[RelationFinding]:
    """入驻B的A / 落户B的A / 位于B的科技型企业A、C: A (and those listed with it), named
    right after 的 and a short description, settled in the place B."""
    found: list[RelationFinding] = []
    starts = {m.start: m for m in parties}
    for trigger in _SETTLED_IN.finditer(text, sentence.start, sentence.end):
        place = starts.get(trigger.end())
        described = _DESCRIBED.match(text, place.end) if place is not None else None
        if place is None or place.type not in _PLACES or described is None:
            continue
        settled = starts.get(described.end())
        if settled is None:
            continue
        for party in coordinated_after(text, parties, settled):
            found.append(finding(party, place, _SETTLED[trigger.group(0)], trigger,
                                 sentence, text, 0.7))
    return found


def _residents(text: str, sentence: Sentence, parties: list[Mention]
               ) -> list[RelationFinding]:
    """B(新增)入驻企业A、C: the firms named after the role moved into the place B."""
    found: list[RelationFinding] = []
    ends = {m.end: m for m in parties}
    for trigger in _RESIDENT.finditer(text, sentence.start, sentence.end):
        place = ends.get(trigger.start())
        first = next((m for m in parties if m.start == trigger.end()), None)
        if place is None or place.type not in _PLACES or first is None:
            continue
        rule = _RESIDENT_RULES[trigger.group(1)]
        for party in coordinated_after(text, parties, first):
            found.append(finding(party, place, rule, trigger, sentence, text, 0.65,
                                 word=trigger.group(1)))
    return found


def _both_sides(text: str, sentence: Sentence, parties: list[Mention],
                partnerships: list[RelationFinding]) -> list[RelationFinding]:
    """A与B签约, 双方将依托C: A and B, the sentence's partners before 双方, rest on C."""
    found: list[RelationFinding] = []
    starts = {m.start: m for m in parties}
    for trigger in _BOTH_SIDES.finditer(text, sentence.start, sentence.end):
        basis = starts.get(trigger.end())
        pairs = [p for p in partnerships if p.end <= trigger.start()]
        if basis is None or not pairs:
            continue
        rule = _BOTH_SIDES_RULES[trigger.group(1)]
        for side in (pairs[-1].source, pairs[-1].target):
            found.append(finding(side, basis, rule, trigger, sentence, text, 0.65,
                                 word=trigger.group(1)))
    return found


def _invested_towards(text: str, sentence: Sentence, parties: list[Mention]
                      ) -> list[RelationFinding]:
    """F向A、B等5家企业投资 / F向其追加投资: the fund F invests in the firms named after 向,
    or in the last firm named before it (其)."""
    found: list[RelationFinding] = []
    for trigger in _TOWARDS.finditer(text, sentence.start, sentence.end):
        # right before 向 any investor (a group's holding company too); a clause before: a fund
        investor = next((m for m in reversed(parties) if m.end <= trigger.start()
                         and m.type in _INVESTORS
                         and _ADVERBS.fullmatch(text, m.end, trigger.start())), None)
        clause_start, _ = clause_bounds(text, trigger.start(), sentence)
        if investor is None and _THEREOF.fullmatch(text, clause_start, trigger.start()):
            last_start, _ = clause_bounds(text, clause_start - 1, sentence)
            investor = next((m for m in parties if last_start <= m.start <= last_start + 2
                             and m.type is EntityType.fund), None)
        if investor is None:
            continue
        if trigger.group(1):  # 其: the firm last named before the fund
            investee = next((m for m in reversed(parties) if m.end <= investor.start
                             and m.type is EntityType.enterprise), None)
            investees = [investee] if investee else []
        else:
            first = next((m for m in parties if m.start == trigger.start() + 1 or (  # after 向
                m.start > trigger.start() + 1
                and _MODIFIER.fullmatch(text, trigger.start() + 1, m.start))), None)
            group = coordinated_after(text, parties, first) if first else []
            counted = group and _COUNTED_INVESTEES.fullmatch(text, group[-1].end,
                                                             trigger.end(2))
            investees = group if counted or (group and group[-1].end == trigger.start(2)) \
                else []
        rule = _TOWARDS_RULES[trigger.group(3)]
        for investee in investees:
            found.append(finding(investor, investee, rule, trigger, sentence, text, 0.7,
                                 word=trigger.group(3)))
    return found


# X完成1.5亿元A轮融资,由A领投,B、C跟投: the firm that closed the round, and its investors
_ROUND = re.compile(r"(?:完成|获得)[^,，。;；]{0,40}?融资")
_ROUND_RULES = by_trigger("round")
_ROUND_ROLE = re.compile(alternation(_ROUND_RULES))
# after a party's name: the bracket declaring its short name (A(以下简称“X”)领投)
_DECLARED_AFTER = re.compile(r"(?:\((?:以下)?简称[^()]{1,16}\)|[”\"」]?\))?")
# between the firm and 完成…融资: adverbs and dates (X于近日宣布完成, X日前顺利完成), one
# flat alternation so that a long gap fails fast
_FIRM_GAP = re.compile(_DECLARED_AFTER.pattern + r",?(?:已经?|将|还|也|首期|全年|年内|近日|日前|"
                       r"近期|累计|先后|共|再次|再|又|今年|当天|当日|同日|宣布|拟|其中|正式|成功|"
                       r"顺利|于|(?:19|20)\d\d年|\d{1,2}月份?|\d{1,2}日)*")
# between the investors and their role: 等机构, 联合, 继续 (A和B联合领投, C等机构跟投)
_ROLE_GAP = re.compile(f"{_DECLARED_AFTER.pattern}"
                       r"(?:等(?:[\d一二三四五六七八九十几多]+家)?(?:知名)?"
                       r"(?:投资)?(?:机构|基金|股东|资本|投资方)?)?"
                       r"(?:联合|共同|继续|追加|参与|也|还|均|分别|亦)*")


def round_firm(text: str, sentence: Sentence, parties: list[Mention]
               ) -> tuple[Mention, int] | None:
    """The firm that closed a funding round in ``sentence`` (X完成…融资), and where the
    round's words end."""
    closed = _ROUND.search(text, sentence.start, sentence.end)
    if closed is None:
        return None
    firm = next((m for m in reversed(parties) if m.end <= closed.start()
                 and m.type is EntityType.enterprise
                 and _FIRM_GAP.fullmatch(text, m.end, closed.start())), None)
    if firm is None:
        return None
    named = [m for m in parties if m.end <= firm.start and firm.start - m.end <= 6
             and text[m.end:m.end + 1] == "("]
    # A(以下简称“X”): X is A; the roles may stand inside the round (完成由A领投的B轮融资)
    return (named[-1] if named else firm), closed.start()


def round_roles(text: str, sentence: Sentence, parties: list[Mention], firm: Mention,
                start: int) -> list[RelationFinding]:
    """由A领投, B、C跟投 after ``start`` in ``sentence``: A, B and C invest in ``firm``."""
    found: list[RelationFinding] = []
    for trigger in _ROUND_ROLE.finditer(text, start, sentence.end):
        clause_start, _ = clause_bounds(text, trigger.start(), sentence)
        before = [m for m in parties if clause_start <= m.start and m.end <= trigger.start()
                  and m.start >= start]
        if not before or not _ROLE_GAP.fullmatch(text, before[-1].end, trigger.start()):
            continue
        rule = _ROUND_RULES[trigger.group(0)]
        for investor in coordinated_before(text, before, before[-1].end):
            if investor.key != firm.key:
                found.append(finding(investor, firm, rule, trigger, sentence, text, 0.65))
    return found


def _round_investors(text: str, sentence: Sentence, parties: list[Mention]
                     ) -> list[RelationFinding]:
    """X完成…融资, 由A领投, B、C跟投: A, B and C invest in the firm X."""
    closed = round_firm(text, sentence, parties)
    return round_roles(text, sentence, parties, *closed) if closed else []


# X获得F3000万元投资, X获F战略投资: F invests in X, who received it
_RECEIVED_RULES = by_trigger("received")
_RECEIVED = re.compile(r"获得?")
_RECEIVED_GAP = re.compile(r"(?:的)?(?:[\d.,]+(?:多|余)?(?:万|亿)*(?:美)?元)?(?:的)?"
                           r"(?:战略|股权|天使|追加|首笔|新一轮)?"
                           f"({alternation(_RECEIVED_RULES)})")


def _received(text: str, sentence: Sentence, parties: list[Mention]) -> list[RelationFinding]:
    """X获得F3000万元投资: the investor F, named right after 获得, invests in X, the party
    right before it."""
    found: list[RelationFinding] = []
    ends = {m.end: m for m in parties}
    for got in _RECEIVED.finditer(text, sentence.start, sentence.end):
        investor = next((m for m in parties if m.start == got.end()), None)
        if investor is None:
            continue
        invested = _RECEIVED_GAP.match(text, investor.end)
        receiver = next((ends[e] for e in range(got.start(), max(sentence.start, got.start()
                                                                  - 12) - 1, -1)
                         if e in ends and _FIRM_GAP.fullmatch(text, e, got.start())), None)
        if invested is None or receiver is None or receiver.type is not EntityType.enterprise:
            continue
        found.append(finding(investor, receiver, _RECEIVED_RULES[invested.group(1)], invested,
                             sentence, text, 0.65, word=invested.group(1)))
    return found


# any word of the investment frames (towards, round, received)
_INVESTMENT_WORDS = re.compile(alternation({**_TOWARDS_RULES, **_ROUND_RULES, **_RECEIVED_RULES}))


def frame_relations(text: str, sentence: Sentence, parties: list[Mention],
                    partnerships: list[RelationFinding]) -> list[RelationFinding]:
    """Every framed shape in ``sentence`` (``partnerships``: those already read in it)."""
    if len(parties) < 2:
        return []  # every frame relates two parties of the sentence
    found = (_fronted_basis(text, sentence, parties) + _situated(text, sentence, parties)
             + _settled_modifier(text, sentence, parties) + _residents(text, sentence, parties)
             + _both_sides(text, sentence, parties, partnerships))
    if _INVESTMENT_WORDS.search(sentence.text):  # most sentences are done at this look
        found += (_invested_towards(text, sentence, parties)
                  + _round_investors(text, sentence, parties)
                  + _received(text, sentence, parties))
    return found
