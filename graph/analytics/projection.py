"""The collaboration projection: the store as an undirected, weighted NetworkX graph.

Nodes are actors (organisations, teams, people); an edge joins two actors tied by at
least one collaboration relation, whatever its direction. Several relations between the
same pair collapse into one edge carrying

- ``ties``: how many relations join the pair,
- ``weight``: the sum of their strengths (:data:`TIE_STRENGTH`, e.g. 共建 3, 合作 1),
- ``types`` and ``kinds``: relation types and partnership kinds, for explanations,
- ``years`` and ``strengths``: each tie's year (``None`` when undated) and strength.

Projections are cached per store version (:func:`project`), so repeated calls on an
unchanged store do not rebuild them; treat a returned projection as read-only.
"""

from __future__ import annotations

import gc
from collections import OrderedDict
from collections.abc import Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import networkx as nx
import pyarrow as pa

from graph.store.base import GraphStore
from schema import Entity, EntityNotFound, EntityType, InvalidInput, Relation, RelationType

from .catalog import Catalog, catalog_from_columns
from .columns import EntityColumns, RelationColumns
from .sparse import SparseAdjacency

__all__ = ["ACTOR_TYPES", "COLLABORATION", "TIE_STRENGTH", "Projection", "ProjectionFilter",
           "build_projection", "paused_gc", "project", "projection_from_tables",
           "strength_of", "tie_strength"]

#: relation types that count as collaboration ties (the rest define groups)
COLLABORATION: frozenset[RelationType] = frozenset({
    RelationType.partnership, RelationType.affiliated_with, RelationType.leads,
    RelationType.incubated_at, RelationType.invests_in, RelationType.sub_fund_of,
    RelationType.supports, RelationType.co_applicant})
#: entity types that act; industries, segments and regions are groups, not actors
ACTOR_TYPES: frozenset[EntityType] = frozenset(EntityType) - {
    EntityType.industry, EntityType.chain_segment, EntityType.region}
#: strength of one tie: by partnership kind, else by relation type (default 1)
TIE_STRENGTH: dict[str, float] = {
    "共建": 3.0, "创新联合体": 3.0, "联合申报": 2.0, "技术合作": 2.0, "战略合作": 2.0,
    "校地合作": 2.0, "合作": 1.0,
    RelationType.affiliated_with.value: 2.0, RelationType.leads.value: 2.0,
    RelationType.invests_in.value: 2.0, RelationType.incubated_at.value: 1.0,
    RelationType.sub_fund_of.value: 1.0, RelationType.supports.value: 1.0,
    RelationType.co_applicant.value: 2.0,
}
#: the strongest a co-application tie gets (a pair sharing 3+ patents ties like 共建)
CO_PATENT_CAP = 3.0
_CACHE_SIZE = 4  # a 100k-actor projection holds a few hundred MB


def tie_strength(relation: Relation) -> float:
    """Strength of one tie: a 共建 partnership counts 3, plain 合作 1, a ``supports`` 1.

    >>> tie_strength(Relation("r", RelationType.partnership, "a", "b", props={"kind": "共建"}))
    3.0
    """
    kind = relation.props.get("kind")
    return strength_of(relation.type, str(kind) if kind is not None else None)


def strength_of(relation_type: RelationType, kind: str | None) -> float:
    """Strength of a tie of this type and partnership kind (:data:`TIE_STRENGTH`)."""
    if relation_type is RelationType.partnership:
        return TIE_STRENGTH.get(kind or "合作", 1.0)
    return TIE_STRENGTH.get(relation_type.value, 1.0)


@dataclass(frozen=True)
class ProjectionFilter:
    """Which nodes and ties a projection keeps.

    ``region`` and ``industry`` are entity ids: keep actors located in the region (at any
    depth: a firm in 瓯海区 is in 温州市) or working in the industry (directly or through a
    chain segment). With ``year_from``/``year_to``, only ties dated within the range are
    kept: undated ties are dropped and counted in :attr:`Projection.undated_dropped`.
    """

    entity_types: frozenset[EntityType] = ACTOR_TYPES
    relation_types: frozenset[RelationType] = COLLABORATION
    partnership_kinds: frozenset[str] | None = None
    region: str | None = None
    industry: str | None = None
    year_from: int | None = None
    year_to: int | None = None

    def check(self) -> None:
        """Raise :class:`schema.InvalidInput` naming the parameter that cannot work."""
        if not self.entity_types:
            raise InvalidInput("entity_types", "must name at least one entity type")
        if not self.relation_types:
            raise InvalidInput("relation_types", "must name at least one relation type")
        if self.partnership_kinds is not None:
            unknown = sorted(set(self.partnership_kinds) - _PARTNERSHIP_KINDS)
            if unknown:
                raise InvalidInput("partnership_kinds", f"unknown kind(s) {unknown}; "
                                   f"known: {sorted(_PARTNERSHIP_KINDS)}")
        if self.year_from is not None and self.year_to is not None \
                and self.year_from > self.year_to:
            raise InvalidInput("year_from", f"{self.year_from} is after year_to {self.year_to}")

    @property
    def dated(self) -> bool:
        return self.year_from is not None or self.year_to is not None


_PARTNERSHIP_KINDS = frozenset({"共建", "创新联合体", "联合申报", "技术合作", "战略合作",
                                "校地合作", "合作"})


@dataclass
class Projection:
    """A collaboration graph with the catalog of names and memberships it was built from."""

    graph: nx.Graph[str]
    catalog: Catalog
    filter: ProjectionFilter = field(default_factory=ProjectionFilter)
    #: the store version it was built at (``None`` when built from records)
    version: int | None = None
    #: ties left out because a year range was asked for and they carry no year
    undated_dropped: int = 0
    _sparse: SparseAdjacency | None = field(default=None, repr=False, compare=False)

    def sparse(self) -> SparseAdjacency:
        """The graph as a sparse weight matrix, built on first use (the graph is read-only)."""
        if self._sparse is None:
            self._sparse = SparseAdjacency.of(self.graph)
        return self._sparse


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that stay alive.

    Its full passes over hundreds of thousands of new, long-lived objects cost a third of
    a large build and free nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_projection(entities: Iterable[Entity], relations: Iterable[Relation],
                     filter: ProjectionFilter | None = None) -> Projection:
    """Project entities and relations (e.g. from a store) into a collaboration graph.

    Parameters
    ----------
    entities, relations : iterables of records
        The whole graph (groups are read from its structural relations).
    filter : ProjectionFilter, optional
        Which actors and ties to keep; the default keeps every actor and collaboration tie.

    Returns
    -------
    Projection
        The graph, its catalog of names and memberships, and the filter used.

    Raises
    ------
    schema.InvalidInput
        A filter parameter that cannot work (named in the message).
    schema.EntityNotFound
        The filter's region or industry is not in the graph.

    >>> a = Entity("institute:a", EntityType.institute, "甲研究院")
    >>> b = Entity("enterprise:b", EntityType.enterprise, "乙公司")
    >>> ties = [Relation("r1", RelationType.partnership, a.id, b.id, props={"kind": "共建"}),
    ...         Relation("r2", RelationType.affiliated_with, a.id, b.id)]
    >>> edge = build_projection([a, b], ties).graph.edges["institute:a", "enterprise:b"]
    >>> edge["ties"], edge["weight"], edge["types"]
    (2, 5.0, ('affiliated_with', 'partnership'))
    """
    chosen = filter or ProjectionFilter()
    chosen.check()
    with paused_gc():
        return _build(EntityColumns.from_records(entities),
                      RelationColumns.from_records(relations), chosen)


def projection_from_tables(entities: pa.Table, relations: pa.Table,
                           filter: ProjectionFilter | None = None) -> Projection:
    """:func:`build_projection` from the store's column form (``store.entities_table()``,
    ``store.relations_table()``), without building a record per row."""
    chosen = filter or ProjectionFilter()
    chosen.check()
    with paused_gc():
        return _build(EntityColumns.from_table(entities), RelationColumns.from_table(relations),
                      chosen)


def _build(entities: EntityColumns, relations: RelationColumns,
           chosen: ProjectionFilter) -> Projection:
    catalog = catalog_from_columns(entities, relations)
    for parameter, wanted, wanted_type in (("region", chosen.region, EntityType.region),
                                           ("industry", chosen.industry, EntityType.industry)):
        if wanted is not None and (wanted not in catalog.entities
                                   or catalog.entities[wanted].type is not wanted_type):
            raise EntityNotFound(f"{parameter} {wanted}")
    actors = {entity_id: {"name": name, "type": kind.value}
              for entity_id, kind, name in zip(entities.ids, entities.types, entities.names,
                                               strict=True)
              if kind in chosen.entity_types and _in_scope(entity_id, chosen, catalog)}
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(actors.items())
    ties, undated = _collect_ties(relations, chosen, actors)
    graph.add_edges_from((u, v, _edge_data(found)) for (u, v), found in ties.items())
    return Projection(graph, catalog, chosen, None, undated)


#: one tie: relation type, partnership kind, year, strength
_Tie = tuple[str, str | None, int | None, float]


def _collect_ties(relations: RelationColumns, chosen: ProjectionFilter,
                  actors: Container[str]) -> tuple[dict[tuple[str, str], list[_Tie]], int]:
    """The ties the filter keeps, by unordered pair (in order of first appearance), and the
    number of undated ties a year range left out."""
    ties: dict[tuple[str, str], list[_Tie]] = {}
    undated = 0
    kinds_wanted = chosen.partnership_kinds
    counts = relations.counts or [None] * len(relations.sources)
    for source, target, relation_type, kind, year, count in zip(
            relations.sources, relations.targets, relations.types, relations.kinds,
            relations.years, counts, strict=True):
        if relation_type not in chosen.relation_types or source == target \
                or source not in actors or target not in actors:
            continue
        partnership = relation_type is RelationType.partnership
        if partnership and kinds_wanted is not None and (kind or "合作") not in kinds_wanted:
            continue
        if chosen.dated:
            if year is None:
                undated += 1
                continue
            if (chosen.year_from is not None and year < chosen.year_from) or \
                    (chosen.year_to is not None and year > chosen.year_to):
                continue
        strength = strength_of(relation_type, kind)
        if count:  # a patent pair: one unit a shared patent, as strong as 共建 at most
            strength = min(float(count), CO_PATENT_CAP)
        pair = (source, target) if source < target else (target, source)
        tie = (relation_type.value, kind, year, strength)
        found = ties.get(pair)
        if found is None:
            ties[pair] = [tie]
        else:
            found.append(tie)
    return ties, undated


def _edge_data(ties: list[_Tie]) -> dict[str, object]:
    """The attributes of one edge from its ties (see the module docstring)."""
    if len(ties) == 1:  # most pairs: skip the sorting and filtering
        kind_type, kind, year, strength = ties[0]
        return {"ties": 1, "weight": strength, "types": (kind_type,),
                "kinds": (kind,) if kind else (), "years": (year,), "strengths": (strength,)}
    weight = 0.0
    for tie in ties:  # summed in order, as a running total
        weight += tie[3]
    return {"ties": len(ties), "weight": weight, "types": tuple(sorted({t[0] for t in ties})),
            "kinds": tuple(t[1] for t in ties if t[1]), "years": tuple(t[2] for t in ties),
            "strengths": tuple(t[3] for t in ties)}


def _in_scope(entity_id: str, chosen: ProjectionFilter, catalog: Catalog) -> bool:
    if chosen.region is not None and chosen.region not in catalog.regions_of.get(entity_id, ()):
        return False
    return chosen.industry is None or chosen.industry in catalog.industries_of.get(entity_id, ())


_cache: OrderedDict[tuple[str, str, int, ProjectionFilter], Projection] = OrderedDict()


def project(store: GraphStore, filter: ProjectionFilter | None = None) -> Projection:
    """The projection of ``store`` under ``filter``, rebuilt only when the store changed.

    Parameters
    ----------
    store : GraphStore
        Any backend of the store contract.
    filter : ProjectionFilter, optional
        As for :func:`build_projection`.

    The cache holds the last few projections, keyed by store location, store version and
    filter; a write to the store bumps its version, so a stale projection is never served.
    """
    chosen = filter or ProjectionFilter()
    chosen.check()
    version = store.version()
    key = (store.kind, store.location, version, chosen)
    cached = _cache.get(key)
    if cached is not None:
        _cache.move_to_end(key)
        return cached
    with paused_gc():
        entities, relations = store.entities_table(), store.relations_table()
    built = projection_from_tables(entities, relations, chosen)
    built.version = version
    _cache[key] = built
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return built
