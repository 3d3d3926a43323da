"""Load tables into a store: read everything, validate, diff, write once.

Nothing is written until every file has been read and every row checked, and the
write itself is all or nothing (``GraphStore.upsert_tables``), so a bad file or a failure
mid-way leaves the store as it was. Every row ends up counted exactly once:
``rows_read == created + updated + unchanged + rejected``.
"""

from __future__ import annotations

import csv
import json
import secrets
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa

from graph.store.base import GraphStore
from graph.store.row_keys import all_distinct
from schema import UnreadableFile
from schema.history import HISTORY_RELATIONS
from schema.records import canonical_json
from schema.tables import ENTITY_SCHEMA, RELATION_SCHEMA

from .arrow_memory import lean_arrow_memory
from .far_ends import add_far_ends
from .load_options import ORIGIN_OF_SHAPE, LoadOptions, QueueReport, preview_write, queue_variants
from .merge import MergeReport, merge_load
from .readers import TABLE_SUFFIXES, Table
from .relation_columns import KnownEndpoints
from .resolution import Variant, remap, resolve_entities
from .resolver import NameIndex
from .rows import Reject, RowRef
from .shapes.grid import GRID_SUFFIXES
from .shapes.model import Explanation
from .shapes.read import shape_file
from .validate import Progress, as_table, entity_rows, relation_rows

#: every table file a load reads: spreadsheets, CSV and innograph's JSON forms
LOADABLE = tuple(dict.fromkeys((*TABLE_SUFFIXES, *GRID_SUFFIXES)))


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
    if all_distinct(table, _KEYS[what]):  # compared as numbers, not a string per row
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
        if what == "relations" and _history_rows([rows[i] for i in indices], at):
            # one tie seen in several years: the merge sums the rows' years (schema.history)
            first_of: dict[str, int] = {}
            for i in indices:
                first_of.setdefault(rows[i][at["chash"]], i)
            drop.update(set(indices) - set(first_of.values()))
            summary.unchanged[what] += len(indices) - len(first_of)
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
    return as_table([r for i, r in enumerate(rows) if i not in drop], schema), rejected


#: what rows of one tie may differ in and still be one statement of its history
_HISTORY_COLUMNS = ("year", "props", "row", "chash")


def _history_rows(rows: list[tuple[Any, ...]], at: dict[str, int]) -> bool:
    """Whether duplicate relation rows state one tie in several years: a relation type that
    keeps a history, and rows that differ in ``year`` or ``years`` only."""
    if rows[0][at["type"]] not in HISTORY_RELATIONS:
        return False

    def rest(row: tuple[Any, ...]) -> tuple[Any, ...]:
        props = json.loads(row[at["props"]] or "{}")
        props.pop("years", None)
        others = tuple(row[i] for name, i in at.items() if name not in _HISTORY_COLUMNS)
        return (*others, canonical_json(props))

    return len({rest(r) for r in rows}) == 1


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
    with lean_arrow_memory():  # freed batches go back to the system (a load's peak)
        return _load(store, paths, rejects_path=rejects_path, progress=progress,
                     run_id=run_id, complete_sources=complete_sources,
                     source_names=source_names, origin=origin, options=options)


def _load(store: GraphStore, paths: Sequence[Path], *, rejects_path: Path | None,
          progress: Progress | None, run_id: str | None, complete_sources: bool,
          source_names: Mapping[str, str] | None, origin: str | None,
          options: LoadOptions | None) -> LoadSummary:
    started = time.perf_counter()
    chosen = options or LoadOptions()
    summary = LoadSummary(run_id=run_id or new_run_id(), dry_run=chosen.dry_run)
    tick = progress or (lambda _phase, _n: None)
    read = _read_sources(paths, summary, source_names or {}, origin, chosen, tick)

    rejected_rows: dict[str, RowRef] = {}  # id or name of a rejected entity row -> its place
    entity_sources = {t.source for t in read.entities}
    loaded_sources = entity_sources | {t.source for t in read.relations}
    validate = partial(entity_rows, run=summary.run_id, rejects=summary.rejects,
                       rejected_rows=rejected_rows, extra_columns=summary.extra_columns,
                       batch_rows=chosen.batch_rows, tick=tick)
    entity_table = validate(read.entities)
    read.entities.clear()  # their cells are rows of entity_table now
    entity_table, duplicates = _dedupe([entity_table], ENTITY_SCHEMA, "entities", summary)
    rejected_rows |= duplicates
    mention_rejects = len(summary.rejects)
    mentions = validate(read.mentions)
    read.mentions.clear()
    summary.rows_read += len(summary.rejects) - mention_rejects  # rejected mentions count

    empty_store = store.counts().entities == 0  # then nothing needs looking up in it
    stored_ids = set() if empty_store else set(
        store.entity_hashes(entity_table.column("id").to_pylist()))
    resolution = resolve_entities(store, entity_table, stored_ids)
    entity_table = remap(entity_table, ["id"], resolution.mapped)
    entity_table, created_mentions = add_far_ends(store, entity_table, mentions, resolution)
    summary.rows_read += created_mentions
    summary.resolved = dict(resolution.reasons)
    summary.variants = resolution.variants

    lookup = NameIndex.from_table(entity_table, store, rejected_rows)
    parts = relation_rows(read.relations, summary.run_id, summary.rejects, lookup,
                          KnownEndpoints.of(entity_table), resolution.mapped,
                          chosen.batch_rows, tick)
    relation_table, _ = _dedupe(parts, RELATION_SCHEMA, "relations", summary)
    del parts

    tick("write", 0)
    # a file loaded whole withdraws what it no longer states, unless some of its rows were
    # rejected this time (a broken re-load must not take the good rows' records with it)
    refused = {r.file for r in summary.rejects}
    complete = {source for source in loaded_sources
                if complete_sources and source not in refused}
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
                                        entity_sources)
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


def write_rejects(rejects: Sequence[Reject], path: Path) -> None:
    """Write rejects as CSV (UTF-8 with BOM, so Excel shows the Chinese correctly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "column", "value", "reason"])
        for reject in sorted(rejects, key=lambda r: (r.file, r.row)):
            writer.writerow([reject.file, reject.row, reject.column, reject.value, reject.reason])
