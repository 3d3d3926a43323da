"""How each entity type looks: colour, shape and the legend that explains them.

The viewer's JavaScript carries the same table (``api/static/viewer.js``) so that a
neighbourhood drawn by the viewer and one rendered here read alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from schema import EntityType


@dataclass(frozen=True)
class TypeStyle:
    """The colour (CSS hex) and vis-network shape of one entity type."""

    color: str
    shape: str


TYPE_STYLES: dict[EntityType, TypeStyle] = {
    EntityType.institute: TypeStyle("#1f77b4", "dot"),
    EntityType.enterprise: TypeStyle("#ff7f0e", "square"),
    EntityType.talent_team: TypeStyle("#2ca02c", "triangle"),
    EntityType.person: TypeStyle("#98df8a", "triangleDown"),
    EntityType.incubator: TypeStyle("#9467bd", "diamond"),
    EntityType.fund: TypeStyle("#e6b800", "star"),
    EntityType.platform: TypeStyle("#17becf", "hexagon"),
    EntityType.park: TypeStyle("#8c564b", "diamond"),
    EntityType.industry: TypeStyle("#d62728", "ellipse"),
    EntityType.chain_segment: TypeStyle("#ff9896", "box"),
    EntityType.region: TypeStyle("#7f7f7f", "database"),
    EntityType.government: TypeStyle("#bcbd22", "square"),
}
GAP_COLOR = "#c0392b"


@dataclass(frozen=True)
class LegendItem:
    """One legend row: a swatch and its Chinese label."""

    label: str
    color: str
    shape: str


def legend(types: set[EntityType] | None = None) -> list[LegendItem]:
    """Legend rows in ontology order, only for ``types`` when given.

    >>> [i.label for i in legend({EntityType.park, EntityType.institute})]
    ['科研机构', '园区']
    """
    return [LegendItem(t.label, s.color, s.shape) for t, s in TYPE_STYLES.items()
            if types is None or t in types]
