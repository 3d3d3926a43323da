"""Collaboration density: inside a group, between groups, around one actor, over time.

Definitions (``docs/analytics.md`` has them with examples). For a group S of n actors with
m ties (edges) among them whose weights sum to W:

- density ``d = 2m / (n(n−1))`` — the share of possible pairs that collaborate;
- weighted density ``d_w = 2W / (n(n−1))`` — mean tie strength per possible pair;
- average clustering — mean local clustering coefficient inside S (0 below two ties);
- isolated — members with no tie to another member.

Between groups A and B: ties with one end in each, over the number of distinct unordered
pairs {u, v}, u ∈ A, v ∈ B, u ≠ v (``|A||B| − |I| − |I|(|I|−1)/2`` with I = A ∩ B).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from schema import InvalidInput

from .budget import require
from .groups import Group, GroupBy, groups_by
from .progress import phase
from .projection import Projection
from .results import JsonResult

__all__ = ["BetweenDensity", "DensityMatrix", "GroupDensity", "YearDensity",
           "density_between", "density_by", "density_matrix", "density_over_time",
           "group_density"]


@dataclass(frozen=True)
class GroupDensity(JsonResult):
    """Density figures of one group."""

    key: str
    label: str
    members: int
    ties: int
    pairs: int
    density: float
    weighted_density: float
    average_clustering: float
    isolated: int


@dataclass(frozen=True)
class BetweenDensity(JsonResult):
    """Density of the ties between two groups."""

    a: str
    b: str
    ties: int
    pairs: int
    density: float
    weighted_density: float


@dataclass(frozen=True)
class DensityMatrix(JsonResult):
    """``cells[i][j]``: density between (``mode='between'``) or inside the intersection of
    (``mode='within'``) row group i and column group j."""

    mode: str
    rows: list[str]
    columns: list[str]
    cells: list[list[float]]
    ties: list[list[int]]


@dataclass(frozen=True)
class YearDensity(JsonResult):
    """A group's figures counting only ties dated up to ``year``."""

    year: int
    figures: GroupDensity


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def group_density(projection: Projection, group: Group) -> GroupDensity:
    """Density, weighted density, average clustering and isolated members of ``group``.

    Parameters
    ----------
    projection : Projection
    group : Group
        Its members must be actors of the projection.

    Returns
    -------
    GroupDensity
        The figures defined in the module docstring.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> from graph.analytics.groups import group_of_ids
    >>> nodes = [Entity(f"enterprise:{c}", E.enterprise, c) for c in "abc"]
    >>> p = build_projection(nodes, [Relation("r", R.partnership, "enterprise:a",
    ...                                       "enterprise:b", props={"kind": "共建"})])
    >>> d = group_density(p, group_of_ids(p, [n.id for n in nodes]))
    >>> d.ties, d.pairs, round(d.density, 3), d.weighted_density, d.isolated
    (1, 3, 0.333, 1.0, 1)
    """
    _check_members(projection, group)
    counts = projection.sparse().inside(group.members)
    n, pairs = counts.members, _pairs(counts.members)
    return GroupDensity(
        key=group.key, label=group.label, members=n, ties=counts.ties, pairs=pairs,
        density=counts.ties / pairs if pairs else 0.0,
        weighted_density=counts.weight / pairs if pairs else 0.0,
        average_clustering=counts.clustering_sum / n if n else 0.0,
        isolated=counts.isolated)


def density_by(projection: Projection, by: GroupBy | str, min_members: int = 1) -> list[
        GroupDensity]:
    """:func:`group_density` for every group of one kind with at least ``min_members``.

    Parameters
    ----------
    projection : Projection
    by : GroupBy or str
        ``region``, ``park``, ``industry``, ``segment`` or ``type``.
    min_members : int
        Skip smaller groups.

    Returns
    -------
    list of GroupDensity
        Largest group first.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> p = build_projection([Entity("enterprise:a", E.enterprise, "甲"),
    ...                       Entity("institute:b", E.institute, "乙"),
    ...                       Entity("enterprise:c", E.enterprise, "丙")],
    ...                      [Relation("r", R.partnership, "enterprise:a", "enterprise:c")])
    >>> [(d.label, d.members, d.ties) for d in density_by(p, "type")]
    [('企业', 2, 1), ('科研机构', 1, 0)]
    """
    if min_members < 1:
        raise InvalidInput("min_members", f"must be at least 1, got {min_members}")
    require(projection, "density")
    groups = [g for g in groups_by(projection, by) if len(g.members) >= min_members]
    found = []
    for i, g in enumerate(groups):
        phase(f"密度 density: {g.label}", i / len(groups))
        found.append(group_density(projection, g))
    return found


def density_between(projection: Projection, a: Group, b: Group) -> BetweenDensity:
    """Density of the ties joining group ``a`` to group ``b`` (see the module docstring).

    Parameters
    ----------
    projection : Projection
    a, b : Group
        Groups of actors of the projection (they may overlap).

    Returns
    -------
    BetweenDensity

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> from graph.analytics.groups import group_of_ids
    >>> nodes = [Entity(f"enterprise:{c}", E.enterprise, c) for c in "abcd"]
    >>> p = build_projection(nodes, [Relation(f"r{x}{y}", R.partnership, f"enterprise:{x}",
    ...     f"enterprise:{y}", props={"kind": "共建", "year": 2020}) for x, y in ["ab", "bc"]])
    >>> d = density_between(p, group_of_ids(p, ["enterprise:a"]),
    ...                     group_of_ids(p, ["enterprise:b", "enterprise:d"]))
    >>> d.ties, d.pairs, d.density
    (1, 2, 0.5)
    """
    _check_members(projection, a)
    _check_members(projection, b)
    ties, weight = _ties_between(projection.graph, a.members, b.members)
    common = len(a.members & b.members)
    pairs = len(a.members) * len(b.members) - common - _pairs(common)
    return BetweenDensity(a=a.label, b=b.label, ties=ties, pairs=pairs,
                          density=ties / pairs if pairs else 0.0,
                          weighted_density=weight / pairs if pairs else 0.0)


def _ties_between(graph: nx.Graph[str], a: frozenset[str], b: frozenset[str]) -> tuple[int, float]:
    """Unordered edges {u, v} with u in a and v in b, counted once; and their weight."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    seen: set[frozenset[str]] = set()
    weight = 0.0
    for u in small:
        for v, data in graph.adj[u].items():
            if v in large:
                edge = frozenset((u, v))
                if edge not in seen:
                    seen.add(edge)
                    weight += data["weight"]
    return len(seen), weight


def density_matrix(projection: Projection, rows: GroupBy | str, columns: GroupBy | str,
                   mode: str = "between", min_members: int = 1) -> DensityMatrix:
    """Density for every pair of a row group and a column group.

    ``mode='between'``: ties between the two groups (entity type × entity type);
    ``mode='within'``: density inside the actors in both groups (industry × region: how
    densely the 眼镜 firms of 瓯海区 collaborate among themselves).

    Parameters
    ----------
    projection : Projection
    rows, columns : GroupBy or str
        The kinds of group on each axis.
    mode : str
        ``'between'`` or ``'within'``.
    min_members : int
        Leave out smaller groups.

    Returns
    -------
    DensityMatrix

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> p = build_projection([Entity("enterprise:a", E.enterprise, "甲"),
    ...                       Entity("institute:b", E.institute, "乙")],
    ...                      [Relation("r", R.partnership, "enterprise:a", "institute:b")])
    >>> density_matrix(p, "type", "type").cells
    [[0.0, 1.0], [1.0, 0.0]]
    """
    if mode not in ("between", "within"):
        raise InvalidInput("mode", f"must be 'between' or 'within', got {mode!r}")
    row_groups = [g for g in groups_by(projection, rows) if len(g.members) >= min_members]
    col_groups = [g for g in groups_by(projection, columns) if len(g.members) >= min_members]
    cells: list[list[float]] = []
    ties: list[list[int]] = []
    for r in row_groups:
        if mode == "between":
            found = [density_between(projection, r, c) for c in col_groups]
            cells.append([f.density for f in found])
            ties.append([f.ties for f in found])
        else:
            inner = [group_density(projection, Group("", "", r.members & c.members))
                     for c in col_groups]
            cells.append([f.density for f in inner])
            ties.append([f.ties for f in inner])
    return DensityMatrix(mode, [g.label for g in row_groups], [g.label for g in col_groups],
                         cells, ties)


def density_over_time(projection: Projection, group: Group,
                      years: Sequence[int] | None = None) -> list[YearDensity]:
    """The group's figures counting only ties dated up to each year (cumulative).

    Undated ties never enter these figures (they are in the undated-inclusive
    :func:`group_density`). ``years`` defaults to every year in which a tie of the
    projection is dated, so that the series of different groups line up.

    Parameters
    ----------
    projection : Projection
    group : Group
    years : sequence of int, optional

    Returns
    -------
    list of YearDensity
        One per year, earliest first.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> from graph.analytics.groups import group_of_ids
    >>> nodes = [Entity(f"enterprise:{c}", E.enterprise, c) for c in "abcd"]
    >>> p = build_projection(nodes, [Relation(f"r{x}{y}", R.partnership, f"enterprise:{x}",
    ...     f"enterprise:{y}", props={"kind": "共建", "year": 2020}) for x, y in ["ab", "bc"]])
    >>> [(y.year, y.figures.ties) for y in density_over_time(
    ...     p, group_of_ids(p, [n.id for n in nodes]), years=[2019, 2020])]
    [(2019, 0), (2020, 2)]
    """
    _check_members(projection, group)
    graph = projection.graph.subgraph(group.members)
    dated = [(u, v, data) for u, v, data in graph.edges(data=True)]
    chosen = sorted(set(years) if years is not None else _all_years(
        d for *_, d in projection.graph.edges(data=True)))
    if years is not None and not chosen:
        raise InvalidInput("years", "give at least one year")
    result = []
    for year in chosen:
        upto: nx.Graph[str] = nx.Graph()
        upto.add_nodes_from(group.members)
        for u, v, data in dated:
            strengths = [w for w, y in zip(data["strengths"], data["years"], strict=True)
                         if y is not None and y <= year]
            if strengths:
                upto.add_edge(u, v, weight=sum(strengths))
        view = Projection(upto, projection.catalog, projection.filter, projection.version)
        result.append(YearDensity(year, group_density(view, group)))
    return result


def _all_years(edges: Iterable[dict[str, object]]) -> set[int]:
    years: set[int] = set()
    for data in edges:
        years.update(y for y in data["years"] if isinstance(y, int))  # type: ignore[attr-defined]
    return years


def _check_members(projection: Projection, group: Group) -> None:
    missing = next((m for m in group.members if m not in projection), None)
    if missing is not None:
        raise InvalidInput(f"group {group.label}", f"{missing!r} is not in the projection")
