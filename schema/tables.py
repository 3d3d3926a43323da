"""Records as columns: the bulk format between ingest and the stores.

A load of hundreds of thousands of rows moves as two pyarrow tables, never as one Python
object per row. The content hashes are defined here, once, for both the column form and
the record objects (:class:`schema.Entity`, :class:`schema.Relation`), so the same content
hashes alike whichever way it reached the store.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from .ids import relation_id
from .records import Entity, Relation, canonical_json, entity_hash, relation_hash
from .types import EntityType, RelationType

#: where a record was loaded from: the ingest run, the file (or sheet: the *source*), its row,
#: and the kind of source (``schema.claims.KIND_RANK``: table, list, registry …)
INGEST_FIELDS = [("run", pa.string()), ("file", pa.string()), ("row", pa.int64()),
                 ("origin", pa.string())]
#: ``claims``: what each source said, when several did (``schema.claims``); "" otherwise
ENTITY_SCHEMA = pa.schema([
    ("id", pa.string()), ("type", pa.string()), ("name", pa.string()), ("name_raw", pa.string()),
    ("aliases", pa.list_(pa.string())), ("props", pa.string()), ("provenance", pa.string()),
    *INGEST_FIELDS, ("chash", pa.string()), ("claims", pa.string()),
])
#: relation columns. A relation is identified by (source, type, target), so its id is
#: derived, not stored. kind/status/year/role are columns of their own (queried often); the
#: other properties are JSON in ``props``.
RELATION_SCHEMA = pa.schema([
    ("source", pa.string()), ("target", pa.string()), ("type", pa.string()),
    ("kind", pa.string()), ("status", pa.string()), ("year", pa.int64()), ("role", pa.string()),
    ("props", pa.string()), ("provenance", pa.string()), *INGEST_FIELDS, ("chash", pa.string()),
    ("claims", pa.string()),
])
COMMON_RELATION_PROPS = ("kind", "status", "year", "role")


def split_relation_props(props: dict[str, Any]) -> tuple[list[Any], str]:
    """The four column properties, and the JSON of the others."""
    extra = {k: v for k, v in props.items() if k not in COMMON_RELATION_PROPS}
    return [props.get(k) for k in COMMON_RELATION_PROPS], canonical_json(extra)


def entities_to_table(entities: Sequence[Entity]) -> pa.Table:
    """Entity records as an :data:`ENTITY_SCHEMA` table."""
    rows = []
    for e in entities:
        props, provenance = canonical_json(e.props), canonical_json(e.provenance)
        rows.append({"id": e.id, "type": e.type.value, "name": e.name, "name_raw": e.name_raw,
                     "aliases": list(e.aliases), "props": props, "provenance": provenance,
                     **_ingest_columns(e.ingest), "claims": e.claims,
                     "chash": entity_hash(e.id, e.type.value, e.name, e.aliases, props,
                                          provenance, e.claims)})
    return pa.Table.from_pylist(rows, schema=ENTITY_SCHEMA)


def relations_to_table(relations: Sequence[Relation]) -> pa.Table:
    """Relation records as a :data:`RELATION_SCHEMA` table."""
    rows = []
    for r in relations:
        common, extra = split_relation_props(r.props)
        provenance = canonical_json(r.provenance)
        rows.append({"source": r.source, "target": r.target, "type": r.type.value,
                     **dict(zip(COMMON_RELATION_PROPS, common, strict=True)), "props": extra,
                     "provenance": provenance, **_ingest_columns(r.ingest), "claims": r.claims,
                     "chash": relation_hash(r.type.value, r.source, r.target,
                                            canonical_json(r.props), provenance, r.claims)})
    return pa.Table.from_pylist(rows, schema=RELATION_SCHEMA)


def _load(text: str | None) -> Any:
    return json.loads(text) if text else {}


_INGEST_NAMES = tuple(name for name, _ in INGEST_FIELDS)


def _ingest_columns(ingest: dict[str, Any]) -> dict[str, Any]:
    return {name: ingest.get(name) for name in _INGEST_NAMES}


def _ingest(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in _INGEST_NAMES if row.get(k) is not None}


def entity_from_row(row: dict[str, Any]) -> Entity:
    """An entity from a row with :data:`ENTITY_SCHEMA`'s columns (``chash`` not needed)."""
    return Entity(id=row["id"], type=EntityType(row["type"]), name=row["name"],
                  name_raw=row.get("name_raw") or "", aliases=tuple(row.get("aliases") or ()),
                  props=_load(row.get("props")), provenance=_load(row.get("provenance")),
                  ingest=_ingest(row), claims=row.get("claims") or "")


def relation_from_row(row: dict[str, Any]) -> Relation:
    """A relation from a row with :data:`RELATION_SCHEMA`'s columns (``chash`` not needed);
    its id is derived from source, type and target."""
    props = {k: row[k] for k in COMMON_RELATION_PROPS if row.get(k) is not None}
    props.update(_load(row.get("props")))
    relation_type = RelationType(row["type"])
    return Relation(id=relation_id(row["source"], relation_type, row["target"]),
                    type=relation_type, source=row["source"], target=row["target"], props=props,
                    provenance=_load(row.get("provenance")), ingest=_ingest(row),
                    claims=row.get("claims") or "")
