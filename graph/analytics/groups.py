"""Groups of actors: by region, park, industry, chain segment, entity type, or a list of ids.

A group is a label and a set of node ids of the projection; an actor may belong to several
groups of one kind (a firm in 瓯海区 is also in 温州市; a lab may serve two industries).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from schema import EntityNotFound, InvalidInput

from .projection import Projection
from .results import EntityRef, JsonResult

__all__ = ["Group", "GroupBy", "group_of_ids", "groups_by", "ref"]


class GroupBy(StrEnum):
    """How to group actors."""

    region = "region"
    park = "park"
    industry = "industry"
    segment = "segment"
    type = "type"


@dataclass(frozen=True)
class Group(JsonResult):
    """A labelled set of actors. ``key`` is the group's entity id (or type name)."""

    key: str
    label: str
    members: frozenset[str]

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, "size": len(self.members)}


def groups_by(projection: Projection, by: GroupBy | str) -> list[Group]:
    """Every non-empty group of one kind, largest first.

    Parameters
    ----------
    projection : Projection
    by : GroupBy or str
        ``region``, ``park``, ``industry``, ``segment`` or ``type``.

    Returns
    -------
    list of Group
        Largest first, then by label.

    >>> from schema import Entity, EntityType as E
    >>> from graph.analytics.projection import build_projection
    >>> p = build_projection([Entity("enterprise:a", E.enterprise, "甲"),
    ...                       Entity("institute:b", E.institute, "乙")], [])
    >>> [(g.label, len(g.members)) for g in groups_by(p, "type")]
    [('企业', 1), ('科研机构', 1)]
    """
    try:
        chosen = GroupBy(by)
    except ValueError:
        raise InvalidInput("by", f"must be one of {[g.value for g in GroupBy]}, "
                                 f"got {by!r}") from None
    nodes, catalog = projection.nodes, projection.catalog
    members: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    if chosen is GroupBy.type:
        for node in nodes:
            info = catalog.info(node)
            members[info.type.value].add(node)
            labels[info.type.value] = info.type.label
    else:
        indexes: dict[GroupBy, Mapping[str, Iterable[str]]] = {
            GroupBy.region: catalog.regions_of, GroupBy.park: catalog.parks_of,
            GroupBy.industry: catalog.industries_of, GroupBy.segment: catalog.segments_of,
        }
        index = indexes[chosen]
        for node in nodes:
            for key in index.get(node, ()):
                members[key].add(node)
        labels = {key: catalog.name(key) for key in members}
    found = [Group(key, labels[key], frozenset(ids)) for key, ids in members.items()]
    return sorted(found, key=lambda g: (-len(g.members), g.label))


def group_of_ids(projection: Projection, ids: Iterable[str], label: str = "自定义分组") -> Group:
    """A group from a list of ids; every id must be a node of the projection.

    Parameters
    ----------
    projection : Projection
    ids : iterable of str
    label : str

    Returns
    -------
    Group
        Keyed ``custom``.

    >>> from schema import Entity, EntityType as E
    >>> from graph.analytics.projection import build_projection
    >>> p = build_projection([Entity("enterprise:a", E.enterprise, "甲")], [])
    >>> group_of_ids(p, ["enterprise:a"]).to_json()
    {'key': 'custom', 'label': '自定义分组', 'size': 1}
    """
    wanted = list(ids)
    if not wanted:
        raise InvalidInput("ids", "the group is empty")
    missing = [i for i in wanted if i not in projection]
    if missing:
        if missing[0] not in projection.catalog.entities:
            raise EntityNotFound(missing[0])
        raise InvalidInput("ids", f"{missing[0]!r} is not an actor of this projection "
                                  "(its type or the filter leaves it out)")
    return Group("custom", label, frozenset(wanted))


def ref(projection: Projection, node: str) -> EntityRef:
    """The :class:`EntityRef` of a node.

    Parameters
    ----------
    projection : Projection
    node : str

    Returns
    -------
    EntityRef

    >>> from schema import Entity, EntityType as E
    >>> from graph.analytics.projection import build_projection
    >>> ref(build_projection([Entity("enterprise:a", E.enterprise, "甲")], []), "enterprise:a")
    EntityRef(id='enterprise:a', name='甲', type='enterprise', type_label='企业')
    """
    return projection.catalog.info(node).ref()
