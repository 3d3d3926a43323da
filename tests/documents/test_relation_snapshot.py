"""Relation output on the dev set is exactly the recorded snapshot (see
:mod:`tests.documents.relation_snapshot`; rewrite it deliberately when the rules change)."""

from __future__ import annotations

import json

import pytest

from tests.documents.relation_snapshot import SNAPSHOT, documents, relation_lines

_RECORDED: dict[str, list[str]] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(documents()))
def test_relations_match_the_snapshot(name: str) -> None:
    path = documents()[name]
    if path is None:
        pytest.skip(f"{name}: corpus file absent (../shared/corpus)")
    assert name in _RECORDED, f"{name} is not in the snapshot: rewrite it"
    assert relation_lines(path) == _RECORDED[name]
