"""Talent-team links and industry-chain reports on the Wenzhou sample."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analytics import (
    HOST_TYPES,
    Projection,
    Recommender,
    bridging_teams,
    chain_report,
    pagerank,
    team_links,
    team_pairs,
)
from graph.store import GraphStore
from schema import EntityType, InvalidInput, RelationType

TEAM = "talent_team:叶志镇院士团队"


def test_team_hosts_within_hops(wenzhou: Projection) -> None:
    one = team_links(wenzhou, TEAM, hops=1)
    assert {h.entity.id for h in one.links} == {
        v for v in wenzhou.graph.adj[TEAM] if wenzhou.catalog.info(v).type in HOST_TYPES}
    two = team_links(wenzhou, TEAM, hops=2)
    assert {h.entity.id for h in one.links} < {h.entity.id for h in two.links}
    for link in two.links:
        assert link.path[0].entity.id == TEAM and link.path[-1].entity.id == link.entity.id
        assert link.hops == len(link.path) - 1 == nx.shortest_path_length(
            wenzhou.graph, TEAM, link.entity.id)
    with pytest.raises(InvalidInput, match="hops"):
        team_links(wenzhou, TEAM, hops=9)
    with pytest.raises(InvalidInput, match="人才团队"):
        team_links(wenzhou, "institute:瓯江实验室")


def test_team_pairs_are_the_bipartite_projection(wenzhou: Projection) -> None:
    teams = [v for v in wenzhou.graph if wenzhou.catalog.info(v).type is EntityType.talent_team]
    bipartite = nx.Graph()
    for team in teams:
        for host in wenzhou.graph.adj[team]:
            if wenzhou.catalog.info(host).type in HOST_TYPES:
                bipartite.add_edge(team, host)
    expected = nx.bipartite.weighted_projected_graph(bipartite, [t for t in teams
                                                                 if t in bipartite])
    found = team_pairs(wenzhou)
    assert {frozenset((p.a.id, p.b.id)): len(p.shared_hosts) for p in found} == {
        frozenset((u, v)): d["weight"] for u, v, d in expected.edges(data=True)}
    assert len(found) > 0


def test_bridging_teams_span_industries(wenzhou: Projection) -> None:
    found = bridging_teams(wenzhou)
    assert found and all(len(b.industries) >= 2 for b in found)
    assert TEAM in {b.team.id for b in found}


@pytest.mark.parametrize("industry", ["生命健康", "智能装备", "眼镜", "智能锁具"])
def test_chain_runs_upstream_to_downstream_with_gaps(wenzhou_store: GraphStore,
                                                     wenzhou: Projection, industry: str) -> None:
    report = chain_report(wenzhou, f"industry:{industry}",
                          Recommender(wenzhou, pagerank(wenzhou)), few=0, candidates=3)
    orders = [s.order for s in report.segments]
    assert orders == sorted(orders) and len(orders) >= 4
    members = {}
    for r in wenzhou_store.iter_relations():
        if r.type is RelationType.in_segment:
            members.setdefault(r.target, set()).add(r.source)
    for segment in report.segments:
        assert {m.entity.id for m in segment.members} == members.get(segment.segment.id, set())
        assert (segment.status == "缺失") == (not segment.members)
        for candidate in segment.candidates:
            assert candidate.entity.id not in members.get(segment.segment.id, set())
            assert candidate.explanation.text
    assert report.gaps == [s.segment.id for s in report.segments if not s.members]


def test_sample_has_gaps_with_candidates(wenzhou: Projection) -> None:
    report = chain_report(wenzhou, "industry:眼镜", Recommender(wenzhou, pagerank(wenzhou)))
    assert report.gaps and all(s.candidates for s in report.segments if s.status)
    with pytest.raises(InvalidInput, match="not an industry"):
        chain_report(wenzhou, "region:瓯海区", Recommender(wenzhou, {}))
