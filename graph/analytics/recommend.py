"""Partner recommendation: rank candidate partners of an actor or a chain segment.

The score of candidate v for query u is ``0.5·g + 0.2·c + 0.15·i + 0.15·s`` (weights in
:class:`ScoreWeights`), each part in [0, 1]:

- graph evidence ``g = 1 − exp(−RA(u, v))``, RA the resource-allocation index
  ``Σ_{z ∈ N(u) ∩ N(v)} 1/deg(z)`` over collaboration ties (a shared partner with few ties
  says more than a hub everyone is tied to);
- chain fit ``c``: 1 same segment, 0.6 adjacent segment (one supplies the other),
  0.3 same chain, else 0;
- industry match ``i``: Jaccard overlap of the two actors' industries;
- standing ``s``: the candidate's PageRank percentile among all actors.

A chain segment as query stands for its members, contracted into one node. An actor's
existing partners are never recommended; for a segment, its members are not, and its
members' partners (not members themselves) are its nearest candidates.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from schema import EntityNotFound, EntityType, InvalidInput

from .catalog import Catalog
from .explain import ChainFit, Explanation, PathStep, chain_phrase, path_phrase, tie_label
from .projection import Projection
from .results import EntityRef, JsonResult

__all__ = ["PARTNER_TYPES", "Recommendation", "Recommender", "ScoreWeights"]

#: who can be recommended as a partner: institutions and firms
PARTNER_TYPES: frozenset[EntityType] = frozenset({
    EntityType.institute, EntityType.enterprise, EntityType.platform, EntityType.incubator,
    EntityType.talent_team})
CHAIN_FIT = {"same_segment": 1.0, "upstream": 0.6, "downstream": 0.6, "same_chain": 0.3,
             "same_industry": 0.0}
#: per industry and per segment, the strongest actors by standing that join the pool
POOL_PER_GROUP = 200
MAX_N = 100


@dataclass(frozen=True)
class ScoreWeights(JsonResult):
    """Weights of the four parts of the score (they need not sum to 1), and the scale of
    the graph evidence: ``g = 1 − exp(−RA / evidence_scale)``."""

    graph: float = 0.5
    chain: float = 0.2
    industry: float = 0.15
    standing: float = 0.15
    evidence_scale: float = 1.0


@dataclass(frozen=True)
class Recommendation(JsonResult):
    """One recommended partner, its score, the parts of the score, and why."""

    rank: int
    entity: EntityRef
    score: float
    parts: dict[str, float]
    explanation: Explanation


class Recommender:
    """Scores and ranks candidate partners over one projection.

    ``standing``: PageRank (or another score) of every actor; its percentile is the
    standing part. Build once, then call :meth:`recommend` for many queries.
    """

    def __init__(self, projection: Projection, standing: Mapping[str, float],
                 weights: ScoreWeights | None = None,
                 candidate_types: Iterable[EntityType] = PARTNER_TYPES) -> None:
        self.projection = projection
        self.graph: nx.Graph[str] = projection.graph
        self.catalog: Catalog = projection.catalog
        self.weights = weights or ScoreWeights()
        self.candidate_types = frozenset(candidate_types)
        if not self.candidate_types:
            raise InvalidInput("candidate_types", "name at least one entity type")
        ordered = sorted(standing.get(v, 0.0) for v in self.graph)
        top = max(len(ordered) - 1, 1)
        self.percentile = {v: bisect_left(ordered, standing.get(v, 0.0)) / top
                           for v in self.graph}
        self._by_industry: dict[str, list[str]] = defaultdict(list)
        self._by_segment: dict[str, list[str]] = defaultdict(list)
        for v in sorted(self.graph, key=lambda v: (-self.percentile[v], v)):
            for industry in self.catalog.industries_of.get(v, ()):
                if len(self._by_industry[industry]) < POOL_PER_GROUP:
                    self._by_industry[industry].append(v)
            for segment in self.catalog.segments_of.get(v, ()):
                if len(self._by_segment[segment]) < POOL_PER_GROUP:
                    self._by_segment[segment].append(v)

    # -- the query ----------------------------------------------------------------------
    def _query(self, source: str) -> tuple[set[str], set[str]]:
        """(the query's own nodes, their partners) — one node, or a segment's members."""
        if source in self.catalog.segments:
            members = {m for m in self.catalog.members_of_segment(source) if m in self.graph}
            partners = {z for m in members for z in self.graph.adj[m]} - members
            return members, partners
        if source not in self.graph:
            if source in self.catalog.entities:
                raise InvalidInput("entity", f"{self.catalog.name(source)} ({source}) is not an "
                                   "actor of this projection (its type or the filter)")
            raise EntityNotFound(source)
        return {source}, set(self.graph.adj[source])

    def _segments(self, source: str) -> dict[str, str]:
        if source in self.catalog.segments:
            return {source: ""}
        return self.catalog.segments_of.get(source, {})

    def _industries(self, source: str) -> set[str]:
        if source in self.catalog.segments:
            industry = self.catalog.segments[source].industry
            return {industry} if industry else set()
        return self.catalog.industries_of.get(source, set())

    # -- scoring ------------------------------------------------------------------------
    def chain_fit(self, source: str, candidate: str) -> ChainFit | None:
        """The closest chain relation between the query and a candidate, if any."""
        best: tuple[float, ChainFit] | None = None
        for mine in self._segments(source):
            for theirs in self.catalog.segments_of.get(candidate, {}):
                a, b = self.catalog.segments[mine], self.catalog.segments[theirs]
                if a.industry is None or a.industry != b.industry:
                    continue
                relation = "same_segment" if mine == theirs else (
                    self.catalog.adjacency(theirs, mine) or "same_chain")
                fit = ChainFit(relation, a.industry, mine, theirs,
                               query_is_segment=source in self.catalog.segments)
                if best is None or CHAIN_FIT[relation] > best[0]:
                    best = (CHAIN_FIT[relation], fit)
        if best is not None:
            return best[1]
        shared = sorted(self._industries(source) & self.catalog.industries_of.get(candidate,
                                                                                  set()))
        return ChainFit("same_industry", shared[0], None, None,
                        query_is_segment=source in self.catalog.segments) if shared else None

    def parts(self, source: str, candidate: str,
              query: tuple[set[str], set[str]] | None = None) -> dict[str, float]:
        """The four score parts of one (query, candidate) pair."""
        own, partners = query or self._query(source)
        ra = sum(1.0 / self.graph.degree(z) for z in self.graph.adj[candidate]
                 if z in partners or z in own)
        fit = self.chain_fit(source, candidate)
        mine, theirs = self._industries(source), self.catalog.industries_of.get(candidate, set())
        union = mine | theirs
        return {"graph": 1.0 - math.exp(-ra / self.weights.evidence_scale),
                "chain": CHAIN_FIT[fit.relation] if fit else 0.0,
                "industry": len(mine & theirs) / len(union) if union else 0.0,
                "standing": self.percentile.get(candidate, 0.0)}

    def score(self, parts: Mapping[str, float]) -> float:
        w = self.weights
        return (w.graph * parts["graph"] + w.chain * parts["chain"]
                + w.industry * parts["industry"] + w.standing * parts["standing"])

    def pair_score(self, source: str, candidate: str) -> float:
        """The score of any pair (for evaluation), partners or not."""
        return self.score(self.parts(source, candidate))

    def candidates(self, source: str) -> set[str]:
        """Partners of partners, and the strongest actors (by standing, at most
        :data:`POOL_PER_GROUP` each) of the same and adjacent segments and of the same
        industries — minus the query and its partners. For a segment: minus its members,
        and its members' partners are candidates too."""
        own, partners = self._query(source)
        pool = {w for z in partners for w in self.graph.adj[z]}
        # a segment needs new members: its members' partners are its nearest candidates
        segment_query = source in self.catalog.segments
        if segment_query:
            pool |= partners
        supply = self.catalog.supply
        for segment in self._segments(source):
            near = {segment}
            if segment in supply:
                near.update(supply.predecessors(segment), supply.successors(segment))
            for each in near:
                pool.update(self._by_segment.get(each, ()))
        for industry in self._industries(source):
            pool.update(self._by_industry.get(industry, ()))
        return {v for v in pool - own - (set() if segment_query else partners)
                if v in self.graph and self.catalog.info(v).type in self.candidate_types}

    # -- ranking ------------------------------------------------------------------------
    def recommend(self, source: str, n: int = 10, explain: bool = True) -> list[Recommendation]:
        """The ``n`` best candidates for ``source``.

        Parameters
        ----------
        source : str
            An actor's id, or a chain segment's id.
        n : int
            How many (1 to 100).
        explain : bool
            Build each recommendation's :class:`Explanation` (paths cost a search each).

        Returns
        -------
        list of Recommendation
            Best first, each with its score, the score's parts and the explanation.
        """
        if not 1 <= n <= MAX_N:
            raise InvalidInput("n", f"must be between 1 and {MAX_N}, got {n}")
        query = self._query(source)
        scored = []
        for candidate in self.candidates(source):
            parts = self.parts(source, candidate, query)
            scored.append((self.score(parts), candidate, parts))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [Recommendation(rank + 1, self.catalog.info(v).ref(), score, parts,
                               self.explain(source, v, query) if explain else _no_reason())
                for rank, (score, v, parts) in enumerate(scored[:n])]

    def explain(self, source: str, candidate: str,
                query: tuple[set[str], set[str]] | None = None) -> Explanation:
        """Shared partners, the shortest connecting path and the chain fit, in words."""
        own, partners = query or self._query(source)
        shared = sorted((z for z in self.graph.adj[candidate] if z in partners or z in own),
                        key=lambda z: (self.graph.degree(z), z))
        path = self._path(own, candidate)
        fit = self.chain_fit(source, candidate)
        query_name = self.catalog.name(source)
        tied = [z for z in shared if z in own and z != source]  # a segment's members
        via = [z for z in shared if z not in own]
        if tied:  # only for a segment: the candidate already works with some members
            who = "其中" if fit else f"{query_name}环节"
            connection = f"已与{who}{len(tied)}家成员合作（{self._names(tied)}）"
            pieces = [connection]
        else:
            if source in self.catalog.segments:  # "与眼镜·镜片环节成员经…相连"
                query_name += "环节成员"
            connection = path_phrase(path)
            pieces = [connection] if fit else [f"与{query_name}{connection}"]
        if fit:
            pieces.insert(0, chain_phrase(self.catalog, query_name, fit))
        if len(via) > 1 or (via and tied):
            pieces.append(f"共同合作方{len(via)}家（{self._names(via)}）")
        text = "，".join(pieces)
        return Explanation(text + "。", [self.catalog.info(z).ref() for z in shared[:10]],
                           len(shared), path, fit)

    def _names(self, ids: list[str]) -> str:
        return "、".join(self.catalog.name(z) for z in ids[:3]) + ("等" if len(ids) > 3 else "")

    def _path(self, own: set[str], candidate: str, cutoff: int = 4) -> list[PathStep]:
        best: list[str] | None = None
        for start in sorted(own)[:50]:
            try:
                found = nx.bidirectional_shortest_path(self.graph, start, candidate)
            except nx.NetworkXNoPath:
                continue
            if len(found) - 1 <= cutoff and (best is None or len(found) < len(best)):
                best = found
        if best is None:
            return []
        return [PathStep(self.catalog.info(v).ref(),
                         tie_label(self.graph, v, best[i + 1]) if i + 1 < len(best) else None)
                for i, v in enumerate(best)]


def _no_reason() -> Explanation:
    return Explanation("", [], 0, [], None)
