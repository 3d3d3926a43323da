"""The analytics the API serves, computed once per store version and shared by requests.

A projection, its centrality, communities and recommender take seconds on a large graph;
requests reuse them until a write changes the store's version.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from graph.analytics import (
    Centrality,
    Communities,
    Projection,
    Recommender,
    centrality,
    detect_communities,
    project,
)
from graph.analytics.partner_features import sparse_pagerank
from graph.analytics.recommend import SHIPPED_MODEL
from graph.store.base import GraphStore
from graph.versioned import per_version

T = TypeVar("T")


class Once(Generic[T]):
    """A value computed by the first caller of :meth:`get`; callers arriving meanwhile wait
    for it instead of computing it again. A computation that raises is not kept: the next
    caller tries again.

    Not ``functools.cached_property``: on Python 3.11 its lock belongs to the class, so
    every instance's computation of an attribute waits for every other's, and from 3.12
    it has no lock at all (concurrent first readers each compute).

    >>> calls = []
    >>> once = Once(lambda: calls.append("run") or len(calls))
    >>> once.get(), once.get(), calls
    (1, 1, ['run'])
    """

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._lock = threading.Lock()
        self._box: tuple[T] | None = None  # a tuple, so that None can be a computed value

    def get(self) -> T:
        box = self._box
        if box is None:  # not computed yet: one caller computes, the others wait here
            with self._lock:
                if self._box is None:
                    self._box = (self._compute(),)
                box = self._box
        return box[0]


@dataclass
class Analysis:
    """Lazily computed analytics of one store version.

    Each attribute is computed once, under its own lock: a reader waits only for what it
    reads, and the analyses of two store versions never wait for each other. Centrality
    and communities also take :attr:`_backend_lock`, one after the other.
    """

    projection: Projection
    _centrality: Once[Centrality] = field(init=False, repr=False)
    _communities: Once[Communities] = field(init=False, repr=False)
    _recommender: Once[Recommender] = field(init=False, repr=False)
    #: NetworkX backend runs on this projection's graph take turns: franken_networkx keeps
    #: its conversion on the graph and is not safe for two threads at once (PageRank and
    #: Louvain started together fail with ``PyBorrowMutError`` or "expected Graph")
    _backend_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._centrality = Once(lambda: self._on_backend(centrality))
        self._communities = Once(lambda: self._on_backend(detect_communities))
        # the recommender needs PageRank only (sparse, a fraction of a second), not the
        # whole centrality pass: the first recommendation does not wait for betweenness
        self._recommender = Once(
            lambda: Recommender(self.projection, sparse_pagerank(self.projection),
                                model=SHIPPED_MODEL))

    def _on_backend(self, analyse: Callable[[Projection], T]) -> T:
        with self._backend_lock:  # always taken last, so no two locks wait on each other
            return analyse(self.projection)

    @property
    def centrality(self) -> Centrality:
        return self._centrality.get()

    @property
    def communities(self) -> Communities:
        return self._communities.get()

    @property
    def recommender(self) -> Recommender:
        return self._recommender.get()


def analysis_of(store: GraphStore) -> Analysis:
    """The analysis of ``store`` as it is now (rebuilt after any write)."""
    return per_version(store, "analysis", lambda s: Analysis(project(s)))
