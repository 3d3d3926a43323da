"""Partnerships: two or more parties and the word of the rule that joins them
(``partner``: A与B共建, A、B联合申报, A联合B、C开展技术合作, A与B、C分别签约), or a signing
whose object names another relation (``agreement``: A与B签署投资协议)."""

from __future__ import annotations

import re
from dataclasses import replace

from .mentions import Mention
from .relation_findings import (
    CONJ,
    K,
    RelationFinding,
    clause_bounds,
    coordinated_after,
    coordinated_before,
    finding,
)
from .relation_rules import alternation, by_trigger
from .relation_subjects import BETWEEN, earlier_subject
from .sections import Sentence

_PARTNER_RULES = by_trigger("partner")
_PARTNER = re.compile(alternation(_PARTNER_RULES))
# 签署投资协议: what is signed, right after the signing verb, may name another relation
_AGREEMENTS = by_trigger("agreement")
_AGREEMENT = re.compile(f"了?({alternation(_AGREEMENTS)})")
_BILATERAL = frozenset("和与同跟")
_PAIRED = frozenset("与同跟")
# …, 双方共建C / …, 共同开展技术合作: what opens a clause continuing the partnership before
_CONTINUES = re.compile(r"(?:双方|两者|二者)?(?:将|还将|还|并|也|共同|进一步|携手)*")
# A、B和C共同签署, A、B、C三方签署: the listed parties act together
_TOGETHER = re.compile(r"(?:共同|一起|联合|[双三四五六多各]方(?:共同|联合)?)(?:正式|现场)?")
_WITH = frozenset("与同跟")  # A与B…: B is the partner
# … but not in 会同 (acting together with, a verb outside the list) or 连同 (along with)
_NOT_WITH = frozenset({"会同", "连同", "共同", "协同", "如同", "等同"})


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
        return finding(source, target, deal, trigger, sentence, text, base,
                       word=signed.group(1))
    return finding(a, b, rule, trigger, sentence, text, base)


def partnerships(text: str, sentence: Sentence, parties: list[Mention]
                 ) -> list[RelationFinding]:
    """Every partnership (or signed agreement) among ``parties`` in ``sentence``."""
    found: list[RelationFinding] = []
    paired: dict[int, list[tuple[Mention, Mention]]] = {}  # by clause start
    for trigger in _PARTNER.finditer(text, sentence.start, sentence.end):
        if any(m.start <= trigger.start() and trigger.end() <= m.end for m in parties):
            continue  # a word of a name (协同创新中心, 合作区), not a verb
        clause_start, clause_end = clause_bounds(text, trigger.start(), sentence)
        inside = [m for m in parties if clause_start <= m.start and m.end <= clause_end]
        before = [m for m in inside if m.end <= trigger.start()]
        # A与B、C与D分别签署合作协议: each with its own partner, for every word of the clause
        pairs = paired.setdefault(clause_start, _pairs(text, before, trigger.start()))
        if pairs:
            found += [_agreement(a, b, trigger, sentence, text, 0.8) for a, b in pairs]
            continue
        # A、B共建 / A和B联合申报: coordinated subjects right before the trigger
        together = _TOGETHER.search(text, before[-1].end, trigger.start()) if before else None
        group = coordinated_before(text, before, together.start() if together and
                                   together.end() == trigger.start() else trigger.start())
        # A、B签约: each signed (with someone unnamed); A和B签署: they signed with each other,
        # and so did A、B和C共同签署 / A、B、C三方签署
        bilateral = (len(group) == 2 and text[group[0].end:group[1].start] in _BILATERAL) or \
            bool(together and together.end() == trigger.start() and len(group) >= 2)
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
            base = 0.85 if BETWEEN.fullmatch(between) else 0.7 if len(between) <= 4 else 0.0
            if base == 0.85 or (base and re.search(r"[与同跟]", between) is None):
                # A与B、C分别签约: A with each; A、B分别与C签约: each with C
                for side in coordinated_before(text, a_side, a.end):
                    for party in coordinated_after(text, before, b):
                        found.append(_agreement(side, party, trigger, sentence, text, base))
                break
        else:
            found += _withearlier_subject(text, sentence, parties, before, trigger, clause_start)
            found += _same_partners(text, found, before, trigger, sentence, clause_start)
    return found


def _same_partners(text: str, found: list[RelationFinding], before: list[Mention],
                   trigger: re.Match[str], sentence: Sentence, clause_start: int
                   ) -> list[RelationFinding]:
    """A与B签约, 双方共建C / A与B深化合作, 共建C: a clause opening with a partnership's
    verb continues the partnership just read, and names its kind."""
    if before or not found or found[-1].end > clause_start or \
            not _CONTINUES.fullmatch(text, clause_start, trigger.start()):
        return []
    # every partnership of the clause that read the last one (A与B、C分别签约, 共建D)
    last_clause, _ = clause_bounds(text, found[-1].end - 1, sentence)
    continued: dict[tuple[int, int], RelationFinding] = {}
    for last in found:
        if clause_bounds(text, last.end - 1, sentence)[0] != last_clause:
            continue
        again = _agreement(last.source, last.target, trigger, sentence, text, 0.7)
        # as sure as the partnership it continues, and still signed (A与B签约, 共建C)
        continued[(last.source.start, last.target.start)] = replace(
            again, status=again.status or last.status,
            confidence=max(again.confidence, last.confidence))
    return list(continued.values())


def _pairs(text: str, before: list[Mention], end: int) -> list[tuple[Mention, Mention]]:
    """A与B、C与D(分别) right before ``end``: two or more pairs, each joined by 与/和/同, the
    pairs by 、."""
    pairs: list[tuple[Mention, Mention]] = []
    i = len(before) - 1
    if i < 0 or not BETWEEN.fullmatch(text, before[i].end, end):
        return []
    while i >= 1 and text[before[i - 1].end:before[i].start] in _PAIRED:
        pairs.insert(0, (before[i - 1], before[i]))
        i -= 2
        if i < 1 or text[before[i].end:pairs[0][0].start] != "、":
            break
    return pairs if len(pairs) >= 2 else []


def _withearlier_subject(text: str, sentence: Sentence, parties: list[Mention],
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
    subject = earlier_subject(text, sentence, parties, clause_start, conj_at)
    if subject is None:
        return []
    return [_agreement(subject, party, trigger, sentence, text, 0.7)
            for party in coordinated_after(text, before, b)]


def party_groups(text: str, parties: list[Mention]) -> list[list[Mention]]:
    """``parties`` (in text order) in runs joined by 与/和/、 (A与B, A、B和C)."""
    groups: list[list[Mention]] = []
    for party in parties:
        if groups and party.start > groups[-1][-1].end and \
                text[groups[-1][-1].end:party.start] in CONJ:
            groups[-1].append(party)
        elif not groups or party.start >= groups[-1][-1].end:
            groups.append([party])
    return groups


def signed_together(text: str, sentence: Sentence, group: list[Mention], start: int
                    ) -> list[RelationFinding]:
    """A partnership among each pair of ``group`` read from the clause of ``sentence`` from
    ``start`` (双方将共建…, 三方签署了战略合作协议: the parties are named before): the most
    specific word of that clause names the kind."""
    _, clause_end = clause_bounds(text, start, sentence)
    triggers = list(_PARTNER.finditer(text, start, clause_end))
    if not triggers:
        return []
    specific = [t for t in triggers if _PARTNER_RULES[t.group(0)].kind not in (None, K.general)]
    trigger = (specific or triggers)[0]
    return [_agreement(a, b, trigger, sentence, text, 0.75)
            for i, a in enumerate(group) for b in group[i + 1:]]
