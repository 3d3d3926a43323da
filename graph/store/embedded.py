"""The embedded backend: LadybugDB, a Cypher graph database kept in a folder on disk.

This module opens the database (and reopens it when another process wrote), hands out
connections, and holds the writes other than upserts: deletes, scores, checkpoints. The
reads are in :mod:`graph.store.embedded_reads`, the upserts (diff against what is stored,
then bulk ``COPY``) in :mod:`graph.store.embedded_upserts`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ladybug

from schema import (
    RelationType,
    StoreError,
    StoreInUse,
    StoreUnavailable,
    relation_id,
)

from . import ladybug_queries as q
from .embedded_generations import Generation, Lease
from .embedded_upserts import UPDATE_BATCH, EmbeddedUpserts, writes
from .ladybug_encoding import Sources
from .records import Scores

DB_FILE = "graph.lbug"
#: how long a read-only store waits before trying again to open a writer's files that were
#: not ready (each attempt touches the writer's files; a load must not be slowed by them)
REOPEN_BACKOFF_S = 1.0
_LOCK_HELD = re.compile(r"Lock is held by PID (\d+)")


class EmbeddedStore(EmbeddedUpserts):
    """LadybugDB store in ``path`` (a folder; created on first write).

    The reads are in :class:`~graph.store.embedded_reads.EmbeddedReads`, the upserts in
    :class:`~graph.store.embedded_upserts.EmbeddedUpserts`; this class opens the database,
    hands out connections and does the other writes.
    """

    kind = "embedded"

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False,
                 buffer_pool_mb: int = 1024, read_timeout_ms: int | None = None) -> None:
        self.path = Path(path).expanduser()
        self.location = str(self.path)
        self.read_only = read_only
        self._closed = True
        self._read_timeout_ms = read_timeout_ms
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._meta_cache: dict[str, tuple[tuple[tuple[int, int], ...], str | None]] = {}
        self._reopen_after = 0.0
        self._local.writing = True  # opening (schema, sources) uses the write connection
        db_file = self.path / DB_FILE
        if read_only and not db_file.exists():
            raise StoreUnavailable(self.location,
                                   "no graph here yet; load one with `innograph ingest`")
        if not read_only:
            self._prepare_folder()
        self._buffer_pool_mb = buffer_pool_mb
        # the databases not yet closed; the last is the current one (a read-only store opens
        # a new one when another process has written, see _follow_writer)
        self._generations: list[Generation] = []
        self._open_database()
        self._closed = False
        if not read_only:
            self._create_schema()
        elif self._stored_schema_version() == q.MIGRATE_FROM:
            self.close()
            raise StoreUnavailable(self.location, f"store schema {q.MIGRATE_FROM} needs a "
                                   "one-time upgrade that only a writer can make: run "
                                   "`innograph init-db` (or any ingest) once, then read")
        self._sources = Sources(self._rows(q.ALL_SOURCES))
        self._reader_sources = Sources(self._rows(q.ALL_SOURCES))
        self._local.writing = False

    def _open_database(self) -> None:
        self._opened_files = self._files_signature()
        try:
            database = ladybug.Database(str(self.path / DB_FILE), read_only=self.read_only,
                                        buffer_pool_size=self._buffer_pool_mb * 1024 * 1024)
            self._generations.append(Generation(database))
        except RuntimeError as e:
            held = _LOCK_HELD.search(str(e))
            if held or "lock" in str(e).lower():
                raise StoreInUse(self.location, int(held.group(1)) if held else None) from e
            raise StoreUnavailable(self.location, str(e).splitlines()[0]) from e

    @property
    def _current(self) -> Generation:
        return self._generations[-1]

    @property
    def _conn(self) -> ladybug.Connection:
        """The write connection (of the current database)."""
        return self._current.writer

    def _renew_write_connection(self) -> None:
        self._current.renew_writer()

    @property
    def _open_generations(self) -> int:
        """How many LadybugDB databases this store holds open (for tests and diagnostics)."""
        return sum(not generation.closed for generation in self._generations)

    def _follow_writer(self, signature: tuple[tuple[int, int], ...]) -> None:
        """A read-only LadybugDB database sees the files as they were when it opened: when
        another process has written since, open them again. Threads move to the new database
        at their next query outside a read transaction; the old one closes once no thread
        reads from it (see :mod:`graph.store.embedded_generations`)."""
        with self._write_lock:
            if signature == self._opened_files or self._closed \
                    or time.monotonic() < self._reopen_after:
                return
            previous = self._current
            opened = self._opened_files
            try:
                self._open_database()
            except StoreUnavailable:
                # the writer is mid-load or mid-checkpoint ("checkpoint recovery is pending"):
                # keep answering from the graph as it was before the load, and try again at
                # the next request (issue 15: readers saw 503 for seconds during a load)
                self._opened_files = opened
                self._reopen_after = time.monotonic() + REOPEN_BACKOFF_S  # let it finish
                return
            previous.retire()
            self._generations = [g for g in self._generations if not g.closed]
            self._local.writing = True
            try:
                self._sources = Sources(self._rows(q.ALL_SOURCES))
                self._reader_sources = Sources(self._rows(q.ALL_SOURCES))
            finally:
                self._local.writing = False

    def _prepare_folder(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreUnavailable(self.location, f"cannot create folder: {e.strerror}") from e
        if not os.access(self.path, os.W_OK | os.X_OK):
            raise StoreUnavailable(self.location, "folder is not writable")

    def _create_schema(self) -> None:
        stored = self._stored_schema_version()
        if stored == q.MIGRATE_FROM:
            for statement in q.migrate_statements():
                self._run(statement)
            stored = q.SCHEMA_VERSION
        if stored not in (None, q.SCHEMA_VERSION):
            raise StoreUnavailable(self.location, f"written by another innograph version (store "
                                   f"schema {stored}, this one reads {q.SCHEMA_VERSION}); "
                                   "export it with that version, or load into a new folder")
        self._run(q.CREATE_SOURCE_TABLE)
        self._run(q.CREATE_ENTITY_TABLE)
        self._run(q.CREATE_META_TABLE)
        self._run(q.CREATE_SCORES_TABLE)
        for relation in RelationType:
            self._run(q.create_relation_table(relation))
        self._run(q.SET_META, {"key": "schema_version", "value": q.SCHEMA_VERSION})

    def _stored_schema_version(self) -> str | None:
        # (a failed GET_META would stay cached as a prepared statement: look before querying)
        if "StoreMeta" not in {row["name"] for row in self._rows(q.SHOW_TABLES)}:
            return None  # a new folder
        rows = self._rows(q.GET_META, {"key": "schema_version"})
        return str(rows[0]["value"]) if rows else None

    # -- plumbing ----------------------------------------------------------------------------
    def _connection(self) -> ladybug.Connection:
        """The write connection inside a write; otherwise this thread's read connection,
        moved to the current database unless a read transaction holds it where it is."""
        if getattr(self._local, "writing", False):
            return self._conn
        lease: Lease | None = getattr(self._local, "lease", None)
        if lease is not None and (lease.generation is self._current
                                  or getattr(self._local, "snapshot", False)):
            return lease.connection
        fresh = self._lease()
        if lease is not None:
            lease.release()  # may close a retired database this thread was the last to read
        self._local.lease = fresh
        return fresh.connection

    def _lease(self) -> Lease:
        while True:
            if self._closed:
                raise StoreUnavailable(self.location, "the store is closed")
            lease = self._current.lease(self._read_timeout_ms)
            if lease is not None:
                return lease
            # that database was retired meanwhile: the next round takes the newer one

    def _run(self, query: str, params: dict[str, Any] | None = None) -> Any:
        try:
            return self._connection().execute(query, params or {})
        except RuntimeError as e:
            first = str(e).splitlines()[0]
            if first.startswith("Interrupted"):
                raise StoreError(f"store {self.location}: the query ran longer than the read "
                                 f"timeout ({self._read_timeout_ms} ms)") from e
            raise StoreError(f"store {self.location}: {first}") from e

    # -- writes other than upserts -----------------------------------------------------------
    @writes
    def delete_entities(self, ids: Sequence[str]) -> int:
        rows = self._rows(q.DELETE_ENTITIES, {"ids": list(ids)})
        deleted = int(rows[0]["n"]) if rows else 0
        self._run(q.DELETE_SCORES, {"ids": list(ids)})
        if deleted:
            self._bump_version()
        return deleted

    @writes
    def delete_relations(self, ids: Sequence[str]) -> int:
        # ids are derived from (source, type, target); find the pairs they stand for
        wanted = set(ids)
        deleted = 0
        for relation in RelationType:
            pairs = [{"source": s, "target": t} for s, t in self._pair_hashes(relation)
                     if relation_id(s, relation, t) in wanted]
            if pairs:
                rows = self._rows(q.delete_relations(relation), {"pairs": pairs})
                deleted += int(rows[0]["n"]) if rows else 0
        if deleted:
            self._bump_version()
        return deleted

    @writes
    def write_scores(self, scores: Scores) -> int:
        ids = self._score_ids(scores)
        if not ids:
            return 0
        merged = self.read_scores(ids)
        rows = [{"id": i, "scores": json.dumps(merged.get(i, {}) | dict(scores[i]),
                                               sort_keys=True)} for i in ids]
        self._run("BEGIN TRANSACTION")
        try:
            for start in range(0, len(rows), UPDATE_BATCH):
                self._run(q.MERGE_SCORES, {"rows": rows[start:start + UPDATE_BATCH]})
            self._bump_version()
            self._run("COMMIT")
        except BaseException:
            with contextlib.suppress(RuntimeError):
                self._conn.execute("ROLLBACK")
            raise
        return len(rows)

    @writes
    def checkpoint(self) -> None:
        if not self.read_only:
            self._run("CHECKPOINT")

    # -- version, liveness ---------------------------------------------------------------
    def version(self) -> int:
        return int(self._meta("version") or 0)

    def interrupted_load(self) -> str | None:
        return self._meta(q.LOADING)

    def _meta(self, key: str) -> str | None:
        """A StoreMeta value, asked on every API request (version, the loading mark).
        Every commit appends to the write-ahead log and every checkpoint rewrites the main
        file, so while neither file changed no stored value can have changed either: a stat
        instead of a query."""
        signature = self._files_signature()
        if self.read_only and signature != self._opened_files:
            self._follow_writer(signature)
        cached = self._meta_cache.get(key)
        if cached is not None and cached[0] == signature and not self._local_writing():
            return cached[1]
        rows = self._rows(q.GET_META, {"key": key})
        value = str(rows[0]["value"]) if rows else None
        self._meta_cache[key] = (signature, value)
        return value

    def _local_writing(self) -> bool:
        return bool(getattr(self._local, "writing", False))

    def _files_signature(self) -> tuple[tuple[int, int], ...]:
        found = []
        for name in (DB_FILE, DB_FILE + ".wal"):
            try:
                info = os.stat(self.path / name)
            except FileNotFoundError:
                found.append((0, -1))
                continue
            found.append((info.st_mtime_ns, info.st_size))
        return tuple(found)

    def ping(self) -> None:
        try:
            self._connection().execute("RETURN 1")
        except RuntimeError as e:
            raise StoreUnavailable(self.location, str(e).splitlines()[0]) from e

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            with self._write_lock:
                for generation in self._generations:
                    generation.close()
