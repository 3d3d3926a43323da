"""``Analysis`` under concurrent first requests: each attribute is computed exactly once;
a reader waits only for what it reads, except that the NetworkX backend runs (centrality,
communities) on one projection take turns."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import api.analysis
from api.analysis import Analysis
from graph.analytics import Projection, project, projection_from_tables
from graph.store import GraphStore
from tests.conftest import SAMPLE

THREADS = 6
WAIT = 10.0  # seconds; a deadlock or a serialised computation fails instead of hanging


@pytest.fixture(scope="module")
def projection(sample_store: GraphStore) -> Projection:
    return project(sample_store)


class SlowCounter:
    """Stands in front of a real analytics function (or class): counts the calls and holds
    each open for a moment, so that readers arriving together overlap the first one."""

    def __init__(self, real: Callable[..., Any], delay: float = 0.15) -> None:
        self.real, self.delay, self.calls = real, delay, 0
        self._lock = threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.calls += 1
        time.sleep(self.delay)
        return self.real(*args, **kwargs)


def meet_inside(real: Callable[..., Any], barrier: threading.Barrier) -> Callable[..., Any]:
    """``real``, entered only once every party of ``barrier`` is inside its own computation
    (``BrokenBarrierError`` if one of them cannot start because it waits for a lock)."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        barrier.wait()
        return real(*args, **kwargs)
    return wrapper


def read_together(readers: list[Callable[[], Any]]) -> list[Any]:
    """Call every reader from its own thread, all released at the same moment."""
    start = threading.Barrier(len(readers))

    def run(reader: Callable[[], Any]) -> Any:
        start.wait()
        return reader()

    with ThreadPoolExecutor(len(readers)) as pool:
        futures = [pool.submit(run, reader) for reader in readers]
        return [future.result(timeout=WAIT) for future in futures]


@pytest.mark.parametrize(("attribute", "computed_by"), [
    ("centrality", "centrality"),
    ("communities", "detect_communities"),
    ("recommender", "Recommender"),
])
def test_concurrent_first_readers_compute_once(
        monkeypatch: pytest.MonkeyPatch, projection: Projection, attribute: str,
        computed_by: str) -> None:
    counter = SlowCounter(getattr(api.analysis, computed_by))
    monkeypatch.setattr(api.analysis, computed_by, counter)
    analysis = Analysis(projection)

    found = read_together([lambda: getattr(analysis, attribute)] * THREADS)

    assert counter.calls == 1
    assert all(value is found[0] for value in found)
    assert getattr(analysis, attribute) is found[0]  # later readers reuse it too
    assert counter.calls == 1


def test_recommender_and_centrality_read_together_compute_each_once(
        monkeypatch: pytest.MonkeyPatch, projection: Projection) -> None:
    # the recommender is built from centrality: its readers and centrality's share one run
    ranks = SlowCounter(api.analysis.centrality)
    builds = SlowCounter(api.analysis.Recommender)
    monkeypatch.setattr(api.analysis, "centrality", ranks)
    monkeypatch.setattr(api.analysis, "Recommender", builds)
    analysis = Analysis(projection)

    read_together([lambda: analysis.recommender, lambda: analysis.centrality] * (THREADS // 2))

    assert (ranks.calls, builds.calls) == (1, 1)


class Overlap:
    """Stands in front of real analytics functions: how many of them run at once, at most."""

    def __init__(self) -> None:
        self.inside = self.most = 0
        self._lock = threading.Lock()

    def around(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.inside += 1
                self.most = max(self.most, self.inside)
            try:
                time.sleep(0.15)  # long enough for a reader arriving together to overlap
                return real(*args, **kwargs)
            finally:
                with self._lock:
                    self.inside -= 1
        return wrapper


def test_centrality_and_communities_take_turns_on_the_backend(
        monkeypatch: pytest.MonkeyPatch, projection: Projection) -> None:
    # run together on one graph, franken_networkx's PageRank and Louvain crash
    overlap = Overlap()
    monkeypatch.setattr(api.analysis, "centrality", overlap.around(api.analysis.centrality))
    monkeypatch.setattr(api.analysis, "detect_communities",
                        overlap.around(api.analysis.detect_communities))
    analysis = Analysis(projection)

    ranks, groups = read_together([lambda: analysis.centrality, lambda: analysis.communities])

    assert overlap.most == 1
    assert ranks.scores["pagerank"]
    assert groups.communities


def test_recommender_builds_while_communities_compute(
        monkeypatch: pytest.MonkeyPatch, projection: Projection) -> None:
    analysis = Analysis(projection)
    assert analysis.centrality  # computed; building the recommender needs no backend run
    both_inside = threading.Barrier(2, timeout=WAIT)
    monkeypatch.setattr(api.analysis, "Recommender",
                        meet_inside(api.analysis.Recommender, both_inside))
    monkeypatch.setattr(api.analysis, "detect_communities",
                        meet_inside(api.analysis.detect_communities, both_inside))

    built, groups = read_together([lambda: analysis.recommender,
                                   lambda: analysis.communities])

    assert built is analysis.recommender
    assert groups.communities


def test_analyses_of_two_versions_compute_side_by_side(
        monkeypatch: pytest.MonkeyPatch, sample_store: GraphStore) -> None:
    # e.g. the analysis of the version before a write, still being read, and the new one
    older, newer = (projection_from_tables(sample_store.entities_table(),
                                           sample_store.relations_table()) for _ in range(2))
    both_inside = threading.Barrier(2, timeout=WAIT)
    monkeypatch.setattr(api.analysis, "centrality",
                        meet_inside(api.analysis.centrality, both_inside))
    old, new = Analysis(older), Analysis(newer)

    first, second = read_together([lambda: old.centrality, lambda: new.centrality])

    assert first is not second
    assert first.scores == second.scores


def test_a_failed_computation_is_retried_not_kept(monkeypatch: pytest.MonkeyPatch,
                                                  projection: Projection) -> None:
    real = api.analysis.centrality
    calls: list[int] = []

    def fails_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the first run fails")
        return real(*args, **kwargs)

    monkeypatch.setattr(api.analysis, "centrality", fails_once)
    analysis = Analysis(projection)

    with pytest.raises(RuntimeError, match="first run"):
        _ = analysis.centrality
    assert analysis.centrality is analysis.centrality
    assert len(calls) == 2


def test_warm_up_builds_the_recommender_the_first_request_uses(tmp_path: Path) -> None:
    from api.analysis import analysis_of
    from api.routes.partners import warm_up
    from graph.store import open_store
    from ingest.loader import load_paths

    with open_store(tmp_path / "store") as store:
        load_paths(store, [SAMPLE])
        assert analysis_of(store)._recommender._box is None  # a fresh store: not built
        warm_up(store).join(WAIT)
        analysis = analysis_of(store)
        assert analysis._recommender._box is not None  # built before any request
        built = analysis.recommender
        assert analysis_of(store).recommender is built  # the request reuses it
        assert built.recommend("enterprise:华联机械", 3)


def test_the_server_warms_the_recommender_when_asked(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from api.analysis import analysis_of
    from api.app import create_app
    from graph.settings import Settings
    from graph.store import open_store
    from ingest.loader import load_paths

    with open_store(tmp_path / "store") as store:
        load_paths(store, [SAMPLE])
        app = create_app(Settings(store=store.location, warm_partners=True), store=store)
        with TestClient(app) as client:
            assert client.get("/health").status_code == 200
        # leaving the app waited for the build: it is there for the first request
        assert analysis_of(store)._recommender._box is not None
