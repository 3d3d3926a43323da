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

    def to_json(self) -> dict[str, Any]:
        totals = {k: sum(getattr(d, k) for d in self.documents)
                  for k in ("created", "updated", "unchanged", "obsolete")}
        return {"queue": self.queue, "documents": [d.to_json() for d in self.documents],
                "mentions": self.mentions, "relations": self.relations,
                "characters": self.characters, "candidates": totals,
                "seconds": round(self.seconds, 3)}


def ingest_documents(store: GraphStore, paths: Sequence[Path], *,
                     queue_path: Path | None = None, use_gazetteer: bool = True
                     ) -> DocumentSummary:
    """Extract from each document and sync its candidates into the review queue.

    Every document is read and extracted before the queue is touched, so an unreadable
    file (:class:`schema.UnreadableFile`) stops the run with nothing queued.
    """
    started = time.perf_counter()
    location = review_queue_path(store.location, queue_path)
    gazetteer = gazetteer_for(store) if use_gazetteer else None
    extractions = [extract_path(Path(p), gazetteer) for p in paths]
    summary = DocumentSummary(str(location))
    with ReviewQueue(location) as queue:
        for extraction in extractions:
            document = extraction.document
            summary.mentions += len(extraction.mentions)
            summary.relations += len(extraction.relations)
            summary.characters += len(document.original)
            summary.documents.append(queue.sync(
                document.doc_id, document.path, document.content_hash,
                len(document.original), build_candidates(extraction)))
    summary.seconds = time.perf_counter() - started
    return summary
