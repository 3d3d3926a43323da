"""Every example of every cross-sentence rule (``ingest/documents/relation_references.py``) is a
test case: the relations it lists are read, by that reference (its name in the relation's
``rule``), quoting the sentences from the organisation named to the trigger; those it rules
out are not read."""

from __future__ import annotations

import pytest

from ingest.documents.extract import Found, extract_document
from ingest.documents.readers import document_from_text
from ingest.documents.relation_context import WINDOW
from ingest.documents.relation_findings import RelationFinding
from ingest.documents.relation_references import CONTEXT_RULES, Reference
from ingest.documents.relation_rules import Example

_CASES = [pytest.param(rule, example, id=f"{rule.name}-{i}")
          for rule in CONTEXT_RULES for i, example in enumerate(rule.examples)]


def _relations(text: str) -> list[Found]:
    extraction = extract_document(document_from_text("example", text), None)
    return [r for r in extraction.relations if isinstance(r.item, RelationFinding)]


def _same(found: RelationFinding, source: str, relation: str, target: str) -> bool:
    ends = (found.source.text, found.target.text)
    wanted = [(source, target)] + ([(target, source)] if relation == "partnership" else [])
    return found.type.value == relation and ends in wanted


@pytest.mark.parametrize(("rule", "example"), _CASES)
def test_context_example(rule: Reference, example: Example) -> None:
    found = _relations(example.text)
    for source, relation, target, *kind in example.expect:
        matches = [f for f in found if _same(f.item, source, relation, target)
                   and f.item.rule.endswith(f"+{rule.name}")]
        assert matches, f"{rule.name}: {source} -{relation}→ {target} not read from " \
                        f"{example.text!r}; read: " \
                        f"{[(f.item.source.text, f.item.type.value, f.item.target.text, f.item.rule) for f in found]}"
        if kind:
            assert any(f.item.kind is not None and f.item.kind.value == kind[0] for f in matches)
        for match in matches:  # the quote holds the organisation's sentence and the trigger's
            assert match.sentence.text.count("。") + match.sentence.text.count("】") >= 2
            assert match.item.trigger in match.sentence.text
    for source, relation, target in example.absent:
        assert not any(_same(f.item, source, relation, target) for f in found)


def test_every_context_rule_has_examples() -> None:
    names = [rule.name for rule in CONTEXT_RULES]
    assert len(names) == len(set(names))
    assert all(rule.examples and rule.description for rule in CONTEXT_RULES)


@pytest.mark.parametrize("text", [
    # a reference reaches one paragraph back, not two
    "长春光谷研究院于3月揭牌成立。\n全年新增专利86件。\n研究院依托吉林大学建设。",
    # 企业 alone is any firm, not the one named before
    "吉林光电有限公司是本地的龙头企业。企业与高校共建联合实验室12家。",
    # a line break ends the paragraph for 其
    "吉林光电有限公司是长春高新区的龙头企业。\n其与吉林大学共建联合实验室。",
    "长春光谷研究院于3月揭牌成立。\n全年新增专利86件。\n该研究院依托吉林大学建设。",
    # a new section: nothing before it
    "一、长春光谷研究院于3月揭牌成立。\n二、该研究院依托吉林大学建设。",
    # too far back: more than WINDOW sentences between
    "长春光谷研究院于3月揭牌成立。" + "全年新增专利86件。" * WINDOW + "该研究院依托吉林大学建设。",
    # no organisation of that kind before: 该公司 is not the institute
    "长春光谷研究院于3月揭牌成立。该公司与吉林大学签署战略合作协议。",
    # the sentence has a subject of its own: 该研究院 opening a later clause may be it
    "长春光谷研究院于3月揭牌成立。长春高新区新增企业12家,该研究院依托吉林大学建设。",
    # 其 as a possessive, not a subject
    "吉林光电有限公司是本地的龙头企业。其研发团队获得省级奖励。",
    # 双方 with no two parties named together before
    "长春市科技局召开座谈会。双方将共建长春智能制造研究院。",
])
def test_a_reference_reaches_no_further_than_its_window(text: str) -> None:
    assert not [f for f in _relations(text) if "+" in f.item.rule]
