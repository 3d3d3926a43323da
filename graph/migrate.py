"""Copy a whole graph from one store to another (embedded ↔ Neo4j, or any two stores).

The copy goes in batches through the store contract: entities first (so every relation
finds its endpoints), then relations, then analytics scores. After each batch a small JSON
checkpoint records how far it got and a digest of the ids copied, in order; run the same
migration again after an interruption and it carries on from there. The contract does not
order relations, so a source that lists them in another order the second time (the ids it
skips do not match the digest) has them copied again from the start: upserts are idempotent,
so that costs reads, never a wrong copy. At the end the destination's content hash must equal the source's,
otherwise :class:`schema.IntegrityError` is raised.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from schema import Entity, IntegrityError, InvalidInput, Relation

from .store.base import GraphStore

T = TypeVar("T")
#: ``progress(phase, done, total)`` after every batch; phase is entities, relations or scores
Progress = Callable[[str, int, int], None]


@dataclass
class MigrationState:
    """What a checkpoint file holds: which migration, and how far it got."""

    source: str
    destination: str
    source_hash: str
    entities_done: int = 0
    relations_done: int = 0
    scores_done: int = 0
    #: per phase, the digest of the ids copied in order (checks that the source's order held)
    digests: dict[str, str] = field(default_factory=dict)


@dataclass
class MigrationReport:
    """What one run of :func:`migrate` did."""

    source: str
    destination: str
    entities: int
    relations: int
    scores: int
    content_hash: str
    #: ``(entities, relations, scores)`` already copied by an earlier, interrupted run
    resumed_from: tuple[int, int, int] = (0, 0, 0)
    already_identical: bool = False
    seconds: float = 0.0
    written: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "resumed_from": list(self.resumed_from)}


def migrate(source: GraphStore, destination: GraphStore, checkpoint: Path, *,
            batch_size: int = 5000, progress: Progress | None = None) -> MigrationReport:
    """Copy everything in ``source`` into ``destination`` (empty, or the target of an
    interrupted run recorded in ``checkpoint``) and verify the content hashes.

    The checkpoint is removed once the copy is verified. The source must not change while
    it is copied (its content hash is part of the checkpoint: a changed source starts over).
    """
    if not 1 <= batch_size <= 100_000:
        raise InvalidInput("batch_size", f"must be between 1 and 100000, got {batch_size}")
    if source.location == destination.location and source.kind == destination.kind:
        raise InvalidInput("--to", f"source and destination are the same store "
                                   f"({source.location})")
    started = time.perf_counter()
    expected = source.stats()
    state = _resume(checkpoint, source, destination, expected.content_hash)
    report = MigrationReport(source.location, destination.location, expected.entities,
                             expected.relations, 0, expected.content_hash,
                             resumed_from=(state.entities_done, state.relations_done,
                                           state.scores_done) if state else (0, 0, 0))
    if state is None:
        current = destination.stats()
        if current.content_hash == expected.content_hash:
            report.already_identical = True
            report.seconds = time.perf_counter() - started
            return report
        if current.entities:
            raise InvalidInput("--to", f"{destination.location} already holds "
                                       f"{current.entities} entities; migrate copies into an "
                                       "empty store (a new folder, or an emptied database)")
        state = MigrationState(source.location, destination.location, expected.content_hash)
        _save(checkpoint, state)
    tick = progress or (lambda _phase, _done, _total: None)

    def copy(phase: str, records: Callable[[], Iterable[T]], key: Callable[[T], str],
             total: int, write: Callable[[list[T]], None]) -> int:
        """Copy the records not yet copied; return how many this run wrote."""
        done: int = getattr(state, f"{phase}_done")
        stream = iter(records())
        digest = hashlib.sha256()
        skipped = 0
        for record in islice(stream, done):
            _add(digest, key(record))
            skipped += 1
        if done and (skipped != done or digest.hexdigest() != state.digests.get(phase)):
            # another order than before: copy them all again
            stream, done, digest = iter(records()), 0, hashlib.sha256()
        written = 0
        for batch in _batches(stream, batch_size):
            write(batch)
            done += len(batch)
            written += len(batch)
            for record in batch:
                _add(digest, key(record))
            setattr(state, f"{phase}_done", done)
            state.digests[phase] = digest.hexdigest()
            _save(checkpoint, state)
            tick(phase, done, total)
        return written

    report.written["entities"] = copy(
        "entities", lambda: source.iter_entities(batch_size), _id, expected.entities,
        lambda batch: _ignore(destination.upsert(batch, [])))
    report.written["relations"] = copy(
        "relations", lambda: source.iter_relations(batch_size), _id, expected.relations,
        lambda batch: _ignore(destination.upsert([], batch)))
    scores = sorted(source.read_scores().items())
    report.scores = len(scores)
    report.written["scores"] = copy(
        "scores", lambda: scores, lambda item: item[0], len(scores),
        lambda batch: _ignore(destination.write_scores(dict(batch))))
    destination.checkpoint()
    _verify(destination, expected.content_hash, checkpoint)
    report.seconds = time.perf_counter() - started
    return report


def _ignore(_: object) -> None:
    return None


def _id(record: Entity | Relation) -> str:
    return record.id


def _add(digest: Any, record_id: str) -> None:
    digest.update(record_id.encode())
    digest.update(b"\n")


def _batches(records: Iterator[T], size: int) -> Iterator[list[T]]:
    while batch := list(islice(records, size)):
        yield batch


def _resume(checkpoint: Path, source: GraphStore, destination: GraphStore,
            source_hash: str) -> MigrationState | None:
    """The state of an interrupted run of this same migration, if there is one."""
    if not checkpoint.exists():
        return None
    try:
        state = MigrationState(**json.loads(checkpoint.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as e:
        raise InvalidInput(str(checkpoint), f"not a migration checkpoint ({e}); delete it to "
                                            "start over") from e
    if (state.source, state.destination) != (source.location, destination.location):
        raise InvalidInput(str(checkpoint), f"belongs to the migration {state.source} → "
                                            f"{state.destination}; use another checkpoint path")
    if state.source_hash != source_hash:
        # the source changed since the interrupted run: what was copied may be stale
        raise InvalidInput(str(checkpoint), "the source changed since this migration was "
                                            "interrupted; empty the destination and delete "
                                            "the checkpoint to start over")
    return state


def _save(checkpoint: Path, state: MigrationState) -> None:
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    partial = checkpoint.with_name(checkpoint.name + ".tmp")
    partial.write_text(json.dumps(asdict(state), ensure_ascii=False), encoding="utf-8")
    os.replace(partial, checkpoint)  # never a half-written checkpoint


def _verify(destination: GraphStore, expected: str, checkpoint: Path) -> None:
    got = destination.stats().content_hash
    if got != expected:
        raise IntegrityError(f"migration to {destination.location} does not verify: content "
                             f"hash {got[:16]}… differs from the source's {expected[:16]}…; "
                             f"the checkpoint {checkpoint} is kept for inspection")
    checkpoint.unlink(missing_ok=True)
