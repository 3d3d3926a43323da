"""Row classification, generated from the rule tables in ``ingest.shapes.row_kinds``."""

from __future__ import annotations

import pytest

from ingest.shapes.row_kinds import (
    CLASSIFY_EXAMPLES,
    CONTEXT_EXAMPLES,
    CONTEXTS,
    COUNT_RULES,
    KINDS,
    NOTE_RULES,
    ORDINAL_RULES,
    RowKind,
    classify,
    heading_context,
    note_rule,
)

NOTES = [(rule, text) for rule, _p, notes, _n in NOTE_RULES for text in notes]
NOT_NOTES = [text for _r, _p, _notes, not_notes in NOTE_RULES for text in not_notes]
ORDINALS = [example for _r, _p, examples in ORDINAL_RULES for example in examples]
COUNTS = [example for _r, _p, examples in COUNT_RULES for example in examples]


@pytest.mark.parametrize(("rule", "text"), NOTES)
def test_note_rules(rule: str, text: str) -> None:
    assert note_rule(text) == rule
    kind = classify([text], 4, 1)
    assert (kind.kind, kind.text, kind.rule) == ("note", text, rule)


@pytest.mark.parametrize("text", NOT_NOTES)
def test_not_notes(text: str) -> None:
    assert note_rule(text) is None


@pytest.mark.parametrize(("heading", "text"), ORDINALS + COUNTS)
def test_headings_lose_ordinal_and_count(heading: str, text: str) -> None:
    kind = classify([heading], 4, 1)
    assert kind.kind == "group" and kind.text == text
    assert kind.context == heading_context(text)


@pytest.mark.parametrize(("heading", "context", "text"), CONTEXT_EXAMPLES)
def test_contexts(heading: str, context: str, text: str) -> None:
    assert heading_context(heading) == context
    kind = classify([f"一、{heading}"], 4, 1)
    assert (kind.kind, kind.context, kind.text) == ("group", context, text)


@pytest.mark.parametrize(("cells", "name_col", "expected"), CLASSIFY_EXAMPLES)
def test_classify(cells: tuple[str, ...], name_col: int, expected: tuple[str, str, str]) -> None:
    kind = classify(list(cells), 4, name_col)
    assert (kind.kind, kind.context, kind.text) == expected
    assert kind.kind in KINDS and kind.context in ("", *CONTEXTS)


def test_nameless_row_is_data_to_reject() -> None:
    assert classify(["1", "", "瓯海区"], 4, 1) == RowKind("data", rule="no name")
    assert classify(["以下为新增企业"], 4, 1).rule == "no name"


def test_one_column_list_keeps_bare_places_as_names() -> None:
    assert classify(["瓯海区"], 1, 0).kind == "data"
    assert classify(["瓯海区（3家）"], 1, 0).kind == "group"


def test_level_and_count_together() -> None:
    kind = classify(["国家级（5家）"], 4, 1)
    assert (kind.kind, kind.context, kind.text) == ("group", "level", "国家级")
    assert kind.rule == "bracketed count"


def test_group_with_other_cells_is_data() -> None:
    assert classify(["", "瓯海区（12家）", "", "12"], 4, 1).kind == "data"
