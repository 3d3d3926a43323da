"""The store contract: every backend must pass these."""

from __future__ import annotations

import dataclasses
import random

import pytest

from graph.store import GraphStore
from schema import (
    EntityNotFound,
    EntityType,
    IntegrityError,
    InvalidInput,
    RelationType,
)
from tests.conftest import entity, relation

Graph = tuple[list, list]


def test_upsert_creates_then_leaves_unchanged(store: GraphStore, small_graph: Graph) -> None:
    entities, relations = small_graph
    first = store.upsert(entities, relations)
    assert (first.entities_created, first.relations_created) == (len(entities), len(relations))
    again = store.upsert(entities, relations)
    assert again.entities_created == again.relations_created == 0
    assert (again.entities_unchanged, again.relations_unchanged) == (len(entities),
                                                                     len(relations))


def test_changed_records_are_updated_in_place(store: GraphStore, small_graph: Graph) -> None:
    entities, relations = small_graph
    store.upsert(entities, relations)
    renamed = dataclasses.replace(entities[0], aliases=("浙大温州研究院", "浙大研究院"))
    moved = dataclasses.replace(relations[0], props={"kind": "战略合作", "year": 2022})
    result = store.upsert([renamed], [moved])
    assert (result.entities_updated, result.relations_updated) == (1, 1)
    got = store.get(renamed.id)
    assert got is not None and got.aliases == ("浙大温州研究院", "浙大研究院")
    edges = store.subgraph([moved.source, moved.target]).edges
    assert [e.props for e in edges if e.id == moved.id] == [{"kind": "战略合作", "year": 2022}]
    assert store.stats().relations == len(relations)


def test_a_tie_history_is_stored_once_and_grows_in_place(store: GraphStore,
                                                         small_graph: Graph) -> None:
    # a partnership keeps every year it was seen (``years``, schema.history) on its one
    # relation: a grown history updates that relation, never adds a second one
    entities, relations = small_graph
    store.upsert(entities, relations)
    tie = dataclasses.replace(relations[0], props={"kind": "共建", "year": 2016,
                                                   "years": "2016:1;2018:2"})
    assert store.upsert([], [tie]).relations_updated == 1
    grown = dataclasses.replace(tie, props={**tie.props, "years": "2016:1;2018:2;2021:1"})
    result = store.upsert([], [grown])
    assert (result.relations_created, result.relations_updated) == (0, 1)
    assert store.stats().relations == len(relations)
    edges = store.subgraph([tie.source, tie.target]).edges
    assert [e.props for e in edges if e.id == tie.id] == [grown.props]
    table = store.relations_table()
    assert table.num_rows == len(relations)


def test_get_round_trips_every_field(store: GraphStore, small_graph: Graph) -> None:
    entities, relations = small_graph
    store.upsert(entities, relations)
    for original in entities:
        assert store.get(original.id) == original
    assert store.get("institute:不存在") is None
    assert sorted(store.iter_relations(), key=lambda r: r.id) == sorted(relations,
                                                                       key=lambda r: r.id)


def test_relation_to_missing_entity_writes_nothing(store: GraphStore,
                                                   small_graph: Graph) -> None:
    entities, _relations = small_graph
    store.upsert(entities[:2], [])
    before = store.stats()
    ghost = entity(EntityType.enterprise, "不存在的企业")
    new_firm = entity(EntityType.enterprise, "新企业")
    with pytest.raises(IntegrityError, match="not in the store"):
        store.upsert([new_firm], [relation(RelationType.partnership, ghost, entities[0])])
    assert store.stats() == before
    assert store.get(new_firm.id) is None


def test_neighborhood_depth_size_and_truncation(store: GraphStore, small_graph: Graph) -> None:
    entities, relations = small_graph
    store.upsert(entities, relations)
    zju = entities[0]
    one = store.neighborhood(zju.id, depth=1)
    assert {n.name for n in one.nodes} == {"浙江大学温州研究院", "华联机械", "瓯海区",
                                           "叶志镇院士团队"}
    assert not one.truncated and one.nodes[0].id == zju.id
    two = store.neighborhood(zju.id, depth=2)
    assert {"温州市", "叶志镇", "眼镜企业0"} <= {n.name for n in two.nodes}
    small = store.neighborhood(zju.id, depth=2, max_nodes=3)
    assert len(small.nodes) == 3 and small.truncated
    node_ids = {n.id for n in small.nodes}
    assert all(e.source in node_ids and e.target in node_ids for e in small.edges)
    only_regions = store.neighborhood(zju.id, entity_types=[EntityType.region])
    assert [n.name for n in only_regions.nodes[1:]] == ["瓯海区"]
    only_partners = store.neighborhood(zju.id, relation_types=[RelationType.partnership])
    assert [n.name for n in only_partners.nodes[1:]] == ["华联机械"]


def test_neighborhood_bounds_and_unknown_id(store: GraphStore, small_graph: Graph) -> None:
    store.upsert(*small_graph)
    with pytest.raises(InvalidInput, match="depth"):
        store.neighborhood(small_graph[0][0].id, depth=4)
    with pytest.raises(InvalidInput, match="max_nodes"):
        store.neighborhood(small_graph[0][0].id, max_nodes=0)
    with pytest.raises(EntityNotFound):
        store.neighborhood("institute:不存在")


def test_shortest_paths_ignore_direction(store: GraphStore, small_graph: Graph) -> None:
    entities, relations = small_graph
    store.upsert(entities, relations)
    firm, leader = entities[1], entities[5]
    paths = store.shortest_paths(firm.id, leader.id)
    assert len(paths) == 1
    assert [n.name for n in paths[0].nodes] == ["华联机械", "浙江大学温州研究院",
                                                "叶志镇院士团队", "叶志镇"]
    assert [e.type for e in paths[0].edges] == [RelationType.partnership,
                                                RelationType.affiliated_with, RelationType.leads]
    # two shortest paths from a leaf to 瓯海区? leaf0 is located there directly: one hop
    assert store.shortest_paths(entities[7].id, entities[2].id)[0].hops == 1
    assert store.shortest_paths(firm.id, leader.id, max_hops=2) == []
    with pytest.raises(InvalidInput, match="max_hops"):
        store.shortest_paths(firm.id, leader.id, max_hops=99)


def test_all_shortest_paths_are_returned(store: GraphStore) -> None:
    a, b, c, d = (entity(EntityType.enterprise, n) for n in "甲乙丙丁")
    store.upsert([a, b, c, d], [relation(RelationType.partnership, a, b),
                                relation(RelationType.partnership, a, c),
                                relation(RelationType.partnership, b, d),
                                relation(RelationType.partnership, c, d)])
    paths = store.shortest_paths(a.id, d.id)
    assert sorted(p.nodes[1].name for p in paths) == ["丙", "乙"]


def test_subgraph_has_only_edges_among_the_ids(store: GraphStore, small_graph: Graph) -> None:
    entities, relations = small_graph
    store.upsert(entities, relations)
    sub = store.subgraph([entities[0].id, entities[1].id, entities[2].id])
    assert {n.name for n in sub.nodes} == {"浙江大学温州研究院", "华联机械", "瓯海区"}
    assert {e.type for e in sub.edges} == {RelationType.partnership, RelationType.located_in}


def test_iterate_all_in_batches(store: GraphStore) -> None:
    many = [entity(EntityType.enterprise, f"企业{i:04d}") for i in range(1234)]
    store.upsert(many, [])
    seen = [e.id for e in store.iter_entities(batch_size=100)]
    assert seen == sorted(e.id for e in many)


def test_delete_entities_and_relations(store: GraphStore, small_graph: Graph) -> None:
    entities, relations = small_graph
    store.upsert(entities, relations)
    assert store.delete_relations([relations[0].id]) == 1
    assert store.stats().relations == len(relations) - 1
    assert store.delete_entities([entities[0].id]) == 1  # detaches its relations too
    assert store.get(entities[0].id) is None
    remaining = {r.id for r in store.iter_relations()}
    assert not any(r.source == entities[0].id or r.target == entities[0].id
                   for r in relations if r.id in remaining)
    assert store.delete_entities(["institute:不存在"]) == 0


def test_content_hash_ignores_load_order_and_batches(small_graph: Graph,
                                                     tmp_path_factory: pytest.TempPathFactory
                                                     ) -> None:
    from graph.store import open_store

    entities, relations = small_graph
    hashes = set()
    for seed in range(3):
        rng = random.Random(seed)
        es, rs = entities[:], relations[:]
        rng.shuffle(es)
        rng.shuffle(rs)
        with open_store(tmp_path_factory.mktemp(f"s{seed}") / "store") as store:
            store.upsert(es[:5], [])
            store.upsert(es[5:], rs)
            hashes.add(store.stats().content_hash)
    assert len(hashes) == 1


def test_stats_counts_by_type(store: GraphStore, small_graph: Graph) -> None:
    entities, relations = small_graph
    store.upsert(entities, relations)
    stats = store.stats()
    assert stats.entities == len(entities) and stats.relations == len(relations)
    assert stats.entities_by_type["enterprise"] == 6
    assert stats.relations_by_type["in_industry"] == 5
    before = stats.content_hash
    store.upsert([dataclasses.replace(entities[0], props={"level": "省级"})], [])
    assert store.stats().content_hash != before


def test_version_changes_only_on_writes(store: GraphStore, small_graph: Graph) -> None:
    v0 = store.version()
    store.upsert(*small_graph)
    v1 = store.version()
    store.upsert(*small_graph)
    assert v0 != v1 == store.version()



def test_scores_merge_and_stay_out_of_the_content_hash(store: GraphStore,
                                                       small_graph: Graph) -> None:
    entities, relations = small_graph
    store.upsert(entities, relations)
    before, version = store.stats().content_hash, store.version()
    a, b = entities[0].id, entities[1].id
    assert store.write_scores({a: {"pagerank": 0.25, "degree": 3}, b: {"degree": 1}}) == 2
    assert store.write_scores({a: {"pagerank": 0.5}}) == 1
    assert store.read_scores([a]) == {a: {"pagerank": 0.5, "degree": 3}}
    assert store.read_scores() == {a: {"pagerank": 0.5, "degree": 3}, b: {"degree": 1}}
    assert store.stats().content_hash == before and store.version() != version
    store.delete_entities([b])
    assert b not in store.read_scores()


def test_scores_for_unknown_entities_or_bad_names_write_nothing(store: GraphStore,
                                                                 small_graph: Graph) -> None:
    entities, relations = small_graph
    store.upsert(entities, relations)
    a = entities[0].id
    with pytest.raises(IntegrityError, match="unknown entities"):
        store.write_scores({a: {"degree": 1}, "institute:不存在": {"degree": 2}})
    for bad in ({"Bad Name": 1.0}, {"x` SET n.y=1 //": 1.0}, {"degree": float("nan")}):
        with pytest.raises(InvalidInput):
            store.write_scores({a: bad})
    assert store.read_scores() == {}


def test_entity_pages_follow_the_id_order_and_filter_by_type(store: GraphStore,
                                                             small_graph: Graph) -> None:
    entities, relations = small_graph
    store.upsert(entities, relations)
    ids = sorted(e.id for e in entities)
    first = store.entity_page(limit=4)
    assert [e.id for e in first] == ids[:4]
    rest = store.entity_page(after=first[-1].id, limit=100)
    assert [e.id for e in rest] == ids[4:]
    firms = store.entity_page(entity_type=EntityType.enterprise, limit=3)
    assert [e.id for e in firms] == sorted(e.id for e in entities
                                           if e.type is EntityType.enterprise)[:3]


def test_counts_agree_with_stats(store: GraphStore, small_graph: Graph) -> None:
    store.upsert(*small_graph)
    stats, counts = store.stats(), store.counts()
    assert (counts.entities, counts.relations, counts.entities_by_type,
            counts.relations_by_type) == (stats.entities, stats.relations,
                                          stats.entities_by_type, stats.relations_by_type)


def test_whole_tables_hold_the_same_records(store: GraphStore, small_graph: Graph) -> None:
    from schema.tables import ENTITY_SCHEMA, RELATION_SCHEMA, entity_from_row, relation_from_row

    entities, relations = small_graph
    store.upsert(entities, relations)
    etable, rtable = store.entities_table(), store.relations_table()
    assert etable.schema.names == ENTITY_SCHEMA.names
    assert rtable.schema.names == RELATION_SCHEMA.names
    assert sorted((entity_from_row(r) for r in etable.to_pylist()), key=lambda e: e.id) == \
        sorted(store.iter_entities(), key=lambda e: e.id)
    assert sorted((relation_from_row(r) for r in rtable.to_pylist()), key=lambda r: r.id) == \
        sorted(store.iter_relations(), key=lambda r: r.id)
    stored = {r.id: h for r, h in zip((relation_from_row(x) for x in rtable.to_pylist()),
                                      rtable.column("chash").to_pylist(), strict=True)}
    assert stored == store.relation_hashes(list(RelationType))
