"""The analytics the API serves, computed once per store version and shared by requests.

A projection, its centrality, communities and recommender take seconds on a large graph;
requests reuse them until a write changes the store's version.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property

from graph.analytics import (
    Centrality,
    Communities,
    Projection,
    Recommender,
    centrality,
    detect_communities,
    project,
)
from graph.store.base import GraphStore
from graph.versioned import per_version


@dataclass
class Analysis:
    """Lazily computed analytics of one store version."""

    projection: Projection
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @cached_property
    def centrality(self) -> Centrality:
        with self._lock:
            return centrality(self.projection)

    @cached_property
    def communities(self) -> Communities:
        with self._lock:
            return detect_communities(self.projection)

    @cached_property
    def recommender(self) -> Recommender:
        return Recommender(self.projection, self.centrality.scores["pagerank"])


def analysis_of(store: GraphStore) -> Analysis:
    """The analysis of ``store`` as it is now (rebuilt after any write)."""
    return per_version(store, "analysis", lambda s: Analysis(project(s)))
