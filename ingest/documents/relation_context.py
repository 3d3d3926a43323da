"""Relations across sentences: a sentence whose party is named in a sentence before it.

Reports and news name an organisation once and then refer to it (``X研究院于3月揭牌。该研究院
依托Y建设``, ``X完成B轮融资。本轮融资由A领投``, ``A与B举行签约仪式。双方将共建C``). The
sentence-level shapes (:mod:`.relations`) cannot see the earlier sentence; this pass, run over
the whole document after them, resolves such a reference to the organisation it names, within
a bounded window: at most :data:`WINDOW` sentences back, in the same section, and in the same
paragraph or (for a reference that ``crosses_paragraph``) the one before.

How a reference is read is data, one named entry of :data:`REFERENCES` per kind of reference,
each with example sentences (``tests/documents/test_relation_context.py`` turns every example
into a test case). A reference stands where the sentence's party would: at the start of a
clause, with nothing but an opener (``据介绍,``, ``目前``) and no organisation before it in
its sentence (a reference to an organisation of the same sentence is read there,
:func:`.relation_subjects.earlier_subject`); ``该…`` may also be an object. It names the
topic of the sentences before (their subject, or what their own reference named), else the
last organisation of its kind. The sentence is then read again by the
sentence-level shapes with the reference standing in for the organisation, and what is read
about the reference becomes a relation of the organisation itself: its ``rule`` is the shape's
rule and the reference's (``rests-on+this-kind``), its evidence and sentence run from the
earlier sentence to the trigger, so the review queue quotes both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from schema import EntityType
from schema.rules import ORGANISATIONS

from .mentions import Mention
from .relation_findings import RelationFinding, clause_bounds
from .relation_frames import round_firm, round_roles
from .relation_partners import party_groups, signed_together
from .relation_rules import Example
from .sections import Sentence

E = EntityType
#: how many sentences back a reference may reach
WINDOW = 2
#: the sentence-level relation reader (:func:`.relations.sentence_relations`)
Reader = Callable[[str, Sentence, list[Mention]], list[RelationFinding]]

#: a kind word → the types of organisation it refers to (该研究院, 该公司, 该中心 …)
KIND_WORDS: dict[str, frozenset[EntityType]] = {
    "研究院": frozenset({E.institute}), "研究所": frozenset({E.institute}),
    "实验室": frozenset({E.institute}), "学院": frozenset({E.institute}),
    "大学": frozenset({E.institute}), "高校": frozenset({E.institute}),
    "中心": frozenset({E.institute, E.platform, E.incubator}),
    "平台": frozenset({E.platform}), "联盟": frozenset({E.platform}),
    "公司": frozenset({E.enterprise}), "企业": frozenset({E.enterprise}),
    "集团": frozenset({E.enterprise}), "基金": frozenset({E.fund}),
    "团队": frozenset({E.talent_team}), "孵化器": frozenset({E.incubator}),
    "园区": frozenset({E.park, E.incubator}), "产业园": frozenset({E.park, E.incubator}),
    "机构": ORGANISATIONS - {E.park, E.region, E.government},
    # after 该 only: alone, one character is no subject (该所, 该院, 该校)
    "所": frozenset({E.institute}), "院": frozenset({E.institute}),
    "校": frozenset({E.institute}),
}
_KIND = "|".join(sorted(KIND_WORDS, key=len, reverse=True))
# alone, only the words that name one organisation (企业, 高校, 机构 are often all of them)
_BARE_KIND = "研究院|研究所|实验室|中心|平台|公司|集团|基金|团队|孵化器"
# what may open a clause before its subject: a source, a time, a connective (one flat
# alternation, so that a long clause fails fast)
_OPENER = re.compile(r"(?:据(?:了解|介绍|悉)|目前|同时|此外|另外|其中|随后|今年|去年|近日|日前|"
                     r"当天|当日|同日|会上|现场|[\d一二三四五六七八九十]+月(?:份)?|"
                     r"[\d一二三四五六七八九十]+日|(?:19|20)\d\d年|[,，])*")
_CLAUSE_END = re.compile(r"[,，;；:：]")
# what the reference is followed by when it is a clause's subject: an adverb, then a verb
_ADVERB = r"(?:将|还|也|已经?|正式|随即|主要|今年|去年|近日|日前|\d{1,2}月份?)*"
_ACTS = (f"(?={_ADVERB}(?:(?:总部|研发总部|研发中心|生产基地|基地|工厂|分部)[及和、]?)*{_ADVERB}"
         r"(?:与|同|和|携手|联合|依托|落户|入驻|投资|在|于|由|位于|签|共建|合作))")


@dataclass(frozen=True)
class Reference:
    """One way of referring to an organisation named before: ``pattern`` matches the
    reference (group ``kind``: a kind word of :data:`KIND_WORDS`; none: any organisation);
    ``subject_first``: only an earlier sentence's subject is named, never the last
    organisation of the kind (``其`` names the topic); ``anywhere``: the reference may stand
    anywhere in its sentence (``与该研究院签署``), not only as its subject, as long as no
    organisation of its kind comes before it."""

    name: str
    pattern: re.Pattern[str]
    description: str
    examples: tuple[Example, ...]
    subject_first: bool = False
    anywhere: bool = False
    #: the reference may reach into the paragraph before (news open a paragraph with 该研究院)
    crosses_paragraph: bool = False


def _ex(text: str, *expect: tuple[str, ...], absent: tuple[tuple[str, str, str], ...] = ()
        ) -> Example:
    return Example(text, expect, absent)


P = "partnership"

REFERENCES: tuple[Reference, ...] = (
    Reference("this-kind", re.compile(f"(?:该|本|这家|这个|此)(?P<kind>{_KIND})"),
              "该研究院 / 该公司 / 该中心 …: the topic of that kind (a sentence's subject, or what "
              "its reference named), else the nearest organisation of that kind",
              (_ex("长春光谷研究院于3月揭牌成立。该研究院依托吉林大学建设,首期引进团队5支。",
                   ("长春光谷研究院", "affiliated_with", "吉林大学")),
               _ex("吉林光电有限公司是本地的龙头企业。该公司与吉林大学签署战略合作协议。",
                   ("吉林光电有限公司", P, "吉林大学", "战略合作")),
               _ex("沈阳材料研究院与东北大学共建联合实验室。今年,该研究院还入驻沈阳浑南科技城。",
                   ("沈阳材料研究院", "incubated_at", "沈阳浑南科技城"),
                   absent=(("东北大学", "incubated_at", "沈阳浑南科技城"),)),
               _ex("徐州云帆科技有限公司近日完成2亿元B轮融资。本轮融资由徐州产业投资基金领投,"
                   "江苏高投创业投资有限公司跟投。该公司与江苏师范大学签署战略合作协议。",
                   ("徐州云帆科技有限公司", P, "江苏师范大学", "战略合作"),
                   absent=(("江苏高投创业投资有限公司", P, "江苏师范大学"),)),
               _ex("鞍山材料研究院于5月揭牌。鞍山钢铁集团有限公司与该院签署战略合作协议。",
                   ("鞍山钢铁集团有限公司", P, "鞍山材料研究院", "战略合作")),
               _ex("【丹东光电研究院揭牌】\n丹东光电研究院于3月揭牌成立。\n"
                   "该研究院依托辽东学院建设,首期引进团队5支。",
                   ("丹东光电研究院", "affiliated_with", "辽东学院"))),
              anywhere=True, crosses_paragraph=True),
    Reference("bare-kind", re.compile(f"(?P<kind>{_BARE_KIND}){_ACTS}"),
              "a kind word alone as the subject (研究院将落户B): the nearest of that kind",
              (_ex("成都高新区管委会与电子科技大学签约,双方将共建成都集成电路研究院。"
                   "据介绍,研究院落户成都天府软件园,首期引进研发团队5支。",
                   ("成都集成电路研究院", "located_in", "成都天府软件园")),
               _ex("徐州智能装备研究院揭牌成立。该研究院由中国矿业大学与徐州市人民政府共建。\n"
                   "据介绍,研究院将依托徐州重型机械有限公司开展中试验证。",
                   ("徐州智能装备研究院", "affiliated_with", "徐州重型机械有限公司"))),
              crosses_paragraph=True),
    Reference("its", re.compile(f"其{_ACTS}"),
              "其 as a clause's subject: the subject of the sentence before",
              (_ex("吉林光电有限公司是长春高新区的龙头企业。其与吉林大学共建联合实验室。",
                   ("吉林光电有限公司", P, "吉林大学", "共建"),
                   absent=(("长春高新区", P, "吉林大学"),)),
               _ex("四平光电科技有限公司去年营收增长30%。其研发中心今年落户四平高新区。",
                   ("四平光电科技有限公司", "located_in", "四平高新区"))),
              subject_first=True),
)

#: a round named before: 本轮融资由A领投 (the firm closed it in a sentence before)
ROUND_REFERENCE = Reference(
    "previous-round", re.compile("(?:本|此|该|这)(?:轮|次)融资"),
    "本轮融资由A领投, B跟投: the firm that closed a round in a sentence before",
    (_ex("兰州凌云微光科技有限公司(以下简称“凌云微光”)近日宣布完成1.5亿元A轮融资。"
         "本轮融资由深圳市创新投资集团有限公司领投,甘肃省科技创新投资基金、"
         "兰州新区产业发展基金跟投。",
         ("深圳市创新投资集团有限公司", "invests_in", "兰州凌云微光科技有限公司"),
         ("甘肃省科技创新投资基金", "invests_in", "兰州凌云微光科技有限公司"),
         ("兰州新区产业发展基金", "invests_in", "兰州凌云微光科技有限公司")),
     _ex("锦州云图科技有限公司近日完成2亿元B轮融资。\n本轮融资由锦州产业投资基金领投。",
         ("锦州产业投资基金", "invests_in", "锦州云图科技有限公司"))),
    crosses_paragraph=True)
#: the parties of a signing named before: A与B举行签约仪式。双方将共建C
PARTIES_REFERENCE = Reference(
    "parties-before", re.compile("(?:双方|三方|四方|各方)"),
    "双方 / 三方 + a partnership's verb: the parties listed together in the sentence before",
    (_ex("长春市科技局与吉林大学举行签约仪式。双方将共建长春智能制造研究院。",
         ("长春市科技局", P, "吉林大学", "共建")),
     _ex("签约仪式上,大连理工大学、大连海事大学和大连市科学技术局分别致辞。"
         "三方签署了战略合作协议。",
         ("大连理工大学", P, "大连海事大学", "战略合作"),
         ("大连理工大学", P, "大连市科学技术局", "战略合作"),
         ("大连海事大学", P, "大连市科学技术局", "战略合作")),),
    crosses_paragraph=True)
#: every context rule, for the tests and the docs
CONTEXT_RULES: tuple[Reference, ...] = (*REFERENCES, ROUND_REFERENCE, PARTIES_REFERENCE)
_ANY_REFERENCE = re.compile("|".join(rule.pattern.pattern.replace("(?P<kind>", "(?:")
                                     for rule in CONTEXT_RULES))


def _paragraph_back(read: list[tuple[Sentence, list[Mention]]], index: int,
                    reference: Reference) -> list[tuple[Sentence, list[Mention]]]:
    """The sentences before ``read[index]`` ``reference`` may reach, nearest first: at most
    :data:`WINDOW`, in the same section, and in the same paragraph (no line break between)
    unless it ``crosses_paragraph`` (then into the paragraph before, not further)."""
    back = []
    current = read[index][0]
    breaks = 0
    for sentence, mentions in reversed(read[max(0, index - WINDOW):index]):
        breaks += "\n" in sentence.text
        if sentence.section != current.section or breaks > reference.crosses_paragraph:
            break
        back.append((sentence, mentions))
        current = sentence
    return back


def _parties(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.type in ORGANISATIONS]


def _subject(text: str, sentence: Sentence, parties: list[Mention]) -> Mention | None:
    """The sentence's first party, when it opens its clause (after an opener such as
    据介绍, or a clause setting the scene: 科技金融方面,X基金与…)."""
    first = next(iter(parties), None)
    if first is None:
        return None
    clause_start, _ = clause_bounds(text, first.start, sentence)
    return first if _OPENER.fullmatch(text, clause_start, first.start) else None


def _antecedent(text: str, reference: Reference, kinds: frozenset[EntityType],
                back: list[tuple[Sentence, list[Mention]]]
                ) -> tuple[Sentence, Mention] | None:
    """The organisation ``reference`` names: the nearest earlier sentence's subject of one
    of ``kinds`` (the topic: X完成融资。本轮融资由A领投。该公司… is X, not A); failing that,
    unless ``subject_first``, the last of ``kinds`` in the nearest sentence naming one."""
    for sentence, mentions in back:
        subject = _subject(text, sentence, _parties(mentions))
        if subject is not None and subject.type in kinds:
            return sentence, subject
    if reference.subject_first:
        return None
    for sentence, mentions in back:
        of_kind = [m for m in _parties(mentions) if m.type in kinds]
        if of_kind:
            return sentence, of_kind[-1]
    return None


def _opens(text: str, sentence: Sentence, parties: list[Mention], start: int) -> bool:
    """``start`` stands where the sentence's first party would: no organisation before it,
    only an opener between its clause's start and it."""
    if any(m.start < start for m in parties):
        return False
    clause_start, _ = clause_bounds(text, start, sentence)
    return _OPENER.fullmatch(text, clause_start, start) is not None


def _candidates(text: str, sentence: Sentence, reference: Reference
                ) -> Iterator[re.Match[str]]:
    """Where ``reference`` may stand in ``sentence``: anywhere, or only where a clause's
    subject would, after its opener (most sentences hold no clause opening with one, and
    kind words are common inside names)."""
    if reference.anywhere:
        yield from reference.pattern.finditer(text, sentence.start, sentence.end)
        return
    starts = [sentence.start, *(m.end() for m in _CLAUSE_END.finditer(text, sentence.start,
                                                                       sentence.end))]
    for start in starts:
        opener = _OPENER.match(text, start, sentence.end)
        match = reference.pattern.match(text, opener.end() if opener else start, sentence.end)
        if match is not None:
            yield match


def _spanning(text: str, earlier: Sentence, sentence: Sentence) -> Sentence:
    """One sentence from ``earlier`` to ``sentence``: what a cross-sentence relation quotes."""
    return Sentence(earlier.start, sentence.end, sentence.section,
                    text[earlier.start:sentence.end])


def _resolved(found: RelationFinding, stand_in: Mention, named: Mention, rule: str
              ) -> RelationFinding | None:
    """``found`` about ``named`` instead of the reference standing in for it."""
    source = named if found.source is stand_in else found.source
    target = named if found.target is stand_in else found.target
    if source.key == target.key:
        return None
    return replace(found, source=source, target=target, start=min(found.start, named.start),
                   rule=f"{found.rule}+{rule}", confidence=round(found.confidence * 0.9, 3))


def _references(text: str, read: list[tuple[Sentence, list[Mention]]], index: int,
                reader: Reader, standing: dict[tuple[int, int], Mention]
                ) -> list[tuple[Sentence, RelationFinding]]:
    """What a sentence says about the organisations its references name (``standing``: the
    organisation each reference resolved so far stands for, by its span; the sentence joins
    its stand-in to its mentions in ``read``, so a later reference may name it)."""
    sentence, mentions = read[index]
    parties = _parties(mentions)
    found: list[tuple[Sentence, RelationFinding]] = []
    for reference in REFERENCES:
        back = _paragraph_back(read, index, reference)
        if not back:
            continue
        for match in _candidates(text, sentence, reference):
            start, end = match.span()
            kind = match.groupdict().get("kind")
            kinds = KIND_WORDS[kind] if kind else ORGANISATIONS
            if any(m.start < end and start < m.end for m in mentions):
                continue  # a word of a name
            opens = _opens(text, sentence, parties, start)
            if reference.anywhere and not opens:
                clause_start, _ = clause_bounds(text, start, sentence)
                if any(m.start < start and m.type in kinds for m in parties) or \
                        _OPENER.fullmatch(text, clause_start, start):
                    continue  # of its kind, or the subject, in this sentence: read there
            elif not opens:
                continue
            named = _antecedent(text, reference, kinds, back)
            if named is None:
                continue
            earlier, organisation = named
            organisation = standing.get((organisation.start, organisation.end), organisation)
            stand_in = Mention(start, end, match.group(0), organisation.canonical,
                               organisation.type, organisation.confidence, "reference",
                               organisation.known)
            with_it = sorted([*mentions, stand_in], key=lambda m: (m.start, -m.end))
            spanning = _spanning(text, earlier, sentence)
            for relation in reader(text, sentence, with_it):
                if stand_in in (relation.source, relation.target):
                    resolved = _resolved(relation, stand_in, organisation, reference.name)
                    if resolved is not None:
                        found.append((spanning, resolved))
            standing[(start, end)] = organisation
            read[index] = (sentence, with_it)
            return found  # one reference a sentence: its subject
    return found


def _previous_round(text: str, read: list[tuple[Sentence, list[Mention]]], index: int,
                    standing: dict[tuple[int, int], Mention]
                    ) -> list[tuple[Sentence, RelationFinding]]:
    """本轮融资由A领投, B跟投: the investors of the firm that closed the round before (the
    round then stands for the firm, the sentence's topic, in ``read`` and ``standing``)."""
    sentence, mentions = read[index]
    parties = _parties(mentions)
    match = ROUND_REFERENCE.pattern.search(text, sentence.start, sentence.end)
    if match is None or round_firm(text, sentence, parties) is not None:
        return []
    for earlier, earlier_mentions in _paragraph_back(read, index, ROUND_REFERENCE):
        firm = round_firm(text, earlier, _parties(earlier_mentions))
        if firm is None:
            continue
        spanning = _spanning(text, earlier, sentence)
        named = standing.get((firm[0].start, firm[0].end), firm[0])
        stand_in = Mention(match.start(), match.end(), match.group(0), named.canonical,
                           named.type, named.confidence, "reference", named.known)
        standing[(stand_in.start, stand_in.end)] = named  # the round is the firm's
        read[index] = (sentence, sorted([*mentions, stand_in], key=lambda m: (m.start, -m.end)))
        return [(spanning, replace(r, start=min(r.start, named.start),
                                   rule=f"{r.rule}+{ROUND_REFERENCE.name}",
                                   confidence=round(r.confidence * 0.9, 3)))
                for r in round_roles(text, sentence, parties, named, match.end())]
    return []


def _parties_before(text: str, read: list[tuple[Sentence, list[Mention]]], index: int
                    ) -> list[tuple[Sentence, RelationFinding]]:
    """双方将共建C / 三方签署…协议: a partnership among the parties the sentence before lists
    together (A与B, A、B和C)."""
    sentence, mentions = read[index]
    parties = _parties(mentions)
    match = PARTIES_REFERENCE.pattern.search(text, sentence.start, sentence.end)
    if match is None or not _opens(text, sentence, parties, match.start()):
        return []
    for earlier, earlier_mentions in _paragraph_back(read, index, PARTIES_REFERENCE):
        groups = [g for g in party_groups(text, _parties(earlier_mentions)) if len(g) >= 2]
        if not groups:
            continue
        spanning = _spanning(text, earlier, sentence)
        return [(spanning, replace(r, rule=f"{r.rule}+{PARTIES_REFERENCE.name}",
                                   confidence=round(r.confidence * 0.9, 3)))
                for r in signed_together(text, sentence, groups[-1], match.end())]
    return []


def context_relations(text: str, read: list[tuple[Sentence, list[Mention]]],
                      reader: Reader) -> list[tuple[Sentence, RelationFinding]]:
    """Relations whose party a sentence names only by reference to an earlier sentence
    (``read``: every sentence with its mentions, in order; ``reader``: the sentence-level
    relation reader). Each comes with the sentences it spans.

    A reference resolved in one sentence stands for its organisation in the next ones
    (``X揭牌。该研究院由A与B共建。研究院将依托C…``: both name X)."""
    found: list[tuple[Sentence, RelationFinding]] = []
    read = list(read)  # the stand-ins resolved so far join their sentence's mentions
    standing: dict[tuple[int, int], Mention] = {}
    for index in range(1, len(read)):
        sentence = read[index][0]
        if _ANY_REFERENCE.search(text, sentence.start, sentence.end) is None:
            continue  # most sentences hold no reference: done with one look
        found += _references(text, read, index, reader, standing)
        found += _previous_round(text, read, index, standing)
        found += _parties_before(text, read, index)
    return found
