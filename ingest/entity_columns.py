"""Entity rows built a whole column at a time: the bulk path of a load.

Each distinct type word and each distinct combination of property and provenance cells is
validated once; names are normalised once per distinct spelling; the per-row Python work
left is the content hash. Rows this path does not settle — a missing name, an unknown type,
invalid properties, a credit code (the id comes from it), a cell holding the key separator —
are returned by index for :func:`ingest.rows.entity_row`, which handles every case and
words every reject. Both paths produce identical store rows (a test checks).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import ValidationError

from schema import EntityType, normalise_name
from schema.records import HASH_SEPARATOR, digest_texts
from schema.tables import ENTITY_SCHEMA

from .columns import entity_type_from
from .columnwise import SEP, codes, constant, spread, strings
from .rows import (
    BAD_NAME_CHARACTERS,
    MAX_NAME_CHARS,
    TableContext,
    aliases_of,
    entity_props,
    provenance_json,
)

_Settled = tuple[str, str] | None  # (props JSON, provenance JSON) of one distinct key


def entity_columns(ctx: TableContext, hint: EntityType | None) -> tuple[pa.Table, list[int]]:
    """The rows of ``ctx.table`` that the bulk path settles, as an ``ENTITY_SCHEMA`` table,
    and the indices of the other rows (for the row-by-row path), in table order."""
    table = ctx.table
    n = len(table)
    if n == 0:
        return ENTITY_SCHEMA.empty_table(), []
    names_raw = strings(table.column("name"))
    type_codes, distinct_words = codes(strings(table.column("type")))
    types = spread(type_codes, [_type_value(w, hint) for w in distinct_words], pa.string())

    columns = [ctx.prop_columns, ctx.extra_columns, ctx.provenance_columns]
    names_by_role = [[c for c, _ in role] for role in columns]
    cells = [strings(v) for role in columns for _, v in role]
    key_codes, distinct_keys = codes(pc.binary_join_element_wise(pc.fill_null(types, ""),
                                                                 *cells, SEP))
    settled = [_settle(k, *names_by_role) for k in distinct_keys]

    ok = pc.and_(pc.not_equal(names_raw, ""), pc.is_valid(types))
    # names the row path must refuse: too long, or holding control characters
    ok = pc.and_(ok, pc.less_equal(pc.utf8_length(names_raw), MAX_NAME_CHARS))
    ok = pc.and_(ok, pc.invert(pc.match_substring_regex(names_raw, BAD_NAME_CHARACTERS)))
    ok = pc.and_(ok, spread(key_codes, [s is not None for s in settled], pa.bool_()))
    slow = pc.indices_nonzero(pc.invert(ok)).to_pylist()

    def per_key(pick: int) -> pa.Array:
        return pc.filter(spread(key_codes, [s[pick] if s else None for s in settled],
                                pa.string()), ok)

    raw = pc.filter(names_raw, ok)
    name_codes, distinct_names = codes(raw)
    names = spread(name_codes, [normalise_name(s) for s in distinct_names], pa.string())
    type_values = pc.filter(types, ok)
    given = pc.filter(strings(table.column("id")), ok)
    ids = pc.if_else(pc.not_equal(given, ""), given,
                     pc.binary_join_element_wise(type_values, names, ":"))
    aliases = _aliases(pc.filter(strings(table.column("aliases")), ok), names)
    props, provenance = per_key(0), per_key(1)
    kept = len(ids)
    texts = pc.binary_join_element_wise(
        ids, type_values, names, pc.binary_join(aliases, "\x1e"), props, provenance,
        HASH_SEPARATOR)
    built = pa.table({
        "id": ids, "type": type_values, "name": names, "name_raw": raw, "aliases": aliases,
        "props": props, "provenance": provenance,
        "run": constant(ctx.run, kept, pa.string()),
        "file": constant(table.source, kept, pa.string()),
        "row": pc.filter(pa.array(table.row_numbers, type=pa.int64()), ok),
        "origin": constant(table.origin, kept, pa.string()),
        "chash": pa.array(digest_texts(texts.to_pylist()), type=pa.string()),
        "claims": constant("", kept, pa.string()),
    }, schema=ENTITY_SCHEMA)
    return built, slow


def _type_value(word: str, hint: EntityType | None) -> str | None:
    found = entity_type_from(word) if word else hint
    return found.value if found else None


def _settle(key: str, prop_names: list[str], extra_names: list[str],
            provenance_names: list[str]) -> _Settled:
    """Properties and provenance JSON for one distinct key, or None (the row path says why)."""
    parts = key.split(SEP)
    if len(parts) != 1 + len(prop_names) + len(extra_names) + len(provenance_names) \
            or not parts[0]:
        return None  # a cell held the separator, or the type is unknown
    entity_type, rest = EntityType(parts[0]), parts[1:]
    props = tuple((c, v) for c, v in zip(prop_names, rest, strict=False) if v)
    rest = rest[len(prop_names):]
    extra = tuple((c, v) for c, v in zip(extra_names, rest, strict=False) if v)
    cited = tuple((c, v) for c, v in zip(provenance_names, rest[len(extra_names):],
                                         strict=True) if v)
    try:
        props_json, code = entity_props(entity_type, props, extra)
        return (None if code else (props_json, provenance_json(cited)))
    except ValidationError:
        return None


def _aliases(cells: pa.Array, names: pa.Array) -> pa.Array:
    """Sorted aliases of each row, without the row's own name (as the row path does)."""
    lists: list[Any] = [[]] * len(cells)
    given = pc.indices_nonzero(pc.not_equal(cells, "")).to_pylist()
    if given:
        cell_list, name_list = cells.to_pylist(), names.to_pylist()
        for index in given:
            lists[index] = sorted(aliases_of(cell_list[index]) - {name_list[index]})
    return pa.array(lists, type=pa.list_(pa.string()))
