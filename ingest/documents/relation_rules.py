"""The relation rules, as data: one entry per rule, each with its example sentences.

A rule names the relation it yields, its trigger words, the **shape** that finds the parties
around a trigger (one of :data:`SHAPES`; their code is in :mod:`.relations`,
:mod:`.relation_partners`, :mod:`.relation_frames`, :mod:`.relation_people` and, for team
leaders, :mod:`.teams`) and sentences with what it must read from them.
``tests/documents/test_relation_rules.py`` turns every example into a test case, so a new rule
is one entry here, with its examples; a new *shape* is new code.

Within a shape, the triggers of all its rules are matched as one alternation, longest first
(合作共建 before 共建 before 合作), and the rule a matched word belongs to gives the relation
and, for partnerships, the kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from schema import EntityType, PartnershipKind, RelationType

K, R = PartnershipKind, RelationType

#: shape → the parties it finds around a trigger ``T`` (source first; partnership: either)
SHAPES: dict[str, str] = {
    "partner": "A与B…T, A、B T, A联合B…T, A携手B T; A、B分别与C T; A与B、C分别T",
    "agreement": "A与B签署T: what they sign (T) names the relation; the fund is the source",
    "subject-object": "A T B (adverbs and dates between; A T B、C; A联合B T C; A、B等N家 T C; "
                      "a clause opening with T takes the earlier clause's subject)",
    "placed": "A在B T; 引进…A, 在B T",
    "passive": "B由A T: A acts on B",
    "built-on": "T B建设A",
    "fronted": "以B为T, …A",
    "situated": "A…T B / A,T B, B a park, incubator or region",
    "modifier": "T B的A / T B的科技型企业A、C, B a park, incubator or region",
    "resident": "B(新增)T企业A、C: A and C, named by their role, T B; B a park or incubator",
    "both-sides": "A与B签约, 双方T C: each side",
    "towards": "F向A、B(等N家企业)T / F向其T: the fund F",
    "round": "X完成…融资, 由A T, B、C T / X完成由A T的…融资: each investor in the firm X",
    "received": "X获得F(金额)T: the investor F in the firm X",
    "person-of": "机构 + 人名 + T (title): the person belongs to the institution",
    "person-leads": "人名 T (成立|组建)? B: a person the sentence names (a team's leader) leads B",
    "led-by": "A…, 由(机构)(职称)人名T: the person leads A, the party the sentence opens with",
    "post": "人名担任B(的)T: the post T names the relation (院长: leads; 首席科学家: of B)",
    "team-leader": "人名 + 职称 + T的…团队 / …团队由…人名T (read with the teams, :mod:`.teams`)",
}


@dataclass(frozen=True)
class Example:
    """A sentence and what the rule reads from it: ``expect`` (source, relation, target,
    and for a partnership optionally its kind) must be read, ``absent`` must not (a
    partnership matches in either direction); ``nothing``: no relation at all is read."""

    text: str
    expect: tuple[tuple[str, ...], ...] = ()
    absent: tuple[tuple[str, str, str], ...] = ()
    nothing: bool = False


@dataclass(frozen=True)
class RelationRule:
    """One named rule. ``forms``: the shapes it is read in; ``kind``: a partnership's kind;
    ``signs``: its words are signing verbs (``A、B签约`` is each signing with someone unnamed,
    and what is signed may name another relation: ``agreement`` rules); ``source_type``: the
    party of this type is the source (an investment agreement's fund)."""

    name: str
    relation: RelationType
    forms: tuple[str, ...]
    triggers: tuple[str, ...]
    examples: tuple[Example, ...]
    kind: PartnershipKind | None = None
    signs: bool = False
    source_type: EntityType | None = None
    #: what the subject may bring between itself and the trigger (A将北方总部落户B)
    carries: tuple[str, ...] = ()


def _rule(name: str, relation: RelationType, forms: str, triggers: str,
          *examples: Example, kind: PartnershipKind | None = None, signs: bool = False,
          source_type: EntityType | None = None, carries: str = "") -> RelationRule:
    """A rule from space-separated forms, triggers and carried words."""
    return RelationRule(name, relation, tuple(forms.split()), tuple(triggers.split()), examples,
                        kind, signs, source_type, tuple(carries.split()))


def _ex(text: str, *expect: tuple[str, ...],
        absent: tuple[tuple[str, str, str], ...] = (), nothing: bool = False) -> Example:
    return Example(text, expect, absent, nothing)


P = "partnership"

RULES: tuple[RelationRule, ...] = (
    # — partnerships: the kind comes from the word —
    _rule("strategic", R.partnership, "partner", "战略合作",
          _ex("贵州大学与贵阳市科学技术局开展战略合作。",
              ("贵州大学", P, "贵阳市科学技术局", "战略合作")),
          kind=K.strategic),
    _rule("joint-application", R.partnership, "partner", "联合申报 合作申报 共同申报",
          _ex("宁波大学和东方电气集团联合申报重点研发项目。",
              ("宁波大学", P, "东方电气集团", "联合申报")),
          kind=K.joint_application),
    _rule("campus-local", R.partnership, "partner", "校地合作",
          _ex("温州市人民政府与浙江大学深化校地合作。",
              ("温州市人民政府", P, "浙江大学", "校地合作")),
          _ex("与华中科技大学启动新一轮校地合作。", nothing=True),
          kind=K.campus_local),
    _rule("technical", R.partnership, "partner", "技术合作 产学研合作",
          _ex("贵州茅台酒股份有限公司同时与贵州大学开展技术合作。",
              ("贵州茅台酒股份有限公司", P, "贵州大学", "技术合作")),
          _ex("江西铜业集团有限公司联合南昌大学、江西理工大学开展技术合作。",
              ("江西铜业集团有限公司", P, "南昌大学"), ("江西铜业集团有限公司", P, "江西理工大学")),
          kind=K.technical),
    _rule("consortium", R.partnership, "partner", "创新联合体",
          _ex("合肥工业大学与安徽江淮汽车集团股份有限公司组建创新联合体。",
              ("合肥工业大学", P, "安徽江淮汽车集团股份有限公司", "创新联合体")),
          kind=K.innovation_consortium),
    _rule("co-build", R.partnership, "partner", "共建 合作共建 共同建设",
          _ex("浙江大学、温州市人民政府共建浙江大学温州研究院。",
              ("浙江大学", P, "温州市人民政府", "共建")),
          _ex("贵阳朗玛信息技术股份有限公司携手贵州师范大学共建联合实验室。",
              ("贵阳朗玛信息技术股份有限公司", P, "贵州师范大学")),
          _ex("广西能源互联网研究院全年新增专利86件,与广西电网有限责任公司共建联合实验室。",
              ("广西能源互联网研究院", P, "广西电网有限责任公司", "共建")),
          _ex("兰州市科技局与兰州大学、兰州理工大学分别签约,共建技术转移中心。",
              ("兰州市科技局", P, "兰州大学", "共建"), ("兰州市科技局", P, "兰州理工大学"),
              absent=(("兰州大学", P, "兰州理工大学"),)),
          _ex("兰州大学、兰州理工大学分别与兰州新区管理委员会签约,共建中试基地。",
              ("兰州大学", P, "兰州新区管理委员会"), ("兰州理工大学", P, "兰州新区管理委员会"),
              absent=(("兰州大学", P, "兰州理工大学"),)),
          _ex("长春先进材料研究院由吉林大学、长春理工大学和长春市人民政府联合共建。",
              ("吉林大学", P, "长春理工大学", "共建"), ("吉林大学", P, "长春市人民政府", "共建"),
              ("长春理工大学", P, "长春市人民政府", "共建"),
              absent=(("长春先进材料研究院", P, "吉林大学"),)),
          _ex("九江学院与九江云图科技有限公司签约后,双方共建光电联合实验室。"
              "景德镇陶瓷大学与景德镇市人民政府深化合作,共建陶瓷研究院。",
              ("九江学院", P, "九江云图科技有限公司", "共建"),
              ("景德镇陶瓷大学", P, "景德镇市人民政府", "共建")),
          kind=K.co_build),
    _rule("signing", R.partnership, "partner", "签约 签订 签署 签下",
          _ex("甬江实验室与宁波大学签订战略合作协议。", ("甬江实验室", P, "宁波大学", "战略合作")),
          _ex("甘肃药业集团股份有限公司与兰州兽医研究所则签下联合研发协议。",
              ("甘肃药业集团股份有限公司", P, "兰州兽医研究所")),
          _ex("萍乡学院和萍乡云图科技有限公司签订产学研合作协议。",
              ("萍乡学院", P, "萍乡云图科技有限公司", "技术合作")),
          _ex("柳州钢铁集团有限公司(以下简称“柳钢”)2023年4月与广西大学签署战略合作协议。",
              ("柳钢", P, "广西大学", "战略合作")),
          _ex("签约仪式上,大连理工大学与大连市科学技术局、大连海事大学与大连高新区管委会"
              "分别签署合作协议。",
              ("大连理工大学", P, "大连市科学技术局"), ("大连海事大学", P, "大连高新区管委会"),
              absent=(("大连理工大学", P, "大连海事大学"),)),
          _ex("大连理工大学、大连海事大学和大连市科学技术局共同签署战略合作协议。"
              "东北大学、沈阳工业大学、沈阳市科学技术局三方签署合作协议。",
              ("大连理工大学", P, "大连海事大学", "战略合作"),
              ("大连海事大学", P, "大连市科学技术局", "战略合作"),
              ("东北大学", P, "沈阳工业大学"), ("东北大学", P, "沈阳市科学技术局")),
          _ex("兰州市科技局与兰州大学、兰州理工大学分别签约。"
              "兰州大学、兰州理工大学分别与兰州新区管理委员会签约。",
              ("兰州市科技局", P, "兰州大学", "合作"), ("兰州市科技局", P, "兰州理工大学"),
              ("兰州大学", P, "兰州新区管理委员会"), ("兰州理工大学", P, "兰州新区管理委员会"),
              absent=(("兰州大学", P, "兰州理工大学"),)),
          kind=K.general, signs=True),
    _rule("general", R.partnership, "partner", "合作 携手 协同发展",
          _ex("之江实验室与阿里巴巴集团合作研发类脑芯片。", ("之江实验室", P, "阿里巴巴集团", "合作")),
          _ex("南昌市科技局将联合江西省科学技术厅推动成果转化。"
              "南昌市科技局会同南昌市财政局设立产学研合作专项资金。",
              absent=(("南昌市科技局", P, "江西省科学技术厅"),
                      ("南昌市科技局", P, "南昌市财政局"))),
          kind=K.general),
    # — what a signing names instead of a partnership —
    _rule("investment-agreement", R.invests_in, "agreement",
          "投资协议 股权投资协议 投资合作协议 股权投资合作协议",
          _ex("西安市科技创新投资基金与西安云芯科技有限公司签署投资协议。",
              ("西安市科技创新投资基金", "invests_in", "西安云芯科技有限公司"),
              absent=(("西安市科技创新投资基金", P, "西安云芯科技有限公司"),)),
          source_type=EntityType.fund),
    # — one party acting on another —
    _rule("moves-in", R.incubated_at, "subject-object placed modifier resident", "入驻 进驻",
          _ex("江西云图科技有限公司正式签约入驻南昌科创孵化器。"
              "台中云帆科技股份有限公司进驻台中科创孵化器。",
              ("江西云图科技有限公司", "incubated_at", "南昌科创孵化器"),
              ("台中云帆科技股份有限公司", "incubated_at", "台中科创孵化器")),
          _ex("大连科创孵化器新增入驻企业大连云图科技有限公司、大连星河科技有限公司。",
              ("大连云图科技有限公司", "incubated_at", "大连科创孵化器"),
              ("大连星河科技有限公司", "incubated_at", "大连科创孵化器"),
              absent=(("大连科创孵化器", "incubated_at", "大连云图科技有限公司"),)),
          _ex("入驻沈阳科创孵化器的科技型企业沈阳云图科技有限公司、沈阳星河科技有限公司"
              "今年获评专精特新企业。",
              ("沈阳云图科技有限公司", "incubated_at", "沈阳科创孵化器"),
              ("沈阳星河科技有限公司", "incubated_at", "沈阳科创孵化器")),
          _ex("鞍山云图科技有限公司是一家入驻鞍山科创孵化器的科技型企业。"
              "抚顺星河科技有限公司(入驻抚顺科创孵化器)今年获评专精特新企业。",
              ("鞍山云图科技有限公司", "incubated_at", "鞍山科创孵化器"),
              ("抚顺星河科技有限公司", "incubated_at", "抚顺科创孵化器")),
          _ex("宁波中车新能源科技有限公司入驻宁波高新区。",
              ("宁波中车新能源科技有限公司", "incubated_at", "宁波高新区")),
          _ex("记者见到了刚刚入驻南宁高新区创业园的刘建国院士团队。",
              ("刘建国院士团队", "incubated_at", "南宁高新区创业园")),
          _ex("北海光电有限公司、北海晶源科技有限公司等15家科技型企业集中入驻北海高新区创业园。"
              "海南热带农业研究院于今年6月正式入驻海口国家高新区。",
              ("北海光电有限公司", "incubated_at", "北海高新区创业园"),
              ("北海晶源科技有限公司", "incubated_at", "北海高新区创业园"),
              ("海南热带农业研究院", "incubated_at", "海口国家高新区"))),
    _rule("rests-on", R.affiliated_with, "subject-object built-on fronted both-sides", "依托",
          _ex("岳麓山工业创新实验室依托中南大学、湘潭大学建设。",
              ("岳麓山工业创新实验室", "affiliated_with", "中南大学"),
              ("岳麓山工业创新实验室", "affiliated_with", "湘潭大学")),
          _ex("贵州省大数据安全重点实验室于5月揭牌运行,依托贵州大学建设。"
              "贵阳算力调度服务平台正式启动,该平台依托贵安超算中心有限公司建设。",
              ("贵州省大数据安全重点实验室", "affiliated_with", "贵州大学"),
              ("贵阳算力调度服务平台", "affiliated_with", "贵安超算中心有限公司")),
          _ex("以长沙经济技术开发区为依托,以工程机械产业为基础,全面推进长沙智能制造产业园创建。",
              ("长沙智能制造产业园", "affiliated_with", "长沙经济技术开发区")),
          _ex("贵州大学与贵阳市科学技术局签署战略合作协议,双方将依托贵阳大数据科创城,"
              "共同推进成果转化。",
              ("贵州大学", "affiliated_with", "贵阳大数据科创城"),
              ("贵阳市科学技术局", "affiliated_with", "贵阳大数据科创城")),
          _ex("广西壮族自治区科学技术厅介绍,依托桂林电子科技大学建设的广西智能传感创新平台"
              "已投入运行。",
              ("广西智能传感创新平台", "affiliated_with", "桂林电子科技大学"),
              absent=(("广西壮族自治区科学技术厅", "affiliated_with", "桂林电子科技大学"),))),
    _rule("invests", R.invests_in, "subject-object passive towards received", "投资",
          _ex("南昌产业投资基金以3000万元投资江西云图科技有限公司。"
              "赣州产业投资基金对赣州光电科技有限公司进行投资。"
              "九江产业投资基金战略投资九江云图科技有限公司。",
              ("南昌产业投资基金", "invests_in", "江西云图科技有限公司"),
              ("赣州产业投资基金", "invests_in", "赣州光电科技有限公司"),
              ("九江产业投资基金", "invests_in", "九江云图科技有限公司")),
          _ex("鹰潭产业发展控股集团有限公司今年以来已向鹰潭铜箔科技有限公司等6家企业投资2亿元。",
              ("鹰潭产业发展控股集团有限公司", "invests_in", "鹰潭铜箔科技有限公司")),
          _ex("江西云图科技有限公司获得南昌产业投资基金3000万元投资。"
              "南昌产业投资基金出资2000万元投资江西星河科技有限公司。"
              "赣州产业投资基金对赣州光电科技有限公司投资5000万元。",
              ("南昌产业投资基金", "invests_in", "江西云图科技有限公司"),
              ("南昌产业投资基金", "invests_in", "江西星河科技有限公司"),
              ("赣州产业投资基金", "invests_in", "赣州光电科技有限公司")),
          _ex("昆明市天使投资基金近日投资昆明云芯微电子有限公司3000万元。",
              ("昆明市天使投资基金", "invests_in", "昆明云芯微电子有限公司")),
          _ex("兰州市科技成果转化基金,首期已向兰州星河科技有限公司、兰州云芯科技有限公司"
              "等5家企业投资2亿元。兰州飞天科技有限公司完成融资,兰州市天使投资基金"
              "向其追加投资1000万元。甘肃省引导基金联合兰州市天使投资基金投资兰州光电股份有限公司。",
              ("兰州市科技成果转化基金", "invests_in", "兰州星河科技有限公司"),
              ("兰州市科技成果转化基金", "invests_in", "兰州云芯科技有限公司"),
              ("兰州市天使投资基金", "invests_in", "兰州飞天科技有限公司"),
              ("甘肃省引导基金", "invests_in", "兰州光电股份有限公司"),
              ("兰州市天使投资基金", "invests_in", "兰州光电股份有限公司")),
          _ex("广西天使投资基金与南宁创业投资有限公司共同投资南宁云图科技有限公司。",
              ("广西天使投资基金", "invests_in", "南宁云图科技有限公司"),
              ("南宁创业投资有限公司", "invests_in", "南宁云图科技有限公司")),
          _ex("吉林云图科技有限公司完成B轮融资,投资方为长春产业投资基金。",
              absent=(("吉林云图科技有限公司", "invests_in", "长春产业投资基金"),)),
          _ex("南宁数据孵化器由南宁高新区管理委员会(以下简称“南宁高新区管委会”)投资建设。",
              ("南宁高新区管理委员会", "invests_in", "南宁数据孵化器")),
          _ex("广西科技成果转化基金全年投资企业21家,其中向南宁晶芯微电子有限公司投资3000万元。"
              "海口市天使投资基金今年已向孵化器内的海口云帆科技有限公司投资800万元。",
              ("广西科技成果转化基金", "invests_in", "南宁晶芯微电子有限公司"),
              ("海口市天使投资基金", "invests_in", "海口云帆科技有限公司"))),
    _rule("round-investor", R.invests_in, "round subject-object", "领投 跟投 参投",
          _ex("九江云图科技有限公司完成由九江产业投资基金领投的A轮融资。",
              ("九江产业投资基金", "invests_in", "九江云图科技有限公司")),
          _ex("江西云图科技有限公司宣布获得由南昌产业投资基金领投、赣州天使投资基金跟投的"
              "1亿元A轮融资。",
              ("南昌产业投资基金", "invests_in", "江西云图科技有限公司"),
              ("赣州天使投资基金", "invests_in", "江西云图科技有限公司"),
              absent=(("南昌产业投资基金", "invests_in", "赣州天使投资基金"),)),
          _ex("厦门创新投资基金领投厦门固芯能源科技有限公司A轮融资。",
              ("厦门创新投资基金", "invests_in", "厦门固芯能源科技有限公司")),
          _ex("南宁云帆科技有限公司近日完成2亿元B轮融资,由广西投资引导基金领投,"
              "南宁创业投资有限公司、柳州产业投资基金跟投。",
              ("广西投资引导基金", "invests_in", "南宁云帆科技有限公司"),
              ("南宁创业投资有限公司", "invests_in", "南宁云帆科技有限公司"),
              ("柳州产业投资基金", "invests_in", "南宁云帆科技有限公司"))),
    _rule("settles", R.located_in, "subject-object placed modifier resident", "落户",
          _ex("昆明市智能制造研究院今年5月落户昆明高新区。",
              ("昆明市智能制造研究院", "located_in", "昆明高新区")),
          _ex("贵阳智能科技研究院二期将落户贵阳高新区。",
              ("贵阳智能科技研究院", "located_in", "贵阳高新区")),
          _ex("桂林智能装备研究院揭牌成立,研究院将落户桂林高新区。",
              ("桂林智能装备研究院", "located_in", "桂林高新区")),
          _ex("会上,南宁远航机器人有限公司宣布将西南总部落户南宁高新区。"
              "柳州海辰储能科技股份有限公司总部及研发中心落户柳州高新区。",
              ("南宁远航机器人有限公司", "located_in", "南宁高新区"),
              ("柳州海辰储能科技股份有限公司", "located_in", "柳州高新区")),
          _ex("赣州光电科技有限公司签约落户赣州高新区。九江云图科技有限公司整体搬迁落户九江高新区。",
              ("赣州光电科技有限公司", "located_in", "赣州高新区"),
              ("九江云图科技有限公司", "located_in", "九江高新区")),
          _ex("锦州高新区今年新增落户企业锦州光电科技有限公司。",
              ("锦州光电科技有限公司", "located_in", "锦州高新区"),
              absent=(("锦州高新区", "located_in", "锦州光电科技有限公司"),)),
          _ex("江西云图科技有限公司新能源项目落户南昌高新区。",
              ("江西云图科技有限公司", "located_in", "南昌高新区")),
          carries="总部 研发总部 研发中心 生产基地 基地 工厂 分部 项目"),
    _rule("lands", R.located_in, "placed situated", "落地",
          _ex("南昌光电研究院正式落地南昌高新区。",
              ("南昌光电研究院", "located_in", "南昌高新区")),
          _ex("武汉光电工业技术研究院在武汉东湖新技术开发区落地。",
              ("武汉光电工业技术研究院", "located_in", "武汉东湖新技术开发区")),
          _ex("抚州云图科技有限公司在抚州高新区正式落地。",
              ("抚州云图科技有限公司", "located_in", "抚州高新区")),
          _ex("海南椰风科技有限公司今年在海口高新区落地。",
              ("海南椰风科技有限公司", "located_in", "海口高新区"))),
    _rule("sited", R.located_in, "situated modifier",
          "建设在 布局建设在 布局在 坐落在 坐落于 位于 选址在 选址于 设在 设于",
          _ex("吉安云图科技有限公司将总部设在吉安高新区。",
              ("吉安云图科技有限公司", "located_in", "吉安高新区")),
          _ex("位于沈阳浑南科技城的辽宁云图科技有限公司今年获评专精特新企业。"
              "盘锦星河科技有限公司,位于盘锦高新区,今年获评专精特新企业。",
              ("辽宁云图科技有限公司", "located_in", "沈阳浑南科技城"),
              ("盘锦星河科技有限公司", "located_in", "盘锦高新区")),
          _ex("一核,即岳麓山实验室“主阵地”布局建设在长沙湘江科学城。",
              ("岳麓山实验室", "located_in", "长沙湘江科学城")),
          _ex("岳麓山实验室与中南大学共建平台,建设在长沙湘江科学城的园区启用。",
              absent=(("岳麓山实验室", "located_in", "长沙湘江科学城"),))),
    # — people —
    _rule("person-of-institution", R.affiliated_with, "person-of",
          "院士 教授 研究员 博士 首席科学家 首席专家 院长 所长 主任 董事长 总经理 "
          "副院长 副所长 副主任 理事长 总工程师 高级工程师 副教授 青年教师 教师 局长 副局长 厅长 "
          "副厅长",
          _ex("引进中国工程院李校堃院士团队。", ("李校堃", "affiliated_with", "中国工程院")),
          _ex("储能装备创新团队由大连重工集团有限公司首席科学家王志刚带领。",
              ("王志刚", "affiliated_with", "大连重工集团有限公司")),
          _ex("合肥市科学技术局局长孙立平在致辞中表示,将加大支持力度。"
              "量子传感团队由中国科学技术大学物理学院青年教师陈晓带领。",
              ("孙立平", "affiliated_with", "合肥市科学技术局"),
              ("陈晓", "affiliated_with", "中国科学技术大学物理学院")),
          _ex("南昌大学教授王建华担任南昌光电研究院院长。南昌大学李明教授表示,将深化合作。",
              ("王建华", "affiliated_with", "南昌大学"), ("李明", "affiliated_with", "南昌大学"),
              absent=(("王建华", "affiliated_with", "南昌光电研究院"),)),
          _ex("中国工程院院士李学文领衔山西能源实验室学术委员会。",
              ("李学文", "affiliated_with", "中国工程院")),
          _ex("中国科学院欧阳钟灿院士和刘昌胜院士领衔的柔性电子研究团队落户温州。",
              ("欧阳钟灿", "affiliated_with", "中国科学院"),
              ("刘昌胜", "affiliated_with", "中国科学院"))),
    _rule("heads", R.leads, "post", "院长 所长 主任 理事长 董事长 总经理 负责人",
          _ex("南昌大学教授王建华担任南昌光电研究院院长。李志明出任赣州稀土研究院院长。",
              ("王建华", "leads", "南昌光电研究院"), ("李志明", "leads", "赣州稀土研究院"))),
    _rule("chief-scientist", R.affiliated_with, "post", "首席科学家 首席专家 名誉院长 顾问",
          _ex("中国工程院院士张建国担任九江光电研究院首席科学家。",
              ("张建国", "affiliated_with", "九江光电研究院"),
              absent=(("张建国", "leads", "九江光电研究院"),))),
    _rule("team-leader", R.leads, "team-leader person-leads led-by", "领衔 带领 牵头",
          _ex("引进瞿佳教授带领的视觉调控和眼再生研究团队。",
              ("瞿佳", "leads", "视觉调控和眼再生研究团队")),
          _ex("太原先进储能研究院在太原揭牌成立,依托太原理工大学组建,由中国科学院院士"
              "赵立新领衔,首期设立两个研究室。",
              ("赵立新", "leads", "太原先进储能研究院")),
          _ex("中国工程院院士李学文领衔山西能源实验室学术委员会。",
              ("李学文", "leads", "山西能源实验室学术委员会")),
          _ex("储能装备创新团队由大连重工集团有限公司首席科学家王志刚带领。"
              "太原智能研究院于3月揭牌,由张建国院士领衔建设。",
              ("王志刚", "leads", "储能装备创新团队"), ("张建国", "leads", "太原智能研究院")),
          _ex("低空经济装备研发团队由石铁大李明远教授带领。",
              ("李明远", "leads", "低空经济装备研发团队"))),
)


def rules_of(form: str) -> tuple[RelationRule, ...]:
    """The rules read in ``form`` (a key of :data:`SHAPES`), in table order."""
    return tuple(rule for rule in RULES if form in rule.forms)


def by_trigger(form: str) -> dict[str, RelationRule]:
    """``form``'s rules by trigger word."""
    return {word: rule for rule in rules_of(form) for word in rule.triggers}


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal ``words``, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
