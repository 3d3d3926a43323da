"""Talent-team links: a team's hosts within k hops, team-to-team links, cross-industry teams.

Team-to-team links are the bipartite projection of teams onto their direct hosts
(institutes, platforms, incubators, firms): two teams are linked by every host they share.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from schema import EntityNotFound, EntityType, InvalidInput

from .explain import PathStep
from .explain import tie_label as _tie_label
from .projection import Projection
from .results import EntityRef, JsonResult

__all__ = ["HOST_TYPES", "BridgingTeam", "HostLink", "TeamLinks", "TeamPair", "bridging_teams",
           "team_links", "team_pairs"]

#: what hosts a team: institutes (and their labs), platforms, incubators, firms
HOST_TYPES: frozenset[EntityType] = frozenset({
    EntityType.institute, EntityType.platform, EntityType.incubator, EntityType.enterprise})
MAX_HOPS = 4


@dataclass(frozen=True)
class HostLink(JsonResult):
    """A host within reach of a team, and the shortest path to it."""

    entity: EntityRef
    hops: int
    path: list[PathStep]


@dataclass(frozen=True)
class TeamLinks(JsonResult):
    """A team's hosts within ``hops``, nearest first."""

    team: EntityRef
    hops: int
    links: list[HostLink]


@dataclass(frozen=True)
class TeamPair(JsonResult):
    """Two teams that share hosts."""

    a: EntityRef
    b: EntityRef
    shared_hosts: list[EntityRef]


@dataclass(frozen=True)
class BridgingTeam(JsonResult):
    """A team whose own and hosts' industries span two or more industries."""

    team: EntityRef
    industries: list[EntityRef]


def _teams(projection: Projection) -> list[str]:
    return sorted(v for v in projection.graph
                  if projection.catalog.info(v).type is EntityType.talent_team)


def team_links(projection: Projection, team: str, hops: int = 2) -> TeamLinks:
    """Institutes, labs, platforms, incubators and firms within ``hops`` ties of a team.

    Parameters
    ----------
    projection : Projection
    team : str
        A talent team's id.
    hops : int
        How far to look (1–4).

    Returns
    -------
    TeamLinks
        Hosts nearest first, each with its shortest path.

    Parameters
    ----------
    projection : Projection
    team : str
        A talent team's id.
    hops : int
        Reach, 1 to 4.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> nodes = [Entity("talent_team:t", E.talent_team, "甲团队"),
    ...          Entity("institute:i", E.institute, "乙研究院"),
    ...          Entity("enterprise:f", E.enterprise, "丙公司")]
    >>> p = build_projection(nodes, [
    ...     Relation("r1", R.affiliated_with, "talent_team:t", "institute:i"),
    ...     Relation("r2", R.partnership, "institute:i", "enterprise:f", props={"kind": "共建"})])
    >>> [(link.entity.name, link.hops) for link in team_links(p, "talent_team:t").links]
    [('乙研究院', 1), ('丙公司', 2)]
    """
    if not 1 <= hops <= MAX_HOPS:
        raise InvalidInput("hops", f"must be between 1 and {MAX_HOPS}, got {hops}")
    graph, catalog = projection.graph, projection.catalog
    if team not in graph:
        raise EntityNotFound(team)
    if catalog.info(team).type is not EntityType.talent_team:
        raise InvalidInput("team", f"{catalog.name(team)} is a {catalog.info(team).type.label}, "
                                   "not a 人才团队")
    paths = nx.single_source_shortest_path(graph, team, cutoff=hops)
    links = []
    for node, path in paths.items():
        if node == team or catalog.info(node).type not in HOST_TYPES:
            continue
        steps = [PathStep(catalog.info(v).ref(),
                          _tie_label(graph, v, path[i + 1]) if i + 1 < len(path) else None)
                 for i, v in enumerate(path)]
        links.append(HostLink(catalog.info(node).ref(), len(path) - 1, steps))
    links.sort(key=lambda link: (link.hops, link.entity.id))
    return TeamLinks(catalog.info(team).ref(), hops, links)


def team_pairs(projection: Projection, min_shared: int = 1) -> list[TeamPair]:
    """Pairs of teams sharing at least ``min_shared`` direct hosts, most shared first.

    Parameters
    ----------
    projection : Projection
    min_shared : int

    Returns
    -------
    list of TeamPair

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> lab = Entity("institute:lab", E.institute, "实验室")
    >>> teams = [Entity(f"talent_team:{c}", E.talent_team, f"{c}团队") for c in "ab"]
    >>> p = build_projection([lab, *teams], [Relation(f"r{t.id}", R.affiliated_with, t.id,
    ...                                               lab.id) for t in teams])
    >>> [(x.a.name, x.b.name, [h.name for h in x.shared_hosts]) for x in team_pairs(p)]
    [('a团队', 'b团队', ['实验室'])]
    """
    if min_shared < 1:
        raise InvalidInput("min_shared", f"must be at least 1, got {min_shared}")
    graph, catalog = projection.graph, projection.catalog
    teams_of: dict[str, list[str]] = defaultdict(list)
    for team in _teams(projection):
        for host in graph.adj[team]:
            if catalog.info(host).type in HOST_TYPES:
                teams_of[host].append(team)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for host, teams in teams_of.items():
        for a, b in combinations(sorted(teams), 2):
            shared[a, b].append(host)
    pairs = [TeamPair(catalog.info(a).ref(), catalog.info(b).ref(),
                      [catalog.info(h).ref() for h in sorted(hosts)])
             for (a, b), hosts in shared.items() if len(hosts) >= min_shared]
    return sorted(pairs, key=lambda p: (-len(p.shared_hosts), p.a.id, p.b.id))


def bridging_teams(projection: Projection, min_industries: int = 2) -> list[BridgingTeam]:
    """Teams whose own industries and their direct partners' span ``min_industries`` or more.

    Parameters
    ----------
    projection : Projection
    min_industries : int

    Returns
    -------
    list of BridgingTeam

    >>> from schema import Entity, EntityType as E
    >>> from graph.analytics.projection import build_projection
    >>> bridging_teams(build_projection([Entity("talent_team:a", E.talent_team, "甲")], []))
    []
    """
    if min_industries < 2:
        raise InvalidInput("min_industries", f"must be at least 2, got {min_industries}")
    graph, catalog = projection.graph, projection.catalog
    found = []
    for team in _teams(projection):
        industries = set(catalog.industries_of.get(team, ()))
        for partner in graph.adj[team]:
            industries |= catalog.industries_of.get(partner, set())
        if len(industries) >= min_industries:
            found.append(BridgingTeam(catalog.info(team).ref(),
                                      [catalog.info(i).ref() for i in sorted(industries)]))
    return sorted(found, key=lambda b: (-len(b.industries), b.team.id))
