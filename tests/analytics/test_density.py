"""Density figures beyond what igraph checks: between groups, matrices, time, ego figures."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analytics import (
    Group,
    Projection,
    density_between,
    density_matrix,
    density_over_time,
    ego_figures,
    group_density,
    group_of_ids,
    groups_by,
)
from schema import InvalidInput


def test_between_density_counts_distinct_pairs_when_groups_overlap(
        random_graph: Projection) -> None:
    nodes = sorted(random_graph.graph)
    a = Group("a", "A", frozenset(nodes[:40]))
    b = Group("b", "B", frozenset(nodes[30:90]))
    found = density_between(random_graph, a, b)
    pairs = {frozenset((u, v)) for u in a.members for v in b.members if u != v}
    ties = {p for p in pairs if random_graph.graph.has_edge(*p)}
    assert (found.pairs, found.ties) == (len(pairs), len(ties))
    assert found.density == len(ties) / len(pairs)


def test_matrix_between_types_and_within_industry_by_region(random_graph: Projection) -> None:
    by_type = density_matrix(random_graph, "type", "type")
    assert by_type.rows == by_type.columns == ["企业", "科研机构"]
    assert by_type.cells[0][1] == by_type.cells[1][0]
    within = density_matrix(random_graph, "industry", "region", mode="within")
    industries = {g.label: g for g in groups_by(random_graph, "industry")}
    regions = {g.label: g for g in groups_by(random_graph, "region")}
    i, j = within.rows[0], within.columns[1]
    both = industries[i].members & regions[j].members
    expected = group_density(random_graph, Group("", "", both)).density
    assert within.cells[0][1] == expected
    with pytest.raises(InvalidInput, match="mode"):
        density_matrix(random_graph, "type", "type", mode="across")


def test_over_time_grows_to_the_dated_ties(random_graph: Projection) -> None:
    group = Group("all", "all", frozenset(random_graph.graph))
    series = density_over_time(random_graph, group)
    assert [s.year for s in series] == list(range(2015, 2025))
    ties = [s.figures.ties for s in series]
    assert ties == sorted(ties) and ties[0] > 0
    with_year = sum(1 for *_, d in random_graph.graph.edges(data=True)
                    if any(y is not None for y in d["years"]))
    assert ties[-1] == with_year < random_graph.graph.number_of_edges()


def test_ego_figures_against_networkx_ego_graph(wenzhou: Projection) -> None:
    figures = ego_figures(wenzhou)
    for node in list(wenzhou.graph)[:60]:
        ego = nx.ego_graph(wenzhou.graph, node)
        expected = nx.density(ego) if ego.number_of_nodes() > 1 else 0.0
        assert figures[node].ego_density == pytest.approx(expected, abs=1e-12)
    assert max(f.collaboration_score for f in figures.values()) == 1.0


def test_custom_group_errors_name_the_problem(wenzhou: Projection) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        group_of_ids(wenzhou, [])
    with pytest.raises(InvalidInput, match="not an actor"):
        group_of_ids(wenzhou, ["region:瓯海区"])
    with pytest.raises(InvalidInput, match="by"):
        groups_by(wenzhou, "colour")


def test_community_groups_cover_every_actor_once(random_graph: Projection) -> None:
    from graph.analytics import detect_communities

    groups = detect_communities(random_graph).groups()
    members = [m for g in groups for m in g.members]
    assert sorted(members) == sorted(random_graph.graph)
    inside = sum(group_density(random_graph, g).ties for g in groups)
    assert 0 < inside <= random_graph.graph.number_of_edges()
