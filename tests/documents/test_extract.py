"""Extraction from paragraphs written for these tests: other cities, Simplified and
Traditional, with and without a gazetteer."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.documents.extract import extract_document
from ingest.documents.gazetteer import Gazetteer
from ingest.documents.readers import document_from_text

from .conftest import SIMPLIFIED, TRADITIONAL


def _lines(text: str, gazetteer: Gazetteer | None) -> list[dict[str, Any]]:
    document = document_from_text("test-doc", text, gazetteer.slips if gazetteer else None)
    return list(extract_document(document, gazetteer).lines())


def _mentions(lines: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(m["canonical"], m["type"]) for m in lines if m["record"] == "mention"}


def _relations(lines: list[dict[str, Any]]) -> set[tuple[str, str, str, str | None]]:
    return {(r["source"]["canonical"], r["relation"], r["target"]["canonical"], r["kind"])
            for r in lines if r["record"] == "relation"}


@pytest.mark.parametrize("use_gazetteer", [True, False])
def test_new_names_come_from_patterns(gazetteer: Gazetteer, use_gazetteer: bool) -> None:
    lines = _lines(SIMPLIFIED, gazetteer if use_gazetteer else None)
    assert {("宁波市科技局", "government"), ("宁波中车新能源科技有限公司", "enterprise"),
            ("宁波高新区", "park"), ("宁波大学", "institute"), ("东方电气集团", "enterprise"),
            ("海洋智能装备研究团队", "talent_team"), ("张伟", "person")} <= _mentions(lines)
    assert not any(m["name"].startswith("(") for m in lines if m["record"] == "mention")


def test_gazetteer_resolves_short_forms_to_canonical(gazetteer: Gazetteer) -> None:
    lines = _lines(SIMPLIFIED, gazetteer)
    short = next(m for m in lines if m["record"] == "mention" and m["name"] == "宁波材料技术研究所")
    assert short["canonical"] == "中国科学院宁波材料技术与工程研究所"
    assert short["entity_id"] == "institute:中国科学院宁波材料技术与工程研究所"
    assert short["resolved_by"] == "alias"


def test_relations_with_kind_status_and_year(gazetteer: Gazetteer) -> None:
    lines = _lines(SIMPLIFIED, gazetteer)
    assert _relations(lines) >= {
        ("甬江实验室", "partnership", "中国科学院宁波材料技术与工程研究所", "战略合作"),
        ("宁波中车新能源科技有限公司", "incubated_at", "宁波高新区", None),
        ("张伟", "leads", "海洋智能装备研究团队", None),
        ("宁波大学", "partnership", "东方电气集团", "联合申报"),
    }
    joint = next(r for r in lines if r["record"] == "relation" and r["kind"] == "联合申报")
    assert joint["year"] == 2024  # written 2O24 in the text
    signed = next(r for r in lines if r["record"] == "relation" and r["kind"] == "战略合作")
    assert signed["status"] == "签约" and signed["endpoint_problem"] is None


def test_traditional_text_extracts_and_cites_the_original() -> None:
    lines = _lines(TRADITIONAL, None)
    assert ("中国科学技术大学", "partnership", "合肥高新技术产业开发区管理委员会",
            "战略合作") in _relations(lines)
    assert ("安徽量子计算有限公司", "incubated_at", "合肥创新产业园", None) in _relations(lines)
    for line in lines:
        spans = [line] if line["record"] == "mention" else [line["source"], line["target"]]
        for span in spans:
            assert TRADITIONAL[span["start"]:span["end"]] == span["name"]
        start, end = line["sentence"]
        assert TRADITIONAL[start:end].endswith("。")


def test_line_format_matches_the_architecture_contract(gazetteer: Gazetteer) -> None:
    for line in _lines(SIMPLIFIED, gazetteer):
        if line["record"] == "mention":
            assert {"doc", "name", "canonical", "type", "start", "end", "confidence"} <= set(line)
            assert 0 < line["confidence"] <= 1
        else:
            assert {"name", "canonical"} <= set(line["source"]) and "kind" in line
            assert line["start"] < line["end"] and line["evidence"]


def test_implicit_actor_and_parallel_signers_yield_no_partnership() -> None:
    text = ("与华中科技大学启动新一轮校地合作。"
            "苏州纳米研究院、无锡量子研究院签约落地。")
    lines = _lines(text, None)
    assert {"华中科技大学", "苏州纳米研究院", "无锡量子研究院"} <= {c for c, _ in _mentions(lines)}
    assert not [r for r in lines if r["record"] == "relation"]


def test_endpoint_rules_are_flagged_not_hidden() -> None:
    # a park cannot be "affiliated with" a park: extracted, but flagged for the reviewer
    lines = _lines("杭州未来科技城依托杭州高新区建设。", None)
    flagged = [r for r in lines if r["record"] == "relation"]
    assert flagged and flagged[0]["relation"] == "affiliated_with"
    assert "cannot start at park" in flagged[0]["endpoint_problem"]


def test_slipped_known_name_is_fixed_from_the_gazetteer(gazetteer: Gazetteer) -> None:
    lines = _lines("引进张玮教授带领的海洋智能装备研究团队。", gazetteer)
    leader = next(m for m in lines if m["record"] == "mention" and m["type"] == "person")
    assert leader["name"] == "张玮" and leader["canonical"] == "张伟"
    assert leader["entity_id"] == "person:张伟"


def test_listed_firms_each_join_the_park() -> None:
    text = "杭州先导药物有限公司、杭州康弘药业集团股份有限公司等12家企业入驻杭州医药港小镇。"
    assert _relations(_lines(text, None)) == {
        ("杭州先导药物有限公司", "incubated_at", "杭州医药港小镇", None),
        ("杭州康弘药业集团股份有限公司", "incubated_at", "杭州医药港小镇", None)}


def test_a_name_may_contain_yu_but_two_parties_joined_by_yu_stay_two() -> None:
    lines = _lines("中国科学院宁波材料技术与工程研究所与宁波大学签署战略合作协议。", None)
    assert ("中国科学院宁波材料技术与工程研究所", "partnership", "宁波大学", "战略合作") \
        in _relations(lines)


def test_a_team_line_names_its_leaders() -> None:
    lines = _lines("中国科学院欧阳钟灿院士和刘昌胜院士领衔的再生医学材料研究团队。", None)
    team = next(m for m in lines if m["record"] == "mention" and m["type"] == "talent_team")
    assert team["canonical"] == "再生医学材料研究团队"
    assert team["leaders"] == ["欧阳钟灿", "刘昌胜"]
