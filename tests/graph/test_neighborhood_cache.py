"""The neighbourhood index's record cache starts afresh when full, and answers stay whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synthetic import generate
from graph import neighborhood_index as module
from graph.neighborhood_index import NeighborhoodIndex
from graph.store import open_store
from ingest.loader import load_paths


def test_answers_stay_the_same_when_the_cache_overflows(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    entities, relations = generate(tmp_path / "data", 500, 2500, seed=5)
    with open_store(tmp_path / "store") as store:
        load_paths(store, [entities, relations])
        ids = [e.id for e in store.iter_entities()][:60]
        expected = {i: NeighborhoodIndex.of(store).neighborhood(i, depth=2, max_nodes=80)
                    for i in ids}
        monkeypatch.setattr(module, "_CACHE_RECORDS", 150)  # overflows every few answers
        small = NeighborhoodIndex.of(store)
        for _ in range(2):
            for i in ids:
                assert small.neighborhood(i, depth=2, max_nodes=80) == expected[i], i
