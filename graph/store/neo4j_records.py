"""Records as Neo4j properties, and back.

Ontology properties (``level``, ``founded_year``, ``kind``, ``year`` …) become plain
properties, so Browser and Bloom show them as they are; ``prop_keys`` lists them so a read
gives back exactly the record that was written (and so the same content hash as the
embedded store). A property whose name is taken by innograph's own bookkeeping, or that
starts with ``prop_`` or ``score_``, is stored as ``prop_<name>``; the mapping is one-to-one.
Provenance is a JSON string; where a record was loaded from is ``ingest_run``,
``ingest_file``, ``ingest_row`` and ``ingest_origin`` (the kind of source); a record several
sources state keeps their claims as the JSON string ``claims`` (``schema.claims``).

Neo4j stores only scalars and lists of one scalar type as properties (no maps, no nulls in
lists, 64-bit integers); other values are refused here, naming the record and property,
before anything is written (the server would refuse them mid-load, after earlier batches
had committed).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from schema import (
    Entity,
    EntityType,
    IntegrityError,
    InvalidInput,
    Relation,
    RelationType,
    relation_id,
)
from schema.tables import COMMON_RELATION_PROPS

SCORE_PREFIX = "score_"
_PROP_PREFIX = "prop_"
_INGEST = ("run", "file", "row", "origin")
#: property names innograph itself writes on nodes and relationships
RESERVED = frozenset({"id", "type", "name", "name_raw", "aliases", "provenance", "prop_keys",
                      "chash", "claims", *(f"ingest_{k}" for k in _INGEST)})
RELATION_TYPES = {t.neo4j_type: t for t in RelationType}
_ENTITY_TYPES = frozenset(t.value for t in EntityType)


def property_key(name: str) -> str:
    """The Neo4j property that holds the record property ``name``.

    >>> property_key("level")
    'level'
    >>> property_key("chash"), property_key("score_x"), property_key("prop_y")
    ('prop_chash', 'prop_score_x', 'prop_prop_y')
    """
    if name in RESERVED or name.startswith((SCORE_PREFIX, _PROP_PREFIX)):
        return _PROP_PREFIX + name
    return name


_SCALARS = (bool, int, float, str)
_INT64 = range(-(2**63), 2**63)


def check_value(owner: str, name: str, value: Any) -> None:
    """Raise :class:`schema.InvalidInput` unless Neo4j can store ``value`` as a property.

    >>> check_value("entity park:眼谷", "tags", ["a", "b"])
    >>> check_value("entity park:眼谷", "extra", {"a": 1})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    schema.errors.InvalidInput: entity park:眼谷 property 'extra': Neo4j cannot store a dict ...
    """
    items = value if isinstance(value, list | tuple) else [value]
    kinds = {type(item) for item in items}
    if isinstance(value, list | tuple) and None in items:
        reason = "a list with an empty value"
    elif isinstance(value, list | tuple) and kinds & {list, tuple}:
        reason = "a list of lists"
    elif not kinds <= {*_SCALARS, type(None)}:
        reason = f"a {(kinds - {*_SCALARS, type(None)}).pop().__name__}"
    elif len(kinds) > 1:
        reason = f"a list mixing {' and '.join(sorted(k.__name__ for k in kinds))}"
    elif any(type(item) is int and item not in _INT64 for item in items):
        reason = "an integer beyond 64 bits"
    else:
        return
    raise InvalidInput(f"{owner} property {name!r}", f"Neo4j cannot store {reason} (properties "
                                                     "are text, numbers, booleans or lists of "
                                                     "one of these)")


def _loads(text: str | None) -> dict[str, Any]:
    return json.loads(text) if text else {}


def _common(owner: str, chash: str, provenance: str | None, ingest: Mapping[str, Any],
            props: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "chash": chash,
        "provenance": provenance if provenance and provenance != "{}" else None,
        "prop_keys": sorted(props) or None,
        **{f"ingest_{k}": ingest.get(k) for k in _INGEST},
        "claims": ingest.get("claims") or None,
    }
    for name, value in props.items():
        check_value(owner, name, value)
        out[property_key(name)] = list(value) if isinstance(value, tuple) else value
    return out


def entity_properties(row: Mapping[str, Any], stored_keys: Iterable[str] = ()) -> dict[str, Any]:
    """Node properties for an entity row (``schema.tables.ENTITY_SCHEMA`` columns).

    Every managed key is present; ``None`` removes it. ``stored_keys`` are the node's current
    property names: those the new row no longer has are set to ``None`` (scores are kept).

    >>> row = {"id": "park:眼谷", "type": "park", "name": "眼谷", "name_raw": "", "aliases": [],
    ...        "props": '{"level":"省级"}', "provenance": "{}", "run": None, "file": None,
    ...        "row": None, "chash": "0f"}
    >>> props = entity_properties(row, stored_keys=["website", "score_degree"])
    >>> props["level"], props["website"], "score_degree" in props
    ('省级', None, False)
    """
    props = _loads(row.get("props"))
    out = {"id": row["id"], "type": row["type"], "name": row["name"],
           "name_raw": row.get("name_raw") or None, "aliases": list(row.get("aliases") or ()) or None,
           **_common(f"entity {row['id']}", row["chash"], row.get("provenance"), row, props)}
    for key in stored_keys:
        if key not in out and not key.startswith(SCORE_PREFIX):
            out[key] = None
    return out


def entity_from_properties(node: Mapping[str, Any]) -> Entity:
    """The entity stored as these node properties (scores and unknown keys are ignored).

    A node made by hand in Browser without ``id``, ``name`` or an ontology ``type`` raises
    :class:`schema.IntegrityError` naming it, rather than a bare ``KeyError``.
    """
    if not isinstance(node.get("id"), str) or not isinstance(node.get("name"), str) \
            or node.get("type") not in _ENTITY_TYPES:
        shown = {k: node.get(k) for k in ("id", "type", "name")}
        raise IntegrityError(f"an :Entity node is not innograph's ({shown}): every entity "
                             "needs a text id and name and a type out of "
                             f"{', '.join(sorted(_ENTITY_TYPES))}; fix or delete it in Browser")
    return Entity(id=node["id"], type=EntityType(node["type"]), name=node["name"],
                  name_raw=node.get("name_raw") or "", aliases=tuple(node.get("aliases") or ()),
                  props=_props(node),
                  provenance=_loads(node.get("provenance")), ingest=_ingest(node),
                  claims=node.get("claims") or "")


def relation_properties(row: Mapping[str, Any]) -> dict[str, Any]:
    """Relationship properties for a relation row (``RELATION_SCHEMA`` columns), nulls left out.

    >>> row = {"kind": "共建", "status": None, "year": 2021, "role": None, "props": "{}",
    ...        "provenance": "{}", "run": "r1", "file": "a.csv", "row": 3, "chash": "9a"}
    >>> sorted(relation_properties(row).items())  # doctest: +NORMALIZE_WHITESPACE
    [('chash', '9a'), ('ingest_file', 'a.csv'), ('ingest_row', 3), ('ingest_run', 'r1'),
     ('kind', '共建'), ('prop_keys', ['kind', 'year']), ('year', 2021)]
    """
    props = {k: row[k] for k in COMMON_RELATION_PROPS if row.get(k) is not None}
    props.update(_loads(row.get("props")))
    owner = f"relation {row.get('source')} -{row.get('type')}-> {row.get('target')}"
    out = _common(owner, row["chash"], row.get("provenance"), row, props)
    return {k: v for k, v in out.items() if v is not None}


def relation_from_properties(source: str, neo4j_type: str, target: str,
                             props: Mapping[str, Any]) -> Relation:
    """The relation stored as a relationship of ``neo4j_type`` with these properties."""
    relation_type = RELATION_TYPES[neo4j_type]
    return Relation(id=relation_id(source, relation_type, target), type=relation_type,
                    source=source, target=target,
                    props=_props(props),
                    provenance=_loads(props.get("provenance")), ingest=_ingest(props),
                    claims=props.get("claims") or "")


def _props(stored: Mapping[str, Any]) -> dict[str, Any]:
    # .get: a property whose value was empty (null) is not stored, though prop_keys names it
    return {k: stored.get(property_key(k)) for k in stored.get("prop_keys") or ()}


def _ingest(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: props[f"ingest_{k}"] for k in _INGEST if props.get(f"ingest_{k}") is not None}
