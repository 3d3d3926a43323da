"""How the embedded store reaches LadybugDB: the database in its folder, one write connection
that writes take one at a time, and a read connection per thread.

A read-only store follows another process's writes: LadybugDB keeps the snapshot it opened,
so when the files change the store opens them again (a new generation, see
:mod:`graph.store.embedded_generations`) and each thread moves to it at its next query.
Every query of a read-only store runs inside :meth:`Connections.reading`, which holds the
writer's checkpoints off and reads only a database opened since the last one
(:mod:`graph.store.embedded_gate`, issue 17).
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ladybug

from schema import StoreBusy, StoreError, StoreInUse, StoreUnavailable

from .embedded_gate import Gate
from .embedded_generations import Generation, Lease
from .shared_exclusive import SharedExclusive

DB_FILE = "graph.lbug"
#: how long a read-only store waits before trying again to open a writer's files that were
#: not ready (each attempt touches the writer's files; a load must not be slowed by them)
REOPEN_BACKOFF_S = 1.0
#: how long a read waits for a writer's checkpoint, and a checkpoint for the reads under way
#: (each bounded by the read timeout), before giving up with :class:`schema.StoreBusy`
READER_WAIT_S = 30.0
WRITER_WAIT_S = 120.0
#: a writable store checkpoints after a write once its log is this large (LadybugDB's own
#: automatic checkpoints are off: they would rewrite the files without holding readers off)
CHECKPOINT_LOG_BYTES = 16 << 20
_REOPEN_PAUSE_S = 0.02
_LOCK_HELD = re.compile(r"Lock is held by PID (\d+)")

#: (mtime, size) of the database file and its write-ahead log
Signature = tuple[tuple[int, int], ...]


class Connections:
    """The LadybugDB database of the store in ``path`` and the connections on it.

    Which connection a query runs on is per thread: inside :meth:`writing`, the one write
    connection; inside :meth:`snapshot`, the read connection the transaction began on;
    otherwise the thread's read connection on the current database.
    """

    def __init__(self, path: Path, *, read_only: bool, buffer_pool_mb: int,
                 read_timeout_ms: int | None) -> None:
        self.path = path
        self.location = str(path)
        self.read_only = read_only
        #: held by every write (:meth:`writing`) and by a reopen; ``exclusive()`` hands it out
        self.write_lock = threading.RLock()
        self.closed = True
        self._buffer_pool_mb = buffer_pool_mb
        self._read_timeout_ms = read_timeout_ms
        # per thread: ``writing`` (on the write connection), ``snapshot`` (in a read
        # transaction, which must stay on one connection), ``lease`` (its read connection)
        self._local = threading.local()
        #: a ``COPY`` ran on the write connection since it was opened
        self._copied = False
        self._reopen_after = 0.0
        self._on_reopen: list[Callable[[], object]] = []
        if read_only and not (path / DB_FILE).exists():
            raise StoreUnavailable(self.location,
                                   "no graph here yet; load one with `innograph ingest`")
        if not read_only:
            self._prepare_folder()
        self._gate = Gate(path / DB_FILE, writable=not read_only)
        #: this process's reads hold it shared, the writer's commits exclusive (a commit
        #: rewrites the primary-key indexes in place, see :mod:`.shared_exclusive`)
        self._commits = SharedExclusive()
        # the databases not yet closed; the last is the current one (a read-only store opens
        # a new one when another process has written, see follow_writer)
        self._generations: list[Generation] = []
        if read_only:
            with self._gate.shared(READER_WAIT_S) as epoch:
                self._open_database(epoch)
        else:  # opening replays and checkpoints a log a killed writer left
            with self._gate.exclusive(WRITER_WAIT_S):
                self._open_database(0)
        self.closed = False

    def _prepare_folder(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreUnavailable(self.location, f"cannot create folder: {e.strerror}") from e
        if not os.access(self.path, os.W_OK | os.X_OK):
            raise StoreUnavailable(self.location, "folder is not writable")

    def _open_database(self, epoch: int) -> None:
        self._opened_files = self.files_signature()
        try:
            database = ladybug.Database(str(self.path / DB_FILE), read_only=self.read_only,
                                        buffer_pool_size=self._buffer_pool_mb * 1024 * 1024,
                                        auto_checkpoint=False)
            self._generations.append(Generation(database, epoch))
        except RuntimeError as e:
            held = _LOCK_HELD.search(str(e))
            if held or "lock" in str(e).lower():
                raise StoreInUse(self.location, int(held.group(1)) if held else None) from e
            raise StoreUnavailable(self.location, str(e).splitlines()[0]) from e

    @property
    def _current(self) -> Generation:
        return self._generations[-1]

    @property
    def writer(self) -> ladybug.Connection:
        """The write connection (of the current database)."""
        return self._current.writer

    @property
    def open_generations(self) -> int:
        """How many LadybugDB databases this store holds open (for tests and diagnostics)."""
        return sum(not generation.closed for generation in self._generations)

    # -- writes and read transactions --------------------------------------------------------
    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Run a write on the one write connection, one write at a time.

        Reads from other threads use their own connections, so a request served while a
        write transaction is open neither joins it nor waits for it (LadybugDB is MVCC). A
        write that ran a ``COPY`` (:meth:`copied`) ends by replacing the write connection:
        LadybugDB 0.22 keeps the memory of every ``COPY … FROM`` a pyarrow table until the
        connection that ran it closes (see ``docs/ladybug-notes.md``). A write that leaves a
        large log checkpoints (:meth:`checkpoint`). While a write runs, other processes can
        tell (:meth:`write_running`).
        """
        with contextlib.ExitStack() as held:
            if self.read_only:  # its "writes" are reloads: reads, holding checkpoints off
                held.enter_context(self.reading())
            held.enter_context(self.write_lock)
            outer = getattr(self._local, "writing", False)
            if not outer and not self.read_only:
                held.enter_context(self._gate.marking_write())
            self._local.writing = True
            try:
                yield
            finally:
                self._local.writing = outer
                if not outer and self._copied:  # never inside an enclosing write
                    self._copied = False
                    self._current.renew_writer()
            if not outer and not self.read_only and self._log_bytes() > CHECKPOINT_LOG_BYTES:
                self.checkpoint()

    def checkpoint(self) -> None:
        """Write the log into the main file (a writable store), the only rewrite of the
        files: readers in other processes are held off meanwhile, and move to the files as
        rewritten at their next query (:mod:`graph.store.embedded_gate`)."""
        with self.writing():
            if not self.read_only:
                with self._gate.exclusive(WRITER_WAIT_S):
                    self.run("CHECKPOINT")

    def write_running(self) -> bool:
        """Whether a write to this store is under way, in this process or another."""
        return self._gate.write_running()

    def _log_bytes(self) -> int:
        try:
            return os.stat(self.path / (DB_FILE + ".wal")).st_size
        except FileNotFoundError:
            return 0

    def copied(self) -> None:
        """Note that the current write ran a ``COPY`` (its connection is renewed after it)."""
        self._copied = True

    @property
    def in_write(self) -> bool:
        """Whether the calling thread is inside :meth:`writing`."""
        return bool(getattr(self._local, "writing", False))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction (inside :meth:`writing`): committed when the block ends,
        rolled back if it raises. Its statements run beside this process's reads; only its
        ``COMMIT`` holds them off (:mod:`.shared_exclusive`)."""
        if not getattr(self._local, "writing", False):
            raise RuntimeError("a write transaction runs inside Connections.writing()")
        self.run("BEGIN TRANSACTION")
        self._local.transaction = True
        try:
            yield
            self._local.transaction = False
            self.run("COMMIT")
        except BaseException:
            # a failed statement may already have ended the transaction
            with contextlib.suppress(RuntimeError):
                self.writer.execute("ROLLBACK")
            raise
        finally:
            self._local.transaction = False

    def _committing(self) -> contextlib.AbstractContextManager[None]:
        """What a statement holds: the writer's statements outside a transaction commit
        as they end, so they hold this process's reads off; everything else nothing."""
        if self.read_only or not getattr(self._local, "writing", False) \
                or getattr(self._local, "transaction", False):
            return contextlib.nullcontext()
        return self._commits.exclusive()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Run a read of several queries in one read-only transaction, so that it sees one
        state of the graph even while another thread commits a write (inside a write or
        another snapshot: as part of that)."""
        local = self._local
        if getattr(local, "writing", False) or getattr(local, "snapshot", False):
            yield
            return
        with self.reading():  # no checkpoint while the transaction reads
            self.run("BEGIN TRANSACTION READ ONLY")
            local.snapshot = True  # until the transaction ends, stay on this connection
            try:
                yield
            except BaseException:
                with contextlib.suppress(RuntimeError):
                    self.connection().execute("ROLLBACK")
                raise
            else:
                self.run("COMMIT")
            finally:
                local.snapshot = False

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Where every query of a read-only store runs: the writer's checkpoints wait until
        it ends, and it reads a database opened since the last one (opened here if need be,
        waiting up to :data:`READER_WAIT_S` for the files to be readable). A writable store
        needs none of this: its readers share the writer's database."""
        if not self.read_only:
            if getattr(self._local, "writing", False):
                yield  # the writer's own reads see its writes
            else:
                with self._commits.shared():  # no commit rewrites an index under the read
                    yield
            return
        with self._gate.shared(READER_WAIT_S) as epoch:
            if self._current.epoch != epoch:
                self._reopen_at(epoch)
            yield

    def _reopen_at(self, epoch: int) -> None:
        """The files were rewritten since the current database opened: reading it could
        return wrong rows or crash, so open them again (retrying while the writer's log is
        mid-commit), or give up with :class:`schema.StoreBusy`."""
        deadline = time.monotonic() + READER_WAIT_S
        with self.write_lock:
            while self._current.epoch != epoch:  # another thread may have reopened meanwhile
                if self.closed:
                    raise StoreUnavailable(self.location, "the store is closed")
                try:
                    self._replace_database(epoch)
                except StoreUnavailable:
                    if time.monotonic() >= deadline:
                        raise StoreBusy(self.location, READER_WAIT_S) from None
                    time.sleep(_REOPEN_PAUSE_S)

    def _replace_database(self, epoch: int) -> None:
        """Open the files again (under the write lock, holding checkpoints off); the
        previous database closes once no thread reads from it."""
        previous = self._current
        opened = self._opened_files
        try:
            self._open_database(epoch)
        except StoreUnavailable:
            self._opened_files = opened
            raise
        previous.retire()
        self._generations = [g for g in self._generations if not g.closed]
        with self.writing():
            for reload in self._on_reopen:
                reload()

    # -- queries -----------------------------------------------------------------------------
    def connection(self) -> ladybug.Connection:
        """The write connection inside a write; otherwise this thread's read connection,
        moved to the current database unless a read transaction holds it where it is."""
        if getattr(self._local, "writing", False):
            return self.writer
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
            if self.closed:
                raise StoreUnavailable(self.location, "the store is closed")
            lease = self._current.lease(self._read_timeout_ms)
            if lease is not None:
                return lease
            # that database was retired meanwhile: the next round takes the newer one

    def run(self, query: str, params: dict[str, Any] | None = None) -> Any:
        """Run one query; LadybugDB errors become :class:`schema.StoreError`."""
        try:
            with self.reading(), self._committing():
                return self.connection().execute(query, params or {})
        except RuntimeError as e:
            first = str(e).splitlines()[0]
            if first.startswith("Interrupted"):
                raise StoreError(f"store {self.location}: the query ran longer than the read "
                                 f"timeout ({self._read_timeout_ms} ms)") from e
            raise StoreError(f"store {self.location}: {first}") from e

    def rows(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """:meth:`run`, its result as a list of dicts."""
        rows: list[dict[str, Any]] = self.run(query, params).get_as_arrow().to_pylist()
        return rows

    # -- following another process's writes --------------------------------------------------
    def files_signature(self) -> Signature:
        """What changes whenever a write commits (the log grows) or a checkpoint rewrites the
        main file. Asked twice by every API request: two ``stat`` calls on paths joined
        once (joining two ``Path`` objects per call cost more than the calls themselves)."""
        files = self.__dict__.get("_signature_files")
        if files is None:
            files = self._signature_files = (str(self.path / DB_FILE),
                                             str(self.path / (DB_FILE + ".wal")))
        found = []
        for file in files:
            try:
                info = os.stat(file)
            except FileNotFoundError:
                found.append((0, -1))
                continue
            found.append((info.st_mtime_ns, info.st_size))
        return tuple(found)

    def when_reopened(self, *reloads: Callable[[], object]) -> None:
        """Call ``reloads`` (inside a write, on the new database) after each reopen: for what
        is cached from the files, such as the ``Source`` rows."""
        self._on_reopen.extend(reloads)

    def follow_writer(self, signature: Signature) -> None:
        """A read-only LadybugDB database sees the files as they were when it opened: when
        another process has written since (``signature`` differs), open them again. Threads
        move to the new database at their next query outside a read transaction; the old one
        closes once no thread reads from it (see :mod:`graph.store.embedded_generations`)."""
        if not self.read_only or signature == self._opened_files:
            return
        with self.reading(), self.write_lock:
            if signature == self._opened_files or self.closed \
                    or time.monotonic() < self._reopen_after:
                return
            try:
                self._replace_database(self._current.epoch)
            except StoreUnavailable:
                # the writer's log is mid-commit: no checkpoint since the current database
                # opened (reading() holds them off and reopened after one), so it still
                # answers the graph as it was before the load; try again later (issue 15:
                # readers saw 503 for seconds during a load)
                self._reopen_after = time.monotonic() + REOPEN_BACKOFF_S  # let it finish

    # -- liveness ----------------------------------------------------------------------------
    def ping(self) -> None:
        try:
            with self.reading():
                self.connection().execute("RETURN 1")
        except RuntimeError as e:
            raise StoreUnavailable(self.location, str(e).splitlines()[0]) from e

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            with self.write_lock:
                if self.read_only:
                    self._close_all()
                    return
                try:  # closing a writable database checkpoints
                    with self._gate.exclusive(WRITER_WAIT_S):
                        self._close_all()
                except StoreBusy:  # readers held on for minutes: close all the same
                    self._close_all()

    def _close_all(self) -> None:
        for generation in self._generations:
            generation.close()
