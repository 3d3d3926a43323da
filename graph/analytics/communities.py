"""Communities (Louvain, seeded) labelled by dominant industry and region, and brokers.

A broker is an actor whose partners sit in several communities: it is scored by its
participation coefficient ``P(v) = 1 − Σ_c (k_vc / k_v)²`` (k_vc: v's partners in
community c) and ranked by betweenness, so the list starts with the actors through which
most shortest paths between otherwise separate clusters run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from schema import InvalidInput

from . import engine
from .budget import require
from .centrality import Centrality
from .groups import Group
from .progress import phase
from .projection import Projection, paused_gc
from .results import EntityRef, JsonResult

__all__ = ["Broker", "Communities", "Community", "brokers", "detect_communities"]

_UNLABELLED = "未标注"


@dataclass(frozen=True)
class Community(JsonResult):
    """One community: members (largest degree first), its label and dominant groups."""

    id: int
    size: int
    label: str
    industry: str | None
    industry_share: float
    region: str | None
    region_share: float
    members: list[str]

    def to_json(self, max_members: int = 20) -> dict[str, object]:
        out = super().to_json()
        out["members"] = self.members[:max_members]
        return out


@dataclass(frozen=True)
class Communities(JsonResult):
    """A partition of the actors, its modularity, and how it was found."""

    communities: list[Community]
    modularity: float
    resolution: float
    seed: int
    membership: dict[str, int]
    #: the NetworkX backend that ran Louvain (see :mod:`.backends`)
    backend: str = "networkx"

    def groups(self) -> list[Group]:
        """The communities as groups, for the density functions."""
        return [Group(f"community:{c.id}", c.label, frozenset(c.members))
                for c in self.communities]

    def to_json(self, max_members: int = 20) -> dict[str, object]:
        return {"modularity": self.modularity, "resolution": self.resolution, "seed": self.seed,
                "backend": self.backend,
                "count": len(self.communities),
                "communities": [c.to_json(max_members) for c in self.communities]}


def detect_communities(projection: Projection, *, resolution: float = 1.0,
                       seed: int = 7) -> Communities:
    """Louvain communities of the weighted collaboration graph (NetworkX, seeded).

    Parameters
    ----------
    projection : Projection
    resolution : float
        Louvain resolution (above 1: smaller communities).
    seed : int
        Seed of Louvain's visiting order.

    Returns
    -------
    Communities
        Communities with labels, the modularity, and each actor's community number.

    Communities are numbered by size (0 = largest); isolated actors form their own
    one-member communities. Each is labelled ``产业·区域`` by the industry and the
    (most specific) region most of its members share.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> nodes = [Entity(f"enterprise:{c}", E.enterprise, c) for c in "abcd"]
    >>> ties = [Relation(f"r{i}", R.partnership, f"enterprise:{x}", f"enterprise:{y}")
    ...         for i, (x, y) in enumerate(["ab", "cd"])]
    >>> found = detect_communities(build_projection(nodes, ties))
    >>> [c.size for c in found.communities], round(found.modularity, 2)
    ([2, 2], 0.5)
    """
    if not resolution > 0:
        raise InvalidInput("resolution", f"must be positive, got {resolution}")
    if projection.number_of_nodes() == 0:
        return Communities([], 0.0, resolution, seed, {})
    require(projection, "communities")
    phase("社区发现 Louvain communities", 0.0)
    with paused_gc():
        parts, modularity, backend = engine.louvain(projection, resolution=resolution,
                                                    seed=seed)
    phase("社区标注 labelling communities", 0.8)
    degree = engine.degrees(projection)[0]
    ordered = sorted(parts, key=lambda part: (-len(part), min(part)))
    result = []
    membership: dict[str, int] = {}
    for number, part in enumerate(ordered):
        members = sorted(part, key=lambda node: (-degree[node], node))
        membership.update(dict.fromkeys(members, number))
        industry, industry_share = _dominant(projection.catalog.industries_of.get(m, ())
                                             for m in members)
        region, region_share = _dominant(
            [projection.catalog.home_region[m]] if m in projection.catalog.home_region else []
            for m in members)
        names = projection.catalog
        label = "·".join((names.name(industry) if industry else _UNLABELLED,
                          names.name(region) if region else _UNLABELLED))
        result.append(Community(number, len(members), label, industry, industry_share, region,
                                region_share, members))
    return Communities(result, float(modularity), resolution, seed, membership, backend)


def _dominant(groups_per_member: Iterable[Iterable[str]]) -> tuple[str | None, float]:
    """The group most members belong to, and the share of members in it."""
    counts: Counter[str] = Counter()
    total = 0
    for groups in groups_per_member:
        total += 1
        counts.update(set(groups))
    if not counts:
        return None, 0.0
    best, hits = min(counts.items(), key=lambda item: (-item[1], item[0]))
    return best, hits / total


@dataclass(frozen=True)
class Broker(JsonResult):
    """An actor that bridges communities."""

    entity: EntityRef
    community: int
    communities_reached: list[int]
    participation: float
    betweenness: float


def brokers(projection: Projection, communities: Communities, centrality: Centrality,
            n: int = 20) -> list[Broker]:
    """The ``n`` actors with partners in two or more communities, highest betweenness first.

    Parameters
    ----------
    projection : Projection
    communities : Communities
        From :func:`detect_communities` on the same projection.
    centrality : Centrality
        Its betweenness ranks the brokers.
    n : int

    Returns
    -------
    list of Broker

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> from graph.analytics.centrality import centrality as measure
    >>> nodes = [Entity(f"enterprise:{c}", E.enterprise, c) for c in "abcdefg"]
    >>> pairs = ["ab", "bc", "ca", "ef", "fg", "ge", "cd", "de"]
    >>> p = build_projection(nodes, [Relation(f"r{i}", R.partnership, f"enterprise:{x}",
    ...                                       f"enterprise:{y}") for i, (x, y) in enumerate(pairs)])
    >>> brokers(p, detect_communities(p), measure(p))[0].entity.name
    'd'
    """
    if n < 1:
        raise InvalidInput("n", f"must be at least 1, got {n}")
    ties, nodes = projection.ties, projection.nodes
    membership = communities.membership
    betweenness = centrality.scores["betweenness"]
    community = np.fromiter((membership[v] for v in nodes), dtype=np.int64, count=len(nodes))
    # both ends of every edge, in edge order: each node's partners in adjacency order
    ends = np.stack([ties.u, ties.v], axis=1).ravel()
    other = np.stack([ties.v, ties.u], axis=1).ravel()
    order = np.argsort(ends, kind="stable")
    ends, other = ends[order], other[order]
    starts = np.searchsorted(ends, np.arange(len(nodes) + 1))
    partners = np.diff(starts)
    # a node reaches another community when a partner's community differs from its own
    away = np.bincount(ends, weights=community[other] != community[ends], minlength=len(nodes))
    found = []
    for i in np.flatnonzero((partners >= 2) & (away > 0)).tolist():
        node, k = nodes[i], int(partners[i])
        per_community = Counter(
            community[other[starts[i]:starts[i + 1]]].tolist() if projection.native
            else [membership[v] for v in projection.graph.adj[node]])  # adjacency order
        reached = set(per_community) | {membership[node]}
        participation = 1.0 - sum((c / k) ** 2 for c in per_community.values())
        found.append(Broker(projection.catalog.info(node).ref(), membership[node],
                            sorted(reached), participation, betweenness.get(node, 0.0)))
    found.sort(key=lambda b: (-b.betweenness, -b.participation, b.entity.id))
    return found[:n]
