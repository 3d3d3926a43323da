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
