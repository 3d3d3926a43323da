"""``ingest_documents``: read documents and queue what they say for review.

Nothing is written to the graph here: entities and relations read from text are
candidates until someone accepts them (:mod:`.review`). The queue lives beside the
embedded store (``<store folder>/review.sqlite``) or where a setting says.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.store import NEO4J_SCHEMES
from graph.store.base import GraphStore
from schema import InvalidInput

from .candidates import build_candidates
from .extract import extract_path
from .gazetteer import Gazetteer
from .queue import ReviewQueue, SyncResult

QUEUE_FILE = "review.sqlite"


def review_queue_path(store_location: str, configured: Path | None = None) -> Path:
    """Where the review queue of a store lives.

    >>> review_queue_path("/data/store").as_posix()
    '/data/store/review.sqlite'
    """
    if configured is not None:
        return configured
    if store_location.startswith(NEO4J_SCHEMES):
        raise InvalidInput("INNOGRAPH_REVIEW_DB", "must name the review queue file when the "
                           "store is a Neo4j URI")
    return Path(store_location) / QUEUE_FILE


def gazetteer_for(store: GraphStore | None) -> Gazetteer | None:
    """The store's names and aliases as a gazetteer (``None`` without a store), rebuilt only
    when the store has changed (a 100,000-entity graph takes seconds to index)."""
    if store is None:
        return None
    version = store.version()
    cached = _GAZETTEERS.get(store.location)
    if cached is not None and cached[0] == version:
        return cached[1]
    gazetteer = Gazetteer(store.name_rows())
    _GAZETTEERS[store.location] = (version, gazetteer)
    return gazetteer


# one gazetteer per store location, with the store version it was built at
_GAZETTEERS: dict[str, tuple[int, Gazetteer]] = {}


@dataclass
class DocumentSummary:
    """What reading documents into the review queue did."""

    queue: str
    documents: list[SyncResult] = field(default_factory=list)
    mentions: int = 0
    relations: int = 0
    characters: int = 0
    seconds: float = 0.0
    #: whether the model read too (:mod:`.second_reading`)
    second_reader: bool = False
    #: entity candidates accepted without review: their calibrated confidence reached the
    #: user's threshold (``auto_accept``)
    auto_accepted: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        totals = {k: sum(getattr(d, k) for d in self.documents)
                  for k in ("created", "updated", "unchanged", "obsolete")}
        return {"queue": self.queue, "documents": [d.to_json() for d in self.documents],
                "mentions": self.mentions, "relations": self.relations,
                "characters": self.characters, "candidates": totals,
                "second_reader": self.second_reader, "auto_accepted": self.auto_accepted,
                "seconds": round(self.seconds, 3)}


def ingest_documents(store: GraphStore, paths: Sequence[Path], *,
                     queue_path: Path | None = None, use_gazetteer: bool = True,
                     second_reader: bool = False, auto_accept: float | None = None
                     ) -> DocumentSummary:
    """Extract from each document and sync its candidates into the review queue.

    Every document is read and extracted before the queue is touched, so an unreadable
    file (:class:`schema.UnreadableFile`) stops the run with nothing queued.
    ``second_reader``: the model reads too, and each new organisation gets a calibrated
    confidence; ``auto_accept`` (with it): accept the pending ones whose confidence reaches
    this threshold, as a reviewer would (:func:`auto_accepted`).
    """
    if auto_accept is not None and not (second_reader and 0.5 <= auto_accept <= 1.0):
        raise InvalidInput("auto_accept", "needs the second reader, and a threshold between "
                           f"0.5 and 1 (a calibrated confidence), got {auto_accept}")
    started = time.perf_counter()
    location = review_queue_path(store.location, queue_path)
    gazetteer = gazetteer_for(store) if use_gazetteer else None
    second = None
    if second_reader:
        from .second_reading import second_reader as shipped  # numpy and the model: on demand

        second = shipped()
    extractions = [extract_path(Path(p), gazetteer, second) for p in paths]
    summary = DocumentSummary(str(location), second_reader=second_reader)
    with ReviewQueue(location) as queue:
        for extraction in extractions:
            document = extraction.document
            summary.mentions += len(extraction.mentions)
            summary.relations += len(extraction.relations)
            summary.characters += len(document.original)
            summary.documents.append(queue.sync(
                document.doc_id, document.path, document.content_hash,
                len(document.original), build_candidates(extraction)))
        if auto_accept is not None:
            summary.auto_accepted = auto_accepted(store, queue, summary.documents, auto_accept)
    summary.seconds = time.perf_counter() - started
    return summary


def auto_accepted(store: GraphStore, queue: ReviewQueue, synced: Sequence[SyncResult],
                  threshold: float) -> list[str]:
    """Accept the pending new organisations of these documents whose calibrated confidence
    reaches ``threshold``; their ids. Only entities both readers judged (a ``readers``
    field): relations and uncalibrated candidates always wait for a person."""
    wanted = {the_id for result in synced for the_id in result.ids}
    ready = [c for result in synced for c in queue.document_candidates(result.doc_id)
             if c.id in wanted and c.kind == "entity" and c.status == "pending"
             and c.data.get("readers") and c.confidence >= threshold]
    from .review import accept  # the graph write of a review decision

    for candidate in ready:
        accept(store, queue, candidate.id)
    return [c.id for c in ready]
