"""The LadybugDB databases an embedded store has open, and who still reads from each.

A read-only LadybugDB database sees its files as they were when it opened, so a read-only
store that notices another process's write opens the files again: a new *generation*.
Threads move to it at their next query, but a thread may be in the middle of a read
transaction on the old one, so the old database cannot simply be closed. Instead each
thread holds a :class:`Lease` on the generation it reads from; a retired generation closes
its database when its last lease is released — when the thread moves on, or when the
thread ends (its thread-local lease is collected).
"""

from __future__ import annotations

import threading
import weakref

import ladybug


class Generation:
    """One opened LadybugDB database, its write connection and the read connections on it.

    ``retired`` generations take no new readers; their database closes once the last
    reader is released (``closed``). ``epoch`` counts the rewrites of the files it was
    opened after (:mod:`graph.store.embedded_gate`): a read-only database is readable only
    while no further one happened.
    """

    def __init__(self, database: ladybug.Database, epoch: int = 0) -> None:
        self.database = database
        self.epoch = epoch
        self.writer = ladybug.Connection(database)
        self.retired = False
        self.closed = False
        self._readers: set[ladybug.Connection] = set()
        # reentrant: a lease released by garbage collection may run inside a method here
        self._lock = threading.RLock()

    def lease(self, read_timeout_ms: int | None = None) -> Lease | None:
        """A new read connection for the calling thread, or ``None`` once retired."""
        with self._lock:
            if self.retired:
                return None
            connection = ladybug.Connection(self.database)
            if read_timeout_ms:
                connection.set_query_timeout(read_timeout_ms)
            self._readers.add(connection)
        return Lease(self, connection)

    @property
    def readers(self) -> int:
        """How many read connections are open on this generation."""
        return len(self._readers)

    def renew_writer(self) -> None:
        """Replace the write connection by a new one (between write transactions): closing
        a connection is what frees the memory LadybugDB 0.22 keeps after each ``COPY`` from
        a pyarrow table."""
        with self._lock:
            if self.closed:
                return
            previous, self.writer = self.writer, ladybug.Connection(self.database)
            previous.close()

    def retire(self) -> None:
        """Take no new readers; close the database when the current ones are released."""
        with self._lock:
            self.retired = True
            self._close_if_unread()

    def close(self) -> None:
        """Close every connection and the database now (the store is closing)."""
        with self._lock:
            for connection in self._readers:
                connection.close()
            self._readers.clear()
            self.retired = True
            self._close_if_unread()

    def _release(self, connection: ladybug.Connection) -> None:
        with self._lock:
            if connection in self._readers:
                self._readers.discard(connection)
                connection.close()
            self._close_if_unread()

    def _close_if_unread(self) -> None:
        if self.retired and not self._readers and not self.closed:
            self.closed = True
            self.writer.close()
            self.database.close()


class Lease:
    """One thread's read connection on a :class:`Generation`.

    :meth:`release` closes the connection (it runs at most once); it also runs when the
    lease is garbage-collected, so a thread that ends without releasing does not keep a
    retired database open.
    """

    def __init__(self, generation: Generation, connection: ladybug.Connection) -> None:
        self.generation = generation
        self.connection = connection
        # the finaliser holds the generation and connection, never the lease itself
        self._finalizer = weakref.finalize(self, generation._release, connection)
        self._finalizer.atexit = False  # at exit the process lets go of everything anyway

    def release(self) -> None:
        self._finalizer()
