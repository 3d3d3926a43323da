"""The real corpus: slips fixed, sections found, evidence cited back to the text as written,
and the curated graph's names used as a gazetteer. Skipped when ../shared/corpus is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.store import open_store
from ingest.documents.extract import extract_path
from ingest.documents.gazetteer import Gazetteer
from ingest.documents.pipeline import gazetteer_for
from ingest.loader import load_paths
from tests.conftest import CORPUS, SAMPLE

pytestmark = pytest.mark.skipif(not CORPUS.is_file(),
                                reason=f"corpus not found at {CORPUS} (../shared/corpus)")


@pytest.fixture(scope="module")
def wenzhou(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gazetteer]:
    with open_store(tmp_path_factory.mktemp("wz") / "store") as store:
        load_paths(store, [SAMPLE])
        gazetteer = gazetteer_for(store)
    assert gazetteer is not None
    yield gazetteer


@pytest.fixture(scope="module")
def lines(wenzhou: Gazetteer) -> list[dict[str, Any]]:
    return list(extract_path(CORPUS, wenzhou).lines())


def test_slips_are_fixed_but_evidence_cites_the_original(wenzhou: Gazetteer) -> None:
    extraction = extract_path(CORPUS, wenzhou)
    text = extraction.document.text
    for fixed in ("二、2022年重点工作", "总投资451.67亿元", "增长11.77%", "“鲲鹏计划”", "李校堃院士"):
        assert fixed in text
    original = Path(CORPUS).read_text(encoding="utf-8")
    assert extraction.document.original == original
    at = text.index("李校堃院士")
    a, b = extraction.span(at, at + 3)
    assert original[a:b] == "李校菊"


def test_every_span_is_what_the_document_wrote(lines: list[dict[str, Any]]) -> None:
    original = Path(CORPUS).read_text(encoding="utf-8")
    for line in lines:
        for span in ([line] if line["record"] == "mention" else [line["source"], line["target"]]):
            assert original[span["start"]:span["end"]] == span["name"]
        start, end = line["sentence"]
        if line["record"] == "relation":
            assert start <= line["start"] < line["end"] <= end
            assert original[line["start"]:line["end"]] == line["evidence"]


def test_known_names_resolve_and_sections_follow_the_numbering(
        lines: list[dict[str, Any]]) -> None:
    by_name = {m["name"]: m for m in lines if m["record"] == "mention"}
    assert by_name["国科大温州研究院"]["entity_id"] == "institute:中国科学院大学温州研究院"
    assert by_name["浙大研究院"]["section"] == "一/(四)"
    team = by_name["李校菊院士再生医学与药物研究团队"]
    assert team["canonical"] == "李校堃院士再生医学与药物研究团队"
    assert team["section"] == "二/(二)/4/二是"


def test_the_one_stated_partnership_with_kind_and_plan_year(lines: list[dict[str, Any]]) -> None:
    partnerships = [r for r in lines if r["record"] == "relation"
                    and r["relation"] == "partnership"]
    assert [(r["source"]["canonical"], r["target"]["canonical"], r["kind"], r["year"])
            for r in partnerships] == [
        ("瓯海智能锁具产业创新服务综合体", "威凯检测技术有限公司", "战略合作", 2022)]
