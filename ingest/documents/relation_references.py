"""The cross-sentence rules, as data: one named entry per way of referring to an organisation
named in a sentence before (``该研究院``, ``其``, ``本轮融资``, ``双方`` …), each with its example
sentences, from which ``tests/documents/test_relation_context.py`` generates a test case each.
The pass that reads them is :mod:`.relation_context`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schema import EntityType
from schema.rules import ORGANISATIONS

from .relation_rules import Example

E = EntityType

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
