"""Who belongs where: names, types and memberships of every entity, read from the graph.

The collaboration projection keeps only actors and their ties; groups (a region, a park,
an industry, a chain segment) come from the structural relations, which this catalog
indexes: ``located_in`` and ``part_of`` for places, ``in_industry`` for industries,
``in_segment``, ``part_of`` and ``supplies`` for industry chains.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from schema import Entity, EntityType, Relation, RelationType

from .columns import EntityColumns, RelationColumns
from .results import EntityRef

__all__ = ["Catalog", "EntityInfo", "SegmentInfo", "build_catalog", "catalog_from_columns"]

_PLACES = frozenset({EntityType.region, EntityType.park, EntityType.incubator})


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """Name and type of one entity."""

    id: str
    name: str
    type: EntityType

    def ref(self) -> EntityRef:
        return EntityRef(self.id, self.name, self.type.value, self.type.label)


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """A chain segment: its industry, stage and position (``order``, 1 = most upstream)."""

    id: str
    name: str
    industry: str | None
    stage: str
    order: int

    @property
    def short_name(self) -> str:
        """The segment's name without its ``产业·`` prefix: ``眼镜·镜片`` → ``镜片``."""
        return self.name.split("·", 1)[-1]


@dataclass
class Catalog:
    """Every entity's name and type, and the groups it belongs to."""

    entities: dict[str, EntityInfo] = field(default_factory=dict)
    #: entity -> industries (directly, or through a segment of that industry's chain)
    industries_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: entity -> regions it lies in, at every level (瓯海区 and 温州市)
    regions_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: entity -> the most specific region it lies in (first found)
    home_region: dict[str, str] = field(default_factory=dict)
    #: entity -> parks it is located or incubated in, with their parent parks
    parks_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: entity -> chain segments it works in, and its role there
    segments_of: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    segments: dict[str, SegmentInfo] = field(default_factory=dict)
    #: supplies: upstream segment -> downstream segment
    supply: nx.DiGraph[str] = field(default_factory=nx.DiGraph)
    #: organisations only the national reference lists state (outside the district): never
    #: local partner candidates; graph.analytics.external ranks them on their own
    external: frozenset[str] = frozenset()
    _members: dict[str, dict[str, str]] | None = field(default=None, repr=False)

    def info(self, entity_id: str) -> EntityInfo:
        return self.entities[entity_id]

    def name(self, entity_id: str) -> str:
        return self.entities[entity_id].name

    def members_of_segment(self, segment_id: str) -> dict[str, str]:
        """Members of a segment and their role (producer, research, service, finance)."""
        if self._members is None:  # built on first use; the catalog is not changed later
            self._members = defaultdict(dict)
            for entity, roles in self.segments_of.items():
                for segment, role in roles.items():
                    self._members[segment][entity] = role
        return self._members.get(segment_id, {})

    def chain(self, industry_id: str) -> list[SegmentInfo]:
        """The segments of an industry's chain, upstream first (by ``order``, then name)."""
        return sorted((s for s in self.segments.values() if s.industry == industry_id),
                      key=lambda s: (s.order, s.name))

    def adjacency(self, a: str, b: str) -> str | None:
        """``'upstream'`` if segment ``a`` supplies ``b``, ``'downstream'`` if ``b`` supplies
        ``a``, else ``None``."""
        if self.supply.has_edge(a, b):
            return "upstream"
        if self.supply.has_edge(b, a):
            return "downstream"
        return None


def build_catalog(entities: Iterable[Entity], relations: Iterable[Relation]) -> Catalog:
    """Index names, types and memberships of ``entities`` from the structural ``relations``.

    Parameters
    ----------
    entities, relations : iterables of records

    Returns
    -------
    Catalog

    >>> from schema import entity_id, relation_id
    >>> glasses = Entity(entity_id(EntityType.industry, "眼镜"), EntityType.industry, "眼镜")
    >>> firm = Entity("enterprise:a", EntityType.enterprise, "甲眼镜公司")
    >>> tie = Relation(relation_id(firm.id, RelationType.in_industry, glasses.id),
    ...                RelationType.in_industry, firm.id, glasses.id)
    >>> sorted(build_catalog([glasses, firm], [tie]).industries_of["enterprise:a"])
    ['industry:眼镜']
    """
    return catalog_from_columns(EntityColumns.from_records(entities),
                                RelationColumns.from_records(relations))


def catalog_from_columns(entities: EntityColumns, relations: RelationColumns) -> Catalog:
    """:func:`build_catalog` over the column form (as read from the store's tables).

    Parameters
    ----------
    entities : EntityColumns
    relations : RelationColumns
        The structural relations at least (others are skipped).

    Returns
    -------
    Catalog

    >>> glasses = Entity("industry:眼镜", EntityType.industry, "眼镜")
    >>> c = catalog_from_columns(EntityColumns.from_records([glasses]),
    ...                          RelationColumns.from_records([]))
    >>> c.name("industry:眼镜")
    '眼镜'
    """
    catalog = Catalog(external=entities.external)
    for entity_id, entity_type, name in zip(entities.ids, entities.types, entities.names,
                                            strict=True):
        catalog.entities[entity_id] = EntityInfo(entity_id, name, entity_type)
    for segment_id, props in entities.segment_props.items():
        order = props.get("order")
        catalog.segments[segment_id] = SegmentInfo(
            segment_id, catalog.entities[segment_id].name, None, str(props.get("stage", "")),
            order if isinstance(order, int) else 0)
    parent: dict[str, set[str]] = defaultdict(set)  # place -> containing places
    placed: dict[str, list[str]] = defaultdict(list)  # entity -> places it is located in
    direct_industry: list[tuple[str, str]] = []
    for source, target, kind, role in zip(relations.sources, relations.targets, relations.types,
                                          relations.roles, strict=True):
        if kind is RelationType.part_of:
            if target in catalog.segments or source in catalog.segments:
                direct_industry.append((source, target))
            else:
                parent[source].add(target)
        elif kind is RelationType.located_in or kind is RelationType.incubated_at:
            placed[source].append(target)
            if catalog.entities[source].type in _PLACES:  # a park lies in its region
                parent[source].add(target)
        elif kind is RelationType.in_industry:
            direct_industry.append((source, target))
        elif kind is RelationType.in_segment:
            catalog.segments_of[source][target] = role or ""
        elif kind is RelationType.supplies:
            catalog.supply.add_edge(source, target)
    _index_industries(catalog, direct_industry)
    _index_places(catalog, parent, placed)
    return catalog


def _index_industries(catalog: Catalog, direct: list[tuple[str, str]]) -> None:
    types = catalog.entities
    for source, target in direct:
        if source in catalog.segments and types[target].type is EntityType.industry:
            segment = catalog.segments[source]
            catalog.segments[source] = SegmentInfo(segment.id, segment.name, target,
                                                   segment.stage, segment.order)
    for source, target in direct:
        if types[target].type is EntityType.industry and source not in catalog.segments:
            catalog.industries_of[source].add(target)
    for member, roles in catalog.segments_of.items():
        for segment_id in roles:
            industry = catalog.segments[segment_id].industry if segment_id in catalog.segments \
                else None
            if industry:
                catalog.industries_of[member].add(industry)


def _index_places(catalog: Catalog, parent: dict[str, set[str]],
                  placed: dict[str, list[str]]) -> None:
    memo: dict[str, set[str]] = {}

    def ancestors(place: str) -> set[str]:
        if place in memo:
            return memo[place]
        seen: set[str] = set()
        todo = [place]
        while todo:
            for up in parent.get(todo.pop(), ()):
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
        memo[place] = seen
        return seen

    types = catalog.entities
    for entity, places in placed.items():
        for place in places:
            for where in (place, *ancestors(place)):
                kind = types[where].type
                if kind is EntityType.region:
                    catalog.regions_of[entity].add(where)
                elif kind is EntityType.park:
                    catalog.parks_of[entity].add(where)
            if entity not in catalog.home_region:
                home = _first_region(place, parent, types)
                if home:
                    catalog.home_region[entity] = home


def _first_region(place: str, parent: dict[str, set[str]],
                  types: dict[str, EntityInfo]) -> str | None:
    """The nearest region at or above ``place`` (breadth first)."""
    frontier = [place]
    seen = {place}
    while frontier:
        for where in frontier:
            if types[where].type is EntityType.region:
                return where
        frontier = sorted({up for w in frontier for up in parent.get(w, ()) if up not in seen})
        seen.update(frontier)
    return None
