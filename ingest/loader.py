"""Load tables into a store: read everything, validate, diff, write once.

Nothing is written until every file has been read and every row checked, and
the write itself is one transaction, so a bad file or a failure mid-way leaves
the store as it was. Every row ends up counted exactly once:
``rows_read == created + updated + unchanged + rejected``.
"""

from __future__ import annotations

import csv
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.store.base import GraphStore
from schema import Entity, Relation, UnreadableFile
from schema.properties import ENTITY_PROPS

from .columns import ENTITY_CORE, PROVENANCE, canonical_header, entity_type_from, relation_type_from
from .readers import TABLE_SUFFIXES, Table, read_tables
from .resolver import NameIndex
from .rows import Reject, RowRef, build_entity, build_relation

_KNOWN_ENTITY_COLUMNS = frozenset(ENTITY_CORE) | frozenset(PROVENANCE) | {
    name for model in ENTITY_PROPS.values() for name in model.model_fields}

#: progress hook: (phase description, rows done in this call)
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

    @property
    def accounted(self) -> int:
        return (sum(self.created.values()) + sum(self.updated.values())
                + sum(self.unchanged.values()) + self.rejected)

    def to_json(self, max_rejects: int = 50) -> dict[str, Any]:
        return {"run_id": self.run_id, "files": self.files, "rows_read": self.rows_read,
                "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "rejects_path": self.rejects_path,
                "rejects": [r.to_json() for r in self.rejects[:max_rejects]],
                "extra_columns": self.extra_columns, "seconds": round(self.seconds, 3)}


def new_run_id() -> str:
    return f"run-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


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


@dataclass
class _Prepared:
    table: Table
    is_relation: bool


def _prepare(table: Table) -> _Prepared:
    mapping = {h: canonical_header(h) for h in table.columns if h}
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
    table.rows = [{mapping[k]: v for k, v in row.items() if k in mapping} for row in table.rows]
    table.columns = [mapping[h] for h in table.columns if h]
    return _Prepared(table, is_relation)


def _dedupe(records: list[tuple[Any, RowRef]], what: str,
            summary: LoadSummary) -> tuple[list[Any], dict[str, RowRef]]:
    """Collapse identical duplicates (counted unchanged); reject every row of a conflict."""
    groups: dict[str, list[tuple[Any, RowRef]]] = defaultdict(list)
    for record, ref in records:
        groups[record.id].append((record, ref))
    kept, rejected = [], {}
    for the_id, group in groups.items():
        if len(group) == 1 or len({record.content_hash() for record, _ in group}) == 1:
            kept.append(group[0][0])
            summary.unchanged[what] += len(group) - 1
            continue
        places = "; ".join(f"{ref.file} row {ref.row}" for _, ref in group)
        for record, ref in group:
            summary.rejects.append(Reject(ref.file, ref.row, "id", the_id,
                                          f"conflicting duplicate: {places} describe this "
                                          f"{what[:-1] if what.endswith('s') else what} "
                                          "differently"))
            rejected[the_id] = ref
            if what == "entities":
                rejected[record.name] = ref
    return kept, rejected


def load_paths(store: GraphStore, paths: Sequence[Path], *, rejects_path: Path | None = None,
               progress: Progress | None = None, run_id: str | None = None) -> LoadSummary:
    """Read, validate and write the tables in ``paths``; see the module docstring."""
    started = time.perf_counter()
    summary = LoadSummary(run_id=run_id or new_run_id())
    tick = progress or (lambda _phase, _n: None)
    prepared = []
    for path in table_files(paths):
        summary.files.append(str(path))
        for table in read_tables(path):
            prepared.append(_prepare(table))
            tick("read", len(table.rows))
    ingest = {"run": summary.run_id}
    entity_records: list[tuple[Entity, RowRef]] = []
    rejected_rows: dict[str, RowRef] = {}  # name or id of a rejected row -> where it was
    for item in (p for p in prepared if not p.is_relation):
        table = item.table
        hint = entity_type_from(table.hint)
        extras = [c for c in table.columns if c not in _KNOWN_ENTITY_COLUMNS]
        if extras:
            summary.extra_columns[table.source] = extras
        for index, row in enumerate(table.rows):
            ref = RowRef(table.source, table.row_number(index))
            built = build_entity(row, ref, hint, ingest)
            if isinstance(built, Reject):
                summary.rejects.append(built)
                rejected_rows.update({row[k]: ref for k in ("id", "name") if row.get(k)})
            else:
                entity_records.append((built, ref))
        summary.rows_read += len(table.rows)
        tick("validate", len(table.rows))
    entities, rejected_refs = _dedupe(entity_records, "entities", summary)
    lookup = NameIndex(entities, store, rejected_rows | rejected_refs)
    relation_records: list[tuple[Relation, RowRef]] = []
    for item in (p for p in prepared if p.is_relation):
        table = item.table
        relation_hint = relation_type_from(table.hint)
        for index, row in enumerate(table.rows):
            ref = RowRef(table.source, table.row_number(index))
            built_rel = build_relation(row, ref, relation_hint, lookup, ingest)
            if isinstance(built_rel, Reject):
                summary.rejects.append(built_rel)
            else:
                relation_records.append((built_rel, ref))
        summary.rows_read += len(table.rows)
        tick("validate", len(table.rows))
    relations, _ = _dedupe(relation_records, "relations", summary)
    tick("write", 0)
    result = store.upsert(entities, relations)
    store.checkpoint()
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
