"""Turn table rows into store rows (the columns of ``schema.tables``), or rejects.

A load handles hundreds of thousands of rows, so a row is read straight from its
table's columns, and everything that repeats across rows (type words, property
combinations, provenance, alias cells, endpoint checks) is validated once and
memoised. A reject names the file, row, column, value and reason, so the author of a
spreadsheet can find and fix it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from schema import (
    EntityType,
    InnographError,
    RelationType,
    endpoint_problem,
    entity_id,
    normalise_name,
)
from schema.properties import (
    ENTITY_PROPS,
    Provenance,
    build_entity_props,
    build_relation_props,
    validation_reasons,
)
from schema.records import canonical_json, entity_hash, relation_hash
from schema.tables import COMMON_RELATION_PROPS

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
from .readers import Table

ALIAS_SEPARATORS = ("|", ";", "；", "、")
# pydantic's model_fields is slow to reach; rows look the names up here
_PROP_NAMES = {t: frozenset(model.model_fields) for t, model in ENTITY_PROPS.items()}
ENTITY_PROP_COLUMNS = frozenset().union(*_PROP_NAMES.values())
KNOWN_ENTITY_COLUMNS = frozenset(ENTITY_CORE) | frozenset(PROVENANCE) | ENTITY_PROP_COLUMNS
KNOWN_RELATION_COLUMNS = (frozenset(RELATION_CORE) | frozenset(RELATION_PROPS)
                          | frozenset(PROVENANCE) | {"type"})

Items = tuple[tuple[str, str], ...]
EntityRow = tuple[str, str, str, str, list[str], str, str, str, str, int, str, str, str]
RelationRow = tuple[str, str, str, Any, Any, Any, Any, str, str, str, str, int, str, str, str]


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


@dataclass(frozen=True)
class Endpoint:
    id: str
    type: EntityType


class EndpointLookup:
    """Resolves a relation row's source or target (id, name or alias) to one entity."""

    def resolve(self, text: str) -> Endpoint | str:  # pragma: no cover - protocol
        """The endpoint, or the reason it cannot be resolved."""
        raise NotImplementedError


#: the longest name a row may give (as the API's bodies; a 3.5M-character name once loaded
#: and made search and resolution run for minutes)
MAX_NAME_CHARS = 300
#: what no name holds: C0 control characters and a byte-order mark inside the text (RE2
#: syntax for pyarrow's column-wise check; the same class for Python's ``re``)
BAD_NAME_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FEFF}]"
_BAD_NAME = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufeff]")


def name_problem(name: str) -> str | None:
    """Why a name cannot be loaded, or ``None``.

    >>> name_problem("温州大学") is None
    True
    >>> name_problem("温州\\x00大学")
    'the name contains the control character U+0000 (binary content?)'
    """
    if len(name) > MAX_NAME_CHARS:
        return f"the name has {len(name)} characters, more than the limit of {MAX_NAME_CHARS}"
    bad = _BAD_NAME.search(name)
    if bad:
        what = "a byte-order mark (U+FEFF; were two files joined?)" if bad.group() == "\ufeff" \
            else f"the control character U+{ord(bad.group()):04X} (binary content?)"
        return f"the name contains {what}"
    return None


def split_aliases(text: str) -> list[str]:
    """Aliases from one cell: separated by ``|``, ``;``, ``；`` or ``、``.

    >>> split_aliases("浙大温州研究院|浙大研究院；浙大温州院")
    ['浙大温州研究院', '浙大研究院', '浙大温州院']
    """
    for separator in ALIAS_SEPARATORS[1:]:
        text = text.replace(separator, ALIAS_SEPARATORS[0])
    return [part.strip() for part in text.split(ALIAS_SEPARATORS[0]) if part.strip()]


@lru_cache(maxsize=65536)
def aliases_of(cell: str) -> frozenset[str]:
    return frozenset(normalise_name(a) for a in split_aliases(cell))


@lru_cache(maxsize=65536)
def provenance_json(items: Items) -> str:
    model = Provenance.model_validate(dict(items))
    return canonical_json({k: str(v) for k, v in
                           model.model_dump(mode="json", exclude_none=True).items()})


@lru_cache(maxsize=65536)
def entity_props(entity_type: EntityType, cells: Items, extra: Items) -> tuple[str, str | None]:
    """JSON of an entity's properties from its property-column cells (those its type does
    not define are kept as text, like ``extra``), and its credit code if it has one."""
    allowed = _PROP_NAMES[entity_type]
    known = {c: v for c, v in cells if c in allowed}
    props = build_entity_props(entity_type, known).model_dump(mode="json", exclude_none=True)
    others = {c: v for c, v in cells if c not in allowed} | dict(extra)
    return canonical_json({**props, **others}), known.get("credit_code")


@lru_cache(maxsize=65536)
def relation_props(relation: RelationType, known: Items,
                    extra: Items) -> tuple[list[Any], str, str]:
    """(kind, status, year, role), JSON of the other properties, JSON of all of them."""
    props = build_relation_props(relation, dict(known)).model_dump(mode="json",
                                                                   exclude_none=True)
    everything = {**props, **dict(extra)}
    # validated properties without a column of their own (``years``) join the JSON
    others = {k: v for k, v in everything.items() if k not in COMMON_RELATION_PROPS}
    return ([props.get(k) for k in COMMON_RELATION_PROPS], canonical_json(others),
            canonical_json(everything))


@dataclass
class TableContext:
    """What every row of one table shares: its columns sorted by role, and its origin."""

    table: Table
    run: str
    prop_columns: list[tuple[str, Sequence[str]]] = field(default_factory=list)
    provenance_columns: list[tuple[str, Sequence[str]]] = field(default_factory=list)
    extra_columns: list[tuple[str, Sequence[str]]] = field(default_factory=list)

    @classmethod
    def of(cls, table: Table, run: str, known: frozenset[str],
           props: frozenset[str]) -> TableContext:
        context = cls(table, run)
        for column in table.columns:
            cells = table.cells(column)
            if column in PROVENANCE:
                context.provenance_columns.append((column, cells))
            elif column in props:
                context.prop_columns.append((column, cells))
            elif column not in known:
                context.extra_columns.append((column, cells))
        return context

    def reject(self, index: int, column: str, reason: str) -> Reject:
        value = self.table.cells(column)[index] if self.table.has(column) else ""
        shown = self.table.headers.get(column, column)  # the header as the file wrote it
        return Reject(self.table.source, self.table.row_numbers[index], shown, value, reason)

    def invalid(self, index: int, error: ValidationError) -> Reject:
        column, reason = validation_reasons(error)[0]
        return self.reject(index, column, reason)

    def provenance(self, index: int) -> str:
        if not self.provenance_columns:
            return "{}"
        return provenance_json(tuple((c, v[index]) for c, v in self.provenance_columns
                                      if v[index]))


def entity_row(ctx: TableContext, index: int, hint: EntityType | None) -> EntityRow | Reject:
    """One entity row in ``schema.tables.ENTITY_SCHEMA`` order, or why it is rejected."""
    table = ctx.table
    name_raw = table.column("name")[index]
    if not name_raw:
        return ctx.reject(index, "name", "missing: every entity needs a name")
    problem = name_problem(name_raw)
    if problem:
        return ctx.reject(index, "name", problem)
    type_text = table.cells("type")[index] if table.has("type") else ""
    entity_type = entity_type_from(type_text) if type_text else hint
    if entity_type is None:
        reason = (f"unknown entity type; allowed: {allowed_entity_types()}" if type_text
                  else "missing: give a type column or name the file after a type")
        return ctx.reject(index, "type", reason)
    cells = tuple((c, v[index]) for c, v in ctx.prop_columns if v[index])
    extra_cells = tuple((c, v[index]) for c, v in ctx.extra_columns if v[index])
    try:
        props, code = entity_props(entity_type, cells, extra_cells)
        provenance = ctx.provenance(index)
    except ValidationError as e:
        return ctx.invalid(index, e)
    name = normalise_name(name_raw)
    given_id = table.cells("id")[index] if table.has("id") else ""
    try:
        the_id = given_id or entity_id(entity_type, name, code)
    except InnographError as e:  # unreachable in practice: the code was validated above
        return ctx.reject(index, "credit_code", str(e))
    alias_cell = table.cells("aliases")[index] if table.has("aliases") else ""
    aliases = sorted(aliases_of(alias_cell) - {name}) if alias_cell else []
    chash = entity_hash(the_id, entity_type.value, name, aliases, props, provenance)
    return (the_id, entity_type.value, name, name_raw, aliases, props, provenance, ctx.run,
            table.source, table.row_numbers[index], table.origin, chash, "")


def relation_row(ctx: TableContext, index: int, hint: RelationType | None,
                 lookup: EndpointLookup) -> RelationRow | Reject:
    """One relation row in ``schema.tables.RELATION_SCHEMA`` order, or why it is rejected."""
    table = ctx.table
    ends = []
    for column in ("source", "target"):
        text = table.cells(column)[index]
        if not text:
            return ctx.reject(index, column, f"missing: a relation needs a {column} "
                                             "(an id, name or alias)")
        found = lookup.resolve(text)
        if isinstance(found, str):
            return ctx.reject(index, column, found)
        ends.append(found)
    relation_text = table.cells("relation")[index] if table.has("relation") else ""
    relation = relation_type_from(relation_text) if relation_text else hint
    if relation is None:
        reason = (f"unknown relation type; allowed: {allowed_relation_types()}"
                  if relation_text else
                  "missing: give a relation column or name the file after a relation")
        return ctx.reject(index, "relation", reason)
    source, target = ends
    problem = endpoint_problem(relation, source.type, target.type)
    if problem:
        return ctx.reject(index, "relation", problem)
    known = tuple((c, v[index]) for c, v in ctx.prop_columns if v[index])
    extra = tuple((c, v[index]) for c, v in ctx.extra_columns if v[index])
    try:
        common, extra_json, all_json = relation_props(relation, known, extra)
        provenance = ctx.provenance(index)
    except ValidationError as e:
        return ctx.invalid(index, e)
    except InnographError as e:
        return ctx.reject(index, getattr(e, "what", "relation"), getattr(e, "reason", str(e)))
    chash = relation_hash(relation.value, source.id, target.id, all_json, provenance)
    return (source.id, target.id, relation.value, *common, extra_json, provenance, ctx.run,
            table.source, table.row_numbers[index], table.origin, chash, "")


def entity_context(table: Table, run: str) -> TableContext:
    return TableContext.of(table, run, KNOWN_ENTITY_COLUMNS, ENTITY_PROP_COLUMNS)


def relation_context(table: Table, run: str) -> TableContext:
    return TableContext.of(table, run, KNOWN_RELATION_COLUMNS, frozenset(RELATION_PROPS))

