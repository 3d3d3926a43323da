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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import networkx as nx

from graph.store.base import GraphStore
from schema import Entity, EntityNotFound, EntityType, InvalidInput, Relation, RelationType

from .catalog import Catalog, build_catalog

__all__ = ["ACTOR_TYPES", "COLLABORATION", "TIE_STRENGTH", "Projection", "ProjectionFilter",
           "build_projection", "paused_gc", "project", "tie_strength"]

#: relation types that count as collaboration ties (the rest define groups)
COLLABORATION: frozenset[RelationType] = frozenset({
    RelationType.partnership, RelationType.affiliated_with, RelationType.leads,
    RelationType.incubated_at, RelationType.invests_in, RelationType.sub_fund_of,
    RelationType.supports})
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
}
_CACHE_SIZE = 4  # a 100k-actor projection holds a few hundred MB


def tie_strength(relation: Relation) -> float:
    """Strength of one tie: a 共建 partnership counts 3, plain 合作 1, a ``supports`` 1.

    >>> tie_strength(Relation("r", RelationType.partnership, "a", "b", props={"kind": "共建"}))
    3.0
    """
    if relation.type is RelationType.partnership:
        return TIE_STRENGTH.get(str(relation.props.get("kind", "合作")), 1.0)
    return TIE_STRENGTH.get(relation.type.value, 1.0)


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
        return _build(list(entities), list(relations), chosen)


def _build(entity_list: list[Entity], relation_list: list[Relation],
           chosen: ProjectionFilter) -> Projection:
    catalog = build_catalog(entity_list, relation_list)
    for parameter, wanted, wanted_type in (("region", chosen.region, EntityType.region),
                                           ("industry", chosen.industry, EntityType.industry)):
        if wanted is not None and (wanted not in catalog.entities
                                   or catalog.entities[wanted].type is not wanted_type):
            raise EntityNotFound(f"{parameter} {wanted}")
    graph: nx.Graph[str] = nx.Graph()
    for entity in entity_list:
        if entity.type in chosen.entity_types and _in_scope(entity.id, chosen, catalog):
            graph.add_node(entity.id, name=entity.name, type=entity.type.value)
    undated = 0
    for relation in relation_list:
        if relation.type not in chosen.relation_types or relation.source == relation.target:
            continue
        if relation.source not in graph or relation.target not in graph:
            continue
        kind = str(relation.props.get("kind", "")) or None
        if relation.type is RelationType.partnership and chosen.partnership_kinds is not None \
                and (kind or "合作") not in chosen.partnership_kinds:
            continue
        year = relation.props.get("year")
        year = year if isinstance(year, int) and not isinstance(year, bool) else None
        if chosen.dated:
            if year is None:
                undated += 1
                continue
            if (chosen.year_from is not None and year < chosen.year_from) or \
                    (chosen.year_to is not None and year > chosen.year_to):
                continue
        _add_tie(graph, relation, kind, year)
    return Projection(graph, catalog, chosen, None, undated)


def _in_scope(entity_id: str, chosen: ProjectionFilter, catalog: Catalog) -> bool:
    if chosen.region is not None and chosen.region not in catalog.regions_of.get(entity_id, ()):
        return False
    return chosen.industry is None or chosen.industry in catalog.industries_of.get(entity_id, ())


def _add_tie(graph: nx.Graph[str], relation: Relation, kind: str | None, year: int | None) -> None:
    strength = tie_strength(relation)
    data = graph.get_edge_data(relation.source, relation.target)
    if data is None:
        graph.add_edge(relation.source, relation.target, ties=1, weight=strength,
                       types=(relation.type.value,), kinds=(kind,) if kind else (),
                       years=(year,), strengths=(strength,))
        return
    data["ties"] += 1
    data["weight"] += strength
    data["types"] = tuple(sorted({*data["types"], relation.type.value}))
    if kind:
        data["kinds"] = (*data["kinds"], kind)
    data["years"] = (*data["years"], year)
    data["strengths"] = (*data["strengths"], strength)


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
        entities, relations = list(store.iter_entities()), list(store.iter_relations())
    built = build_projection(entities, relations, chosen)
    built.version = version
    _cache[key] = built
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return built
