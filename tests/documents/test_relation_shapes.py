"""Relation shapes added after the corpus annotation was completed, each tested on a
sentence written for another city."""

from __future__ import annotations

from ingest.documents.extract import extract_document
from ingest.documents.mentions import Mention
from ingest.documents.readers import document_from_text


def _read(text: str) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    extraction = extract_document(document_from_text("t", text), None)
    mentions = {(m.item.text, m.item.type.value) for m in extraction.mentions
                if isinstance(m.item, Mention)}
    relations = {(r.item.source.text, r.item.type.value, r.item.target.text)
                 for r in extraction.relations if not isinstance(r.item, Mention)}
    return mentions, relations


def test_a_fronted_basis_belongs_to_the_first_party_named_after_it() -> None:
    _, relations = _read("以长沙经济技术开发区为依托,以工程机械产业为基础,全面推进长沙智能制造"
                         "产业园创建。")
    assert ("长沙智能制造产业园", "affiliated_with", "长沙经济技术开发区") in relations


def test_built_in_a_place_is_located_there() -> None:
    _, relations = _read("一核,即岳麓山实验室“主阵地”布局建设在长沙湘江科学城。")
    assert ("岳麓山实验室", "located_in", "长沙湘江科学城") in relations
    _, relations = _read("岳麓山实验室与中南大学共建平台,建设在长沙湘江科学城的园区启用。")
    assert not any(r[1] == "located_in" for r in relations)  # no subject opens that clause


def test_research_grants_and_prizes_are_no_funds() -> None:
    mentions, _ = _read("引进国家杰出青年科学基金获得者3名,长沙天使投资基金完成募集。")
    assert ("长沙天使投资基金", "fund") in mentions
    assert not any("科学基金" in name for name, _ in mentions)


def test_a_labs_committee_is_part_of_the_lab() -> None:
    mentions, _ = _read("下设岳麓山实验室学术委员会和长沙市科技创新委员会。")
    assert ("岳麓山实验室学术委员会", "institute") in mentions
    assert ("长沙市科技创新委员会", "government") in mentions


def test_verbs_outside_the_list_make_no_partnership() -> None:
    # 联合 and 会同 imply a tie, but the annotation rules read only the listed verbs
    _, relations = _read("南昌市科技局将联合江西省科学技术厅推动成果转化。"
                         "南昌市科技局会同南昌市财政局设立产学研合作专项资金。")
    assert not relations


def test_one_party_signing_with_several_partners() -> None:
    _, relations = _read("兰州市科技局与兰州大学、兰州理工大学分别签约,共建技术转移中心。")
    assert {("兰州市科技局", "partnership", "兰州大学"),
            ("兰州市科技局", "partnership", "兰州理工大学")} <= relations
    assert ("兰州大学", "partnership", "兰州理工大学") not in relations


def test_a_lab_built_on_two_universities_rests_on_both() -> None:
    _, relations = _read("岳麓山工业创新实验室依托中南大学、湘潭大学建设。")
    assert {("岳麓山工业创新实验室", "affiliated_with", "中南大学"),
            ("岳麓山工业创新实验室", "affiliated_with", "湘潭大学")} <= relations


def test_dates_and_adverbs_between_subject_and_verb() -> None:
    _, relations = _read("昆明市智能制造研究院今年5月落户昆明高新区。"
                         "昆明市天使投资基金近日投资昆明云芯微电子有限公司3000万元。")
    assert ("昆明市智能制造研究院", "located_in", "昆明高新区") in relations
    assert ("昆明市天使投资基金", "invests_in", "昆明云芯微电子有限公司") in relations


def test_who_settled_in_a_place_may_follow_it() -> None:
    _, relations = _read("记者见到了刚刚入驻南宁高新区创业园的刘建国院士团队。")
    assert ("刘建国院士团队", "incubated_at", "南宁高新区创业园") in relations


def test_both_sides_of_a_partnership_rest_on_what_they_build_on() -> None:
    _, relations = _read("贵州大学与贵阳市科学技术局签署战略合作协议,双方将依托贵阳大数据"
                         "科创城,共同推进成果转化。")
    assert {("贵州大学", "affiliated_with", "贵阳大数据科创城"),
            ("贵阳市科学技术局", "affiliated_with", "贵阳大数据科创城")} <= relations


def test_joining_forces_for_a_listed_verb_is_a_partnership() -> None:
    # 联合 is no verb of the list, but the 合作 it leads to is
    _, relations = _read("江西铜业集团有限公司联合南昌大学、江西理工大学开展技术合作。")
    assert {("江西铜业集团有限公司", "partnership", "南昌大学"),
            ("江西铜业集团有限公司", "partnership", "江西理工大学")} <= relations


def test_an_investment_agreement_is_an_investment_not_a_partnership() -> None:
    _, relations = _read("西安市科技创新投资基金与西安云芯科技有限公司签署投资协议。")
    assert relations == {("西安市科技创新投资基金", "invests_in", "西安云芯科技有限公司")}


def test_a_clause_opening_with_its_verb_takes_an_earlier_subject() -> None:
    _, relations = _read("贵州省大数据安全重点实验室于5月揭牌运行,依托贵州大学建设。"
                         "贵阳算力调度服务平台正式启动,该平台依托贵安超算中心有限公司建设。")
    assert ("贵州省大数据安全重点实验室", "affiliated_with", "贵州大学") in relations
    assert ("贵阳算力调度服务平台", "affiliated_with", "贵安超算中心有限公司") in relations


def test_adverbs_between_partners_and_hand_in_hand() -> None:
    _, relations = _read("贵州茅台酒股份有限公司同时与贵州大学开展技术合作。"
                         "贵阳朗玛信息技术股份有限公司携手贵州师范大学共建联合实验室。"
                         "贵阳智能科技研究院二期将落户贵阳高新区。")
    assert {("贵州茅台酒股份有限公司", "partnership", "贵州大学"),
            ("贵阳朗玛信息技术股份有限公司", "partnership", "贵州师范大学"),
            ("贵阳智能科技研究院", "located_in", "贵阳高新区")} <= relations


def test_several_parties_each_signing_with_one() -> None:
    _, relations = _read("兰州大学、兰州理工大学分别与兰州新区管理委员会签约,共建中试基地。"
                         "甘肃药业集团股份有限公司与兰州兽医研究所则签下联合研发协议。")
    assert {("兰州大学", "partnership", "兰州新区管理委员会"),
            ("兰州理工大学", "partnership", "兰州新区管理委员会"),
            ("甘肃药业集团股份有限公司", "partnership", "兰州兽医研究所")} <= relations
    assert ("兰州大学", "partnership", "兰州理工大学") not in relations


def test_investments_towards_named_or_referred_firms() -> None:
    _, relations = _read("兰州市科技成果转化基金,首期已向兰州星河科技有限公司、兰州云芯科技有限公司"
                         "等5家企业投资2亿元。兰州飞天科技有限公司完成融资,兰州市天使投资基金"
                         "向其追加投资1000万元。甘肃省引导基金联合兰州市天使投资基金投资"
                         "兰州光电股份有限公司。")
    assert {("兰州市科技成果转化基金", "invests_in", "兰州星河科技有限公司"),
            ("兰州市科技成果转化基金", "invests_in", "兰州云芯科技有限公司"),
            ("兰州市天使投资基金", "invests_in", "兰州飞天科技有限公司"),
            ("甘肃省引导基金", "invests_in", "兰州光电股份有限公司"),
            ("兰州市天使投资基金", "invests_in", "兰州光电股份有限公司")} <= relations


def test_a_short_name_in_brackets_is_the_same_party() -> None:
    _, relations = _read("兰州理工大学(兰理工)、兰州交通大学分别与兰州新区管理委员会签约。"
                         "兰州创业园全年新增企业52家,入驻兰州创业园的兰州飞天科技有限公司完成融资。")
    assert {("兰州理工大学", "partnership", "兰州新区管理委员会"),
            ("兰州交通大学", "partnership", "兰州新区管理委员会")} <= relations
    assert not any(source == target for source, _, target in relations)
