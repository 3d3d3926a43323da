"""Load tables into a store: read everything, validate, diff, write once.

Nothing is written until every file has been read and every row checked, and the
write itself is all or nothing (``GraphStore.upsert_tables``), so a bad file or a failure
mid-way leaves the store as it was. Every row ends up counted exactly once:
``rows_read == created + updated + unchanged + rejected``.
"""

from __future__ import annotations

import contextlib
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
from schema import EntityType, InnographError, UnreadableFile, entity_id, normalise_name
from schema.tables import ENTITY_SCHEMA, RELATION_SCHEMA

from .columns import entity_type_from, relation_type_from
from .entity_columns import entity_columns
from .far_ends import add_far_ends
from .load_options import ORIGIN_OF_SHAPE, LoadOptions, QueueReport, preview_write, queue_variants
from .merge import MergeReport, merge_load
from .readers import TABLE_SUFFIXES, Table
from .relation_columns import KnownEndpoints, relation_columns
from .resolution import Variant, remap, resolve_entities
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
from .shapes.grid import GRID_SUFFIXES
from .shapes.model import Explanation
from .shapes.read import shape_file

#: every table file a load reads: spreadsheets, CSV and innograph's JSON forms
LOADABLE = tuple(dict.fromkeys((*TABLE_SUFFIXES, *GRID_SUFFIXES)))
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
    #: how each sheet was read (shape, header row, columns, type and why, skipped rows)
    sources: list[Explanation] = field(default_factory=list)
    #: incoming ids resolved to stored entities, and why (credit code, name or alias)
    resolved: dict[str, str] = field(default_factory=dict)
    #: likely variants of stored entities: loaded apart, proposed for review
    variants: list[Variant] = field(default_factory=list)
    queued: QueueReport | None = None
    dry_run: bool = False

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
                "dry_run": self.dry_run, "sources": [e.to_json() for e in self.sources],
                "resolved": self.resolved,
                "review_candidates": [v.__dict__ for v in self.variants[:max_rejects]],
                "queued": self.queued.to_json() if self.queued else None,
                "seconds": round(self.seconds, 3)}


def new_run_id() -> str:
    """A run id that sorts by time (to the microsecond): merging ranks later runs first."""
    return f"run-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(3)}"


def table_files(paths: Iterable[Path]) -> list[Path]:
    """The table files named, with folders expanded to the tables directly inside them."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix.lower() in LOADABLE)
            if not inside:
                raise UnreadableFile(str(path), "folder holds no table files "
                                     f"({', '.join(LOADABLE)})")
            found.extend(inside)
        else:
            found.append(path)
    return found


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
               origin: str | None = None, options: LoadOptions | None = None) -> LoadSummary:
    """Read, validate and write the tables in ``paths``; see the module docstring.

    Each file (or sheet) is a source. ``complete_sources``: each file states all its source
    says, so records it stated before and states no more are withdrawn (an API write of a
    few rows passes False: it adds to what its source said). ``source_names`` names a
    file's source other than by its path (an upload by the name the client gave, not the
    server's temporary path); ``origin`` overrides the kind of source (``api``).
    ``options``: the entity type, mapping profile, read limits, review queue and dry run.
    """
    started = time.perf_counter()
    chosen = options or LoadOptions()
    summary = LoadSummary(run_id=run_id or new_run_id(), dry_run=chosen.dry_run)
    tick = progress or (lambda _phase, _n: None)
    read = _read_sources(paths, summary, source_names or {}, origin, chosen, tick)

    rejected_rows: dict[str, RowRef] = {}  # id or name of a rejected entity row -> its place
    entity_table = _entity_rows(read.entities, summary, rejected_rows, tick)
    entity_table, duplicates = _dedupe([entity_table], ENTITY_SCHEMA, "entities", summary)
    rejected_rows |= duplicates
    mention_rejects = len(summary.rejects)
    mentions = _entity_rows(read.mentions, summary, rejected_rows, tick)
    summary.rows_read += len(summary.rejects) - mention_rejects  # rejected mentions count

    stored_ids = set(store.entity_hashes(entity_table.column("id").to_pylist()))
    resolution = resolve_entities(store, entity_table, stored_ids)
    entity_table = remap(entity_table, ["id"], resolution.mapped)
    entity_table, created_mentions = add_far_ends(store, entity_table, mentions, resolution)
    summary.rows_read += created_mentions
    summary.resolved = dict(resolution.reasons)
    summary.variants = resolution.variants

    lookup = NameIndex.from_table(entity_table, store, rejected_rows)
    known = KnownEndpoints.of(entity_table)
    parts = []
    for table in read.relations:
        _remap_table(table, resolution.mapped)
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
    complete = {t.source for t in (*read.entities, *read.relations)
                if complete_sources and t.source not in refused}
    summary.rejected = len(summary.rejects)
    with store.exclusive():
        merged = merge_load(store, entity_table, relation_table, complete)
        summary.merge = merged.report
        if chosen.dry_run:
            result = preview_write(store, merged.entities, merged.relations)
        else:
            result = store.upsert_tables(merged.entities, merged.relations,
                                         delete_entities=merged.delete_entities,
                                         delete_relations=merged.delete_relations)
    if not chosen.dry_run:
        store.checkpoint()
        summary.queued = queue_variants(chosen.review_queue, resolution.variants,
                                        {t.source for t in read.entities})
    for what in ("entities", "relations"):
        summary.created[what] += getattr(result, f"{what}_created")
        summary.updated[what] += getattr(result, f"{what}_updated")
        summary.unchanged[what] += getattr(result, f"{what}_unchanged")
    if summary.rejects and rejects_path is not None and not chosen.dry_run:
        write_rejects(summary.rejects, rejects_path)
        summary.rejects_path = str(rejects_path)
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass
class _Read:
    entities: list[Table] = field(default_factory=list)
    mentions: list[Table] = field(default_factory=list)
    relations: list[Table] = field(default_factory=list)


def _read_sources(paths: Sequence[Path], summary: LoadSummary, names: Mapping[str, str],
                  origin: str | None, options: LoadOptions, tick: Progress) -> _Read:
    """Every sheet of every file as canonical tables, each named by its source."""
    read = _Read()
    for path in table_files(paths):
        summary.files.append(str(path))
        given = str(path)
        # a file's source is its absolute path (the same file loaded from another folder
        # is the same source), or the name its uploader gave it
        shown = names.get(given) or str(path.resolve())
        for shaped in shape_file(path, entity_type=options.entity_type,
                                 profile=options.profile, limits=options.limits):
            explanation = shaped.explanation
            kind = origin or ORIGIN_OF_SHAPE.get(explanation.shape, "table")
            for tables, into in ((shaped.entities, read.entities),
                                 (shaped.mentions, read.mentions),
                                 (shaped.relations, read.relations)):
                for table in tables:
                    table.source = _renamed(table.source, given, shown)
                    table.origin = kind
                    into.append(table)
                    if into is not read.mentions:
                        summary.rows_read += len(table)
                        tick("read", len(table))
            explanation.source = _renamed(explanation.source, given, shown)
            summary.rejects.extend(Reject(_renamed(r.file, given, shown), r.row, r.column,
                                          r.value, r.reason) for r in shaped.rejects)
            summary.rows_read += len(shaped.rejects)
            summary.sources.append(explanation)
    return read


def _renamed(source: str, given: str, shown: str) -> str:
    """``source`` (a path as given, maybe with ``#sheet``) under the source's name."""
    return shown + source[len(given):] if source.startswith(given) else source


def _entity_rows(tables: list[Table], summary: LoadSummary, rejected_rows: dict[str, RowRef],
                 tick: Progress) -> pa.Table:
    parts: list[pa.Table] = []
    for table in tables:
        extras = [c for c in table.columns if c not in KNOWN_ENTITY_COLUMNS]
        if extras:
            summary.extra_columns[table.source] = extras
        ctx, hint = entity_context(table, summary.run_id), entity_type_from(table.hint)

        def remember(index: int, reject: Reject, data: dict[str, list[str]] = table.data,
                     hint: EntityType | None = hint) -> None:
            ref = RowRef(reject.file, reject.row)
            rejected_rows.update({key: ref for key in _row_keys(data, index, hint)})

        bulk, others = entity_columns(ctx, hint)  # the row path: rejects, credit codes
        parts.append(_with_row_path(bulk, others, partial(entity_row, ctx, hint=hint), summary,
                                    remember))
        tick("validate", len(table))
    return pa.concat_tables(parts) if parts else ENTITY_SCHEMA.empty_table()


def _row_keys(data: dict[str, list[str]], index: int, hint: EntityType | None) -> set[str]:
    """Every way a relation of the same load may name an entity row: its id, its name, and
    the ids the row would have had (by type and name, and by credit code when it is valid),
    so a relation to a rejected row says that row was rejected."""
    cell = {k: data[k][index] for k in ("id", "name", "type", "credit_code") if k in data}
    keys = {v for k, v in cell.items() if k in ("id", "name") and v}
    entity_type = entity_type_from(cell["type"]) if cell.get("type") else hint
    if entity_type is not None and cell.get("name"):
        name = normalise_name(cell["name"])
        keys.add(entity_id(entity_type, name))
        with contextlib.suppress(InnographError):
            keys.add(entity_id(entity_type, name, cell.get("credit_code") or None))
    return keys


def _remap_table(table: Table, mapped: dict[str, str]) -> None:
    for column in ("source", "target"):
        if mapped and column in table.data:
            table.data[column] = [mapped.get(v, v) for v in table.data[column]]


def write_rejects(rejects: Sequence[Reject], path: Path) -> None:
    """Write rejects as CSV (UTF-8 with BOM, so Excel shows the Chinese correctly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "column", "value", "reason"])
        for reject in sorted(rejects, key=lambda r: (r.file, r.row)):
            writer.writerow([reject.file, reject.row, reject.column, reject.value, reject.reason])
