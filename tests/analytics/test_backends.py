"""Backend dispatch: the choice can be forced, and an accelerating backend gives NetworkX's
own results (same sampled betweenness, PageRank, Louvain partition and modularity)."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analytics import Projection, build_projection, centrality, detect_communities
from graph.analytics.backends import BACKEND_VARIABLE, PREFERRED, backend_for
from schema import InvalidInput
from tests.analytics.conftest import random_records

INSTALLED = [name for name in PREFERRED if name in nx.community.louvain_communities.backends]


def test_forced_backend_is_used_and_reported(random_graph: Projection,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BACKEND_VARIABLE, "networkx")
    assert backend_for(nx.betweenness_centrality) == "networkx"
    assert centrality(random_graph, betweenness_sources=20).backend == "networkx"
    assert detect_communities(random_graph).backend == "networkx"
    monkeypatch.setenv(BACKEND_VARIABLE, "no_such_backend")
    with pytest.raises(InvalidInput, match=BACKEND_VARIABLE):
        centrality(random_graph)


def test_default_is_the_first_installed_preferred_backend(random_graph: Projection,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BACKEND_VARIABLE, raising=False)
    expected = INSTALLED[0] if INSTALLED else "networkx"
    assert centrality(random_graph, betweenness_sources=20).backend == expected
    assert detect_communities(random_graph).backend == expected


@pytest.mark.skipif(not INSTALLED, reason="no accelerating NetworkX backend installed")
@pytest.mark.parametrize("backend", INSTALLED)
def test_backend_reproduces_networkx(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    p = build_projection(*random_records(nodes=1500, ties=5000, seed=5))
    results = {}
    for name in ("networkx", backend):
        monkeypatch.setenv(BACKEND_VARIABLE, name)
        fresh = Projection(p.graph.copy(), p.catalog)  # no conversion cached from the other
        scores = centrality(fresh, betweenness_sources=50, seed=3)
        found = detect_communities(fresh, seed=3)
        exact = centrality(Projection(p.graph.subgraph(list(p.graph)[:400]).copy(), p.catalog))
        results[name] = (scores, found, exact)
    (ours, ours_parts, ours_exact), (theirs, their_parts, their_exact) = results.values()
    assert theirs.backend == backend and ours.backend == "networkx"
    assert theirs.scores["betweenness"] == pytest.approx(ours.scores["betweenness"], abs=1e-12)
    assert theirs.scores["pagerank"] == pytest.approx(ours.scores["pagerank"], abs=1e-12)
    assert their_exact.scores["betweenness"] == pytest.approx(ours_exact.scores["betweenness"],
                                                              abs=1e-12)
    assert their_parts.membership == ours_parts.membership
    assert their_parts.modularity == pytest.approx(ours_parts.modularity, abs=1e-12)
