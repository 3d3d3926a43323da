"""Relations of the people a sentence names (the leaders :mod:`.teams` found): the
institution that introduces them (``person-of``) and what they lead (``person-leads``).

A leader is often named twice: in the team's name and again with their institution and
title (``引进孟庆林院士团队,中国工程院院士孟庆林领衔…``). Each occurrence of a person's name in
the sentence counts, as the same person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from schema import EntityType, RelationType
from schema.rules import ORGANISATIONS

from .mentions import Mention
from .relation_findings import RelationFinding
from .relation_rules import alternation, by_trigger, rules_of
from .sections import Sentence

_PERSON_OF = rules_of("person-of")
_TITLES = alternation(w for rule in _PERSON_OF for w in rule.triggers)
_TITLE_BEFORE = re.compile(f"(?:{_TITLES})$")
_JOINED = re.compile(f"(?:{_TITLES})?[和、及与]")
_LONGEST_TITLE = max(len(w) for rule in _PERSON_OF for w in rule.triggers)
_LEADS = by_trigger("person-leads")
_LED_BY = by_trigger("led-by")
# 王建华担任南昌光电研究院院长: the post (a rule's trigger) names the relation
_POSTS = by_trigger("post")
_APPOINTED = re.compile("(?:担任|出任|兼任)")
_POST = re.compile(f"的?({alternation(_POSTS)})")
# 由中国科学院院士赵立群领衔: 由, then who introduces the person, right before them
_BY = re.compile(r"由[^,，。;；由]{0,24}$")
# after the verb: nothing more of the clause (由…领衔,) or what is done (领衔建设)
_LED_END = re.compile(r"(?:成立|组建|建设|筹建|创建|打造)?(?:[,，。;；]|$)")
# 孟庆林领衔成立X / 刘国平带领组建X: the founding verb between the leader and what they lead
_LEADS_WHAT = re.compile(f"(?:{_TITLES})?({alternation(_LEADS)})(?:成立|组建|建设|筹建|创建)?")
_LED_TYPES = frozenset({EntityType.institute, EntityType.platform, EntityType.enterprise,
                        EntityType.incubator})
# what may stand before the sentence's first party: a date or a source (近日, 据介绍,)
_OPENS = re.compile(r"(?:近日|日前|目前|今年|据(?:了解|介绍|悉)|\d{1,2}月(?:\d{1,2}日)?|[,，])*")


def _occurrences(text: str, sentence: Sentence, person: Mention) -> Iterator[tuple[int, int]]:
    """Where ``person``'s name stands in ``sentence``: its mention, then any repeat."""
    yield person.start, person.end
    start = text.find(person.text, sentence.start)
    while 0 <= start < sentence.end:
        if start != person.start:
            yield start, start + len(person.text)
        start = text.find(person.text, start + 1)


def _people(mentions: list[Mention]) -> list[Mention]:
    """One mention per person named in the sentence (the first), in text order."""
    first: dict[str, Mention] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.type is EntityType.person:
            first.setdefault(mention.text, mention)
    return list(first.values())


def person_relations(text: str, sentence: Sentence, mentions: list[Mention]
                     ) -> list[RelationFinding]:
    """``affiliated_with`` (中国工程院李校堃院士, 江南大学教授周晓明, and a person joined to
    them: 中国科学院欧阳钟灿院士和刘昌胜院士) and ``leads`` (孟庆林领衔成立X) of the
    sentence's people."""
    orgs = [m for m in mentions if m.type in ORGANISATIONS]
    ending = {m.end: m for m in orgs}
    starting = {m.start: m for m in orgs}
    found: list[RelationFinding] = []
    affiliated: set[tuple[str, tuple[str, str]]] = set()
    previous: tuple[int, Mention] | None = None  # where the last person ended, their org
    for person in _people(mentions):
        for start, end in _occurrences(text, sentence, person):
            title = _TITLE_BEFORE.search(text, max(0, start - _LONGEST_TITLE), start)
            org = ending.get(start) or (ending.get(title.start()) if title else None)
            if org is None and previous and _JOINED.fullmatch(text, previous[0], start):
                org = previous[1]
            if org is not None and (person.text, org.key) not in affiliated:
                affiliated.add((person.text, org.key))
                found.append(RelationFinding(person, org, RelationType.affiliated_with, None,
                                             None, None, "", min(org.start, start), end, 0.7,
                                             _PERSON_OF[0].name))
                previous = (end, org)
            led = _LEADS_WHAT.match(text, end)
            target = starting.get(led.end()) if led else None
            if led and target is not None:
                rule = _LEADS[led.group(1)]
                found.append(RelationFinding(person, target, rule.relation, None, None, None,
                                             led.group(1), start, target.end, 0.7, rule.name))
            elif led:
                found += _led_by(text, sentence, orgs, person, start, led)
            found += _post(text, starting, person, start, end)
    return found


def _post(text: str, starting: dict[int, Mention], person: Mention, start: int, end: int
          ) -> list[RelationFinding]:
    """王建华担任南昌光电研究院院长: the post after the organisation names the relation
    (院长 leads, 首席科学家 belongs to)."""
    appointed = _APPOINTED.match(text, end)
    org = starting.get(appointed.end()) if appointed else None
    post = _POST.match(text, org.end) if org is not None else None
    if org is None or post is None:
        return []
    rule = _POSTS[post.group(1)]
    return [RelationFinding(person, org, rule.relation, None, None, None, post.group(1), start,
                            post.end(), 0.65, rule.name)]


def _led_by(text: str, sentence: Sentence, orgs: list[Mention], person: Mention, start: int,
            led: re.Match[str]) -> list[RelationFinding]:
    """X…, 由中国科学院院士赵立群领衔: the person leads X, the party the sentence opens with
    (a talent team is read with the teams, :mod:`.teams`)."""
    word = led.group(1)
    by = _BY.search(text, sentence.start, start) if word in _LED_BY else None
    if by is None or not _LED_END.match(text, led.end(1)):
        return []
    before = [m for m in orgs if m.end <= by.start()]
    subject = before[0] if before and before[0].type in _LED_TYPES else None
    if subject is None or not _OPENS.fullmatch(text, sentence.start, subject.start):
        return []
    rule = _LED_BY[word]
    return [RelationFinding(person, subject, rule.relation, None, None, None, word,
                            subject.start, led.end(1), 0.65, rule.name)]
