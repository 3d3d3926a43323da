"""The projection: what it keeps, how ties collapse, filters, and the per-version cache."""

from __future__ import annotations

import pytest

from graph.analytics import ProjectionFilter, build_projection, project
from graph.store import GraphStore
from schema import EntityNotFound, EntityType, InvalidInput, RelationType
from tests.analytics.conftest import random_records
from tests.conftest import entity, relation


def test_actors_only_and_structural_relations_left_out(wenzhou_store: GraphStore) -> None:
    p = project(wenzhou_store)
    types = {p.catalog.info(n).type for n in p.graph}
    assert EntityType.region not in types and EntityType.chain_segment not in types
    assert EntityType.institute in types
    for *_, data in p.graph.edges(data=True):
        assert not {"located_in", "part_of", "in_industry", "in_segment"} & set(data["types"])
    partnerships = [r for r in wenzhou_store.iter_relations()
                    if r.type is RelationType.partnership]
    between_actors = {frozenset((r.source, r.target)) for r in partnerships
                      if r.source in p.graph and r.target in p.graph}
    kept = {frozenset((u, v)) for u, v, d in p.graph.edges(data=True)
            if "partnership" in d["types"]}
    assert kept == between_actors
    # the one partnership with a region (the city's enclave in 嘉定) is not an actor tie
    assert len(between_actors) == len(partnerships) - 1


def test_cached_per_store_version(wenzhou_store: GraphStore, tmp_path: object) -> None:
    first = project(wenzhou_store)
    assert project(wenzhou_store) is first
    assert project(wenzhou_store, ProjectionFilter(year_from=2020)) is not first


def test_write_invalidates_the_cache(embedded: GraphStore) -> None:
    a, b = entity(EntityType.institute, "甲研究院"), entity(EntityType.enterprise, "乙公司")
    embedded.upsert([a, b])
    before = project(embedded)
    assert before.graph.number_of_edges() == 0
    embedded.upsert(relations=[relation(RelationType.partnership, a, b, kind="共建")])
    after = project(embedded)
    assert after is not before and after.graph.edges[a.id, b.id]["weight"] == 3.0


def test_region_and_industry_filters(wenzhou_store: GraphStore) -> None:
    whole = project(wenzhou_store)
    ouhai = project(wenzhou_store, ProjectionFilter(region="region:瓯海区"))
    assert 0 < ouhai.graph.number_of_nodes() < whole.graph.number_of_nodes()
    assert all("region:瓯海区" in whole.catalog.regions_of[n] for n in ouhai.graph)
    glasses = project(wenzhou_store, ProjectionFilter(industry="industry:眼镜"))
    assert all("industry:眼镜" in whole.catalog.industries_of[n] for n in glasses.graph)
    with pytest.raises(EntityNotFound, match="region"):
        project(wenzhou_store, ProjectionFilter(region="region:火星"))


def test_year_range_drops_undated_ties_and_counts_them() -> None:
    entities, relations = random_records(60, 150)
    dated = [r for r in relations if "year" in r.props]
    undated = [r for r in relations if r.type is RelationType.partnership and "year" not in r.props]
    p = build_projection(entities, relations, ProjectionFilter(year_from=2018, year_to=2020))
    assert p.undated_dropped == len(undated) > 0
    kept = sum(d["ties"] for *_, d in p.graph.edges(data=True))
    assert kept == sum(1 for r in dated if 2018 <= int(r.props["year"]) <= 2020)


def test_partnership_kind_filter_and_bad_filters() -> None:
    entities, relations = random_records(60, 150)
    p = build_projection(entities, relations, ProjectionFilter(partnership_kinds=frozenset({"共建"})))
    assert all(set(d["kinds"]) == {"共建"} for *_, d in p.graph.edges(data=True))
    with pytest.raises(InvalidInput, match="year_from"):
        ProjectionFilter(year_from=2022, year_to=2020).check()
    with pytest.raises(InvalidInput, match="partnership_kinds"):
        ProjectionFilter(partnership_kinds=frozenset({"结盟"})).check()
    with pytest.raises(InvalidInput, match="relation_types"):
        ProjectionFilter(relation_types=frozenset()).check()


def test_parallel_ties_collapse_with_their_strengths() -> None:
    a, b = entity(EntityType.institute, "甲研究院"), entity(EntityType.enterprise, "乙公司")
    team = entity(EntityType.talent_team, "丙团队")
    p = build_projection([a, b, team], [
        relation(RelationType.partnership, a, b, kind="共建", year=2020),
        relation(RelationType.partnership, b, a, kind="合作"),
        relation(RelationType.affiliated_with, team, a)])
    edge = p.graph.edges[a.id, b.id]
    assert (edge["ties"], edge["weight"]) == (2, 4.0)
    # ties listed in relation order (source, target, type): b→a before a→b
    assert (edge["years"], edge["strengths"], edge["kinds"]) == ((None, 2020), (1.0, 3.0),
                                                                 ("合作", "共建"))
    assert p.graph.edges[team.id, a.id]["types"] == ("affiliated_with",)


def test_same_graph_in_any_order_gives_the_same_projection() -> None:
    entities, relations = random_records(80, 240)
    first = build_projection(entities, relations)
    again = build_projection(entities[::-1], relations[::-1])
    assert list(first.graph) == list(again.graph)
    assert all(list(first.graph.adj[v]) == list(again.graph.adj[v]) for v in first.graph)
    assert list(first.graph.edges(data=True)) == list(again.graph.edges(data=True))


def test_store_tables_and_records_give_the_same_projection(wenzhou_store: GraphStore) -> None:
    from_tables = project(wenzhou_store)
    from_records = build_projection(wenzhou_store.iter_entities(), wenzhou_store.iter_relations())
    assert list(from_tables.graph) == list(from_records.graph)
    assert list(from_tables.graph.edges(data=True)) == list(from_records.graph.edges(data=True))
    assert from_tables.catalog.industries_of == from_records.catalog.industries_of
    assert from_tables.catalog.regions_of == from_records.catalog.regions_of
    assert from_tables.catalog.segments == from_records.catalog.segments


def test_patent_co_applications_weigh_by_their_shared_patents(embedded: GraphStore) -> None:
    """Issue 14: co-application counts are 'a weight the analytics use': one unit a shared
    patent, as strong as a 共建 partnership (3) at most."""
    a, b, c = (entity(EntityType.enterprise, n) for n in ("甲光学", "乙光学", "丙光学"))
    embedded.upsert([a, b, c], [
        relation(RelationType.co_applicant, a, b, weight="2", patents="CN1A@2020;CN2A@2021"),
        relation(RelationType.co_applicant, b, c, weight="7")])
    p = project(embedded)
    assert p.graph[a.id][b.id]["weight"] == 2.0
    assert p.graph[b.id][c.id]["weight"] == 3.0
    assert p.graph[a.id][b.id]["types"] == ("co_applicant",)
