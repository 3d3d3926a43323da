"""Issue 22: the compact projection gives the same results, the budget refuses before
allocating, progress shows on stderr except under --json."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

from graph.analytics import (
    Projection,
    ProjectionFilter,
    brokers,
    build_projection,
    centrality,
    detect_communities,
    ego_figures,
    project,
)
from graph.analytics.budget import MEMORY_VARIABLE, Budget, TooLarge, estimate, plan
from graph.analytics.catalog import catalog_from_columns
from graph.analytics.columns import EntityColumns, RelationColumns
from graph.analytics.projection import CO_PATENT_CAP, strength_of, tie_table
from graph.analytics.sparse import SparseAdjacency
from graph.analytics.ties import Ties
from graph.store import GraphStore
from schema import RelationType
from tests.analytics.conftest import random_records
from tests.conftest import SAMPLE


def reference_graph(entities: EntityColumns, relations: RelationColumns,
                    chosen: ProjectionFilter) -> tuple[nx.Graph[str], int]:
    """The projection as built before issue 22: one tie at a time into a dict, then a
    NetworkX graph (kept here as the reference the arrays must reproduce)."""
    catalog = catalog_from_columns(entities, relations)

    def in_scope(entity_id: str) -> bool:
        if chosen.region is not None and chosen.region not in catalog.regions_of.get(
                entity_id, ()):
            return False
        return chosen.industry is None or chosen.industry in catalog.industries_of.get(
            entity_id, ())

    actors = {e: {"name": n, "type": k.value} for e, k, n in zip(
        entities.ids, entities.types, entities.names, strict=True)
        if k in chosen.entity_types and in_scope(e)}
    ties: dict[tuple[str, str], list[Any]] = {}
    undated = 0
    counts = relations.counts or [None] * len(relations.sources)
    for source, target, kind_type, kind, year, count in zip(
            relations.sources, relations.targets, relations.types, relations.kinds,
            relations.years, counts, strict=True):
        if kind_type not in chosen.relation_types or source == target \
                or source not in actors or target not in actors:
            continue
        if kind_type is RelationType.partnership and chosen.partnership_kinds is not None \
                and (kind or "合作") not in chosen.partnership_kinds:
            continue
        if chosen.dated:
            if year is None:
                undated += 1
                continue
            if (chosen.year_from is not None and year < chosen.year_from) or \
                    (chosen.year_to is not None and year > chosen.year_to):
                continue
        strength = strength_of(kind_type, kind)
        if count:
            strength = min(float(count), CO_PATENT_CAP)
        pair = (source, target) if source < target else (target, source)
        ties.setdefault(pair, []).append((kind_type.value, kind, year, strength))
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(actors.items())
    for (u, v), found in ties.items():
        weight = 0.0
        for tie in found:
            weight += tie[3]
        graph.add_edge(u, v, ties=len(found), weight=weight,
                       types=tuple(sorted({t[0] for t in found})),
                       kinds=tuple(t[1] for t in found if t[1]),
                       years=tuple(t[2] for t in found), strengths=tuple(t[3] for t in found))
    return graph, undated


FILTERS = [ProjectionFilter(), ProjectionFilter(year_from=2018, year_to=2022),
           ProjectionFilter(partnership_kinds=frozenset({"共建", "合作"})),
           ProjectionFilter(industry="industry:甲"), ProjectionFilter(region="region:东")]


def _same_graph(ours: nx.Graph[str], reference: nx.Graph[str]) -> None:
    assert list(ours.nodes(data=True)) == list(reference.nodes(data=True))
    assert all(list(ours.adj[v]) == list(reference.adj[v]) for v in reference)
    assert list(ours.edges(data=True)) == list(reference.edges(data=True))


@pytest.mark.parametrize("chosen", FILTERS, ids=str)
def test_arrays_rebuild_the_same_graph(chosen: ProjectionFilter) -> None:
    entities, relations = random_records(nodes=200, ties=700, seed=11)
    ours = build_projection(entities, relations, chosen)
    columns = RelationColumns.from_records(relations)
    reference, undated = reference_graph(EntityColumns.from_records(entities), columns, chosen)
    assert not ours.has_graph  # nothing asked for the NetworkX graph yet
    assert ours.nodes == list(reference) and ours.number_of_edges() == \
        reference.number_of_edges()
    _same_graph(ours.graph, reference)
    assert ours.undated_dropped == undated
    assert len(tie_table(columns)) == len(relations)


def test_store_projection_matches_reference(wenzhou_store: GraphStore) -> None:
    ours = project(wenzhou_store)
    reference, _ = reference_graph(EntityColumns.from_table(wenzhou_store.entities_table()),
                                   RelationColumns.from_table(wenzhou_store.relations_table()),
                                   ProjectionFilter())
    _same_graph(ours.graph, reference)
    old = SparseAdjacency.of(reference).weights
    new = ours.sparse().weights
    assert (old != new).nnz == 0 and np.array_equal(old.data, new.data)


def test_results_match_the_networkx_path(random_graph: Projection) -> None:
    """Arrays and franken-networkx on integer nodes against NetworkX's own graph."""
    wrapped = Projection(random_graph.graph, random_graph.catalog)  # the same adjacency order
    assert random_graph.native and not wrapped.native
    ours, theirs = centrality(random_graph, betweenness_sources=40), centrality(
        wrapped, betweenness_sources=40)
    assert ours.scores == theirs.scores
    a, b = detect_communities(random_graph), detect_communities(wrapped)
    assert a.membership == b.membership and a.modularity == b.modularity
    assert ego_figures(random_graph) == ego_figures(wrapped)
    assert brokers(random_graph, a, ours, 30) == brokers(wrapped, b, theirs, 30)


def test_ties_are_compact(random_graph: Projection) -> None:
    ties = random_graph.ties
    assert isinstance(ties, Ties)
    assert ties.nbytes < 80 * (len(ties.tie_edge) + len(ties.u))


def test_tiny_budget_refuses_before_allocating(monkeypatch: pytest.MonkeyPatch) -> None:
    entities, relations = random_records(nodes=100, ties=300)
    p = build_projection(entities, relations)
    monkeypatch.setenv(MEMORY_VARIABLE, "1M")
    for compute in (centrality, detect_communities, ego_figures):
        with pytest.raises(TooLarge, match="--region") as refused:
            compute(p)
        assert refused.value.exit_code == 2
    with pytest.raises(TooLarge):
        p.graph  # noqa: B018 - the NetworkX graph is estimated before it is built
    assert not p.has_graph and p._engine is None  # nothing was built


def test_plan_refuses_a_store_before_reading_it(wenzhou_store: GraphStore,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    assert [e.step for e in plan(wenzhou_store, steps=["centrality"])] == ["read",
                                                                             "centrality"]
    monkeypatch.setenv(MEMORY_VARIABLE, "1K")

    def unread() -> None:
        raise AssertionError("read although refused")

    monkeypatch.setattr(wenzhou_store, "entities_table", unread)
    with pytest.raises(TooLarge, match="read on"):
        project(wenzhou_store, ProjectionFilter(year_from=1900))


def test_estimate_grows_with_the_graph() -> None:
    small, large = (estimate("centrality", n, 3 * n, sources=64, resident=0)
                    for n in (10_000, 1_000_000))
    assert large.memory > 20 * small.memory and large.seconds > 10 * small.seconds
    assert Budget().memory == 8 * 2**30


def run(store: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "INNOGRAPH_REJECTS_DIR": str(store.parent / "rejects"), **env}
    return subprocess.run([sys.executable, "-m", "innograph", "--store", str(store), *args],
                          capture_output=True, text=True, env=environment, timeout=180)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "store"
    result = run(path, "ingest", str(SAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    return path


def test_cli_refusal_exit_code_and_message(store: Path) -> None:
    result = run(store, "analyze", "scores", "--json", INNOGRAPH_ANALYTICS_MEMORY="1M")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "已拒绝" in result.stderr and "--region" in result.stderr
    assert "--industry" in result.stderr and "GiB" in result.stderr


def test_progress_on_stderr_unless_json(store: Path) -> None:
    shown = run(store, "analyze", "centrality", "--top", "3")
    assert shown.returncode == 0, shown.stderr
    assert "分析 analysing" in shown.stderr and "PageRank" in shown.stderr
    assert "betweenness" in shown.stderr
    quiet = run(store, "analyze", "centrality", "--top", "3", "--json")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_time_budget_is_for_the_whole_command(wenzhou_store: GraphStore,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    steps = plan(wenzhou_store, steps=["centrality", "communities", "ego", "write"])
    assert [e.seconds for e in steps] == sorted(e.seconds for e in steps)  # cumulative
    monkeypatch.setenv("INNOGRAPH_ANALYTICS_MINUTES", "0.001")
    with pytest.raises(TooLarge, match=r"budget 8\.0 GiB, 0 s"):
        plan(wenzhou_store, steps=["centrality"])


def test_scores_of_a_region(store: Path) -> None:
    result = run(store, "analyze", "scores", "--region", "瓯海区", "--json")
    assert result.returncode == 0, result.stderr
    assert "pagerank" in result.stdout
