"""Turn table rows into validated entity and relation records, or rejects.

A reject names the file, row, column, value and reason, so the author of a
spreadsheet can find and fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from schema import (
    Entity,
    EntityType,
    InnographError,
    Relation,
    RelationType,
    endpoint_problem,
    entity_id,
    normalise_name,
    relation_id,
)
from schema.properties import (
    ENTITY_PROPS,
    Provenance,
    build_entity_props,
    build_relation_props,
    validation_reasons,
)

from .columns import (
    ENTITY_CORE,
    PROVENANCE,
    RELATION_CORE,
    RELATION_PROPS,
    allowed_entity_types,
    allowed_relation_types,
    entity_type_from,
    relation_type_from,
)

ALIAS_SEPARATORS = ("|", ";", "；", "、")


@dataclass(frozen=True)
class Reject:
    """One row that was not loaded, and why."""

    file: str
    row: int
    column: str
    value: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "column": self.column, "value": self.value,
                "reason": self.reason}


@dataclass(frozen=True)
class RowRef:
    """Where a row came from."""

    file: str
    row: int


def split_aliases(text: str) -> list[str]:
    """Aliases from one cell: separated by ``|``, ``;``, ``；`` or ``、``.

    >>> split_aliases("浙大温州研究院|浙大研究院；浙大温州院")
    ['浙大温州研究院', '浙大研究院', '浙大温州院']
    """
    for separator in ALIAS_SEPARATORS[1:]:
        text = text.replace(separator, ALIAS_SEPARATORS[0])
    return [part.strip() for part in text.split(ALIAS_SEPARATORS[0]) if part.strip()]


def _provenance(row: dict[str, str]) -> dict[str, str]:
    return dict(_valid_provenance(tuple((k, row[k]) for k in PROVENANCE if row.get(k))))


# Rows repeat the same few property combinations, so each combination is validated once.
@lru_cache(maxsize=65536)
def _valid_provenance(items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    model = Provenance.model_validate(dict(items))
    return tuple((k, str(v)) for k, v in model.model_dump(mode="json", exclude_none=True).items())


@lru_cache(maxsize=65536)
def _valid_entity_props(entity_type: EntityType,
                        items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, Any], ...]:
    model = build_entity_props(entity_type, dict(items))
    return tuple(model.model_dump(mode="json", exclude_none=True).items())


@lru_cache(maxsize=65536)
def _valid_relation_props(relation: RelationType,
                          items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, Any], ...]:
    model = build_relation_props(relation, dict(items))
    return tuple(model.model_dump(mode="json", exclude_none=True).items())


def _first_reason(error: ValidationError, row: dict[str, str], ref: RowRef) -> Reject:
    field, reason = validation_reasons(error)[0]
    return Reject(ref.file, ref.row, field, str(row.get(field, "")), reason)


def build_entity(row: dict[str, str], ref: RowRef, type_hint: EntityType | None,
                 ingest: dict[str, Any]) -> Entity | Reject:
    """Validate one entity row (columns already canonical)."""
    name_raw = row.get("name", "")
    if not name_raw:
        return Reject(ref.file, ref.row, "name", "", "missing: every entity needs a name")
    type_text = row.get("type", "")
    entity_type = entity_type_from(type_text) if type_text else type_hint
    if entity_type is None:
        reason = (f"unknown entity type; allowed: {allowed_entity_types()}" if type_text
                  else "missing: give a type column or name the file after a type")
        return Reject(ref.file, ref.row, "type", type_text, reason)
    name = normalise_name(name_raw)
    prop_names = ENTITY_PROPS[entity_type].model_fields
    known = tuple((k, v) for k, v in row.items() if k in prop_names and v)
    try:
        props = dict(_valid_entity_props(entity_type, known))
        provenance = _provenance(row)
    except ValidationError as e:
        return _first_reason(e, row, ref)
    skip = set(ENTITY_CORE) | set(prop_names) | set(PROVENANCE)
    props.update({k: v for k, v in row.items() if k not in skip and v})
    given_id = row.get("id", "")
    try:
        the_id = given_id or entity_id(entity_type, name, props.get("credit_code"))
    except InnographError as e:  # unreachable in practice: the code was validated above
        return Reject(ref.file, ref.row, "credit_code", row.get("credit_code", ""), str(e))
    aliases = sorted({normalise_name(a) for a in split_aliases(row.get("aliases", ""))} - {name})
    return Entity(id=the_id, type=entity_type, name=name, name_raw=name_raw,
                  aliases=tuple(aliases), props=props, provenance=provenance,
                  ingest={**ingest, "file": ref.file, "row": ref.row})


@dataclass(frozen=True)
class Endpoint:
    id: str
    type: EntityType


class EndpointLookup:
    """Resolves a relation row's source or target (id, name or alias) to one entity."""

    def resolve(self, text: str) -> Endpoint | str:  # pragma: no cover - protocol
        """The endpoint, or the reason it cannot be resolved."""
        raise NotImplementedError


def build_relation(row: dict[str, str], ref: RowRef, type_hint: RelationType | None,
                   lookup: EndpointLookup, ingest: dict[str, Any]) -> Relation | Reject:
    """Validate one relation row (columns already canonical) and resolve its endpoints."""
    for column in ("source", "target"):
        if not row.get(column):
            return Reject(ref.file, ref.row, column, "", "missing: a relation needs a "
                          f"{column} (an id, name or alias)")
    relation_text = row.get("relation", "")
    relation = relation_type_from(relation_text) if relation_text else type_hint
    if relation is None:
        reason = (f"unknown relation type; allowed: {allowed_relation_types()}" if relation_text
                  else "missing: give a relation column or name the file after a relation")
        return Reject(ref.file, ref.row, "relation", relation_text, reason)
    ends = []
    for column in ("source", "target"):
        found = lookup.resolve(row[column])
        if isinstance(found, str):
            return Reject(ref.file, ref.row, column, row[column], found)
        ends.append(found)
    source, target = ends
    problem = endpoint_problem(relation, source.type, target.type)
    if problem:
        return Reject(ref.file, ref.row, "relation", relation.value, problem)
    values = tuple((k, row[k]) for k in RELATION_PROPS if row.get(k))
    try:
        props: dict[str, Any] = dict(_valid_relation_props(relation, values))
        provenance = _provenance(row)
    except ValidationError as e:
        return _first_reason(e, row, ref)
    except InnographError as e:
        column = getattr(e, "what", "relation")
        return Reject(ref.file, ref.row, column, row.get(column, ""), getattr(e, "reason", str(e)))
    skip = set(RELATION_CORE) | set(RELATION_PROPS) | set(PROVENANCE) | {"type"}
    props.update({k: v for k, v in row.items() if k not in skip and v})
    return Relation(id=relation_id(source.id, relation, target.id), type=relation,
                    source=source.id, target=target.id, props=props, provenance=provenance,
                    ingest={**ingest, "file": ref.file, "row": ref.row})
