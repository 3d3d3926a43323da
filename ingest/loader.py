"""Load tables into a store: read everything, validate, diff, write once.

Nothing is written until every file has been read and every row checked, and the
write itself is all or nothing (``GraphStore.upsert_tables``), so a bad file or a failure
mid-way leaves the store as it was. Every row ends up counted exactly once:
``rows_read == created + updated + unchanged + rejected``.
"""

from __future__ import annotations

import csv
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from graph.store.base import GraphStore
from schema import UnreadableFile
from schema.tables import ENTITY_SCHEMA, RELATION_SCHEMA

from .columns import canonical_header, entity_type_from, relation_type_from
from .entity_columns import entity_columns
from .merge import MergeReport, merge_load
from .readers import TABLE_SUFFIXES, Table, read_tables
from .relation_columns import KnownEndpoints, relation_columns
from .resolver import NameIndex
from .rows import (
    KNOWN_ENTITY_COLUMNS,
    Reject,
    RowRef,
    entity_context,
    entity_row,
    relation_context,
    relation_row,
)

#: progress hook: (phase, rows done in this call)
Progress = Callable[[str, int], None]


@dataclass
class LoadSummary:
    """What a load did; ``rows_read`` equals the sum of the four outcomes."""

    run_id: str
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    created: dict[str, int] = field(default_factory=lambda: {"entities": 0, "relations": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"entities": 0, "relations": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"entities": 0, "relations": 0})
    rejected: int = 0
    rejects: list[Reject] = field(default_factory=list)
    rejects_path: str | None = None
    extra_columns: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    merge: MergeReport = field(default_factory=MergeReport)

    @property
    def accounted(self) -> int:
        # rows stating a record another row of this load states too are merged into it
        return (sum(self.created.values()) + sum(self.updated.values())
                + sum(self.unchanged.values()) + self.rejected
                + sum(self.merge.folded.values()))

    def to_json(self, max_rejects: int = 50) -> dict[str, Any]:
        return {"run_id": self.run_id, "files": self.files, "rows_read": self.rows_read,
                "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "rejects_path": self.rejects_path,
                "rejects": [r.to_json() for r in self.rejects[:max_rejects]],
                "extra_columns": self.extra_columns, "merge": self.merge.to_json(),
                "seconds": round(self.seconds, 3)}


def new_run_id() -> str:
    """A run id that sorts by time (to the microsecond): merging ranks later runs first."""
    return f"run-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(3)}"


def table_files(paths: Iterable[Path]) -> list[Path]:
    """The table files named, with folders expanded to the tables directly inside them."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix.lower() in TABLE_SUFFIXES)
            if not inside:
                raise UnreadableFile(str(path), "folder holds no table files "
                                     f"({', '.join(TABLE_SUFFIXES)})")
            found.extend(inside)
        else:
            found.append(path)
    return found


def _classify(table: Table) -> bool:
    """Give the table canonical column names; return whether it holds relations."""
    mapping = {c: canonical_header(c) for c in table.columns}
    canon = list(mapping.values())
    duplicated = sorted({c for c in canon if canon.count(c) > 1})
    if duplicated:
        raise UnreadableFile(table.source, f"several columns mean {', '.join(duplicated)}")
    is_relation = "source" in canon and "target" in canon
    if is_relation and "relation" not in canon and "type" in canon:
        mapping = {h: ("relation" if c == "type" else c) for h, c in mapping.items()}
    if not is_relation and "name" not in canon:
        raise UnreadableFile(table.source, "not an entity table (needs a name column) nor a "
                             "relation table (needs source and target columns); columns: "
                             + ", ".join(table.columns))
    table.rename(mapping)
    return is_relation


Row = tuple[Any, ...]


def _as_table(rows: list[Row], schema: pa.Schema) -> pa.Table:
    columns: list[Sequence[Any]] = (list(zip(*rows, strict=True)) if rows
                                    else [[] for _ in schema])
    # pa.array is ~100x faster on a list than on the tuple zip() gives
    return pa.Table.from_arrays([pa.array(list(c), type=f.type) for c, f in
                                 zip(columns, schema, strict=True)], schema=schema)


def _with_row_path(bulk: pa.Table, others: list[int], build: Callable[[int], Row | Reject],
                   summary: LoadSummary,
                   on_reject: Callable[[int, Reject], None] | None = None) -> pa.Table:
    """``bulk`` plus the rows the row-by-row path builds for ``others``; its rejects go to
    the summary (and to ``on_reject``)."""
    rows: list[Row] = []
    for index in others:
        built = build(index)
        if isinstance(built, Reject):
            summary.rejects.append(built)
            if on_reject is not None:
                on_reject(index, built)
        else:
            rows.append(built)
    return pa.concat_tables([bulk, _as_table(rows, bulk.schema)])


# one row per record and source: several sources of one record are merged (ingest.merge)
_KEYS = {"entities": ["id", "file"], "relations": ["source", "type", "target", "file"]}


def _dedupe(parts: list[pa.Table], schema: pa.Schema, what: str,
            summary: LoadSummary) -> tuple[pa.Table, dict[str, RowRef]]:
    """The parts as one table without duplicates, and where the rejected conflicts were.

    Identical duplicates are dropped (counted unchanged); every row of a conflict is
    rejected, and its key (and an entity's name) is returned so relations to it can say so.
    Checked column-wise first: most loads have no duplicates.
    """
    table = pa.concat_tables(parts) if parts else schema.empty_table()
    keys = [pc.fill_null(table.column(c), "") for c in _KEYS[what]]
    joined = pc.binary_join_element_wise(*keys, "\x1f")
    if pc.count_distinct(joined).as_py() == table.num_rows:
        return table, {}
    at = {name: i for i, name in enumerate(schema.names)}
    rows = list(zip(*(table.column(c).to_pylist() for c in schema.names), strict=True))
    shown = [(r[0] if what == "entities" else f"{r[0]} -{r[2]}-> {r[1]}") for r in rows]
    places: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, key in enumerate(shown):
        places[(key, rows[index][at["file"]] or "")].append(index)
    drop: set[int] = set()
    rejected: dict[str, RowRef] = {}
    for (key, _), indices in places.items():
        if len(indices) == 1:
            continue
        if len({rows[i][at["chash"]] for i in indices}) == 1:
            drop.update(indices[1:])
            summary.unchanged[what] += len(indices) - 1
            continue
        refs = [RowRef(rows[i][at["file"]], rows[i][at["row"]]) for i in indices]
        where = "; ".join(f"{ref.file} row {ref.row}" for ref in refs)
        for i, ref in zip(indices, refs, strict=True):
            summary.rejects.append(Reject(ref.file, ref.row, "id", key, f"conflicting "
                                          f"duplicate: {where} describe it differently"))
            rejected[key] = ref
            if what == "entities":
                rejected[rows[i][at["name"]]] = ref
        drop.update(indices)
    return _as_table([r for i, r in enumerate(rows) if i not in drop], schema), rejected


def load_paths(store: GraphStore, paths: Sequence[Path], *, rejects_path: Path | None = None,
               progress: Progress | None = None, run_id: str | None = None,
               complete_sources: bool = True, source_names: Mapping[str, str] | None = None,
               origin: str | None = None) -> LoadSummary:
    """Read, validate and write the tables in ``paths``; see the module docstring.

    Each file (or sheet) is a source. ``complete_sources``: each file states all its source
    says, so records it stated before and states no more are withdrawn (an API write of a
    few rows passes False: it adds to what its source said). ``source_names`` names a
    file's source other than by its path (an upload by the name the client gave, not the
    server's temporary path); ``origin`` overrides the kind of source (``api``).
    """
    started = time.perf_counter()
    summary = LoadSummary(run_id=run_id or new_run_id())
    tick = progress or (lambda _phase, _n: None)
    entity_tables: list[Table] = []
    relation_tables: list[Table] = []
    for path in table_files(paths):
        summary.files.append(str(path))
        for table in read_tables(path):
            if source_names and str(path) in source_names:
                table.source = source_names[str(path)] + table.source[len(str(path)):]
            if origin:
                table.origin = origin
            (relation_tables if _classify(table) else entity_tables).append(table)
            summary.rows_read += len(table)
            tick("read", len(table))

    rejected_rows: dict[str, RowRef] = {}  # id or name of a rejected entity row -> its place
    parts: list[pa.Table] = []
    for table in entity_tables:
        extras = [c for c in table.columns if c not in KNOWN_ENTITY_COLUMNS]
        if extras:
            summary.extra_columns[table.source] = extras
        ctx, hint = entity_context(table, summary.run_id), entity_type_from(table.hint)

        def remember(index: int, reject: Reject, data: dict[str, list[str]] = table.data) -> None:
            rejected_rows.update({data[k][index]: RowRef(reject.file, reject.row)
                                  for k in ("id", "name") if k in data and data[k][index]})

        bulk, others = entity_columns(ctx, hint)  # the row path: rejects, credit codes
        parts.append(_with_row_path(bulk, others, partial(entity_row, ctx, hint=hint), summary,
                                    remember))
        tick("validate", len(table))
    entity_table, duplicates = _dedupe(parts, ENTITY_SCHEMA, "entities", summary)
    rejected_rows |= duplicates

    lookup = NameIndex.from_table(entity_table, store, rejected_rows)
    known = KnownEndpoints.of(entity_table)
    parts = []
    for table in relation_tables:
        ctx, relation_hint = relation_context(table, summary.run_id), relation_type_from(table.hint)
        bulk, others = relation_columns(ctx, relation_hint, known)  # row path: names, rejects
        parts.append(_with_row_path(
            bulk, others, partial(relation_row, ctx, hint=relation_hint, lookup=lookup),
            summary))
        tick("validate", len(table))
    relation_table, _ = _dedupe(parts, RELATION_SCHEMA, "relations", summary)

    tick("write", 0)
    # a file loaded whole withdraws what it no longer states, unless some of its rows were
    # rejected this time (a broken re-load must not take the good rows' records with it)
    refused = {r.file for r in summary.rejects}
    complete = {t.source for t in (*entity_tables, *relation_tables)
                if complete_sources and t.source not in refused}
    with store.exclusive():
        merged = merge_load(store, entity_table, relation_table, complete)
        result = store.upsert_tables(merged.entities, merged.relations,
                                     delete_entities=merged.delete_entities,
                                     delete_relations=merged.delete_relations)
    store.checkpoint()
    summary.merge = merged.report
    summary.created["entities"] += result.entities_created
    summary.updated["entities"] += result.entities_updated
    summary.unchanged["entities"] += result.entities_unchanged
    summary.created["relations"] += result.relations_created
    summary.updated["relations"] += result.relations_updated
    summary.unchanged["relations"] += result.relations_unchanged
    summary.rejected = len(summary.rejects)
    if summary.rejects and rejects_path is not None:
        write_rejects(summary.rejects, rejects_path)
        summary.rejects_path = str(rejects_path)
    summary.seconds = time.perf_counter() - started
    return summary


def write_rejects(rejects: Sequence[Reject], path: Path) -> None:
    """Write rejects as CSV (UTF-8 with BOM, so Excel shows the Chinese correctly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "column", "value", "reason"])
        for reject in sorted(rejects, key=lambda r: (r.file, r.row)):
            writer.writerow([reject.file, reject.row, reject.column, reject.value, reject.reason])
