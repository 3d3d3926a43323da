"""Which nodes and ties a projection keeps: the actor types, the collaboration relations and
:class:`ProjectionFilter` (types, partnership kinds, a region, an industry, a year range).
Apart from :mod:`.projection` so that the memory budget (:mod:`.budget`) can read a filter
without importing the projection that asks it."""

from __future__ import annotations

from dataclasses import dataclass

from schema import EntityType, InvalidInput, RelationType

#: relation types that count as collaboration ties (the rest define groups)
COLLABORATION: frozenset[RelationType] = frozenset({
    RelationType.partnership, RelationType.affiliated_with, RelationType.leads,
    RelationType.incubated_at, RelationType.invests_in, RelationType.sub_fund_of,
    RelationType.supports, RelationType.co_applicant})
#: entity types that act; industries, segments and regions are groups, not actors
ACTOR_TYPES: frozenset[EntityType] = frozenset(EntityType) - {
    EntityType.industry, EntityType.chain_segment, EntityType.region}

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
