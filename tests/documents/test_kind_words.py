"""Kind words added for the names blind parts held (bureaus, testing centres, associations,
science parks, R&D centres, Taiwan's foundations and incubators), each on sentences about
other cities than the dev set's, with the words that must stay no name."""

from __future__ import annotations

from ingest.documents.extract import extract_document
from ingest.documents.mentions import Mention
from ingest.documents.readers import document_from_text


def _names(text: str) -> set[tuple[str, str]]:
    extraction = extract_document(document_from_text("t", text), None)
    return {(m.item.text, m.item.type.value) for m in extraction.mentions
            if isinstance(m.item, Mention)}


def test_bureaus_and_departments_of_any_government() -> None:
    found = _names("南宁市大数据局与广西壮族自治区水利厅签约;优化产业布局,完善发展格局,"
                   "建成科技展厅。南宁市大数据局局长出席。")
    assert {("南宁市大数据局", "government"), ("广西壮族自治区水利厅", "government")} <= found
    assert not any(name.endswith(("布局", "格局", "展厅", "局局")) for name, _ in found)


def test_testing_centres_associations_and_rd_centres() -> None:
    found = _names("南宁市食品药品检验检测中心与南宁市软件行业协会签约,"
                   "广西玉柴机器股份有限公司组建氢能动力联合研发中心。")
    assert {("南宁市食品药品检验检测中心", "platform"), ("南宁市软件行业协会", "platform"),
            ("氢能动力联合研发中心", "institute")} <= found


def test_science_parks_bonded_zones_and_taiwans_foundations() -> None:
    found = _names("台南科学园区扩建;南宁综合保税区获批。"
                   "高雄市政府与财团法人精密机械研究发展中心(以下简称“精机中心”)签约,"
                   "精机中心进驻。屏东科技大学创新育成中心新增企业12家。")
    assert {("台南科学园区", "park"), ("南宁综合保税区", "park"),
            ("财团法人精密机械研究发展中心", "institute"), ("精机中心", "institute"),
            ("屏东科技大学创新育成中心", "incubator")} <= found


def test_a_financial_product_in_quotes_may_be_an_insurance() -> None:
    found = _names("南宁市推出“科技保”和「邕科贷」,“保”字当头。")
    assert {("科技保", "fund"), ("邕科贷", "fund")} <= found
    assert not any(name == "保" for name, _ in found)


def test_an_abbreviation_inside_a_longer_one_is_part_of_it() -> None:
    found = _names("浙江大学与南宁市共建浙江大学南宁创新研究院(以下简称“浙大南宁院”)。"
                   "浙江大学牵头,浙大南宁院参与,浙大南宁院中试基地投用。")
    assert ("浙大南宁院", "institute") in found
    assert ("浙大", "institute") not in found


def test_an_abbreviation_may_keep_the_academy_and_the_city() -> None:
    found = _names("中国科学院南宁海洋生态研究所(以下简称“中科院南宁海洋所”)牵头。"
                   "依托中科院南宁海洋所建设的实验室获批。")
    assert ("中科院南宁海洋所", "institute") in found
    assert not {"中科院", "南宁海洋所"} & {name for name, _ in found}


def test_a_key_labs_field_may_hold_descriptive_adjectives() -> None:
    # jieba tags 洁净 z (a descriptive adjective): a field's word in a key lab's name
    found = _names("通过评估,高效洁净机械制造全国重点实验室全年新增项目12项。")
    assert ("高效洁净机械制造全国重点实验室", "institute") in found


def test_chambers_federations_and_promotion_associations() -> None:
    found = _names("南宁市总商会与广西壮族自治区企业联合会签约,南宁市科技创新促进会参与。")
    assert {("南宁市总商会", "platform"), ("广西壮族自治区企业联合会", "platform"),
            ("南宁市科技创新促进会", "platform")} <= found


def test_a_national_centre_named_after_its_host_city() -> None:
    found = _names("该平台依托国家超级计算长沙中心建设,推进长沙中心城区更新。")
    assert ("国家超级计算长沙中心", "platform") in found
    assert not any("城区" in name for name, _ in found)


def test_latin_words_of_a_name_may_be_spaced_and_taiwan_names_startup_parks() -> None:
    found = _names("台南5G AIoT創新園區擴大招商,沙崙新創園由台南市政府營運。")
    assert {("台南5G AIoT创新园区", "park"), ("沙仑新创园", "incubator")} <= found
