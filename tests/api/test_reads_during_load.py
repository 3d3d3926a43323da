"""Issue 17: while a load runs, the viewer and ``/health`` stay correct. A real server
(``innograph serve``) is read by several clients — search, entities, neighbourhoods,
``/health`` — while loads are written into its store: by ``innograph ingest`` in another
process (a server without a key), or through the server's own write endpoints. Every
answer is the graph before a load or after it: never a 5xx, never a missing entity, and
``/health`` counts only states a read could see."""

from __future__ import annotations

import csv
import io
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.conftest import SAMPLE

KEY = "reads-during-load-key"
FIRST = 20_000  # rows loaded before the server starts (their ids are read at random)
LOAD = 20_000  # rows of each load while the server is read
SAMPLE_ENTITIES = 201


def _table(tag: str, rows: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "type", "level"])
    writer.writerows([f"{tag}测试企业{i}号", "enterprise", "市级"] for i in range(rows))
    return out.getvalue()


def _cli(store: Path, tmp_path: Path, *paths: Path, key: str | None = None
         ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INNOGRAPH_REJECTS_DIR": str(tmp_path / "rejects")}
    env.pop("INNOGRAPH_API_KEY", None)
    return subprocess.run([sys.executable, "-m", "innograph", "--store", str(store), "ingest",
                           *map(str, paths)], env=env, capture_output=True, text=True,
                          timeout=600)


def _serve(store: Path, tmp_path: Path, key: str | None) -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "INNOGRAPH_REJECTS_DIR": str(tmp_path / "rejects")}
    env.pop("INNOGRAPH_API_KEY", None)
    if key:
        env["INNOGRAPH_API_KEY"] = key
    # the access log goes to a file: a pipe nobody reads fills up and blocks the server
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "innograph", "--store", str(store),
                               "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=log, text=True)
    log.close()  # the child has its own copy
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{url}/health", timeout=5)
            return server, url
        except httpx.HTTPError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("innograph serve did not start") from None
            time.sleep(0.1)


class Readers:
    """Clients reading the server until stopped; what went wrong is collected."""

    def __init__(self, url: str, ids: list[str], clients: int = 3) -> None:
        self.url, self.ids = url, ids
        self.failures: list[tuple[str, int, str]] = []
        self.health: Counter[tuple[int, bool]] = Counter()
        self.answered = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._read, args=(n,)) for n in range(clients)]

    def __enter__(self) -> Readers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=120)

    def _read(self, seed: int) -> None:
        chosen = random.Random(seed)
        with httpx.Client(base_url=self.url, timeout=120) as client:
            while not self._stop.is_set():
                entity = chosen.choice(self.ids)
                for path, params in (
                        (f"/entities/{entity}", {}),
                        ("/search", {"q": f"甲测试企业{chosen.randrange(FIRST)}号"}),
                        ("/entities/incubator:青科孵化器/neighborhood", {"depth": 2}),
                        ("/health", {})):
                    response = client.get(path, params=params)
                    self._record(path, response)

    def _record(self, path: str, response: httpx.Response) -> None:
        with self._lock:
            self.answered += 1
            if response.status_code != 200:
                self.failures.append((path, response.status_code, response.text[:200]))
            elif path == "/health":
                body = response.json()
                self.health[(body["entities"], body["writing"])] += 1


def _served_sample(store: Path, tmp_path: Path, key: str | None
                   ) -> tuple[subprocess.Popen[str], str, list[str]]:
    """The sample and FIRST rows loaded by the CLI, then served; the ids readers ask for."""
    first = tmp_path / "first.csv"
    first.write_text(_table("甲", FIRST), encoding="utf-8")
    loaded = _cli(store, tmp_path, SAMPLE, first)
    assert loaded.returncode == 0, loaded.stderr
    server, url = _serve(store, tmp_path, key=key)
    return server, url, [f"enterprise:甲测试企业{i}号" for i in range(0, FIRST, 7)]


def test_reads_during_cli_loads_into_the_served_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    server, url, ids = _served_sample(store, tmp_path, key=None)
    try:
        with Readers(url, ids) as readers:
            for n in range(2):
                more = tmp_path / f"load{n}.csv"
                more.write_text(_table(f"乙{n}", LOAD), encoding="utf-8")
                result = _cli(store, tmp_path, more)
                assert result.returncode == 0, result.stderr
            time.sleep(2)  # reads after the last load
            waited = time.monotonic() + 30  # and enough of them on a slow machine
            while readers.answered <= 100 and time.monotonic() < waited:
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert not readers.failures, readers.failures[:3]
    states = {SAMPLE_ENTITIES + FIRST + n * LOAD for n in range(3)}
    counts = {entities for entities, _ in readers.health}
    assert counts <= states and max(counts) == max(states), readers.health
    assert any(writing for _, writing in readers.health), "health never said a load ran"
    assert readers.answered > 100


def test_reads_during_writes_through_the_api(tmp_path: Path) -> None:
    store = tmp_path / "store"
    server, url, ids = _served_sample(store, tmp_path, key=KEY)
    written = 0
    try:
        with Readers(url, ids) as readers, \
                httpx.Client(base_url=url, timeout=600, headers={"X-API-Key": KEY}) as client:
            # at least three rounds, and more until the readers have read enough during the
            # writes (how many reads a round overlaps depends on the machine, not the code)
            n = 0
            while n < 3 or (readers.answered <= 100 and n < 12):
                upload = {"files": (f"load{n}.csv", _table(f"丙{n}", 3000).encode(), "text/csv")}
                assert client.post("/ingest", files=upload).status_code == 200
                one = [{"name": f"接口单写企业{n}", "type": "enterprise"}]
                assert client.post("/entities", json=one).status_code == 200
                tie = [{"source": f"接口单写企业{n}", "target": "浙江大学温州研究院",
                        "relation": "partnership"}]
                assert client.post("/relations", json=tie).status_code == 200
                written += 3001
                n += 1
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert not readers.failures, readers.failures[:3]
    counts = sorted({entities for entities, _ in readers.health})
    assert counts[0] >= SAMPLE_ENTITIES + FIRST
    assert counts[-1] <= SAMPLE_ENTITIES + FIRST + written
    assert readers.answered > 100


def test_a_checkpoint_longer_than_a_read_waits_is_a_chinese_503(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read waits for a writer's checkpoint (up to READER_WAIT_S, shortened here), then
    answers 503 in Chinese — the viewer shows the detail as it is — and /health says a
    load is being written; once the checkpoint ends, reads answer again."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from graph.settings import Settings
    from graph.store import embedded_connections, open_store
    from graph.store.embedded_gate import Gate
    from ingest.loader import load_paths

    folder = tmp_path / "store"
    with open_store(folder) as store:
        load_paths(store, [SAMPLE])
    monkeypatch.setattr(embedded_connections, "READER_WAIT_S", 0.5)
    writer = Gate(folder / embedded_connections.DB_FILE, writable=True)  # as a writer holds it
    with TestClient(create_app(Settings(store=str(folder)))) as client:
        entity = "/entities/institute:浙江大学温州研究院"
        assert client.get(entity).status_code == 200
        assert client.get("/search", params={"q": "眼谷"}).status_code == 200
        with writer.exclusive(5):
            # search answers from its index of the graph before (no read of the files) …
            assert client.get("/search", params={"q": "眼谷"}).status_code == 200
            read = client.get(entity)  # … a read of the store waits, then says why
            health = client.get("/health")
        assert read.status_code == 503
        assert read.json()["detail"].startswith("图谱正在写入刚载入的数据，请几秒后再试")
        assert health.status_code == 503
        assert health.json()["status"] == "loading" and health.json()["writing"] is True
        assert client.get(entity).status_code == 200
        assert client.get("/health").json()["entities"] == SAMPLE_ENTITIES
