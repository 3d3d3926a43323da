"""A relation read from one sentence, and what every relation shape needs to build one:
the clause around a trigger, the partnership's kind, status and year, and coordinated
parties (A、B和C)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from schema import PartnershipKind, PartnershipStatus, RelationType

from .mentions import Mention
from .relation_rules import RelationRule
from .sections import Sentence

K, S, R = PartnershipKind, PartnershipStatus, RelationType
_STATUS: tuple[tuple[re.Pattern[str], PartnershipStatus], ...] = (
    (re.compile("投产|下线"), S.producing),
    (re.compile("运营|投用|投入使用|运行|开园|启用"), S.operating),
    (re.compile("落地|落户|揭牌|入驻"), S.landed),
    (re.compile("启动建设|加快建设|开工|建设中|推进|筹建"), S.building),
    (re.compile("签约|签订|签署|协议"), S.signed),
)
_YEAR = re.compile(r"(?<!\d)(20\d\d|19\d\d)年")
#: what a general partnership's verb is followed by, naming its kind (签订产学研合作协议)
_SIGNED_KINDS = {"产学研合作": K.technical, "技术合作": K.technical, "校地合作": K.campus_local,
                 "共建": K.co_build, "合作共建": K.co_build, "联合申报": K.joint_application}
_SIGNED_KIND = re.compile("了?(?:[\u4e00-\u9fff]{0,2}?)("
                          + "|".join(sorted(_SIGNED_KINDS, key=len, reverse=True)) + ")")
#: one character joining coordinated parties
CONJ = frozenset("与和同跟及、")
_CLAUSE = re.compile(r"[,，;；。:：!?]")


@dataclass(frozen=True)
class RelationFinding:
    """A relation read from one sentence; ``start``/``end`` span its evidence."""

    source: Mention
    target: Mention
    type: RelationType
    kind: PartnershipKind | None
    status: PartnershipStatus | None
    year: int | None
    trigger: str
    start: int
    end: int
    confidence: float
    #: the name of the rule that read it (:mod:`.relation_rules`), so a reviewer sees why
    rule: str = ""


def clause_bounds(text: str, position: int, sentence: Sentence) -> tuple[int, int]:
    """The clause of ``sentence`` around ``position`` (between commas, colons …)."""
    start = sentence.start
    for match in _CLAUSE.finditer(text, sentence.start, position):
        start = match.end()
    following = _CLAUSE.search(text, position, sentence.end)
    return start, following.start() if following else sentence.end


def _status(text: str, start: int, end: int) -> PartnershipStatus | None:
    for pattern, status in _STATUS:
        if pattern.search(text, start, end):
            return status
    return None


def _year(sentence: Sentence) -> int | None:
    match = _YEAR.search(sentence.text)
    return int(match.group(1)) if match else None


def finding(source: Mention, target: Mention, rule: RelationRule, trigger: re.Match[str],
            sentence: Sentence, text: str, base: float, word: str | None = None
            ) -> RelationFinding:
    """The relation ``rule`` reads from ``trigger`` between ``source`` and ``target``;
    ``word``: the trigger word when the match spans more (以B为依托 → 依托). A partnership
    takes its rule's kind (a plain 合作 or 签约 near 战略 is strategic)."""
    relation = rule.relation
    start = min(source.start, target.start, trigger.start())
    end = max(source.end, target.end, trigger.end())
    word = word or trigger.group(0)
    status = None
    if relation is not R.partnership:
        kind = None
    else:
        kind = rule.kind or K.general
        if kind is K.general and "战略" in text[start:end + 4]:
            kind = K.strategic
        status = _status(text, *clause_bounds(text, trigger.start(), sentence))
    confidence = base * (0.6 + 0.4 * min(source.confidence, target.confidence))
    return RelationFinding(source, target, relation, kind, status,
                           _year(sentence) if relation is R.partnership else None,
                           word, start, end, round(confidence, 3), rule.name)


def signed_kind(text: str, found: RelationFinding) -> RelationFinding:
    """A general partnership whose verb is followed by what names its kind (A和B签订产学研
    合作协议: 技术合作), when no rule of that kind read the pair."""
    if found.kind is not K.general:
        return found
    named = _SIGNED_KIND.match(text, found.end)
    return replace(found, kind=_SIGNED_KINDS[named.group(1)]) if named else found


def coordinated_before(text: str, parties: list[Mention], end: int) -> list[Mention]:
    """The mentions joined by 与/和/、 that end right before ``end`` (the trigger)."""
    group: list[Mention] = []
    position = end
    for mention in reversed(parties):
        gap = text[mention.end:position]
        if (group and mention.end + 1 == group[0].start and text[mention.end] == "("
                and text[group[0].end:group[0].end + 1] == ")"):
            group[0] = mention  # A(短名)、B: the short name in brackets is A itself
            position = mention.start
            continue
        if mention.end > position or (group and gap.lstrip(")") not in CONJ) or (
                not group and gap):
            break
        group.insert(0, mention)
        position = mention.start
    return group


def coordinated_after(text: str, parties: list[Mention], first: Mention) -> list[Mention]:
    """``first`` and the mentions joined to it by 、/和/及 after it (依托B、C建设)."""
    group = [first]
    for mention in parties:
        if mention.start > group[-1].end and text[group[-1].end:mention.start] in ("、", "和",
                                                                                "及"):
            group.append(mention)
        elif mention.start > group[-1].end:
            break
    return group
