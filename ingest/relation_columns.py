"""Relation rows built a whole column at a time: the bulk path of a load.

A bulk relation file names its endpoints by id and repeats a handful of relation words and
property combinations over hundreds of thousands of rows. Here each distinct value is
checked once (type word, property combination, endpoint-type rule) and the results are
spread over the rows with pyarrow, so the per-row Python work is one hash.

Rows this path cannot settle — an endpoint given by name or alias or not in this load,
an unknown relation word, invalid properties, a forbidden endpoint pair, or provenance
columns — are returned by index for :func:`ingest.rows.relation_row`, which handles every
case and words every reject. Both paths produce identical store rows (a test checks).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import ValidationError

from schema import EntityType, InnographError, RelationType, endpoint_problem
from schema.records import HASH_SEPARATOR, digest_texts
from schema.tables import RELATION_SCHEMA

from .columns import relation_type_from
from .columnwise import SEP, codes, constant, spread, strings
from .readers import Table
from .rows import TableContext, relation_props


class KnownEndpoints:
    """This load's entity ids and their types as arrays, for vectorised lookups.

    Each look-up builds a hash table of every id (0.6 s for 1M ids), so a load looks up a
    whole table's endpoints at once (:func:`endpoint_types`), not each batch's.
    """

    def __init__(self, ids: pa.Array | pa.ChunkedArray, types: pa.Array | pa.ChunkedArray) -> None:
        self.ids, self.types = ids, types

    @classmethod
    def of(cls, entities: pa.Table) -> KnownEndpoints:
        """The endpoints of an ``ENTITY_SCHEMA`` table."""
        return cls(entities.column("id").combine_chunks(), entities.column("type").combine_chunks())

    def types_of(self, cells: pa.Array) -> pa.Array:
        """The entity type of each endpoint id, null where the id is not in this load."""
        return pc.take(self.types, pc.index_in(cells, value_set=self.ids))


#: the entity type of each row's source and of its target (null: not in this load)
EndpointTypes = tuple[pa.Array, pa.Array]


def endpoint_types(table: Table, known: KnownEndpoints) -> EndpointTypes:
    """The types of every row's endpoints in ``table``, looked up once for all its rows."""
    source, target = (known.types_of(strings(table.column(c))) for c in ("source", "target"))
    return source, target


def relation_columns(ctx: TableContext, hint: RelationType | None, known: KnownEndpoints,
                     ends: EndpointTypes | None = None) -> tuple[pa.Table, list[int]]:
    """The rows of ``ctx.table`` that the bulk path settles, as a ``RELATION_SCHEMA`` table,
    and the indices of the other rows (for the row-by-row path), in table order.
    ``ends``: the rows' endpoint types when already looked up (else from ``known``)."""
    table = ctx.table
    n = len(table)
    if n == 0 or ctx.provenance_columns:
        return RELATION_SCHEMA.empty_table(), list(range(n))
    sources = strings(table.column("source"))
    targets = strings(table.column("target"))
    source_types, target_types = ends or endpoint_types(table, known)

    words = strings(table.column("relation"))
    word_codes, distinct_words = codes(words)
    types = spread(word_codes, [_relation_value(w, hint) for w in distinct_words], pa.string())

    prop_names = [c for c, _ in ctx.prop_columns]
    extra_names = [c for c, _ in ctx.extra_columns]
    cells = [strings(v) for _, v in [*ctx.prop_columns, *ctx.extra_columns]]
    # the relation type and every property cell form one key; each distinct key validated once
    keys = pc.binary_join_element_wise(pc.fill_null(types, ""), *cells, SEP)
    key_codes, distinct_keys = codes(keys)
    settled = [_props_for(k, prop_names, extra_names) for k in distinct_keys]

    rules = pc.binary_join_element_wise(pc.fill_null(types, ""), pc.fill_null(source_types, ""),
                                        pc.fill_null(target_types, ""), SEP)
    rule_codes, distinct_rules = codes(rules)
    allowed = spread(rule_codes, [_rule_allowed(r) for r in distinct_rules], pa.bool_())

    ok = pc.and_(pc.and_(pc.is_valid(source_types), pc.is_valid(target_types)),
                 pc.and_(pc.is_valid(types), allowed))
    ok = pc.and_(ok, spread(key_codes, [s is not None for s in settled], pa.bool_()))
    slow = pc.indices_nonzero(pc.invert(ok)).to_pylist()

    def column(pick: Callable[[tuple[list[Any], str, str]], Any], kind: pa.DataType) -> pa.Array:
        values = [pick(s) if s is not None else None for s in settled]
        return pc.filter(spread(key_codes, values, kind), ok)

    source_ids, target_ids, type_values = (pc.filter(a, ok) for a in (sources, targets, types))
    all_json = column(lambda s: s[2], pa.string())
    kept = len(source_ids)
    empty_json = constant("{}", kept, pa.string())
    texts = pc.binary_join_element_wise(type_values, source_ids, target_ids, all_json,
                                        empty_json, HASH_SEPARATOR)
    rows = pc.filter(pa.array(table.row_numbers, type=pa.int64()), ok)
    built = pa.table({
        "source": source_ids, "target": target_ids, "type": type_values,
        "kind": column(lambda s: s[0][0], pa.string()),
        "status": column(lambda s: s[0][1], pa.string()),
        "year": column(lambda s: s[0][2], pa.int64()),
        "role": column(lambda s: s[0][3], pa.string()),
        "props": column(lambda s: s[1], pa.string()), "provenance": empty_json,
        "run": constant(ctx.run, kept, pa.string()),
        "file": constant(table.source, kept, pa.string()), "row": rows,
        "origin": constant(table.origin, kept, pa.string()),
        "chash": pa.array(digest_texts(texts.to_pylist()), type=pa.string()),
        "claims": constant("", kept, pa.string()),
    }, schema=RELATION_SCHEMA)
    return built, slow


def _relation_value(word: str | None, hint: RelationType | None) -> str | None:
    found = relation_type_from(word) if word else hint
    return found.value if found else None


def _rule_allowed(rule: str) -> bool:
    relation, source, target = rule.split(SEP)
    if not (relation and source and target):
        return False
    return endpoint_problem(RelationType(relation), EntityType(source),
                            EntityType(target)) is None


def _props_for(key: str, prop_names: list[str],
               extra_names: list[str]) -> tuple[list[Any], str, str] | None:
    """The validated properties for one distinct key, or None (the slow path will say why)."""
    parts = key.split(SEP)
    if len(parts) != 1 + len(prop_names) + len(extra_names) or not parts[0]:
        return None  # a cell held the separator, or the relation type is unknown
    relation, props, extra = parts[0], parts[1:1 + len(prop_names)], parts[1 + len(prop_names):]
    try:
        return relation_props(
            RelationType(relation),
            tuple((c, v) for c, v in zip(prop_names, props, strict=True) if v),
            tuple((c, v) for c, v in zip(extra_names, extra, strict=True) if v))
    except (ValidationError, InnographError):
        return None
