"""Shortest paths from the in-memory adjacency are the store's: the same paths (as sets),
the same count when ``limit`` cuts them, the same connection kind, note and bounds — on
the Wenzhou sample and on random multigraphs (hypothesis)."""

from __future__ import annotations

import itertools
import random
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.connections import TIES, connections
from graph.neighborhood_index import NeighborhoodIndex
from graph.paths_index import PathFinder
from graph.store import GraphStore, open_store
from graph.store.records import GraphPath
from ingest.loader import load_paths
from schema import Entity, EntityType, InvalidInput, Relation, RelationType, relation_id
from tests.conftest import SAMPLE

Key = tuple[tuple[str, ...], tuple[str, ...]]


def _keys(paths: list[GraphPath]) -> list[Key]:
    return [(tuple(n.id for n in p.nodes), tuple(e.id for e in p.edges)) for p in paths]


def _same_paths(store: GraphStore, finder: PathFinder, source: str, target: str,
                **options: object) -> None:
    """Every shortest path when they fit in the limit; else as many, each a shortest one."""
    everything = set(_keys(store.shortest_paths(source, target, limit=100, **options)))
    ours = _keys(finder.shortest_paths(source, target, limit=2, **options))
    assert len(ours) == len(set(ours)) == min(2, len(everything)), (source, target, options)
    assert set(ours) <= everything
    stored = store.shortest_paths(source, target, limit=100, **options)
    ours_full = dict(zip(_keys(finder.shortest_paths(source, target, limit=100, **options)),
                         finder.shortest_paths(source, target, limit=100, **options),
                         strict=True))
    assert set(ours_full) == everything
    for key, path in zip(_keys(stored), stored, strict=True):
        assert ours_full[key] == path  # the same records, hop by hop


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    store = open_store(tmp_path_factory.mktemp("sample") / "store")
    load_paths(store, [SAMPLE])
    return store


def test_the_store_s_paths_on_sample_pairs(sample: GraphStore) -> None:
    finder = PathFinder(NeighborhoodIndex.of(sample))
    ids = sorted(e.id for e in sample.iter_entities())
    rng = random.Random(16)
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(30)]
    for source, target in pairs:
        for hops in (1, 2, 4):
            _same_paths(sample, finder, source, target, max_hops=hops)
        _same_paths(sample, finder, source, target, max_hops=4, relation_types=list(TIES))


def test_the_same_connections_on_the_sample(sample: GraphStore) -> None:
    finder = PathFinder(NeighborhoodIndex.of(sample))
    ids = sorted(e.id for e in sample.iter_entities())
    rng = random.Random(17)
    for source, target in [tuple(rng.sample(ids, 2)) for _ in range(20)]:
        for hops, types in ((4, None), (2, None), (3, [RelationType.located_in])):
            ours = connections(finder, source, target, max_hops=hops, limit=100,
                               relation_types=types)
            theirs = connections(sample, source, target, max_hops=hops, limit=100,
                                 relation_types=types)
            assert (ours.kind, ours.note, ours.relations_searched) == (
                theirs.kind, theirs.note, theirs.relations_searched)
            assert sorted(_keys(ours.paths)) == sorted(_keys(theirs.paths))


def test_paths_come_in_id_order_and_bounds_are_the_store_s(sample: GraphStore) -> None:
    finder = PathFinder(NeighborhoodIndex.of(sample))
    found = finder.shortest_paths("institute:浙江大学温州研究院", "region:温州市", limit=100)
    keys = _keys(found)
    assert keys == sorted(keys, key=lambda k: [(n, r) for n, r in zip(k[0][1:], k[1],
                                                                        strict=True)])
    one = sample.get("region:温州市")
    assert finder.shortest_paths(one.id, one.id) == sample.shortest_paths(one.id, one.id)
    assert finder.shortest_paths("region:不存在", one.id) == []
    for bad in ({"max_hops": 9}, {"max_hops": 0}, {"limit": 0}, {"limit": 101}):
        with pytest.raises(InvalidInput) as ours:
            finder.shortest_paths(one.id, "region:瓯海区", **bad)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput) as theirs:
            sample.shortest_paths(one.id, "region:瓯海区", **bad)  # type: ignore[arg-type]
        assert str(ours.value) == str(theirs.value)


# random multigraphs: firms and institutes joined by several kinds of ties, a pair often by
# two kinds at once (two paths), some firms placed in a region or a park (shared context)
_KINDS = (RelationType.partnership, RelationType.co_applicant, RelationType.invests_in)


@st.composite
def multigraphs(draw: st.DrawFn) -> tuple[list[Entity], list[Relation]]:
    size = draw(st.integers(2, 9))
    entities = [Entity(f"enterprise:{i}", EntityType.enterprise, f"企业{i}") for i in range(size)]
    places = [Entity("region:甲区", EntityType.region, "甲区"),
              Entity("park:乙园", EntityType.park, "乙园")]
    relations: dict[str, Relation] = {}
    for a, b, kind in draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1),
                                              st.sampled_from(_KINDS)), max_size=18)):
        if a != b:
            the_id = relation_id(entities[a].id, kind, entities[b].id)
            relations[the_id] = Relation(the_id, kind, entities[a].id, entities[b].id)
    for i, place in draw(st.lists(st.tuples(st.integers(0, size - 1), st.sampled_from(places)),
                                  max_size=6)):
        the_id = relation_id(entities[i].id, RelationType.located_in, place.id)
        relations[the_id] = Relation(the_id, RelationType.located_in, entities[i].id, place.id)
    return [*entities, *places], list(relations.values())


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=multigraphs())
def test_the_store_s_paths_on_random_multigraphs(tmp_path: Path,
                                                 graph: tuple[list[Entity], list[Relation]]
                                                 ) -> None:
    entities, relations = graph
    with open_store(tmp_path / uuid.uuid4().hex) as store:
        store.upsert(entities, relations)
        finder = PathFinder(NeighborhoodIndex.of(store))
        pairs = list(itertools.permutations([e.id for e in entities], 2))
        for source, target in random.Random(len(relations)).sample(pairs, min(6, len(pairs))):
            for hops in (1, 3):
                _same_paths(store, finder, source, target, max_hops=hops)
            _same_paths(store, finder, source, target, max_hops=4,
                        relation_types=[RelationType.partnership])
            ours = connections(finder, source, target, limit=100)
            theirs = connections(store, source, target, limit=100)
            assert (ours.kind, ours.note) == (theirs.kind, theirs.note)
            assert sorted(_keys(ours.paths)) == sorted(_keys(theirs.paths))
