"""What a load may be told (type, profile, limits, review queue, dry run), the kind of
source each detected shape is, and the two things a load does besides writing: a preview
of the write (``--dry-run``) and queueing likely matches for review."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from graph.store.base import GraphStore, WriteResult

from .documents.queue import Candidate, ReviewQueue, SyncResult, candidate_id
from .resolution import VARIANT_CONFIDENCE, Variant
from .shapes.limits import DEFAULT_LIMITS, ReadLimits
from .shapes.profile import Profile
from .validate import BATCH_ROWS

#: the kind of source (``schema.claims.KIND_RANK``) each shape is: it decides precedence
ORIGIN_OF_SHAPE: dict[str, str] = {
    "generic_entities": "table", "generic_relations": "table",
    "government_list": "list", "projects": "list",
    "registry_companies": "registry", "registry_shareholders": "registry",
    "registry_investments": "registry", "patents": "patent",
}


@dataclass(frozen=True)
class LoadOptions:
    """Everything about a load besides its files (all optional)."""

    entity_type: str | None = None          # --type: overrides detection
    profile: Profile | None = None          # --profile FILE.yaml
    limits: ReadLimits = DEFAULT_LIMITS
    review_queue: Path | None = None        # where likely matches go for review
    dry_run: bool = False                   # read, resolve, merge, count; write nothing
    #: rows of a table turned into Python objects at once (bounds a load's memory)
    batch_rows: int = BATCH_ROWS

    def __post_init__(self) -> None:
        if self.batch_rows < 1:
            raise ValueError(f"batch_rows must be at least 1, not {self.batch_rows}")


@dataclass
class QueueReport:
    """Match candidates a load put in the review queue: the queue's own sync result of each
    source that proposed any (or had proposed some before), summed."""

    path: str
    synced: list[SyncResult] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        totals = {what: sum(getattr(r, what) for r in self.synced)
                  for what in ("created", "updated", "unchanged", "obsolete")}
        return {"path": self.path, **totals}


def preview_write(store: GraphStore, entities: pa.Table, relations: pa.Table) -> WriteResult:
    """What ``upsert_tables`` would count, without writing (``--dry-run``)."""
    result = WriteResult()
    stored = store.entity_hashes(entities.column("id").to_pylist())
    for the_id, chash in zip(entities.column("id").to_pylist(),
                             entities.column("chash").to_pylist(), strict=True):
        old = stored.get(the_id)
        if old is None:
            result.entities_created += 1
        elif old == chash:
            result.entities_unchanged += 1
        else:
            result.entities_updated += 1
    keys = list(zip(*(relations.column(c).to_pylist() for c in ("source", "type", "target")),
                    strict=True))
    found = store.relations_between(keys) if keys else {}
    for key, chash in zip(keys, relations.column("chash").to_pylist(), strict=True):
        old_relation = found.get(key)
        if old_relation is None:
            result.relations_created += 1
        elif old_relation.content_hash() == chash:
            result.relations_unchanged += 1
        else:
            result.relations_updated += 1
    return result


def queue_variants(queue_path: Path | None, variants: list[Variant],
                   sources: Iterable[str]) -> QueueReport | None:
    """Put likely matches in the review queue, one queue document per source; a source's
    earlier proposals it no longer makes become obsolete, decisions stay."""
    if queue_path is None:
        return None
    by_source: dict[str, list[Variant]] = {}
    for variant in variants:
        by_source.setdefault(variant.source, []).append(variant)
    report = QueueReport(str(queue_path))
    with ReviewQueue(queue_path) as queue:
        for source in sorted(set(sources) | set(by_source)):
            found = by_source.get(source, [])
            if not found and queue.document_hash(source) is None:
                continue  # never proposed anything: leave the queue alone
            candidates = [Candidate(
                id=candidate_id(source, "match", [v.incoming_id, v.existing_id]),
                doc_id=source, kind="match", confidence=VARIANT_CONFIDENCE,
                section=source.rpartition("#")[2] if "#" in source else "",
                start=v.row, end=v.row, sentence_start=v.row, sentence_end=v.row,
                evidence=f"{v.incoming_name} (row {v.row}) ⟷ {v.existing_name} (in the graph)",
                data={"incoming": {"id": v.incoming_id, "name": v.incoming_name,
                                   "type": v.type},
                      "existing": {"id": v.existing_id, "name": v.existing_name,
                                   "type": v.type},
                      "reason": v.reason}) for v in found]
            digest = hashlib.blake2b("\n".join(sorted(c.id for c in candidates)).encode(),
                                     digest_size=8).hexdigest()
            report.synced.append(queue.sync(source, source, digest, 0, candidates))
    return report
