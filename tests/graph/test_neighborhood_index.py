"""The in-memory neighbourhood index answers exactly as the store does."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bench.synthetic import generate
from graph.neighborhood_index import NeighborhoodIndex, neighborhood_index
from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from schema import EntityNotFound, EntityType, RelationType
from tests.conftest import SAMPLE


def _same(store: GraphStore, index: NeighborhoodIndex, entity_id: str, **options: object) -> None:
    expected = store.neighborhood(entity_id, **options)  # type: ignore[arg-type]
    found = index.neighborhood(entity_id, **options)  # type: ignore[arg-type]
    assert [n.id for n in found.nodes] == [n.id for n in expected.nodes], (entity_id, options)
    assert found.edges == expected.edges, (entity_id, options)
    assert found.nodes == expected.nodes and found.truncated == expected.truncated


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    store = open_store(tmp_path_factory.mktemp("sample") / "store")
    load_paths(store, [SAMPLE])
    return store


def test_sample_entities_at_each_depth_and_cap(sample: GraphStore) -> None:
    index = NeighborhoodIndex.of(sample)
    everyone = list(sample.iter_entities())
    for entity in everyone[::2]:
        _same(sample, index, entity.id, depth=2, max_nodes=40)
    for entity, depth in itertools.product(everyone[1::10], (1, 3)):
        _same(sample, index, entity.id, depth=depth, max_nodes=3)  # truncated on hubs


def test_filters_match_too(sample: GraphStore) -> None:
    index = NeighborhoodIndex.of(sample)
    filters = [{"relation_types": [RelationType.partnership, RelationType.affiliated_with]},
               {"entity_types": [EntityType.enterprise, EntityType.institute]},
               {"relation_types": [RelationType.located_in],
                "entity_types": [EntityType.region]}]
    for entity, options in itertools.product(list(sample.iter_entities())[::10], filters):
        _same(sample, index, entity.id, depth=2, max_nodes=60, **options)


def test_a_larger_graph_with_hubs(tmp_path: Path) -> None:
    entities, relations = generate(tmp_path / "data", 2000, 10000, seed=3)
    with open_store(tmp_path / "store") as store:
        load_paths(store, [entities, relations])
        index = neighborhood_index(store)
        for entity in list(store.iter_entities())[::100]:
            _same(store, index, entity.id, depth=2, max_nodes=100)
        with pytest.raises(EntityNotFound):
            index.neighborhood("enterprise:没有")


def test_the_index_follows_writes(tmp_path: Path) -> None:
    from tests.conftest import entity

    with open_store(tmp_path / "store") as store:
        a = entity(EntityType.region, "瓯海区")
        store.upsert([a], [])
        first = neighborhood_index(store)
        assert neighborhood_index(store) is first
        store.upsert([entity(EntityType.region, "鹿城区")], [])
        assert neighborhood_index(store) is not first
