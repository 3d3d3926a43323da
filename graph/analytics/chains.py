"""Industry chains: segments upstream → downstream, their members, gaps and candidates.

A segment is a **gap** (缺失) when it has no member, and **weak** (薄弱) when it has at most
``few`` members; for each such segment the recommender ranks the nearest candidates (the
segment stands for its members; candidates come from adjacent segments and the industry).
With ``region``, only members located in that region count as local.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from schema import EntityType, InvalidInput

from .external import ExternalCandidate, ReferencePool
from .projection import Projection
from .recommend import Recommendation, Recommender
from .results import EntityRef, JsonResult

__all__ = ["ChainReport", "Member", "SegmentReport", "chain_report"]

GAP = "缺失"
WEAK = "薄弱"


@dataclass(frozen=True)
class Member(JsonResult):
    """A segment member and its role (producer, research, service, finance)."""

    entity: EntityRef
    role: str


@dataclass(frozen=True)
class SegmentReport(JsonResult):
    """One segment: position, members, neighbours in the chain, gap status, candidates."""

    segment: EntityRef
    stage: str
    order: int
    upstream: list[str]
    downstream: list[str]
    members: list[Member]
    status: str | None  # GAP, WEAK or None
    candidates: list[Recommendation]
    #: candidates from outside the district (the reference layer), ranked apart
    external: list[ExternalCandidate] = field(default_factory=list)


@dataclass(frozen=True)
class ChainReport(JsonResult):
    """An industry's chain, segments in upstream → downstream order."""

    industry: EntityRef
    region: EntityRef | None
    segments: list[SegmentReport]
    gaps: list[str]
    weak: list[str]


def chain_report(projection: Projection, industry: str, recommender: Recommender, *,
                 few: int = 1, candidates: int = 5, region: str | None = None,
                 external: ReferencePool | None = None) -> ChainReport:
    """The chain of ``industry`` (an industry id) with its gaps and the candidates for each.

    Parameters
    ----------
    projection, recommender
        The projection and a :class:`Recommender` built on it.
    industry : str
        An industry's id; it must have chain segments.
    few : int
        A segment with at most this many (local) members is 薄弱.
    candidates : int
        Candidates to rank for each 缺失 or 薄弱 segment (0: none).
    region : str, optional
        A region's id: only members located there count.
    external : ReferencePool, optional
        The reference layer's organisations (:func:`~.external.reference_pool`): each 缺失 or
        薄弱 segment then also lists candidates from outside the district, apart.

    Returns
    -------
    ChainReport
        Segments upstream first, each with its members, status (缺失 missing, 薄弱 weak)
        and candidates.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> from graph.analytics.recommend import Recommender
    >>> ind = Entity("industry:眼镜", E.industry, "眼镜")
    >>> up = Entity("chain_segment:a", E.chain_segment, "眼镜·镜片", props={"order": 1})
    >>> down = Entity("chain_segment:b", E.chain_segment, "眼镜·整镜", props={"order": 2})
    >>> firm = Entity("enterprise:f", E.enterprise, "甲公司")
    >>> p = build_projection([ind, up, down, firm], [
    ...     Relation("r1", R.part_of, up.id, ind.id), Relation("r2", R.part_of, down.id, ind.id),
    ...     Relation("r3", R.supplies, up.id, down.id),
    ...     Relation("r4", R.in_segment, firm.id, down.id, props={"role": "producer"})])
    >>> report = chain_report(p, ind.id, Recommender(p, {}), few=0)
    >>> [(s.segment.name, s.status, [c.entity.name for c in s.candidates])
    ...  for s in report.segments]
    [('眼镜·镜片', '缺失', ['甲公司']), ('眼镜·整镜', None, [])]
    """
    catalog = projection.catalog
    if industry not in catalog.entities or catalog.info(industry).type is not EntityType.industry:
        raise InvalidInput("industry", f"{industry!r} is not an industry")
    if few < 0:
        raise InvalidInput("few", f"must be 0 or more, got {few}")
    if region is not None and (region not in catalog.entities
                               or catalog.info(region).type is not EntityType.region):
        raise InvalidInput("region", f"{region!r} is not a region")
    segments = catalog.chain(industry)
    if not segments:
        name = catalog.name(industry)
        raise InvalidInput("industry", f"{name}尚未划分产业链环节，画不出产业链图谱：需要其环节"
                           f"（chain_segment，part_of {name}，带 order 与 stage）及环节间的 "
                           f"supplies 关系；它现有的成员可按产业列出（GET /entities?industry={name}）")
    order = _upstream_first([s.id for s in segments], catalog.supply,
                            {s.id: (s.order, s.name) for s in segments})
    reports = []
    for segment_id in order:
        info = catalog.segments[segment_id]
        members = [Member(catalog.info(m).ref(), role)
                   for m, role in sorted(catalog.members_of_segment(segment_id).items())
                   if region is None or region in catalog.regions_of.get(m, ())]
        status = GAP if not members else WEAK if len(members) <= few else None
        found = recommender.recommend(segment_id, candidates) if status and candidates else []
        outside = (external.for_segment(info.name, catalog.name(industry), candidates)
                   if external is not None and status and candidates else [])
        supply = catalog.supply
        reports.append(SegmentReport(
            catalog.info(segment_id).ref(), info.stage, info.order,
            sorted(supply.predecessors(segment_id)) if segment_id in supply else [],
            sorted(supply.successors(segment_id)) if segment_id in supply else [],
            members, status, found, outside))
    return ChainReport(catalog.info(industry).ref(),
                       catalog.info(region).ref() if region else None, reports,
                       [r.segment.id for r in reports if r.status == GAP],
                       [r.segment.id for r in reports if r.status == WEAK])


def _upstream_first(ids: list[str], supply: nx.DiGraph[str],
                    key: dict[str, tuple[int, str]]) -> list[str]:
    """Segments in supply order (topological), ties by ``order`` then name."""
    chain: nx.DiGraph[str] = nx.DiGraph()
    chain.add_nodes_from(ids)
    chain.add_edges_from((a, b) for a, b in supply.edges if a in key and b in key)
    try:
        return list(nx.lexicographical_topological_sort(chain, key=lambda s: key[s]))
    except nx.NetworkXUnfeasible:  # a supply cycle: fall back to the declared order
        return sorted(ids, key=lambda s: key[s])
