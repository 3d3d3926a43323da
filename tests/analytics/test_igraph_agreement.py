"""Cross-check against an independent implementation (python-igraph).

Counts and densities must agree exactly; betweenness and clustering to 1e-9, PageRank to
1e-7 (igraph solves it exactly; NetworkX iterates until the summed change is below
n·1e-10); Louvain's modularity within 0.03 of igraph's multilevel on the same weighted
graph (both are greedy heuristics with different visiting orders, so they need not find
the same partition), and the modularity of one partition identical in both.
"""

from __future__ import annotations

import igraph as ig
import pytest

from graph.analytics import (
    Projection,
    centrality,
    density_by,
    detect_communities,
    group_density,
    groups_by,
)

LOUVAIN_TOLERANCE = 0.03


def to_igraph(p: Projection) -> tuple[ig.Graph, dict[str, int]]:
    nodes = list(p.graph)
    index = {node: i for i, node in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in p.graph.edges()])
    g.es["weight"] = [d["weight"] for *_, d in p.graph.edges(data=True)]
    return g, index


@pytest.fixture(params=["wenzhou", "random_graph"])
def projection(request: pytest.FixtureRequest) -> Projection:
    found: Projection = request.getfixturevalue(request.param)
    return found


def test_group_densities_match_exactly(projection: Projection) -> None:
    g, index = to_igraph(projection)
    for by in ("industry", "region", "type"):
        for found in density_by(projection, by, min_members=2):
            group = next(x for x in groups_by(projection, by) if x.key == found.key)
            sub = g.induced_subgraph(sorted(index[m] for m in group.members))
            assert found.members == sub.vcount() and found.ties == sub.ecount()
            assert found.density == pytest.approx(sub.density(), abs=0, rel=1e-12)
            assert found.isolated == sum(1 for d in sub.degree() if d == 0)
            local = sub.transitivity_local_undirected(mode="zero")
            assert found.average_clustering == pytest.approx(sum(local) / len(local), abs=1e-9)
            weight = sum(sub.es["weight"]) if sub.ecount() else 0.0
            assert found.weighted_density == pytest.approx(
                2 * weight / (sub.vcount() * (sub.vcount() - 1)), abs=1e-12)


def test_whole_graph_density_matches(projection: Projection) -> None:
    from graph.analytics import Group

    g, _ = to_igraph(projection)
    everyone = Group("all", "all", frozenset(projection.graph))
    assert group_density(projection, everyone).density == pytest.approx(g.density(), rel=1e-12)


def test_degree_pagerank_and_exact_betweenness_match(projection: Projection) -> None:
    g, index = to_igraph(projection)
    result = centrality(projection)
    assert result.betweenness_method == "exact"
    n = g.vcount()
    degree, strength = g.degree(), g.strength(weights="weight")
    pagerank = g.pagerank(weights="weight", damping=0.85)
    betweenness = g.betweenness(directed=False)
    scale = 2 / ((n - 1) * (n - 2))
    for node, i in index.items():
        assert result.scores["degree"][node] == degree[i]
        assert result.scores["weighted_degree"][node] == pytest.approx(strength[i], abs=1e-9)
        assert result.scores["pagerank"][node] == pytest.approx(pagerank[i], abs=1e-7)
        assert result.scores["betweenness"][node] == pytest.approx(betweenness[i] * scale,
                                                                   abs=1e-9)


def test_louvain_modularity_close_to_igraph_multilevel(projection: Projection) -> None:
    g, index = to_igraph(projection)
    ours = detect_communities(projection, seed=7)
    membership = [0] * g.vcount()
    for node, number in ours.membership.items():
        membership[index[node]] = number
    # the same partition has the same modularity in both libraries
    assert g.modularity(membership, weights="weight") == pytest.approx(ours.modularity,
                                                                       abs=1e-9)
    theirs = g.community_multilevel(weights="weight")
    assert abs(ours.modularity - theirs.modularity) <= LOUVAIN_TOLERANCE
    assert ours.modularity > 0.3  # both graphs have real community structure


def test_sampled_betweenness_reports_its_sample(random_graph: Projection) -> None:
    result = centrality(random_graph, betweenness_sources=40, seed=11)
    assert (result.betweenness_method, result.betweenness_sources, result.seed) == (
        "sampled", 40, 11)
    again = centrality(random_graph, betweenness_sources=40, seed=11)
    assert again.scores["betweenness"] == result.scores["betweenness"]
    # the estimate ranks the same nodes on top as the exact value, roughly
    exact = centrality(random_graph).top("betweenness", 20)
    sampled = result.top("betweenness", 20)
    overlap = {r.entity.id for r in exact} & {r.entity.id for r in sampled}
    assert len(overlap) >= 10
