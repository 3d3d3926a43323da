"""Relations between the mentions of one sentence: 共建, 签约 / 战略合作, 联合申报 and other
partnerships, 入驻, 依托, 投资, 落户, with the partnership's status and year.

Only shapes that name both sides are read (``A与B签订战略合作协议``, ``A、B共建…``,
``A依托B``, ``依托B建设A``, ``A入驻B``); a sentence whose actor is left implicit
(``与华中科技大学启动新一轮校地合作``) yields nothing rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schema import EntityType, PartnershipKind, PartnershipStatus, RelationType
from schema.rules import ORGANISATIONS

from .mentions import Mention
from .sections import Sentence

K, S, R = PartnershipKind, PartnershipStatus, RelationType
# trigger → partnership kind (longest first)
_PARTNER_KINDS: dict[str, PartnershipKind] = {
    "战略合作": K.strategic, "联合申报": K.joint_application, "合作申报": K.joint_application,
    "共同申报": K.joint_application, "校地合作": K.campus_local, "技术合作": K.technical,
    "产学研合作": K.technical, "创新联合体": K.innovation_consortium, "共建": K.co_build,
    "合作共建": K.co_build, "签约": K.general, "签订": K.general, "签署": K.general,
    "合作": K.general, "携手": K.general, "共同建设": K.co_build, "协同发展": K.general,
}
_SIGNING = frozenset({"签约", "签订", "签署"})
_PARTNER = re.compile("|".join(sorted(_PARTNER_KINDS, key=len, reverse=True)))
_DIRECTED = {"入驻": R.incubated_at, "依托": R.affiliated_with, "投资": R.invests_in,
             "落户": R.located_in, "落地": R.located_in}
_DIRECTED_TRIGGER = re.compile("入驻|依托|投资|落户|落地")
_PLACED = frozenset({R.located_in, R.incubated_at})
_BETWEEN = ("", "已", "将", "正式", "已经")
_STATUS: tuple[tuple[re.Pattern[str], PartnershipStatus], ...] = (
    (re.compile("投产|下线"), S.producing),
    (re.compile("运营|投用|投入使用|运行|开园|启用"), S.operating),
    (re.compile("落地|落户|揭牌|入驻"), S.landed),
    (re.compile("启动建设|加快建设|开工|建设中|推进|筹建"), S.building),
    (re.compile("签约|签订|签署|协议"), S.signed),
)
_YEAR = re.compile(r"(?<!\d)(20\d\d|19\d\d)年")
_CONJ = frozenset("与和同跟及、")  # one character joining coordinated parties
_COUNTED = re.compile(r"等?[\dX一二三四五六七八九十几多]+(?:家|个)(?:企业|单位|公司|项目)?")
_BILATERAL = frozenset("和与同跟")
_WITH = frozenset("与同跟")  # A与B…: B is the partner
_JOINED = re.compile(r"(?:院士|教授|研究员|博士)?[和、及与]")
_CLAUSE = re.compile(r"[,，;；。:：!?]")
_PARTY_TYPES = ORGANISATIONS
_PLACES = frozenset({EntityType.park, EntityType.incubator, EntityType.region})


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


def _clause_bounds(text: str, position: int, sentence: Sentence) -> tuple[int, int]:
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


def _finding(source: Mention, target: Mention, relation: RelationType, trigger: re.Match[str],
             sentence: Sentence, text: str, base: float) -> RelationFinding:
    start = min(source.start, target.start, trigger.start())
    end = max(source.end, target.end, trigger.end())
    kind = status = None
    if relation is R.partnership:
        kind = _PARTNER_KINDS[trigger.group(0)]
        if kind is K.general and "战略" in text[start:end + 4]:
            kind = K.strategic
        status = _status(text, *_clause_bounds(text, trigger.start(), sentence))
    confidence = base * (0.6 + 0.4 * min(source.confidence, target.confidence))
    return RelationFinding(source, target, relation, kind, status,
                           _year(sentence) if relation is R.partnership else None,
                           trigger.group(0), start, end, round(confidence, 3))


def _coordinated(text: str, parties: list[Mention], end: int) -> list[Mention]:
    """The mentions joined by 与/和/、 that end right before ``end`` (the trigger)."""
    group: list[Mention] = []
    position = end
    for mention in reversed(parties):
        gap = text[mention.end:position]
        if mention.end > position or (group and gap not in _CONJ) or (not group and gap):
            break
        group.insert(0, mention)
        position = mention.start
    return group


def _partnerships(text: str, sentence: Sentence, parties: list[Mention]
                  ) -> list[RelationFinding]:
    found: list[RelationFinding] = []
    for trigger in _PARTNER.finditer(text, sentence.start, sentence.end):
        clause_start, clause_end = _clause_bounds(text, trigger.start(), sentence)
        inside = [m for m in parties if clause_start <= m.start and m.end <= clause_end]
        before = [m for m in inside if m.end <= trigger.start()]
        # A、B共建 / A和B联合申报: coordinated subjects right before the trigger
        group = _coordinated(text, before, trigger.start())
        # A、B签约: each signed (with someone unnamed); A和B签署: they signed with each other
        bilateral = len(group) == 2 and text[group[0].end:group[1].start] in _BILATERAL
        if len(group) >= 2 and (trigger.group(0) not in _SIGNING or bilateral):
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    found.append(_finding(a, b, R.partnership, trigger, sentence, text, 0.8))
            continue
        # A与B…签订/合作: B follows a 与 that a mention A precedes in the same clause
        for b in before:
            conj = text[b.start - 1:b.start] if b.start > clause_start else ""
            a_side = [m for m in before if m.end < b.start]
            if conj not in _WITH or not a_side:
                continue
            a = a_side[-1]
            between = text[a.end:b.start - 1]
            base = 0.85 if not between else 0.7 if len(between) <= 4 else 0.0
            if base and re.search(r"[与同跟]", between) is None:
                found.append(_finding(a, b, R.partnership, trigger, sentence, text, base))
                break
    return found


def _directed(text: str, sentence: Sentence, parties: list[Mention]) -> list[RelationFinding]:
    found: list[RelationFinding] = []
    for trigger in _DIRECTED_TRIGGER.finditer(text, sentence.start, sentence.end):
        relation = _DIRECTED[trigger.group(0)]
        clause_start, clause_end = _clause_bounds(text, trigger.start(), sentence)
        inside = [m for m in parties if clause_start <= m.start and m.end <= clause_end]
        before = [m for m in inside if m.end <= trigger.start()]
        after = [m for m in inside if m.start >= trigger.end()]
        if (relation in _PLACED and before and text[before[-1].end:trigger.start()] == ""
                and text[before[-1].start - 1:before[-1].start] == "在"):
            place = before[-1]
            if len(before) >= 2 and text[before[-2].end:place.start] == "在":
                # A在B落户 / A在B落地: B is where A settles
                found.append(_finding(before[-2], place, relation, trigger, sentence, text, 0.75))
            elif len(before) == 1 and place.start - 1 == clause_start > sentence.start:
                # 引进…团队,在B落户: the subject ends the clause before
                earlier = [m for m in parties if sentence.start <= m.start
                           and m.end >= clause_start - 1 and m.end < clause_start]
                if earlier:
                    found.append(_finding(earlier[-1], place, relation, trigger, sentence, text,
                                          0.7))
            continue
        if not after or trigger.group(0) == "落地":  # 落地 alone is a status, not a place
            continue
        adjacent = bool(before) and text[before[-1].end:trigger.start()] in _BETWEEN
        if not before and not text[clause_start:trigger.start()] and clause_start > sentence.start:
            # 引进…团队,落户B: the clause opens with the trigger; its subject ends the last one
            earlier = [m for m in parties if sentence.start <= m.start and m.end < clause_start]
            before = earlier[-1:] if earlier and earlier[-1].end >= clause_start - 1 else []
            adjacent = bool(before)
        target = after[0]
        if relation is R.affiliated_with and not before and len(after) > 1:
            # 依托B建设A: the thing built on B comes after it
            found.append(_finding(after[1], target, relation, trigger, sentence, text, 0.7))
        elif adjacent:
            found.append(_finding(before[-1], target, relation, trigger, sentence, text, 0.75))
        elif before and _COUNTED.fullmatch(text, before[-1].end, trigger.start()):
            # A、B等12家企业入驻C: every listed party
            for party in _coordinated(text, before, before[-1].end):
                found.append(_finding(party, target, relation, trigger, sentence, text, 0.7))
    return found


_FRONTED_BASIS = re.compile("以([^,，。;；以]{2,40}?)为依托")
_SITUATED = re.compile("(?:布局)?建设在|布局在|坐落在|坐落于|位于|选址在|选址于")


def _fronted_basis(text: str, sentence: Sentence, parties: list[Mention]
                   ) -> list[RelationFinding]:
    """以B为依托, …推进A: A, the first party named after the frame, rests on B."""
    found: list[RelationFinding] = []
    for frame in _FRONTED_BASIS.finditer(text, sentence.start, sentence.end):
        basis = [m for m in parties if (m.start, m.end) == frame.span(1)]
        later = [m for m in parties if m.start >= frame.end()
                 and text[m.start - 1:m.start] != "以"]  # not a second frame (以C为基础)
        if basis and later:
            found.append(_finding(later[0], basis[0], R.affiliated_with, frame, sentence, text,
                                  0.65))
    return found


def _situated(text: str, sentence: Sentence, parties: list[Mention]) -> list[RelationFinding]:
    """A…建设在B / A位于B: the clause's subject A is located in B, named right after."""
    found: list[RelationFinding] = []
    for trigger in _SITUATED.finditer(text, sentence.start, sentence.end):
        clause_start, clause_end = _clause_bounds(text, trigger.start(), sentence)
        subject = [m for m in parties if clause_start <= m.start and m.end <= trigger.start()]
        place = [m for m in parties if m.start == trigger.end() and m.end <= clause_end
                 and m.type in _PLACES]
        # the subject opens the clause (a word such as 即 may come first)
        if subject and place and subject[0].start - clause_start <= 2:
            found.append(_finding(subject[0], place[0], R.located_in, trigger, sentence, text,
                                  0.7))
    return found


def _affiliations(text: str, mentions: list[Mention]) -> list[RelationFinding]:
    """A person introduced by their institution (中国工程院李校堃院士) belongs to it, and so
    does a person joined to them (中国科学院欧阳钟灿院士和刘昌胜院士)."""
    orgs = {m.end: m for m in mentions if m.type in _PARTY_TYPES}
    found: list[RelationFinding] = []
    previous: tuple[Mention, Mention] | None = None  # last person and their organisation
    for person in sorted((m for m in mentions if m.type is EntityType.person),
                         key=lambda m: m.start):
        org = orgs.get(person.start)
        if org is None and previous and _JOINED.fullmatch(text, previous[0].end, person.start):
            org = previous[1]
        if org is not None:
            found.append(RelationFinding(person, org, R.affiliated_with, None, None, None, "",
                                         min(org.start, person.start), person.end, 0.7))
            previous = (person, org)
    return found


def _dedupe(findings: list[RelationFinding]) -> list[RelationFinding]:
    """One finding per (source, type, target) in a sentence: the most specific kind."""
    best: dict[tuple[int, RelationType, int], RelationFinding] = {}
    for finding in findings:
        key = (finding.source.start, finding.type, finding.target.start)
        earlier = best.get(key)
        if earlier is None or (earlier.kind is K.general and finding.kind not in (None,
                                                                                  K.general)):
            best[key] = finding
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
    parties = [m for m in mentions if m.type in _PARTY_TYPES]
    found = _partnerships(text, sentence, parties) + _directed(text, sentence, parties)
    found += _fronted_basis(text, sentence, parties) + _situated(text, sentence, parties)
    return _dedupe(found) + _affiliations(text, mentions)
