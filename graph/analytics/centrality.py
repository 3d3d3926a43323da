"""Centrality: degree, weighted degree, PageRank and betweenness of every actor.

Betweenness is exact up to :data:`EXACT_BETWEENNESS_LIMIT` nodes; above it, it is
estimated from a seeded sample of source nodes (Brandes' pivots, as NetworkX's ``k``),
and the result says which and how many. Shortest paths count hops (tie strength does not
lengthen or shorten a path); PageRank follows ties in proportion to their strength.
"""

from __future__ import annotations

from collections.abc import Iterator, KeysView, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from schema import InnographError, InvalidInput

from . import engine
from .budget import require
from .catalog import Catalog
from .progress import phase
from .projection import Projection
from .results import EntityRef, JsonResult

__all__ = ["DEFAULT_BETWEENNESS_SAMPLE", "EXACT_BETWEENNESS_LIMIT", "Centrality",
           "CentralityMeasure", "MissingDependency", "RankedEntity", "centrality", "pagerank"]

EXACT_BETWEENNESS_LIMIT = 5000
DEFAULT_BETWEENNESS_SAMPLE = 64
PAGERANK_DAMPING = 0.85


class CentralityMeasure(StrEnum):
    degree = "degree"
    weighted_degree = "weighted_degree"
    pagerank = "pagerank"
    betweenness = "betweenness"


@dataclass(frozen=True)
class RankedEntity(JsonResult):
    """One actor's place in a ranking."""

    rank: int
    entity: EntityRef
    value: float


@dataclass
class Centrality(JsonResult):
    """Scores by measure and node id, and how betweenness was computed."""

    scores: dict[str, dict[str, float]]
    betweenness_method: str  # "exact" or "sampled"
    betweenness_sources: int  # pivots used (= node count when exact)
    seed: int
    #: the NetworkX backend that computed betweenness and PageRank (see :mod:`.backends`)
    backend: str = "networkx"
    refs: dict[str, EntityRef] = field(repr=False, default_factory=dict)

    def top(self, measure: CentralityMeasure | str, n: int = 10) -> list[RankedEntity]:
        """The ``n`` highest-scoring actors by ``measure`` (ties broken by id)."""
        chosen = _measure(measure)
        if n < 1:
            raise InvalidInput("n", f"must be at least 1, got {n}")
        values = self.scores[chosen.value]
        best = sorted(values, key=lambda node: (-values[node], node))[:n]
        return [RankedEntity(i + 1, self.refs[node], values[node])
                for i, node in enumerate(best)]

    def to_json(self, n: int = 10) -> dict[str, object]:
        """Method facts and the top ``n`` of each measure (the full table is too large)."""
        return {"betweenness_method": self.betweenness_method,
                "betweenness_sources": self.betweenness_sources, "seed": self.seed,
                "backend": self.backend,
                "nodes": len(self.scores[CentralityMeasure.degree.value]),
                "top": {m.value: [r.to_json() for r in self.top(m, n)]
                        for m in CentralityMeasure}}


def _measure(measure: CentralityMeasure | str) -> CentralityMeasure:
    try:
        return CentralityMeasure(measure)
    except ValueError:
        raise InvalidInput("measure", f"must be one of {[m.value for m in CentralityMeasure]}, "
                                      f"got {measure!r}") from None


def centrality(projection: Projection, *, betweenness_sources: int | None = None,
               seed: int = 7) -> Centrality:
    """Degree, weighted degree, PageRank (damping 0.85) and betweenness of every actor.

    Parameters
    ----------
    projection : Projection
    betweenness_sources : int, optional
        Sample size for betweenness (see below).
    seed : int
        Seed of the betweenness sample.

    Returns
    -------
    Centrality
        Scores by measure and actor; ``top(measure, n)`` ranks them.

    ``betweenness_sources``: ``None`` means exact up to :data:`EXACT_BETWEENNESS_LIMIT`
    nodes, else :data:`DEFAULT_BETWEENNESS_SAMPLE` sampled sources; a number asks for that
    many sources (exact when it reaches the node count). Degree counts distinct partners;
    betweenness is normalised by ``(n−1)(n−2)/2``.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> nodes = [Entity(f"enterprise:{c}", E.enterprise, c) for c in "abc"]
    >>> ties = [Relation(f"r{i}", R.partnership, f"enterprise:{x}", f"enterprise:{y}")
    ...         for i, (x, y) in enumerate(["ab", "bc"])]
    >>> c = centrality(build_projection(nodes, ties))
    >>> c.top("betweenness", 1)[0].entity.name, c.scores["betweenness"]["enterprise:b"]
    ('b', 1.0)
    """
    n = projection.number_of_nodes()
    if betweenness_sources is not None and betweenness_sources < 1:
        raise InvalidInput("betweenness_sources", f"must be at least 1, got {betweenness_sources}")
    sources = betweenness_sources if betweenness_sources is not None else (
        n if n <= EXACT_BETWEENNESS_LIMIT else DEFAULT_BETWEENNESS_SAMPLE)
    exact = sources >= n
    require(projection, "centrality", sources=min(sources, n))
    phase("度数 degree", 0.0)
    degree, weighted_degree = engine.degrees(projection)
    # PageRank first: a backend's conversion of the graph with its weights, made for
    # PageRank, also serves betweenness and Louvain (without weights first, it converts twice)
    phase("PageRank", 0.05)
    ranks = _pagerank(projection)
    phase(f"中介中心性 betweenness ({'exact' if exact else f'{sources} sampled sources'})", 0.2)
    betweenness, backend = engine.betweenness(projection, k=None if exact else sources,
                                              normalized=True, seed=seed)
    scores = {
        CentralityMeasure.degree.value: degree,
        CentralityMeasure.weighted_degree.value: weighted_degree,
        CentralityMeasure.pagerank.value: ranks,
        CentralityMeasure.betweenness.value: betweenness,
    }
    return Centrality(scores, "exact" if exact else "sampled", n if exact else sources, seed,
                      backend, Refs(projection.catalog, degree))


class Refs(dict[str, EntityRef]):
    """Entity references of the scored actors, made when first asked for (a million
    actors' references would otherwise be held for the few a ranking shows). Reads like
    the full dict: every scored actor is a key."""

    def __init__(self, catalog: Catalog, keys: Mapping[str, object]) -> None:
        super().__init__()
        self._catalog = catalog
        self._keys = keys

    def __missing__(self, node: str) -> EntityRef:
        if node not in self._keys:
            raise KeyError(node)
        ref = self._catalog.info(node).ref()
        self[node] = ref
        return ref

    def __contains__(self, node: object) -> bool:
        return node in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def get(self, node: str, default: EntityRef | None = None) -> EntityRef | None:  # type: ignore[override]
        return self[node] if node in self._keys else default

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        return KeysView(self._keys)

    def values(self) -> Iterator[EntityRef]:  # type: ignore[override]
        return (self[node] for node in self._keys)

    def items(self) -> Iterator[tuple[str, EntityRef]]:  # type: ignore[override]
        return ((node, self[node]) for node in self._keys)


class MissingDependency(InnographError):
    """An optional library that this computation needs is not installed."""

    def __init__(self, package: str, purpose: str) -> None:
        super().__init__(f"{purpose} needs the {package} package: pip install {package}")


def pagerank(projection: Projection) -> dict[str, float]:
    """PageRank (damping 0.85, ties weighted by strength) of every actor, alone.

    Parameters
    ----------
    projection : Projection

    Returns
    -------
    dict
        Score by actor id; the scores sum to 1.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> nodes = [Entity(f"enterprise:{c}", E.enterprise, c) for c in "ab"]
    >>> pagerank(build_projection(nodes, [Relation("r", R.partnership, "enterprise:a",
    ...                                            "enterprise:b")]))
    {'enterprise:a': 0.5, 'enterprise:b': 0.5}
    """
    return _pagerank(projection)


def _pagerank(projection: Projection) -> dict[str, float]:
    if projection.number_of_nodes() == 0:
        return {}
    try:
        ranks, _ = engine.pagerank(projection, alpha=PAGERANK_DAMPING, weight="weight",
                                   tol=1e-10, max_iter=1000)
    except ModuleNotFoundError as e:  # NetworkX computes PageRank with scipy
        raise MissingDependency("scipy", "PageRank") from e
    return ranks
