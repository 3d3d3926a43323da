"""A load's table rows as store rows, a bounded batch at a time.

Each table is taken ``batch_rows`` rows at a time (issue 16): the column-wise path
(:mod:`ingest.entity_columns`, :mod:`ingest.relation_columns`) turns a batch into a compact
pyarrow table, and only the batch's rows it cannot settle go through the row-by-row path
(:mod:`ingest.rows`) as Python objects. So no more than ``batch_rows`` rows of any table are
ever Python objects at once, whatever the size of the load; what is kept between batches is
pyarrow tables. A table's settled rows come first and its row-path rows after them, as when
a table was one batch, so the result does not depend on the batch size.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from schema import EntityType, InnographError, entity_id, normalise_name
from schema.tables import ENTITY_SCHEMA, RELATION_SCHEMA

from .arrow_cells import ArrowCells, as_arrow
from .columns import entity_type_from, relation_type_from
from .entity_columns import entity_columns
from .readers import Table
from .relation_columns import KnownEndpoints, endpoint_types, relation_columns
from .rows import (
    KNOWN_ENTITY_COLUMNS,
    EndpointLookup,
    Reject,
    RowRef,
    entity_context,
    entity_row,
    relation_context,
    relation_row,
)

#: rows of a table turned into Python objects at once (~50 MB for a relation batch)
BATCH_ROWS = 100_000
#: progress hook: (phase, rows done in this call)
Progress = Callable[[str, int], None]
Row = tuple[Any, ...]


def batches(table: Table, size: int) -> Iterator[Table]:
    """``table`` in parts of at most ``size`` rows (itself when it is that small)."""
    if len(table) <= size:
        yield table
        return
    for start in range(0, len(table), size):
        yield table.rows(start, start + size)


def as_table(rows: list[Row], schema: pa.Schema) -> pa.Table:
    """Rows in ``schema``'s column order as a pyarrow table."""
    columns: list[Sequence[Any]] = (list(zip(*rows, strict=True)) if rows
                                    else [[] for _ in schema])
    # pa.array is ~100x faster on a list than on the tuple zip() gives
    return pa.Table.from_arrays([pa.array(list(c), type=f.type) for c, f in
                                 zip(columns, schema, strict=True)], schema=schema)


def row_path(others: list[int], build: Callable[[int], Row | Reject], schema: pa.Schema,
             rejects: list[Reject],
             on_reject: Callable[[int, Reject], None] | None = None) -> pa.Table:
    """The rows the row-by-row path builds for ``others``; rejects go to ``rejects`` (and to
    ``on_reject``)."""
    rows: list[Row] = []
    for index in others:
        built = build(index)
        if isinstance(built, Reject):
            rejects.append(built)
            if on_reject is not None:
                on_reject(index, built)
        else:
            rows.append(built)
    return as_table(rows, schema)


def _concat(parts: list[pa.Table], schema: pa.Schema) -> pa.Table:
    return pa.concat_tables(parts) if parts else schema.empty_table()


def entity_rows(tables: list[Table], run: str, rejects: list[Reject],
                rejected_rows: dict[str, RowRef], extra_columns: dict[str, list[str]],
                batch_rows: int, tick: Progress) -> pa.Table:
    """Every entity table's rows as one ``ENTITY_SCHEMA`` table; rejects go to ``rejects``,
    and every way a relation may name a rejected row to ``rejected_rows``."""
    parts: list[pa.Table] = []
    for table in tables:
        extras = [c for c in table.columns if c not in KNOWN_ENTITY_COLUMNS]
        if extras:
            extra_columns[table.source] = extras
        hint = entity_type_from(table.hint)
        settled: list[pa.Table] = []
        by_row: list[pa.Table] = []
        for batch in batches(table, batch_rows):
            bulk, others = entity_columns(entity_context(batch, run), hint)
            settled.append(bulk)
            if others:
                listed = batch.rows(0, len(batch), lists=True)

                def remember(index: int, reject: Reject, listed: Table = listed,
                             hint: EntityType | None = hint) -> None:
                    ref = RowRef(reject.file, reject.row)
                    rejected_rows.update({key: ref for key in _row_keys(listed, index, hint)})

                by_row.append(row_path(others, partial(entity_row, entity_context(listed, run),
                                                       hint=hint),
                                       ENTITY_SCHEMA, rejects, remember))
            tick("validate", len(batch))
        parts.extend(settled + by_row)
    return _concat(parts, ENTITY_SCHEMA)


def _row_keys(table: Table, index: int, hint: EntityType | None) -> set[str]:
    """Every way a relation of the same load may name an entity row: its id, its name, and
    the ids the row would have had (by type and name, and by credit code when it is valid),
    so a relation to a rejected row says that row was rejected."""
    cell = {k: table.cells(k)[index] for k in ("id", "name", "type", "credit_code")
            if table.has(k)}
    keys = {v for k, v in cell.items() if k in ("id", "name") and v}
    entity_type = entity_type_from(cell["type"]) if cell.get("type") else hint
    if entity_type is not None and cell.get("name"):
        name = normalise_name(cell["name"])
        keys.add(entity_id(entity_type, name))
        with contextlib.suppress(InnographError):
            keys.add(entity_id(entity_type, name, cell.get("credit_code") or None))
    return keys


def relation_rows(tables: list[Table], run: str, rejects: list[Reject],
                  lookup: EndpointLookup, known: KnownEndpoints, mapped: dict[str, str],
                  batch_rows: int, tick: Progress) -> list[pa.Table]:
    """Every relation table's rows as ``RELATION_SCHEMA`` tables (endpoints named by an id
    that resolution ``mapped`` point to the stored entity); rejects go to ``rejects``.

    The tables are taken out of ``tables`` as they are done, so that each table's cells
    are freed once its rows are built."""
    parts: list[pa.Table] = []
    tables.reverse()
    while tables:
        table = tables.pop()
        hint = relation_type_from(table.hint)
        settled: list[pa.Table] = []
        by_row: list[pa.Table] = []
        table = _remapped(table, mapped)
        # endpoints looked up for the whole table at once (each look-up hashes every id)
        sources, targets = endpoint_types(table, known)
        start = 0
        for batch in batches(table, batch_rows):
            ends = (sources.slice(start, len(batch)), targets.slice(start, len(batch)))
            start += len(batch)
            bulk, others = relation_columns(relation_context(batch, run), hint, known, ends)
            settled.append(bulk)
            if others:
                listed = relation_context(batch.rows(0, len(batch), lists=True), run)
                by_row.append(row_path(others, partial(relation_row, listed, hint=hint,
                                                       lookup=lookup),
                                       RELATION_SCHEMA, rejects))
            tick("validate", len(batch))
        parts.extend(settled + by_row)
    return parts


def _remapped(table: Table, mapped: dict[str, str]) -> Table:
    """``table`` with the endpoints resolution mapped to stored entities replaced (column-wise:
    the table's cells stay compact)."""
    if not mapped or not len(table):
        return table
    before = pa.array(list(mapped), type=pa.string())
    after = pa.array(list(mapped.values()), type=pa.string())

    def replaced(cells: Sequence[str]) -> ArrowCells:
        given = as_arrow(cells)
        return ArrowCells(pc.coalesce(pc.take(after, pc.index_in(given, value_set=before)),
                                      given))

    return table.with_cells({column: replaced(table.cells(column))
                             for column in ("source", "target") if table.has(column)})
