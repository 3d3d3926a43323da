"""Readers in other processes kept apart from the writer's checkpoints (issue 17).

A read-only LadybugDB database reads its files lazily. A commit only appends to the
write-ahead log, which an opened reader never reads again, so a reader keeps answering the
graph as it was when it opened. A checkpoint, though, rewrites the main file in place: a
database opened before it then reads pages of the new graph through the old one's
metadata — wrong rows, "Index contains an invalid node offset", out-of-bounds errors or a
crash (``tests/store/test_embedded_gate.py``).

So the files are rewritten only inside :meth:`Gate.exclusive` (the writer's opening,
``CHECKPOINT`` and closing; LadybugDB's automatic checkpoints are off), which counts each
rewrite in the gate file (its *epoch*), and a reader runs each query inside
:meth:`Gate.shared` on a database opened at the current epoch. The locks are ``flock`` on
small files beside the database, so the kernel drops them when a process dies. A turnstile
lets a waiting checkpoint in before new readers, so a steady stream of reads cannot starve
it. :meth:`Gate.marking_write` and :meth:`Gate.write_running` tell readers that a write is
under way (``/health``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from schema import StoreBusy

#: the lock files, beside the database file
GATE_FILES = ("turnstile", "gate", "writing")
_FIRST_WAIT_S = 0.002
_LONGEST_WAIT_S = 0.05


class _Handles:
    """One thread's descriptors of the lock files: ``flock`` locks belong to a descriptor,
    so threads sharing one would share (and release) each other's locks."""

    def __init__(self, paths: dict[str, Path], writable: bool) -> None:
        flags = os.O_RDWR if writable else os.O_RDONLY
        self.fds = {name: os.open(path, flags) for name, path in paths.items()}
        self.shared = 0  # nesting depth of shared()

    def __del__(self) -> None:  # the thread ended: its descriptors (and locks) go
        for fd in self.fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)


class Gate:
    """The lock files of the store whose database is ``database`` (created if missing).

    A store that cannot create them (a read-only folder, where no writer can work either)
    gets a gate that lets everything through (:attr:`enabled` is false).
    """

    def __init__(self, database: Path, *, writable: bool) -> None:
        self.location = str(database.parent)
        self._paths = {name: database.with_name(f"{database.name}.{name}")
                       for name in GATE_FILES}
        self._writable = writable
        self._local = threading.local()
        self.enabled = True
        for path in self._paths.values():
            try:
                os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o644))
            except PermissionError:
                if not path.exists():
                    self.enabled = False
            except OSError:
                self.enabled = False

    def _handles(self) -> _Handles:
        handles: _Handles | None = getattr(self._local, "handles", None)
        if handles is None:
            handles = self._local.handles = _Handles(self._paths, self._writable)
        return handles

    # -- readers -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def shared(self, wait_s: float) -> Iterator[int]:
        """Hold checkpoints off while the block runs (nested calls share one hold); yields
        the epoch, which a database must have been opened at to be read here. Waits up to
        ``wait_s`` for a running checkpoint, then raises :class:`schema.StoreBusy`."""
        if not self.enabled:
            yield 0
            return
        handles = self._handles()
        if not handles.shared:
            deadline = time.monotonic() + wait_s
            self._take(handles.fds["turnstile"], fcntl.LOCK_SH, deadline, wait_s)
            try:
                self._take(handles.fds["gate"], fcntl.LOCK_SH, deadline, wait_s)
            finally:
                fcntl.flock(handles.fds["turnstile"], fcntl.LOCK_UN)
        handles.shared += 1
        try:
            yield self._epoch(handles)
        finally:
            handles.shared -= 1
            if not handles.shared:
                fcntl.flock(handles.fds["gate"], fcntl.LOCK_UN)

    def write_running(self) -> bool:
        """Whether some process (this one included) is inside :meth:`marking_write`."""
        if not self.enabled:
            return False
        fd = os.open(self._paths["writing"], os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing drops the probe's lock
        return False

    # -- the writer --------------------------------------------------------------------------
    @contextlib.contextmanager
    def exclusive(self, wait_s: float) -> Iterator[None]:
        """Rewrite the files: wait for the current readers (new ones wait at the turnstile),
        run the block, and count one more epoch, so readers open the files again."""
        if not self.enabled:
            yield
            return
        handles = self._handles()
        deadline = time.monotonic() + wait_s
        self._take(handles.fds["turnstile"], fcntl.LOCK_EX, deadline, wait_s)
        try:
            self._take(handles.fds["gate"], fcntl.LOCK_EX, deadline, wait_s)
            try:
                yield
            finally:
                epoch = self._epoch(handles) + 1
                os.pwrite(handles.fds["gate"], f"{epoch:020d}\n".encode(), 0)
                fcntl.flock(handles.fds["gate"], fcntl.LOCK_UN)
        finally:
            fcntl.flock(handles.fds["turnstile"], fcntl.LOCK_UN)

    @contextlib.contextmanager
    def marking_write(self) -> Iterator[None]:
        """Tell :meth:`write_running` askers that a write is under way."""
        if not self.enabled:
            yield
            return
        fd = self._handles().fds["writing"]
        fcntl.flock(fd, fcntl.LOCK_EX)  # one writing process: never waits long
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    # -- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _epoch(handles: _Handles) -> int:
        text = os.pread(handles.fds["gate"], 32, 0).strip()
        return int(text) if text else 0

    def _take(self, fd: int, mode: int, deadline: float, wait_s: float) -> None:
        """``flock`` ``fd`` in ``mode`` by polling (a blocking ``flock`` cannot time out)."""
        pause = _FIRST_WAIT_S
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(self.location, wait_s) from None
                time.sleep(pause)
                pause = min(pause * 2, _LONGEST_WAIT_S)
