"""Partner recommendation: rank candidate partners of an actor or a chain segment.

**An actor as query, with a learned model** (``model=SHIPPED_MODEL``: the API and the
CLI): every candidate v gets the features of :mod:`.partner_features` — structural
evidence (resource allocation r₂, shared partners, three-tie resource r₃), activity and
recency, degree, type complementarity and geography — and the boosted trees of
:mod:`.partner_model` (fitted on a real network's own past) turn them into a logit L. The
chain and industry prior of the hand score below then multiplies the odds, and the pool
(the candidates with the most shared partners) comes first: score = (pool + σ(L + ln(1 +
κ·P_ci))) / 2, P_ci = (w_c·c + w_i·i) / (w_c + w_i) (no real data with chains was
available to learn it from). The parts carry every feature and its effect on L
(``effect_<feature>``), and the explanation names the features whose effects drove the
score.

**A chain segment as query, or** ``model=None`` (the hand score, as before):
each candidate v of a query u gets graph evidence E and a prior P, and the two multiply:

- E = r₁ + r₂ + ε·r₃: the query's collaboration that reaches v along two ties (weighted
  resource allocation) and, discounted by ε, along three (:mod:`.evidence`); r₁, a direct
  tie, counts only for a segment, whose members' partners are its nearest candidates;
- P = (w_c·c + w_i·i + w_s·s) / (w_c + w_i + w_s), each part in [0, 1]: chain fit c
  (1 same segment, 0.6 adjacent segment: one supplies the other, 0.3 same chain, else 0),
  industry match i (Jaccard overlap of the two actors' industries), standing s (the
  candidate's PageRank percentile);
- odds = (E + E₀)·(1 + κ·P), score = odds / (1 + odds) in (0, 1).

The floor E₀ lets the prior rank candidates without evidence, below those with evidence
and a like prior; a candidate the prior places best counts 1 + κ times its evidence.
Weights and constants are in :class:`ScoreWeights`.

A chain segment as query stands for its members, contracted into one node. An actor's
existing partners are never recommended; for a segment, its members are not, and its
members' partners (not members themselves) are its nearest candidates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np

from schema import EntityNotFound, EntityType, InvalidInput

from .catalog import Catalog
from .evidence import Reach, ResourceSpread
from .explain import ChainFit, Explanation, explanation, learned_reasons
from .partner_features import FEATURES, PartnerIndex
from .partner_model import PartnerModel, pool_of
from .projection import Projection
from .results import EntityRef, JsonResult

__all__ = ["PARTNER_TYPES", "SHIPPED_MODEL", "Recommendation", "Recommender", "ScoreWeights"]

#: who can be recommended as a partner: institutions and firms
PARTNER_TYPES: frozenset[EntityType] = frozenset({
    EntityType.institute, EntityType.enterprise, EntityType.platform, EntityType.incubator,
    EntityType.talent_team})
CHAIN_FIT = {"same_segment": 1.0, "upstream": 0.6, "downstream": 0.6, "same_chain": 0.3,
             "same_industry": 0.0}
#: ``model=SHIPPED_MODEL`` selects the shipped learned model (the API and the CLI do);
#: ``model=None``, the default, the hand score
SHIPPED_MODEL = "shipped"
#: what to ask instead when the entity asked about is not an organisation that partners
ASK_INSTEAD: dict[EntityType, str] = {
    EntityType.industry: (
        "{name}是产业，不是机构，没有自己的合作伙伴：本地补链候选见其产业链图谱（innograph "
        "analyze chain {name} / GET /industries/{id}/chain，可按区域筛选），区外机构用 "
        "scope=external（--scope external）"),
    EntityType.region: (
        "{name}是区域，不是机构：可改问区域内某个机构的合作伙伴，或某个产业在该区域的产业链"
        "缺口（innograph analyze chain 产业 --region {name} / GET /industries/产业/chain"
        "?region={name}）"),
}
ASK_OTHERWISE = ("{name}（{type}）不在这次分析的机构之中（类型或筛选条件所致），无法为它推荐合作伙伴；"
                 "可改问与它相关的机构")
#: per industry and per segment, the strongest actors by standing that join the pool
POOL_PER_GROUP = 200
MAX_N = 100

#: why there is no candidate, by what the graph lacks (:meth:`Recommender.why_none`)
WHY_NONE: dict[str, str] = {
    # in the sample: 温州国家大学科技园 (located in 瓯海区, nothing else)
    "no_ties": "图谱中「{name}」还没有合作关系，也没有所属产业或产业链环节，推荐无从依据；"
               "补充它的合作、产业或环节后即可推荐，区外候选可另查（scope external）。",
    # 中国长城科技集团 (one tie, to a park with no other tie)
    "partners_alone": "「{name}」的 {partners} 个合作方在图谱中没有别的合作，它也没有所属产业或"
                      "产业链环节，两三跳内没有候选；补充合作、产业或环节后即可推荐。",
    # an actor whose industry's or segment's other members are all its partners already
    "groups_alone": "「{name}」所属产业或产业链环节中，除已合作的之外没有其他可推荐的机构。",
    # any actor asked for candidate types none of its candidates has
    "types": "「{name}」的候选都不属于所选的类型；放宽类型即可看到。",
}


@dataclass(frozen=True)
class ScoreWeights(JsonResult):
    """The weights of the prior's parts (they need not sum to 1); ``boost`` κ (a candidate
    the prior places best counts 1 + κ times its evidence); the evidence ``floor`` E₀; the
    discount ``three_step`` ε of evidence over three ties."""

    chain: float = 0.5
    industry: float = 0.3
    standing: float = 0.2
    boost: float = 4.0
    floor: float = 0.1
    three_step: float = 0.3

    def check(self) -> None:
        """Raise :class:`schema.InvalidInput` naming a weight that cannot work."""
        for name in ("chain", "industry", "standing", "boost", "three_step"):
            if not getattr(self, name) >= 0:
                raise InvalidInput(f"weights.{name}", f"must be 0 or more, got "
                                   f"{getattr(self, name)}")
        if not self.chain + self.industry + self.standing > 0:
            raise InvalidInput("weights", "chain, industry and standing are all 0")
        if not self.floor > 0:
            raise InvalidInput("weights.floor", f"must be above 0 (else candidates without "
                               f"evidence all tie), got {self.floor}")


@dataclass(frozen=True)
class Recommendation(JsonResult):
    """One recommended partner, its score, the parts of the score, and why."""

    rank: int
    entity: EntityRef
    score: float
    parts: dict[str, float]
    explanation: Explanation


@dataclass(frozen=True)
class _Query:
    """One query: its own nodes (one actor, or a segment's members), their partners, and
    the resource they spread."""

    source: str
    own: frozenset[str]
    partners: frozenset[str]
    reach: Reach
    is_segment: bool
    #: chain fit value of every segment of the query's chains (:data:`CHAIN_FIT`)
    chain_values: dict[str, float]
    industries: frozenset[str]


@dataclass(frozen=True)
class _Table:
    """One query's candidates, their features, the pool, and their learned logits (with
    the prior), computed when first asked for: the trees walk the pool's few hundred rows
    for a top ten, not every candidate of a 20,000-organisation graph."""

    source: str
    candidates: list[str]
    values: np.ndarray
    #: ln(1 + κ·prior) per candidate (0 where it has none)
    boost: np.ndarray
    model: PartnerModel
    pool: frozenset[str]
    #: ``in_pool[i]``: whether ``candidates[i]`` is in the pool
    in_pool: np.ndarray
    #: the logits computed so far (NaN: not yet)
    known: np.ndarray

    def logits(self, rows: np.ndarray) -> np.ndarray:
        """The logits of candidate ``rows`` (positions in :attr:`candidates`)."""
        missing = rows[np.isnan(self.known[rows])]
        if len(missing):
            self.known[missing] = self.model.logits(self.values[missing]) + self.boost[missing]
        found: np.ndarray = self.known[rows]
        return found


class Recommender:
    """Scores and ranks candidate partners over one projection.

    ``standing``: PageRank (or another score) of every actor; its percentile is the
    standing part of the hand score and orders the pools of strongest actors. ``model``:
    the learned model that scores actor queries (:data:`SHIPPED_MODEL` for the shipped
    one, as the API and the CLI use); ``None`` (the default, kept for callers and tests
    of the hand score) scores every query with the hand score. Build once, then call
    :meth:`recommend` for many queries.
    """

    def __init__(self, projection: Projection, standing: Mapping[str, float],
                 weights: ScoreWeights | None = None,
                 candidate_types: Iterable[EntityType] = PARTNER_TYPES,
                 model: PartnerModel | str | None = None) -> None:
        self.projection = projection
        self.catalog: Catalog = projection.catalog
        self.weights = weights or ScoreWeights()
        self.weights.check()
        self.candidate_types = frozenset(candidate_types)
        if not self.candidate_types:
            raise InvalidInput("candidate_types", "name at least one entity type")
        self.spread = ResourceSpread(projection)
        # organisations outside the district are ranked apart (graph.analytics.external)
        nodes = projection.nodes  # the arrays' node order: no NetworkX graph is built
        self._eligible = frozenset(v for v in nodes
                                   if self.catalog.info(v).type in self.candidate_types
                                   and v not in self.catalog.external)
        values = np.fromiter((standing.get(v, 0.0) for v in nodes), dtype=np.float64,
                             count=len(nodes))
        top = max(len(nodes) - 1, 1)
        # the share of actors ranked below each (ties: the lowest place), vectorised
        places = np.searchsorted(np.sort(values), values, side="left") / top
        self.percentile = dict(zip(nodes, places.tolist(), strict=True))
        self._by_industry: dict[str, list[str]] = defaultdict(list)
        self._by_segment: dict[str, list[str]] = defaultdict(list)
        grouped = [v for v in nodes if v in self.catalog.industries_of
                   or v in self.catalog.segments_of]  # no groups (CORDIS): nothing to sort
        for v in sorted(grouped, key=lambda v: (-self.percentile[v], v)):
            for industry in self.catalog.industries_of.get(v, ()):
                if len(self._by_industry[industry]) < POOL_PER_GROUP:
                    self._by_industry[industry].append(v)
            for segment in self.catalog.segments_of.get(v, ()):
                if len(self._by_segment[segment]) < POOL_PER_GROUP:
                    self._by_segment[segment].append(v)
        self._last: _Query | None = None
        self._last_table: _Table | None = None
        if model == SHIPPED_MODEL:
            model = PartnerModel.shipped()
        elif isinstance(model, str):
            raise InvalidInput("model", f"a PartnerModel, None or {SHIPPED_MODEL!r}, got "
                               f"{model!r}")
        self.model: PartnerModel | None = model
        self.index: PartnerIndex | None = PartnerIndex(projection) if model else None

    @property
    def graph(self) -> nx.Graph[str]:
        """The projection's NetworkX graph (built on first use: ranking and explaining
        read the sparse matrix and tie arrays instead)."""
        return self.projection.graph

    # -- the query ----------------------------------------------------------------------
    def _query(self, source: str) -> _Query:
        """The query's nodes, partners and reach (the last one is kept: evaluation scores
        many candidates of one query pair by pair)."""
        last = self._last  # read once: a shared recommender may serve several threads
        if last is not None and last.source == source:
            return last
        if source in self.catalog.segments:
            own = {m for m in self.catalog.members_of_segment(source)
                   if m in self.projection}
        elif source in self.projection:
            own = {source}
        elif source in self.catalog.entities:
            info = self.catalog.info(source)
            raise InvalidInput("entity", ASK_INSTEAD.get(info.type, ASK_OTHERWISE).format(
                name=info.name, id=source, type=info.type.label))
        else:
            raise EntityNotFound(source)
        partners = {z for m in own for z in self.spread.neighbours(m)} - own
        query = _Query(source, frozenset(own), frozenset(partners), self.spread.reach(own),
                       source in self.catalog.segments, self._chain_values(source),
                       frozenset(self._industries(source)))
        self._last = query
        return query

    def _chain_values(self, source: str) -> dict[str, float]:
        """The chain fit of a candidate in each segment, as :meth:`chain_fit` finds it."""
        values: dict[str, float] = {}
        for mine in self._segments(source):
            industry = self.catalog.segments[mine].industry
            if industry is None:
                continue
            for theirs in self.catalog.chain(industry):
                relation = "same_segment" if theirs.id == mine else (
                    self.catalog.adjacency(theirs.id, mine) or "same_chain")
                values[theirs.id] = max(values.get(theirs.id, 0.0), CHAIN_FIT[relation])
        return values

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
        is_segment = source in self.catalog.segments
        # a segment asking shares only the industry: it is still the query's own segment
        return ChainFit("same_industry", shared[0], source if is_segment else None, None,
                        query_is_segment=is_segment) if shared else None

    def parts(self, source: str, candidate: str) -> dict[str, float]:
        """The parts of one (query, candidate) pair's score: the evidence ``graph`` = E
        with its terms ``direct`` (r₁, a segment's only), ``two_step`` (r₂) and
        ``three_step`` (r₃, before the discount ε); the prior ``prior`` = P with its
        parts ``chain``, ``industry`` and ``standing``. Scored by the learned model also:
        every feature of :data:`.partner_features.FEATURES` by name, its effect
        ``effect_<name>``, the model's ``logit`` L and ``average`` (L of its average
        candidate: L = average + Σ effects), and ``prior`` = P_ci."""
        query = self._query(source)
        parts = self._parts(query, candidate)
        if self._learned(query):
            self._add_learned(query, [candidate], [parts])
        return parts

    def _learned(self, query: _Query) -> bool:
        return self.model is not None and not query.is_segment

    def _learned_prior(self, parts: dict[str, float]) -> float:
        w = self.weights
        return (w.chain * parts["chain"] + w.industry * parts["industry"]) / max(
            w.chain + w.industry, 1e-12)

    def _add_learned(self, query: _Query, candidates: list[str],
                     parts: list[dict[str, float]]) -> None:
        """Features, effects, pool membership and the learned logit into each
        candidate's parts."""
        assert self.model is not None and self.index is not None
        table = self._table(query)
        found = self.index.features(query.own, self.index.positions(candidates))
        logits, effects = self.model.explain(found.values)
        average = self.model.average
        for i, (v, each) in enumerate(zip(candidates, parts, strict=True)):
            each.update(found.row(i))
            each.update({f"effect_{name}": float(e)
                         for name, e in zip(FEATURES, effects[i], strict=True)})
            each["logit"], each["average"] = float(logits[i]), average
            each["prior"] = self._learned_prior(each)
            each["pool"] = 1.0 if v in table.pool else 0.0

    def _table(self, query: _Query) -> _Table:
        """Every candidate's learned logit (with the prior) and the pool, for one query
        (the last one is kept, as :meth:`_query` keeps the query)."""
        last = self._last_table
        if last is not None and last.source == query.source:
            return last
        assert self.model is not None and self.index is not None
        candidates = sorted(self._candidates(query))
        found = self.index.features(query.own, self.index.positions(candidates))
        boost = np.zeros(len(candidates))
        if query.chain_values or query.industries:  # the prior, where a candidate has one
            segments, industries = self.catalog.segments_of, self.catalog.industries_of
            for i, v in enumerate(candidates):
                if v in segments or v in industries:
                    prior = self._learned_prior(self._parts(query, v))
                    boost[i] = np.log1p(self.weights.boost * prior)
        in_pool = np.zeros(len(candidates), dtype=np.bool_)
        in_pool[pool_of(found.values, self.model.pool)] = True
        pool = frozenset(v for v, inside in zip(candidates, in_pool.tolist(), strict=True)
                         if inside)
        table = _Table(query.source, candidates, found.values, boost, self.model, pool,
                       in_pool, np.full(len(candidates), np.nan))
        self._last_table = table
        return table

    def _parts(self, query: _Query, candidate: str) -> dict[str, float]:
        w = self.weights
        reach = query.reach
        direct = reach.one.get(candidate, 0.0) if query.is_segment else 0.0
        two, three = reach.two.get(candidate, 0.0), reach.three.get(candidate, 0.0)
        chain = max((query.chain_values.get(s, 0.0)
                     for s in self.catalog.segments_of.get(candidate, ())), default=0.0)
        theirs = self.catalog.industries_of.get(candidate, set())
        union = len(query.industries | theirs)
        industry = len(query.industries & theirs) / union if union else 0.0
        standing = self.percentile.get(candidate, 0.0)
        prior = (w.chain * chain + w.industry * industry + w.standing * standing) / (
            w.chain + w.industry + w.standing)
        return {"graph": direct + two + w.three_step * three, "direct": direct,
                "two_step": two, "three_step": three, "prior": prior, "chain": chain,
                "industry": industry, "standing": standing}

    def score(self, parts: Mapping[str, float]) -> float:
        """Learned (parts with a ``logit`` L): (pool + σ(L + ln(1 + κ·P_ci))) / 2 — the
        pool's members above every other candidate, each group ordered by the trees.
        Hand: odds / (1 + odds), odds = (E + E₀)·(1 + κ·P)."""
        boost = 1.0 + self.weights.boost * parts["prior"]
        if "logit" in parts:
            return (parts["pool"] + _sigmoid(parts["logit"] + float(np.log(boost)))) / 2
        odds = (parts["graph"] + self.weights.floor) * boost
        return odds / (1.0 + odds)

    def pair_score(self, source: str, candidate: str) -> float:
        """The score of any pair (for evaluation), partners or not."""
        return self.score(self.parts(source, candidate))

    def candidates(self, source: str) -> set[str]:
        """Every actor the query's resource reaches in two or three ties, and the strongest
        actors (by standing, at most :data:`POOL_PER_GROUP` each) of the same and adjacent
        segments and of the same industries — minus the query and its partners. For a
        segment: minus its members, and its members' partners are candidates too."""
        return self._candidates(self._query(source))

    def why_none(self, source: str) -> str:
        """Why :meth:`recommend` finds no candidate for ``source``, in Chinese, saying what
        the graph lacks (``""`` when there are candidates): a firm a bureau's list names, with
        no tie, industry or chain segment yet, has nothing a ranking could rest on.

        Parameters
        ----------
        source : str
            An actor's id, or a chain segment's id.

        Returns
        -------
        str
        """
        query = self._query(source)
        if self._candidates(query):
            return ""
        if self._candidates(query, eligible_only=False):
            case = "types"
        elif query.industries or self._segments(source):
            case = "groups_alone"
        else:
            case = "partners_alone" if query.partners else "no_ties"
        return WHY_NONE[case].format(name=self.catalog.name(source),
                                     partners=len(query.partners))

    def _candidates(self, query: _Query, eligible_only: bool = True) -> set[str]:
        source = query.source
        pool = set(query.reach.two) | set(query.reach.three)
        if query.is_segment:  # a segment needs new members: its members' partners
            pool |= query.partners
        supply = self.catalog.supply
        for segment in self._segments(source):
            near = {segment}
            if segment in supply:
                near.update(supply.predecessors(segment), supply.successors(segment))
            for each in near:
                pool.update(self._by_segment.get(each, ()))
        for industry in self._industries(source):
            pool.update(self._by_industry.get(industry, ()))
        excluded = query.own if query.is_segment else query.own | query.partners
        return ((pool & self._eligible) if eligible_only else pool) - excluded

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
            Build each recommendation's :class:`Explanation`.

        Returns
        -------
        list of Recommendation
            Best first, each with its score, the score's parts and the explanation.
        """
        if not 1 <= n <= MAX_N:
            raise InvalidInput("n", f"must be between 1 and {MAX_N}, got {n}")
        query = self._query(source)
        if self._learned(query):
            scored = self._rank_learned(query, n)
        else:
            scored = []
            for candidate in self._candidates(query):
                parts = self._parts(query, candidate)
                scored.append((self.score(parts), candidate, parts))
            scored.sort(key=lambda item: (-item[0], item[1]))
        return [Recommendation(rank + 1, self.catalog.info(v).ref(), score, parts,
                               self._explain(query, v, parts) if explain else _no_reason())
                for rank, (score, v, parts) in enumerate(scored[:n])]

    def scores(self, source: str, candidates: Iterable[str]) -> dict[str, float]:
        """The score of each of ``candidates`` for ``source`` (partners or not), at once;
        as :meth:`pair_score` gives them one by one."""
        query = self._query(source)
        chosen = list(dict.fromkeys(candidates))
        if not self._learned(query):
            return {v: self.score(self._parts(query, v)) for v in chosen}
        assert self.model is not None and self.index is not None
        table = self._table(query)
        where = {v: i for i, v in enumerate(table.candidates)}
        outside = [v for v in chosen if v not in where]
        extra: dict[str, float] = {}
        if outside:  # not candidates (partners, or beyond reach): scored the same way
            parts = [self._parts(query, v) for v in outside]
            self._add_learned(query, outside, parts)
            extra = {v: self.score(p) for v, p in zip(outside, parts, strict=True)}
        rows = np.array([where[v] for v in chosen if v in where], dtype=np.int64)
        logit = dict(zip(rows.tolist(), table.logits(rows).tolist(), strict=True))
        return {v: extra[v] if v in extra else
                (float(v in table.pool) + _sigmoid(logit[where[v]])) / 2
                for v in chosen}

    def _rank_learned(self, query: _Query, n: int) -> list[tuple[float, str,
                                                                  dict[str, float]]]:
        """The ``n`` best candidates by the learned score (all scored at once; parts,
        effects and explanations only for the ``n``)."""
        table = self._table(query)
        if not table.candidates:
            return []
        # the pool first, then by logit, then by id (candidates are in id order); a pool
        # of n or more holds the whole top n, so only its logits are needed
        rows = np.flatnonzero(table.in_pool) if table.in_pool.sum() >= n \
            else np.arange(len(table.candidates))
        order = rows[np.lexsort((rows, -table.logits(rows), ~table.in_pool[rows]))[:n]]
        best = [table.candidates[i] for i in order.tolist()]
        parts = [self._parts(query, v) for v in best]
        self._add_learned(query, best, parts)
        return [(self.score(p), v, p) for v, p in zip(best, parts, strict=True)]

    def explain(self, source: str, candidate: str) -> Explanation:
        """The shared partners (largest share of the evidence first), the path that
        carries most of it (else the shortest path, up to 4 ties) and the chain fit, in
        words."""
        query = self._query(source)
        parts = self._parts(query, candidate)
        if self._learned(query):
            self._add_learned(query, [candidate], [parts])
        return self._explain(query, candidate, parts)

    def _explain(self, query: _Query, candidate: str,
                 parts: Mapping[str, float] | None = None) -> Explanation:
        reasons = learned_reasons(self.catalog, query.source, candidate, parts) \
            if parts is not None and "logit" in parts else None
        return explanation(self.spread, self.catalog, query.source, query.own, query.reach,
                           candidate, self.chain_fit(query.source, candidate), reasons)


def _sigmoid(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


def _no_reason() -> Explanation:
    return Explanation("", [], 0, [], None)
