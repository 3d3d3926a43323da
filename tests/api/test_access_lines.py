"""`innograph serve`'s access lines: written in batches, none lost when the server stops."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from api.serving import BATCH_CHARS, BatchedLines
from tests.conftest import SAMPLE


def _logger(handler: logging.Handler, name: str) -> logging.Logger:
    log = logging.getLogger(name)
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False
    return log


def test_lines_wait_for_the_interval_then_come_in_order() -> None:
    out = io.StringIO()
    handler = BatchedLines(out, interval_s=0.2)
    log = _logger(handler, "test.batched.interval")
    for n in range(5):
        log.info("line %d", n)
    assert out.getvalue() == ""  # kept until the interval passes
    deadline = time.monotonic() + 5
    while not out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert out.getvalue() == "".join(f"line {n}\n" for n in range(5))
    handler.close()


def test_a_full_batch_a_warning_and_close_write_at_once() -> None:
    out = io.StringIO()
    handler = BatchedLines(out, interval_s=10)
    log = _logger(handler, "test.batched.size")
    long = "字" * (BATCH_CHARS // 4)
    for _ in range(3):
        log.info(long)
    assert out.getvalue() == ""
    log.info(long)  # the batch reaches BATCH_CHARS
    assert out.getvalue().count("\n") == 4
    log.info("a")
    log.warning("b")  # a warning takes what waits with it
    assert out.getvalue().endswith("a\nb\n")
    log.info("c")
    handler.close()
    assert out.getvalue().endswith("b\nc\n")


def test_interval_zero_writes_each_line_as_it_comes() -> None:
    out = io.StringIO()
    handler = BatchedLines(out, interval_s=0)
    log = _logger(handler, "test.batched.zero")
    log.info("one")
    assert out.getvalue() == "one\n"
    handler.close()


def test_a_stopped_server_has_logged_every_request(tmp_path: Path) -> None:
    """SIGTERM, as a service manager stops it: every request answered is in the log."""
    store = tmp_path / "store"
    env = {**os.environ, "INNOGRAPH_REJECTS_DIR": str(tmp_path / "rejects"),
           "INNOGRAPH_ACCESS_LOG_FLUSH_S": "5"}
    env.pop("INNOGRAPH_API_KEY", None)
    loaded = subprocess.run([sys.executable, "-m", "innograph", "--store", str(store),
                             "ingest", str(SAMPLE)], env=env, capture_output=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        server = subprocess.Popen([sys.executable, "-m", "innograph", "--store", str(store),
                                   "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=log)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/health", timeout=5)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.1)
        ids = [httpx.get(f"{url}/search", params={"q": "眼谷"}).headers["x-request-id"]
               for _ in range(20)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    logged = [json.loads(line) for line in log_path.read_text().splitlines()
              if line.startswith("{")]
    assert set(ids) <= {entry["request_id"] for entry in logged}


def test_the_plain_batch_takes_lines_directly_anything_else_gets_records() -> None:
    from api.serving import PLAIN, write_access

    out = io.StringIO()
    plain = BatchedLines(out, interval_s=0)
    plain.setFormatter(PLAIN)
    log = _logger(plain, "test.batched.direct")
    write_access(log, '{"event": "request"}')
    assert out.getvalue() == '{"event": "request"}\n'

    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    log = _logger(Keep(), "test.batched.other")
    write_access(log, "line")
    assert [r.getMessage() for r in seen] == ["line"]  # a configured handler: a record

    filtered = BatchedLines(io.StringIO(), interval_s=0)
    filtered.setFormatter(PLAIN)
    filtered.addFilter(lambda record: False)
    log = _logger(filtered, "test.batched.filtered")
    write_access(log, "dropped")  # a filter applies: it goes through the record
    assert filtered.stream.getvalue() == ""
    quiet = _logger(BatchedLines(io.StringIO(), interval_s=0), "test.batched.level")
    quiet.setLevel(logging.WARNING)
    write_access(quiet, "not at INFO")
    assert quiet.handlers[0].stream.getvalue() == ""  # type: ignore[attr-defined]
    for handler in (plain, filtered, quiet.handlers[0]):
        handler.close()
