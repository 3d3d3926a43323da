"""Issue 15, "prove it": SIGKILL the API server during a burst of writes, at seeded points.
Every time the store reopens, every write the server acknowledged is there, and sending the
whole burst again converges to the content hash of a burst that was never interrupted."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from graph.store import open_store
from ingest.loader import load_paths
from tests.conftest import SAMPLE

KEY = "crash-test-key"
BATCHES = 40
POINTS = int(os.environ.get("INNOGRAPH_CRASH_POINTS", "10"))


def _batch(n: int) -> list[dict[str, str]]:
    return [{"name": f"写入崩溃测试{n}-{i}", "type": "enterprise", "level": "市级"}
            for i in range(5)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(store: Path, tmp_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "INNOGRAPH_API_KEY": KEY,
           "INNOGRAPH_REJECTS_DIR": str(tmp_path / "rejects")}
    server = subprocess.Popen([sys.executable, "-m", "innograph", "--store", str(store),
                               "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):
                return server, url
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("innograph serve did not start") from None
            time.sleep(0.1)


def _post(url: str, n: int) -> bool:
    request = urllib.request.Request(
        f"{url}/entities", method="POST", data=json.dumps(_batch(n)).encode(),
        headers={"X-API-Key": KEY, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def _store_with_sample(folder: Path) -> None:
    with open_store(str(folder)) as store:
        load_paths(store, [SAMPLE])


def test_a_killed_server_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    clean_folder = tmp_path / "clean"
    _store_with_sample(clean_folder)
    server, url = _serve(clean_folder, tmp_path)
    try:
        started = time.monotonic()
        assert all(_post(url, n) for n in range(BATCHES))
        # how long a burst takes on this machine now: kill points fall inside it whatever
        # the load (a fixed window missed every burst on a busy machine)
        burst_seconds = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    with open_store(str(clean_folder), read_only=True) as store:
        clean = store.stats().content_hash

    chance = random.Random(20261204)
    landed = 0
    for point in range(POINTS):
        folder = tmp_path / f"killed-{point}"
        _store_with_sample(folder)
        server, url = _serve(folder, tmp_path)
        acknowledged: list[int] = []

        def burst(target: str = url, done: list[int] = acknowledged) -> None:
            for n in range(BATCHES):
                if not _post(target, n):
                    return
                done.append(n)

        writer = threading.Thread(target=burst)
        writer.start()
        first_ack = time.monotonic() + 60
        while not acknowledged and writer.is_alive() and time.monotonic() < first_ack:
            time.sleep(0.01)
        time.sleep(chance.uniform(0.0, 0.9) * burst_seconds)  # a seeded point in the burst
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        writer.join(timeout=60)
        landed += 0 < len(acknowledged) < BATCHES
        with open_store(str(folder)) as store:  # reopens after the kill
            stored = store.get_many([f"enterprise:写入崩溃测试{n}-{i}"
                                     for n in acknowledged for i in range(5)])
            assert len(stored) == 5 * len(acknowledged), f"kill point {point}"
        server, url = _serve(folder, tmp_path)  # send the whole burst again
        try:
            assert all(_post(url, n) for n in range(BATCHES))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        with open_store(str(folder), read_only=True) as store:
            assert store.stats().content_hash == clean, f"kill point {point}"
    assert landed, "no kill landed mid-burst: change the delays"
