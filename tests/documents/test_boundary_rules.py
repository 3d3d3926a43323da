"""Every example sentence of every boundary rule (``ingest/documents/boundary_rules.py``) is a
test case: the whole extractor reads it (patterns only), each name it lists is read with its
type, and none of the names it rules out is. And every rule is needed: without it, one of
its own examples fails."""

from __future__ import annotations

import pytest

from ingest.documents import boundary_rules
from ingest.documents.boundary_rules import KINDS, RULES, Example, Rule
from ingest.documents.extract import extract_document
from ingest.documents.mentions import Mention
from ingest.documents.readers import document_from_text

_CASES = [pytest.param(rule, example, id=f"{rule.name}-{i}")
          for rule in RULES for i, example in enumerate(rule.examples)]


def _names(text: str) -> set[tuple[str, str]]:
    extraction = extract_document(document_from_text("example", text), None)
    return {(m.item.text, m.item.type.value) for m in extraction.mentions
            if isinstance(m.item, Mention)}


def _problems(example: Example) -> list[str]:
    """What the extractor gets wrong in ``example`` (empty: it reads it as it says)."""
    found = _names(example.text)
    read = {name for name, _ in found}
    return ([f"{name} ({kind}) not read" for name, kind in example.find
             if (name, kind) not in found]
            + [f"{name} read" for name in example.miss if name in read])


@pytest.mark.parametrize(("rule", "example"), _CASES)
def test_rule_example(rule: Rule, example: Example) -> None:
    problems = _problems(example)
    assert not problems, f"{rule.name}: {example.text!r}: {problems}; " \
                         f"read: {sorted(_names(example.text))}"


@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
def test_the_rule_is_needed(rule: Rule, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ``rule``, at least one of its examples is read wrongly: no rule is dead
    weight, and no example passes whatever the rule says."""
    monkeypatch.setattr(boundary_rules, "RULES", tuple(r for r in RULES if r is not rule))
    assert any(_problems(example) for example in rule.examples), \
        f"{rule.name}: every example still reads right without the rule"


def test_every_rule_is_named_once_with_a_kind_and_examples() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names)), "rule names are unique"
    for rule in RULES:
        assert rule.kind in KINDS, f"{rule.name}: unknown kind {rule.kind}"
        assert rule.examples, f"{rule.name} has no example"
        assert all(e.find or e.miss for e in rule.examples), f"{rule.name}: an empty example"
    assert {rule.kind for rule in RULES} == set(KINDS), "a kind no rule uses"
