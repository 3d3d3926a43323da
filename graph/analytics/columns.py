"""The columns of the graph that analytics read, from records or from the store's tables.

The projection and the catalog need a handful of fields of each record (ids, types,
names, a segment's stage and order; a relation's ends, type, kind, year and role). Reading
them as columns from ``store.entities_table()`` / ``store.relations_table()`` (pyarrow, in
``schema.tables`` layout) skips building a Python record per row, which is most of the cost
of reading a large store; records (tests, evaluation) are turned into the same columns.

Rows are put in one order — entities by id, relations by (source, target, type) —
whatever order the store or the caller lists them in: node and neighbour order steer
seeded algorithms (Louvain's visiting order, the betweenness sample), so the same graph
gives the same results.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from schema import Entity, EntityType, InvalidInput, Relation, RelationType
from schema.history import history_of, years_text
from schema.records import REFERENCE

__all__ = ["EntityColumns", "RelationColumns", "count_of"]

_ENTITY_TYPES = {t.value: t for t in EntityType}
_RELATION_TYPES = {t.value: t for t in RelationType}
_RELATION_ORDER = [("source", "ascending"), ("target", "ascending"), ("type", "ascending")]


@dataclass(frozen=True)
class EntityColumns:
    """Id, type and name of every entity; the properties of chain segments only."""

    ids: list[str]
    types: list[EntityType]
    names: list[str]
    #: chain segment id -> its properties (stage, order)
    segment_props: dict[str, dict[str, Any]]
    #: entities only the national reference lists state (``Entity.layer == "reference"``)
    external: frozenset[str] = frozenset()

    @classmethod
    def from_records(cls, entities: Iterable[Entity]) -> EntityColumns:
        """
        >>> EntityColumns.from_records([Entity("enterprise:a", EntityType.enterprise, "甲")]).names
        ['甲']
        """
        found = sorted(entities, key=lambda e: e.id)
        return cls([e.id for e in found], [e.type for e in found], [e.name for e in found],
                   {e.id: e.props for e in found if e.type is EntityType.chain_segment},
                   frozenset(e.id for e in found if e.layer == REFERENCE))

    @classmethod
    def from_table(cls, table: pa.Table) -> EntityColumns:
        """Columns of an ``ENTITY_SCHEMA`` table; an unknown type raises
        :class:`schema.InvalidInput` naming the entity."""
        table = table.sort_by("id")
        ids = table.column("id").to_pylist()
        raw = table.column("type").to_pylist()
        types = [_ENTITY_TYPES.get(t) for t in raw]
        _check_types("entity", ids, raw, types)
        segments = [i for i, t in enumerate(types) if t is EntityType.chain_segment]
        props = table.column("props").take(segments).to_pylist() if segments else []
        return cls(ids, types,  # type: ignore[arg-type]  # no None left after the check
                   table.column("name").to_pylist(),
                   {ids[i]: json.loads(text) if text else {}
                    for i, text in zip(segments, props, strict=True)},
                   _external(table, ids))


def _external(table: pa.Table, ids: list[str]) -> frozenset[str]:
    """Ids whose winning source is a reference list (the ``origin`` column, when present)."""
    if "origin" not in table.column_names:
        return frozenset()
    origins = table.column("origin").to_pylist()
    return frozenset(i for i, origin in zip(ids, origins, strict=True) if origin == REFERENCE)


@dataclass(frozen=True)
class RelationColumns:
    """Ends, type, partnership kind, year and role of every relation (``None`` if absent)."""

    sources: list[str]
    targets: list[str]
    types: list[RelationType]
    kinds: list[str | None]
    years: list[int | None]
    roles: list[str | None]
    #: how many patents a co_applicant pair shares (its ``weight``); None elsewhere
    counts: list[int | None] = field(default_factory=list)
    #: each relation's history (``years``, schema.history), None where it has none
    histories: list[str | None] = field(default_factory=list)

    @classmethod
    def from_records(cls, relations: Iterable[Relation]) -> RelationColumns:
        """Columns of records; a ``year`` that is not an integer reads as undated.

        >>> r = Relation("r", RelationType.partnership, "a", "b", props={"kind": "共建"})
        >>> c = RelationColumns.from_records([r]); c.kinds, c.years
        (['共建'], [None])
        """
        found = sorted(relations, key=lambda r: (r.source, r.target, r.type.value))
        return cls([r.source for r in found], [r.target for r in found],
                   [r.type for r in found],
                   [str(r.props.get("kind", "")) or None for r in found],
                   [_year(r.props.get("year")) for r in found],
                   [str(r.props["role"]) if r.props.get("role") is not None else None
                    for r in found],
                   [count_of(r.type, r.props.get("weight")) for r in found],
                   [years_text(history_of(r.props)) or None if r.props.get("years") else None
                    for r in found])

    @classmethod
    def from_table(cls, table: pa.Table) -> RelationColumns:
        """Columns of a ``RELATION_SCHEMA`` table (kind, year and role are its own columns)."""
        table = table.sort_by(_RELATION_ORDER)
        sources = table.column("source").to_pylist()
        raw = table.column("type").to_pylist()
        types = [_RELATION_TYPES.get(t) for t in raw]
        _check_types("relation from", sources, raw, types)
        weighted = pc.equal(table.column("type"), RelationType.co_applicant.value)
        counts: list[int | None] = [None] * table.num_rows
        if pc.any(weighted).as_py():  # only patent pairs carry a count, in their JSON props
            for index in pc.indices_nonzero(weighted).to_pylist():
                text = table.column("props")[index].as_py()
                counts[index] = count_of(RelationType.co_applicant,
                                       json.loads(text or "{}").get("weight"))
        return cls(sources, table.column("target").to_pylist(),
                   types,  # type: ignore[arg-type]  # no None left after the check
                   [k or None for k in table.column("kind").to_pylist()],
                   table.column("year").to_pylist(), table.column("role").to_pylist(),
                   counts)


def count_of(relation_type: RelationType, value: object) -> int | None:
    """A co_applicant pair's patent count (stored as text), else None.

    Parameters
    ----------
    relation_type : RelationType
    value : object
        The relation's ``weight`` property.

    Returns
    -------
    int or None

    >>> count_of(RelationType.co_applicant, "4"), count_of(RelationType.partnership, "4")
    (4, None)
    """
    if relation_type is not RelationType.co_applicant or value is None:
        return None
    text = str(value)
    return int(text) if text.isdigit() else None


def _year(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_types(what: str, ids: list[str], raw: list[str], types: list[Any]) -> None:
    if None in types:
        where = types.index(None)
        raise InvalidInput(f"{what} {ids[where]}",
                           f"type {raw[where]!r} is not in the ontology")
