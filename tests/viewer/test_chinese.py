"""No English reaches a viewer user: the labels of the entity panel (properties, provenance,
how a fact is known), the graph's edge titles and the search results' match notes are
Chinese, whatever keys the data uses."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from .conftest import Incidents

Guarded = tuple[Any, Incidents]
LATIN_WORD = re.compile(r"[A-Za-z_]{3,}")
#: an entity with properties, provenance (source_doc, section, span, evidence) and aliases
INSTITUTE = "institute:浙江大学温州研究院"


def test_the_panel_labels_are_chinese(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/#entity=" + quote(INSTITUTE))
    page.wait_for_selector("#entity-name")
    page.wait_for_function("document.querySelectorAll('#panel table tr').length > 3")
    labels = page.eval_on_selector_all("#panel table tr td:first-child",
                                       "cells => cells.map(c => c.textContent)")
    assert labels and not [label for label in labels if LATIN_WORD.search(label)], labels
    assert {"来源文件", "章节", "原文位置", "依据"} <= set(labels)
    values = dict(zip(labels, page.eval_on_selector_all(
        "#panel table tr td:last-child", "cells => cells.map(c => c.textContent)"), strict=True))
    assert values["依据"] in {"报告原文", "推断", "领域常识", "用户提供"}
    # the id is shown as a code, apart from the words
    assert page.text_content("#panel code.entity-id") == INSTITUTE
    # nothing bare between the panel's parts (a skipped part once showed as the text "null")
    loose = page.eval_on_selector("#panel", "p => [...p.childNodes].filter(n => n.nodeType === 3)"
                                            ".map(n => n.textContent.trim()).filter(Boolean)")
    assert loose == []


def test_edge_titles_and_search_notes_are_chinese(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/#entity=" + quote(INSTITUTE))
    page.wait_for_selector("#entity-name")
    title = page.evaluate("""async () => {
        const { edgeOf } = await import('/static/graph.js');
        return edgeOf({ id: 'r', source: 'a', target: 'b', type_label: '合作', props: {},
                        provenance: { source_doc: 'doc-1', source_span: '10-20',
                                      evidence: 'report', note: '备注' } }).title; }""")
    assert "来源文件：doc-1" in title and "原文位置：10-20" in title and "依据：报告原文" in title
    assert not re.search(r"source_doc|source_span|evidence|report", title), title
    page.fill("#q", "浙大研究院")
    page.wait_for_selector("#results li.result")
    notes = page.locator("#results li.result .muted").all_text_contents()
    how = [note.strip("（）").split("：")[0] for note in notes if note]  # （简称：名称）
    assert how and not [h for h in how if LATIN_WORD.search(h)], notes
    assert "简称" in how  # the abbreviation match, once shown as "abbreviation"


def test_an_industry_without_segments_says_so_without_a_stale_map(guarded: Guarded,
                                                                  base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/#chain=" + quote("industry:眼镜"))
    page.wait_for_selector(".segment")
    page.goto(base_url + "/#chain=" + quote("industry:5G通信"))
    page.wait_for_selector("#industry-members")
    assert page.text_content("#chain-title") == "5G通信：尚未划分产业链环节"
    assert "画产业链图谱需要" in page.text_content("#chain-summary")
    assert not LATIN_WORD.search(page.text_content("#chain-summary"))
    assert page.locator(".segment").count() == 0  # the eyewear map is gone
    assert page.locator("#industry-members li").count() >= 1
