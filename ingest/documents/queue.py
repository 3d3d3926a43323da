"""The review queue: candidates read from documents, kept in SQLite between runs.

A candidate's id derives from its document and what it says (an entity's type and
name; a relation's type and endpoints), so re-reading a document finds the same ids:
nothing is duplicated, a corrected document updates its candidates, and pending
candidates it no longer supports become ``obsolete``. Decisions (accepted, rejected)
survive re-reading.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from schema import AlreadyDecided, EntityNotFound, IntegrityError, InvalidInput, StoreUnavailable


class CandidateStatus(StrEnum):
    """Where a candidate stands in review."""

    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"
    obsolete = "obsolete"


class CandidateKind(StrEnum):
    """What a candidate proposes."""

    entity = "entity"
    relation = "relation"
    #: a table row that may name an entity already in the graph (merge or keep apart)
    match = "match"


STATUSES = tuple(s.value for s in CandidateStatus)
KINDS = tuple(k.value for k in CandidateKind)
MAX_LIST = 1000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, content_hash TEXT NOT NULL,
    chars INTEGER NOT NULL, read_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS candidates (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
    confidence REAL NOT NULL, section TEXT NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, sentence_start INTEGER NOT NULL, sentence_end INTEGER NOT NULL,
    evidence TEXT NOT NULL, data TEXT NOT NULL, note TEXT, graph_id TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS candidates_by_status ON candidates (status, doc_id);
"""
_COLUMNS = ("id", "doc_id", "kind", "status", "confidence", "section", "start", "end",
            "sentence_start", "sentence_end", "evidence", "data", "note", "graph_id",
            "created_at", "updated_at")


def candidate_id(doc_id: str, kind: str, key: Sequence[str]) -> str:
    """Stable id of what a document says.

    >>> candidate_id("d", "entity", ["institute", "甲研究院"])
    'c:565304af063eaf33'
    """
    digest = hashlib.blake2b("\x1f".join([doc_id, kind, *key]).encode(), digest_size=8)
    return f"c:{digest.hexdigest()}"


@dataclass
class Candidate:
    """An entity or relation read from a document, or a possible match of a table row with
    an entity in the graph, waiting for (or past) review."""

    id: str
    doc_id: str
    kind: str
    confidence: float
    section: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    evidence: str
    data: dict[str, Any]
    status: str = "pending"
    note: str | None = None
    graph_id: str | None = None
    created_at: str = ""
    updated_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _COLUMNS}

    def _content(self) -> tuple[Any, ...]:
        return (self.confidence, self.section, self.start, self.end, self.sentence_start,
                self.sentence_end, self.evidence,
                json.dumps(self.data, ensure_ascii=False, sort_keys=True))


@dataclass
class SyncResult:
    """What re-reading one document changed in the queue."""

    doc_id: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    obsolete: int = 0
    document_unchanged: bool = False
    ids: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"doc": self.doc_id, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "obsolete": self.obsolete,
                "document_unchanged": self.document_unchanged}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _row(row: sqlite3.Row) -> Candidate:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["data"] = json.loads(values["data"])
    return Candidate(**values)


class ReviewQueue:
    """Candidates in a SQLite file (created on first write)."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        try:
            if read_only and path.is_file():
                self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            else:
                if not read_only:
                    path.parent.mkdir(parents=True, exist_ok=True)
                # nothing queued yet and only reading: an empty queue in memory
                self._db = sqlite3.connect(":memory:" if read_only else path, timeout=10)
                self._db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as e:
            raise StoreUnavailable(str(path), f"review queue cannot be opened: {e}") from e

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ReviewQueue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: commit on success, roll back on any error."""
        if self.read_only:
            raise StoreUnavailable(str(self.path), "review queue is open read-only")
        with self._db:
            yield self._db

    @contextmanager
    def deciding(self, candidate_id: str) -> Iterator[tuple[sqlite3.Connection, Candidate]]:
        """Hold the queue's write lock from reading a pending candidate to recording its
        decision (``BEGIN IMMEDIATE``): of two decisions on one candidate, from any thread
        or process, the second waits and then finds it decided (:class:`AlreadyDecided`).
        Record the decision with :meth:`decide` on the connection given; commit on success,
        roll back on any error (a failed graph write leaves the candidate pending)."""
        if self.read_only:
            raise StoreUnavailable(str(self.path), "review queue is open read-only")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            candidate = self.get(candidate_id)
            if candidate.status != "pending":
                raise AlreadyDecided(candidate_id, candidate.status)
            yield self._db, candidate
        except BaseException:
            self._db.rollback()
            raise
        self._db.commit()

    # -- reading ---------------------------------------------------------------------------
    def get(self, candidate_id: str) -> Candidate:
        row = self._db.execute(f"SELECT {_select()} FROM candidates WHERE id = ?",
                               (candidate_id,)).fetchone()
        if row is None:
            raise EntityNotFound(candidate_id)
        return _row(row)

    def candidates(self, *, status: str | None = "pending", doc_id: str | None = None,
             kind: str | None = None, limit: int = 100, offset: int = 0) -> list[Candidate]:
        """Candidates, kind by kind, highest confidence first."""
        if status is not None and status not in STATUSES:
            raise InvalidInput("status", f"must be one of {', '.join(STATUSES)}, got {status!r}")
        if kind is not None and kind not in KINDS:
            raise InvalidInput("kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
        if not 1 <= limit <= MAX_LIST:
            raise InvalidInput("limit", f"must be between 1 and {MAX_LIST}, got {limit}")
        if offset < 0:
            raise InvalidInput("offset", f"must be 0 or more, got {offset}")
        clauses, params = [], []
        for column, value in (("status", status), ("doc_id", doc_id), ("kind", kind)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._db.execute(
            f"SELECT {_select()} FROM candidates {where} ORDER BY kind, confidence DESC, doc_id,"
            f" start LIMIT ? OFFSET ?", (*params, limit, offset)).fetchall()
        return [_row(r) for r in rows]

    def documents(self, limit: int = MAX_LIST) -> list[dict[str, Any]]:
        """The first ``limit`` sources with candidates (a document, or a table for matches),
        by id: each id and how many candidates it has in each status."""
        if not 1 <= limit <= MAX_LIST:
            raise InvalidInput("limit", f"must be between 1 and {MAX_LIST}, got {limit}")
        found: dict[str, dict[str, int]] = {}
        for doc_id, status, count in self._db.execute(
                "SELECT doc_id, status, count(*) FROM candidates WHERE doc_id IN (SELECT "
                "DISTINCT doc_id FROM candidates ORDER BY doc_id LIMIT ?) "
                "GROUP BY doc_id, status ORDER BY doc_id", (limit,)):
            found.setdefault(doc_id, {})[status] = count
        return [{"doc": doc_id, "counts": counts} for doc_id, counts in found.items()]

    def counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT status, count(*) FROM candidates GROUP BY status")
        return {status: count for status, count in rows}

    def document_hash(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT content_hash FROM documents WHERE doc_id = ?",
                               (doc_id,)).fetchone()
        return str(row[0]) if row else None

    # -- writing ---------------------------------------------------------------------------
    def sync(self, doc_id: str, path: str, content_hash: str, chars: int,
             candidates: Sequence[Candidate]) -> SyncResult:
        """Make the queue say what this reading of the document says.

        An unchanged document is still compared candidate by candidate: the graph may have
        learnt names since (an accepted entity now resolves), which changes what it says.
        """
        result = SyncResult(doc_id, ids=[c.id for c in candidates],
                            document_unchanged=self.document_hash(doc_id) == content_hash)
        now = _now()
        with self.transaction() as db:
            stored = {c.id: c for c in self.document_candidates(doc_id)}
            for candidate in candidates:
                earlier = stored.pop(candidate.id, None)
                if earlier is not None and earlier.data.get("edited"):
                    candidate.data = earlier.data  # a reviewer's edit outlives re-reading
                if earlier is None:
                    candidate.created_at = candidate.updated_at = now
                    db.execute(f"INSERT INTO candidates ({_select()}) VALUES "
                               f"({', '.join('?' * len(_COLUMNS))})", _values(candidate))
                    result.created += 1
                elif earlier._content() == candidate._content() and earlier.status != "obsolete":
                    result.unchanged += 1
                else:
                    status = "pending" if earlier.status == "obsolete" else earlier.status
                    db.execute(
                        'UPDATE candidates SET confidence=?, section=?, start=?, "end"=?, '
                        "sentence_start=?, sentence_end=?, evidence=?, data=?, status=?, "
                        "updated_at=? WHERE id=?",
                        (*candidate._content(), status, now, candidate.id))
                    result.updated += 1
            # a relation a reviewer added is not the extractor's to withdraw
            gone = [c.id for c in stored.values()
                    if c.status == "pending" and not c.data.get("added")]
            db.executemany("UPDATE candidates SET status='obsolete', updated_at=? WHERE id=?",
                           [(now, i) for i in gone])
            result.obsolete = len(gone)
            db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?)",
                       (doc_id, path, content_hash, chars, now))
        return result

    def add(self, candidate: Candidate) -> Candidate:
        """Record a candidate a reviewer wrote (a relation the extractor missed), pending.
        The same relation added twice to one document is one candidate (409 the second
        time)."""
        candidate.created_at = candidate.updated_at = _now()
        with self.transaction() as db:
            try:
                db.execute(f"INSERT INTO candidates ({_select()}) VALUES "
                           f"({', '.join('?' * len(_COLUMNS))})", _values(candidate))
            except sqlite3.IntegrityError:
                status = self.get(candidate.id).status
                raise IntegrityError(f"candidate {candidate.id}: this relation was already "
                                     f"added to {candidate.doc_id} ({status})") from None
        return self.get(candidate.id)

    def decide(self, db: sqlite3.Connection, candidate_id: str, status: str,
               note: str | None = None, graph_id: str | None = None) -> None:
        """Record a decision inside an open :meth:`transaction`."""
        db.execute("UPDATE candidates SET status=?, note=coalesce(?, note), graph_id=?, "
                   "updated_at=? WHERE id=?", (status, note, graph_id, _now(), candidate_id))

    def save_data(self, db: sqlite3.Connection, candidate: Candidate) -> None:
        """Store an edited candidate's data inside an open :meth:`transaction`."""
        db.execute("UPDATE candidates SET data=?, note=?, updated_at=? WHERE id=?",
                   (json.dumps(candidate.data, ensure_ascii=False, sort_keys=True),
                    candidate.note, _now(), candidate.id))

    def document_candidates(self, doc_id: str) -> list[Candidate]:
        """Every candidate of one document, whatever its status (no limit)."""
        rows = self._db.execute(f"SELECT {_select()} FROM candidates WHERE doc_id = ?",
                                (doc_id,)).fetchall()
        return [_row(r) for r in rows]


def _select() -> str:
    return ", ".join(f'"{c}"' for c in _COLUMNS)


def _values(candidate: Candidate) -> tuple[Any, ...]:
    values = candidate.to_json()
    values["data"] = json.dumps(candidate.data, ensure_ascii=False, sort_keys=True)
    return tuple(values[c] for c in _COLUMNS)
