"""Every example sentence of every relation rule (``ingest/documents/relation_rules.py``) is
a test case: the relations it lists are read from it, by that rule (its name, one of its
trigger words), and those it rules out are not."""

from __future__ import annotations

import pytest

from ingest.documents.extract import extract_document
from ingest.documents.mentions import Mention
from ingest.documents.readers import document_from_text
from ingest.documents.relation_findings import RelationFinding
from ingest.documents.relation_rules import RULES, SHAPES, Example, RelationRule

_CASES = [pytest.param(rule, example, id=f"{rule.name}-{i}")
          for rule in RULES for i, example in enumerate(rule.examples)]


def _relations(text: str) -> list[RelationFinding]:
    extraction = extract_document(document_from_text("example", text), None)
    return [r.item for r in extraction.relations if not isinstance(r.item, Mention)]


def _same(found: RelationFinding, source: str, relation: str, target: str) -> bool:
    ends = (found.source.text, found.target.text)
    wanted = [(source, target)] + ([(target, source)] if relation == "partnership" else [])
    return found.type.value == relation and ends in wanted


@pytest.mark.parametrize(("rule", "example"), _CASES)
def test_rule_example(rule: RelationRule, example: Example) -> None:
    found = _relations(example.text)
    for source, relation, target, *kind in example.expect:
        matches = [f for f in found if _same(f, source, relation, target)]
        assert matches, f"{rule.name}: {source} -{relation}→ {target} not read from " \
                        f"{example.text!r}; read: {[(f.source.text, f.type.value, f.target.text) for f in found]}"
        if kind:
            assert any(f.kind is not None and f.kind.value == kind[0] for f in matches)
        # the team-leader shape is read with the teams (extract.py), which names no rule
        by_teams = "team-leader" in rule.forms and not matches[0].rule
        assert by_teams or any(f.rule == rule.name for f in matches), \
            f"{rule.name}: read by another rule ({[f.rule for f in matches]})"
        assert by_teams or any(f.trigger in rule.triggers or not f.trigger for f in matches)
    assert not (example.nothing and found), f"{rule.name}: read {found}"
    for source, relation, target in example.absent:
        assert not any(_same(f, source, relation, target) for f in found)


def test_every_rule_has_examples_and_a_known_shape() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names)), "rule names are unique"
    for rule in RULES:
        assert rule.examples, f"{rule.name} has no example"
        assert rule.triggers, f"{rule.name} has no trigger"
        assert set(rule.forms) <= set(SHAPES), f"{rule.name}: unknown shape {rule.forms}"
        assert any(example.expect for example in rule.examples), \
            f"{rule.name}: no example of what it reads"


def test_every_shape_reads_some_rule() -> None:
    used = {form for rule in RULES for form in rule.forms}
    assert used == set(SHAPES), f"shapes no rule uses: {set(SHAPES) - used}"
