"""Names read once in a document are read everywhere in it, and the name patterns added
after reading the corpus's misses — each written for another city, so that they test the
rule, not the corpus sentence."""

from __future__ import annotations

from ingest.documents.discourse import document_names
from ingest.documents.extract import extract_document
from ingest.documents.mentions import Mention
from ingest.documents.readers import document_from_text
from schema import EntityType


def _mentions(text: str) -> list[tuple[str, str, str]]:
    """(name as written, type, method) of every mention, patterns only."""
    extraction = extract_document(document_from_text("t", text), None)
    return [(m.item.text, m.item.type.value, m.item.method) for m in extraction.mentions
            if isinstance(m.item, Mention)]


def test_a_name_found_once_is_found_where_its_clause_gives_no_clue() -> None:
    text = "推进长沙智能制造科技城建设。加快智能制造科技城扩区,长沙智能制造科技城获评优秀。"
    found = _mentions(text)
    assert found.count(("长沙智能制造科技城", "park", "suffix")) == 2
    # the second sentence alone does not mark 智能制造… as a name; the first reading does,
    # and a repeat the patterns read themselves is not read twice
    assert ("智能制造科技城", "park", "document") in found
    assert len(found) == 3


def test_short_form_without_the_place_is_the_same_name() -> None:
    names = document_names([Mention(0, 7, "合肥量子科技城", "合肥量子科技城", EntityType.park,
                                    0.8, "suffix")])
    assert set(names) == {"合肥量子科技城", "量子科技城"}
    # a place plus a kind word alone is no name of its own
    assert set(document_names([Mention(0, 5, "合肥高新区", "合肥高新区", EntityType.park,
                                       0.8, "suffix")])) == {"合肥高新区"}


def test_repeats_do_not_come_from_weak_readings() -> None:
    weak = Mention(0, 4, "甲乙企业", "甲乙企业", EntityType.enterprise, 0.5, "list")
    assert document_names([weak]) == {}


def test_government_bodies_without_a_kind_suffix() -> None:
    found = _mentions("认真落实省委全会精神,成果写入国务院白皮书,市科技部门牵头,区政府统筹。")
    names = {(name, kind) for name, kind, _ in found}
    assert {("省委", "government"), ("国务院", "government"), ("区政府", "government")} <= names
    assert not any(name.startswith("科技部") for name, _, _ in found)  # 科技部门 is no ministry


def test_admin_prefix_alone_makes_a_bureau_a_name() -> None:
    assert ("市科技局", "government", "suffix") in _mentions("。市科技局召开全市科技工作会议。")


def test_a_place_qualifier_inside_a_name_keeps_its_head() -> None:
    found = _mentions("量子传感(合肥)创新研究院、智能网联(长沙)自主创新基地揭牌。")
    assert ("量子传感(合肥)创新研究院", "institute", "suffix") in found
    assert ("智能网联(长沙)自主创新基地", "park", "suffix") in found


def test_a_part_of_a_park_is_part_of_its_name() -> None:
    assert ("西安高新区核心区", "park", "suffix") in _mentions("加快西安高新区核心区建设。")


def test_a_centre_named_after_a_university_is_an_institute() -> None:
    found = _mentions("厦门大学能源材料创新中心、厦门软件产业服务中心投入运行。")
    assert ("厦门大学能源材料创新中心", "institute", "suffix") in found
    assert ("厦门软件产业服务中心", "platform", "suffix") in found


def test_a_clause_opening_subject_is_a_name_unless_generic() -> None:
    found = {(name, kind) for name, kind, _ in _mentions(
        "会上,智能网联综合体发布三年计划。科技企业孵化器新增12家,属地政府给予支持。")}
    assert ("智能网联综合体", "platform") in found
    assert not any(name in {"科技企业孵化器", "属地政府"} for name, _ in found)


def test_verbs_before_a_name_are_not_part_of_it() -> None:
    found = {name for name, _, _ in _mentions("充分发挥济南药谷作用,有力支撑泉城科创基金落地。")}
    assert "济南药谷" in found
    assert "泉城科创基金" in found


def _relations(text: str) -> set[tuple[str, str, str]]:
    extraction = extract_document(document_from_text("t", text), None)
    return {(r.item.source.text, r.item.type.value, r.item.target.text)
            for r in extraction.relations if not isinstance(r.item, Mention)}


def test_where_a_team_settles_is_a_park_and_its_location() -> None:
    text = "引进陈刚教授领衔的固态电池研究团队,在宁波甬江智造城落地。甬江智造城集聚企业百家。"
    assert ("固态电池研究团队", "located_in", "宁波甬江智造城") in _relations(text)
    found = _mentions(text)
    assert ("宁波甬江智造城", "park", "suffix") in found
    assert ("甬江智造城", "park", "document") in found  # the place-less short form


def test_firms_moving_in_name_the_park_they_move_into() -> None:
    text = "济南晶正电子科技有限公司等8家企业入驻齐鲁软件谷。"
    assert ("济南晶正电子科技有限公司", "incubated_at", "齐鲁软件谷") in _relations(text)


def test_a_university_named_in_full_is_known_by_its_abbreviation() -> None:
    found = _mentions("华南理工大学与广州市科技局签约。华工与广汽集团合作,华南理工团队落户广州。"
                      "北京航空航天大学、北航杭州创新研究院参会,北京大道改造完成。")
    # 华工: too short to tell (two characters); 北航 the same; what is read is read right
    assert not any(name in {"北京大", "华南理工大"} for name, _, _ in found)
    found = _mentions("西南交通大学与成都市签约。西南交大与中车集团共建联合实验室。")
    assert ("西南交大", "institute", "document") in found


def test_a_countrys_name_inside_an_abbreviation_is_not_read_alone() -> None:
    text = "中国科学技术大学揭牌。中国科大与合肥市科技局签约。"
    extraction = extract_document(document_from_text("t", text), None)
    found = [(m.item.text, m.item.canonical) for m in extraction.mentions
             if isinstance(m.item, Mention)]
    assert ("中国科大", "中国科学技术大学") in found
    assert not any(name == "中国" for name, _ in found)


def test_funds_vehicles_incubators_and_proof_of_concept_centres() -> None:
    found = {(name, kind) for name, kind, _ in _mentions(
        "该公司获福州鼓楼科创股权投资合伙企业(有限合伙)投资,入驻福州高新区创业中心;"
        "福州大学概念验证中心、福州新区生物医药中试基地投入运行。"
        "该基金领投福州智芯微电子有限公司。")}
    assert {("福州鼓楼科创股权投资合伙企业(有限合伙)", "fund"),
            ("福州高新区创业中心", "incubator"), ("福州大学概念验证中心", "platform"),
            ("福州新区生物医药中试基地", "platform"),
            ("福州智芯微电子有限公司", "enterprise")} <= found


def test_a_name_opening_with_two_numerals_keeps_both() -> None:
    found = _mentions("湖南大学与三一重工股份有限公司签约。(一)三大平台建设。")
    assert ("三一重工股份有限公司", "enterprise", "suffix") in found
