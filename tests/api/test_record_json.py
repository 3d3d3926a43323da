"""A neighbourhood's body joined from per-record JSON is the body pydantic would make."""

from __future__ import annotations

import pytest

from api.convert import neighborhood_out
from api.record_json import neighborhood_json
from graph.neighborhood_index import NeighborhoodIndex
from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    store = open_store(tmp_path_factory.mktemp("sample") / "store")
    load_paths(store, [SAMPLE])
    return store


def test_same_bytes_as_the_model_on_every_sample_entity(sample: GraphStore) -> None:
    index = NeighborhoodIndex.of(sample)
    for entity in sample.iter_entities():
        for depth, cap in ((1, 200), (2, 5)):  # cap 5: truncated ones too
            found = index.neighborhood(entity.id, depth=depth, max_nodes=cap)
            expected = neighborhood_out(found).model_dump_json().encode()
            assert neighborhood_json(found) == expected  # made
            assert neighborhood_json(found) == expected  # and reused


def test_a_store_answer_with_quotes_in_the_id(sample: GraphStore) -> None:
    found = sample.neighborhood(next(sample.iter_entities()).id, depth=1)
    found.center = 'a"b\\c'  # a centre id needing escapes
    assert neighborhood_json(found) == neighborhood_out(found).model_dump_json().encode()
