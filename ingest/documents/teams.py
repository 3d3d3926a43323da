"""Talent teams and their leaders.

Reports name a team by its leader and field (``李校堃院士再生医学与药物研究团队``), or
say who leads it (``瞿佳教授带领的视觉调控和眼再生研究团队``,
``欧阳钟灿院士和刘昌胜院士领衔的…研究团队``). A team's canonical name drops counts
(``X支``) and slashes, as the curated graph spells it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schema import EntityType

from .gazetteer import Gazetteer
from .mentions import Mention, canonical_form
from .patterns import GENERIC_PARTS, SURNAMES
from .relation_rules import alternation, rules_of
from .sections import Sentence
from .words import tagged

_TITLE = r"(?:院士|教授|研究员|博士)"
_FIELD = r"[\u4e00-\u9fffA-Za-z/]"
# leader + title, optionally a count, optionally a field, then 团队
_NAMED = re.compile(rf"({_TITLE})(?:[X\d一二三四五六七八九十]+支)?({_FIELD}{{0,20}}?)(?:创新)?团队")
# the team-leader rule's verbs (领衔, 带领, 牵头 …): 领衔的 + field + 团队
_LEADS = alternation(w for rule in rules_of("team-leader") for w in rule.triggers)
_LED = re.compile(rf"(?:{_LEADS})的({_FIELD}{{2,24}}?团队)")
#: how a leader is introduced: a title, or a post in the organisation they lead or work in
#: (the person-of-institution rule's words, relation_rules.py)
_LEADER_TITLE = f"(?:{alternation(w for rule in rules_of('person-of') for w in rule.triggers)})"
_LEADER_IN_CLAUSE = re.compile(f"({_LEADER_TITLE})")
# a leader who leads no team the sentence names: 中国科学院院士赵立群领衔 (title, name, verb)
# and 赵立群院士领衔 (name, title, verb)
_TITLED_THEN_NAME = re.compile(rf"{_LEADER_TITLE}([\u4e00-\u9fff]{{2,4}}?)(?:{_LEADS})")
_NAME_THEN_TITLE = re.compile(rf"({_LEADER_TITLE})(?:{_LEADS})")
# a person right after their institution and title (南昌大学教授王建华), or before the title
# (南昌大学王建华教授): the name is two or three characters, then no more of a word
_TITLE_AT = re.compile(_LEADER_TITLE)
_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}?(?=[,，。;；、(和与及等在说]|表示|介绍|指出|带领|领衔|担任|"
                   r"牵头|团队|院士|教授|研究员|博士|$)")
_NAME_TITLED = re.compile(rf"([\u4e00-\u9fff]{{2,3}}?){_TITLE}")
_APPOINTED = re.compile("担任|出任|兼任")
# a cheap first look: a title, a post or an appointment somewhere in the sentence
_ANY_TITLE = re.compile(f"{_LEADER_TITLE}|担任|出任|兼任")
_INSTITUTIONS = frozenset({EntityType.institute, EntityType.enterprise, EntityType.platform,
                           EntityType.government})
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_COUNT = re.compile(r"[X\d一二三四五六七八九十]+支")
_COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟",
                                "长孙", "夏侯", "公孙", "端木", "南宫", "宇文"})
# what ends an institution's name, never a person's (大学, 学院, 研究所)
_INSTITUTION_ENDS = frozenset("学院所司局厅委")
# a team named first, then its leader: X团队由某大学某某教授带领
_LED_BY = re.compile(rf"({_FIELD}{{4,24}}?团队)由([^,，。;；]{{2,24}}?)(?:{_LEADS})")
_TEAM_OPENERS = re.compile(r"的|引进|培育|组建|支持")
# a team no leader is named for: founded or brought in by field (布局智能计算系统研究团队)
_FOUNDED_TEAM = re.compile(rf"(?:布局|组建|引进|培育|新建)了?({_FIELD}{{4,12}}?(?:研究|创新|科研)团队)")
_NOT_A_FIELD = re.compile(r"人才|高层次|领军|青年|优秀|顶尖|创新创业|[\dX一二三四五六七八九十几多]")
_ANY_SURNAME = SURNAMES | _COMPOUND_SURNAMES
_NOT_FIELD = re.compile(rf"的|{_LEADS}|[和与及等]$|^[和与及等]")


@dataclass(frozen=True)
class TeamFinding:
    """A team mention and the person mentions of its leaders."""

    team: Mention
    leaders: tuple[Mention, ...]


def _person_before(text: str, end: int, floor: int, gazetteer: Gazetteer | None
                   ) -> Mention | None:
    """The person named right before ``end`` (a title follows it)."""
    if gazetteer is not None:
        for length in (4, 3, 2):
            start = end - length
            if start < floor:
                continue
            known = gazetteer.resolve(text[start:end], EntityType.person)
            if known is not None:
                return Mention(start, end, text[start:end], known.name, EntityType.person,
                               0.9, "leader", known)
    words = tagged(text[max(floor, end - 8):end])
    word = ""
    if words and words[-1][1] in {"nr", "nrfg", "nrt"} and 2 <= len(words[-1][0]) <= 4:
        word = words[-1][0]
        if len(words) > 1 and (words[-2][0] in _COMPOUND_SURNAMES  # 欧阳 + 钟灿
                                or (len(word) == 2 and words[-2][0] in SURNAMES)):  # 吴 + 光辉
            word = words[-2][0] + word
    else:  # jieba split the name (王/建宇) or took it for a place (钟南山): surname + 1–2
        for length in (3, 2):
            candidate = text[max(floor, end - length):end]
            if len(candidate) == length and candidate[0] in SURNAMES and _HAN.fullmatch(candidate):
                word = candidate
                break
        compound = text[max(floor, end - len(word) - 2):end - len(word)]
        if word and compound in _COMPOUND_SURNAMES and len(word) == 2:  # 欧阳 + 钟灿
            word = compound + word
    if not word or word[-1] in _INSTITUTION_ENDS:
        return None  # 农林大学教授林志远: 林大学 is the end of an institution, not a person
    return Mention(end - len(word), end, word, word, EntityType.person, 0.75, "leader")


def _person_after(text: str, start: int, end: int, gazetteer: Gazetteer | None
                  ) -> Mention | None:
    """The person named exactly in ``text[start:end]``, right after a title (教授林志远领衔)."""
    name = text[start:end]
    known = gazetteer.resolve(name, EntityType.person) if gazetteer is not None else None
    if known is not None:
        return Mention(start, end, name, known.name, EntityType.person, 0.9, "leader", known)
    surname = 2 if name[:2] in _COMPOUND_SURNAMES else 1
    if not (_HAN.fullmatch(name) and name[:surname] in _ANY_SURNAME
            and 1 <= len(name) - surname <= 2):
        return None
    return Mention(start, end, name, name, EntityType.person, 0.75, "leader")


def _team(text: str, start: int, end: int, canonical: str, leaders: tuple[Mention, ...],
          gazetteer: Gazetteer | None) -> TeamFinding:
    known = gazetteer.resolve(canonical, EntityType.talent_team) if gazetteer else None
    team = Mention(start, end, text[start:end], known.name if known else canonical,
                   EntityType.talent_team, 0.9 if known else 0.8, "team", known)
    return TeamFinding(team, leaders)


def _led_by(text: str, sentence: Sentence, gazetteer: Gazetteer | None,
            covered: list[tuple[int, int]]) -> list[TeamFinding]:
    """A team named first, then who leads it: ``低空经济装备研发团队由石铁大李明远教授带领``."""
    found = []
    for match in _LED_BY.finditer(text, sentence.start, sentence.end):
        team_start = match.start(1)
        for stop in _TEAM_OPENERS.finditer(text, match.start(1), match.end(1) - 2):
            team_start = stop.end()  # 引进的X团队: the team begins after 的
        titles = list(_LEADER_IN_CLAUSE.finditer(text, match.start(2), match.end(2)))
        if match.end(1) - team_start < 4 or not titles or \
                any(a < match.end(1) and team_start < b for a, b in covered):
            continue
        title = titles[-1]
        leader = (_person_after(text, title.end(), match.end(2), gazetteer)
                  or _person_before(text, title.start(), match.start(2), gazetteer))
        if leader is None:
            continue
        found.append(_team(text, team_start, match.end(1),
                           canonical_form(text[team_start:match.end(1)]), (leader,), gazetteer))
        covered.append((team_start, match.end(1)))
    return found


def sentence_teams(text: str, sentence: Sentence, gazetteer: Gazetteer | None
                   ) -> list[TeamFinding]:
    """Teams named in one sentence, with their leaders.

    >>> s = "引进瞿佳教授带领的视觉调控和眼再生研究团队。"
    >>> [(f.team.canonical, [p.text for p in f.leaders])
    ...  for f in sentence_teams(s, Sentence(0, len(s), "序", s), None)]
    [('视觉调控和眼再生研究团队', ['瞿佳'])]
    """
    if "团队" not in sentence.text:
        return []  # every shape below ends in 团队: most sentences are done here
    found: list[TeamFinding] = []
    covered: list[tuple[int, int]] = []
    for match in _LED.finditer(text, sentence.start, sentence.end):
        clause_start = max(text.rfind(c, sentence.start, match.start()) for c in ",;、") + 1
        clause_start = max(clause_start, sentence.start)
        titles = list(_LEADER_IN_CLAUSE.finditer(text, clause_start, match.start()))
        # 由江南大学教授周晓明领衔的…: the leader follows the last title
        after = titles and _person_after(text, titles[-1].end(), match.start(), gazetteer)
        leaders = (after,) if after else tuple(
            person for title in titles
            if (person := _person_before(text, title.start(), clause_start, gazetteer)))
        if not leaders:
            continue
        canonical = canonical_form(match.group(1).replace("/", ""))
        found.append(_team(text, match.start(1), match.end(1), canonical, leaders, gazetteer))
        covered.append((match.start(1), match.end(1)))
    found += _led_by(text, sentence, gazetteer, covered)
    for match in _NAMED.finditer(text, sentence.start, sentence.end):
        if any(a <= match.start() < b for a, b in covered) or _NOT_FIELD.search(match.group(2)):
            continue
        leader = _person_before(text, match.start(), sentence.start, gazetteer)
        field = match.group(2)
        if leader is None and 2 <= len(field) <= 4:  # 中国工程院院士张宏伟团队
            leader = _person_after(text, match.start(2), match.end(2), gazetteer)
            if leader is not None:
                found.append(_team(text, leader.start, match.end(),
                                   canonical_form(text[leader.start:match.end()]), (leader,),
                                   gazetteer))
            continue
        if leader is None:
            continue
        written = text[leader.start:match.end()]
        canonical = canonical_form(_COUNT.sub("", written.replace(leader.text, leader.canonical,
                                                                   1)).replace("/", ""))
        found.append(_team(text, leader.start, match.end(), canonical, (leader,), gazetteer))
        covered.append((leader.start, match.end()))
    for match in _FOUNDED_TEAM.finditer(text, sentence.start, sentence.end):
        field = match.group(1)[:-4]  # without (研究|创新|科研)团队
        if any(a < match.end(1) and match.start(1) < b for a, b in covered) or \
                _NOT_A_FIELD.search(field) or _NOT_FIELD.search(field) or \
                GENERIC_PARTS.match(field):
            continue  # 引进各类高水平创新团队: no field, no name
        found.append(_team(text, match.start(1), match.end(1), canonical_form(match.group(1)), (),
                           gazetteer))
    return found


def sentence_leaders(text: str, sentence: Sentence, gazetteer: Gazetteer | None,
                     taken: list[Mention]) -> list[Mention]:
    """People the sentence names without a team of theirs (``taken``: the mentions read
    already): introduced by a title or post right before a leading verb
    (``由中国科学院院士赵立群领衔``, ``首席科学家赵志强带领``), or by their institution and
    title (``南昌大学教授王建华``, ``南昌大学王建华教授``).

    >>> s = "该研究院由中国科学院院士赵立群领衔。"
    >>> [p.text for p in sentence_leaders(s, Sentence(0, len(s), "序", s), None, [])]
    ['赵立群']
    """
    if _ANY_TITLE.search(sentence.text) is None:
        return []  # every shape below has a title or post: most sentences are done here
    found: list[Mention] = []
    for match in _TITLED_THEN_NAME.finditer(text, sentence.start, sentence.end):
        person = _person_after(text, match.start(1), match.end(1), gazetteer)
        if person is not None:
            found.append(person)
    for match in _NAME_THEN_TITLE.finditer(text, sentence.start, sentence.end):
        clause_start = max(text.rfind(c, sentence.start, match.start()) for c in ",;、") + 1
        person = _person_before(text, match.start(1), max(clause_start, sentence.start),
                                gazetteer)
        if person is not None:
            found.append(person)
    # appointed to a post: 王建华担任南昌光电研究院院长 (the name right before the verb)
    for match in _APPOINTED.finditer(text, sentence.start, sentence.end):
        clause_start = max(text.rfind(c, sentence.start, match.start()) for c in ",;、") + 1
        person = _person_before(text, match.start(), max(clause_start, sentence.start),
                                gazetteer)
        if person is not None:
            found.append(person)
    # introduced by their institution: 南昌大学教授王建华, 南昌大学王建华教授
    for org in taken:
        if org.type not in _INSTITUTIONS:
            continue
        title = _TITLE_AT.match(text, org.end)
        if title is not None:
            name = _NAME.match(text, title.end())
            person = _person_after(text, name.start(), name.end(), gazetteer) if name else None
        else:
            titled = _NAME_TITLED.match(text, org.end)
            person = _person_after(text, org.end, titled.end(1), gazetteer) if titled else None
        if person is not None:
            found.append(person)
    kept: list[Mention] = []
    for person in found:
        if not any(m.start < person.end and person.start < m.end for m in [*taken, *kept]):
            kept.append(person)
    return kept
