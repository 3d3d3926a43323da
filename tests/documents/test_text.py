"""Normalisation keeps the way back to the original characters; readers and sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.documents.readers import read_document
from ingest.documents.sections import find_sections, split_sentences
from ingest.documents.text import normalise_text
from schema import UnreadableFile


@pytest.mark.parametrize(("raw", "normalised"), [
    ("２０２３年", "2023年"),
    ("總投資45L67億元", "总投资451.67亿元"),
    ("增長IL77%", "增长11.77%"),
    ("突破IlOO亿元", "突破1100亿元"),
    ("3.O版", "3.0版"),
    ("达到95虬广泛", "达到95%。广泛"),
    ("全省第2o(三)", "全省第2。(三)"),
    ("浙江 大学", "浙江大学"),
    ("省“鳏鹏计划”", "省“鲲鹏计划”"),
    ("CDMO平台与5G中心", "CDMO平台与5G中心"),  # letters that are not number slips stay
])
def test_normalisation(raw: str, normalised: str) -> None:
    assert normalise_text(raw).text == normalised


def test_every_span_maps_back_to_what_was_written() -> None:
    raw = "溫州 醫科大學於2O22年與華中院簽約,增長IL77%。"
    mapped = normalise_text(raw)
    start = mapped.text.index("温州医科大学")
    a, b = mapped.original_span(start, start + len("温州医科大学"))
    assert raw[a:b] == "溫州 醫科大學"
    start = mapped.text.index("11.77%")
    a, b = mapped.original_span(start, start + 6)
    assert raw[a:b] == "IL77%"
    with pytest.raises(ValueError, match="outside the text"):
        mapped.original_span(0, len(mapped.text) + 1)


def test_name_slips_are_fixed_in_place() -> None:
    mapped = normalise_text("李校菊院士团队", {"李校菊": "李校堃"})
    assert mapped.text == "李校堃院士团队" and mapped.original_span(0, 3) == (0, 3)


def test_docx_and_markdown_read(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、总体情况")
    document.add_paragraph("溫州大學與浙江大學共建研究院。")
    document.save(str(tmp_path / "report.docx"))
    read = read_document(tmp_path / "report.docx")
    assert read.original == "一、总体情况\n溫州大學與浙江大學共建研究院。"
    assert "温州大学与浙江大学" in read.text and read.doc_id == "report"
    (tmp_path / "note.md").write_text("# 标题\n\n宁波大学。", encoding="utf-8")
    assert read_document(tmp_path / "note.md").text.endswith("宁波大学。")


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"  \n", "empty document"),
    ("binary.txt", b"\x00\x01\x02", "binary content"),
    ("broken.docx", b"not a zip", "not a readable .docx"),
    ("table.csv", b"a,b\n", "not a document"),
])
def test_unreadable_documents_say_why(tmp_path: Path, name: str, content: bytes,
                                      reason: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason) as caught:
        read_document(tmp_path / name)
    assert name in str(caught.value)


def test_gb18030_text_is_read(tmp_path: Path) -> None:
    (tmp_path / "gbk.txt").write_bytes("温州大学签约。".encode("gb18030"))
    assert read_document(tmp_path / "gbk.txt").text == "温州大学签约。"


def test_sections_follow_numbering_not_lookalikes() -> None:
    text = ("总述。一、亮点(一)甲“一区一廊”。(二)乙,全省第2、第3。一是丙。二是丁。(四)不连续。"
            "二、计划(一)戊。1 .项目。一是己。2 .项目")
    paths = [s.path for s in find_sections(text)]
    assert paths == ["序", "一", "一/(一)", "一/(二)", "一/(二)/一是", "一/(二)/二是", "二",
                     "二/(一)", "二/(一)/1", "二/(一)/1/一是", "二/(一)/2"]
    sentences = split_sentences(text, find_sections(text))
    assert sentences[0].text == "总述。" and sentences[1].section == "一"
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_a_scan_line_wrapped_inside_a_sentence_is_joined_and_maps_back() -> None:
    raw = ("　　南宁市科技局全年新认定广西智能装备技术重点实\n验室3家，南宁中试基地投入使\n用。\n"
           "南宁市科学技术局2024年工作要点\n一、平台建设\n")
    mapped = normalise_text(raw)
    assert "重点实验室3家" in mapped.text and "投入使用。" in mapped.text
    # a title and a heading keep their line breaks
    assert "工作要点\n一、平台建设" in mapped.text
    start = mapped.text.index("广西")
    a, b = mapped.original_span(start, start + len("广西智能装备技术重点实验室"))
    assert raw[a:b] == "广西智能装备技术重点实\n验室"
