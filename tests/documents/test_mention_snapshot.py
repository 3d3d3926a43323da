"""Mention output on the dev set, with the rules alone and with the second reader, is exactly
the recorded snapshot (see :mod:`tests.documents.mention_snapshot`; rewrite it deliberately
when the boundary rules change, and review the diff)."""

from __future__ import annotations

import json

import pytest

from tests.documents.mention_snapshot import MODES, SNAPSHOT, documents, mention_lines

_RECORDED: dict[str, dict[str, list[str]]] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(documents()))
def test_mentions_match_the_snapshot(name: str, mode: str) -> None:
    path = documents()[name]
    if path is None:
        pytest.skip(f"{name}: corpus file absent (../shared/corpus)")
    assert name in _RECORDED[mode], f"{name} is not in the snapshot: rewrite it"
    assert mention_lines(path, mode) == _RECORDED[mode][name]
