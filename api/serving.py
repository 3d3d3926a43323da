"""How ``innograph serve`` runs uvicorn: one table of options, shared with the benchmark's
bare app (``bench/api_bare.py``) so that the floor it measures runs the same server.

uvicorn's own access line is off: the app writes its JSON access line (``innograph.access``,
with the request id) instead, so each request is logged once, not twice. The lines go to
stderr in batches (:class:`BatchedLines`), as nginx's ``access_log … buffer= flush=`` does:
writing each line as it came cost a request about 15 % of its time (issue 16).
"""

from __future__ import annotations

import atexit
import logging
import sys
import threading
from typing import Any, TextIO

UVICORN_OPTIONS: dict[str, Any] = {"log_level": "info", "access_log": False}
#: a batch is written as soon as it holds this many characters, whatever the interval
BATCH_CHARS = 64 * 1024
#: the access line's format: the message alone (it is JSON already)
PLAIN = logging.Formatter("%(message)s")


class BatchedLines(logging.StreamHandler):  # type: ignore[type-arg]
    """Lines kept in memory and written together: every ``interval_s`` seconds (a daemon
    thread), as soon as a batch holds :data:`BATCH_CHARS`, when a record is a warning or
    worse, and when the process exits. ``interval_s`` 0 writes each line as it comes."""

    def __init__(self, stream: TextIO, interval_s: float) -> None:
        super().__init__(stream)
        self.interval_s = interval_s
        self._batch: list[str] = []
        self._chars = 0
        self._stop = threading.Event()
        if interval_s > 0:
            threading.Thread(target=self._every_interval, name="innograph-access-lines",
                             daemon=True).start()
        atexit.register(self.close)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # as StreamHandler: a bad record is reported, never raised
            self.handleError(record)
            return
        self.add(line, urgent=record.levelno >= logging.WARNING)

    def add(self, line: str, urgent: bool = False) -> None:
        """Take one line as it is (no record, no formatting): what :func:`write_access`
        does for an ``INFO`` line when this is the access logger's only handler."""
        line += self.terminator
        with self.lock:  # type: ignore[union-attr]
            self._batch.append(line)
            self._chars += len(line)
            if urgent or self.interval_s == 0 or self._chars >= BATCH_CHARS:
                self._write()

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            self._write()

    def close(self) -> None:
        self._stop.set()
        self.flush()
        super().close()

    def _write(self) -> None:
        if self._batch:
            self.stream.write("".join(self._batch))
            self._batch.clear()
            self._chars = 0
        self.stream.flush()

    def _every_interval(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.flush()


def write_access(log: logging.Logger, line: str) -> None:
    """Log ``line`` at ``INFO`` on ``log``. When the only handler is the plain
    :class:`BatchedLines` that :func:`log_access_to_stderr` sets up (and nothing filters or
    formats), the line goes straight into its batch: a log record costs a request about
    10 µs, most of what the access line costs. Any other configuration gets the record."""
    if not log.isEnabledFor(logging.INFO):
        return
    handlers = log.handlers
    if len(handlers) == 1 and type(handlers[0]) is BatchedLines and not log.filters \
            and not handlers[0].filters and handlers[0].formatter is PLAIN \
            and handlers[0].level <= logging.INFO:
        handlers[0].add(line)
    else:
        log.info(line)


def log_access_to_stderr(interval_s: float = 0.5) -> None:
    """Show the ``innograph.access`` lines on stderr, as uvicorn shows its own, written
    in batches at most ``interval_s`` apart (0: each line as it comes)."""
    access = logging.getLogger("innograph.access")
    if not access.handlers:
        handler = BatchedLines(sys.stderr, interval_s)
        handler.setFormatter(PLAIN)
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
