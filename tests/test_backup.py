"""`backup` / `restore`: one file holding the whole graph as stored, restored into an empty
store with the same content hash, also when taken while a server holds the store."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.backup import FORMAT_VERSION, MANIFEST, backup, read_bundle, restore
from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from schema import InvalidInput, StoreInUse, UnreadableFile
from tests.conftest import SAMPLE

#: an entity of the sample that a second source states again (so it keeps claims)
RESTATED = "region:瓯海区"
SECOND_SOURCE = "id,name,type,description,level\n,瓯海区,region,另一份名单里的瓯海区,区级\n"
SCORES = {RESTATED: {"pagerank": 0.0125, "degree": 3}, "region:温州市": {"pagerank": 0.5}}


def _load_sample(path: Path, tmp_path: Path) -> None:
    """The Wenzhou sample, a second source restating one entity, and some scores."""
    second = tmp_path / "second" / "regions.csv"
    second.parent.mkdir(exist_ok=True)
    second.write_text(SECOND_SOURCE, encoding="utf-8")
    with open_store(path) as store:
        assert load_paths(store, [SAMPLE]).rejected == 0
        assert load_paths(store, [second]).rejected == 0
        store.write_scores(SCORES)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding :func:`_load_sample` (closed: tests open it as they need)."""
    folder = tmp_path_factory.mktemp("sample")
    _load_sample(folder / "store", folder)
    return folder / "store"


@pytest.fixture
def source(sample: Path) -> Iterator[GraphStore]:
    with open_store(sample, read_only=True) as store:
        yield store


def test_backup_restores_to_the_same_graph(source: GraphStore, tmp_path: Path) -> None:
    taken = backup(source, tmp_path / "graph.zip")
    expected = source.stats()
    assert (taken.entities, taken.relations, taken.scores) == (201, 411, 2)
    assert taken.content_hash == expected.content_hash and taken.attempts == 1
    with open_store(tmp_path / "restored") as destination:
        report = restore(read_bundle(tmp_path / "graph.zip"), destination)
        assert report.content_hash == expected.content_hash
        assert destination.stats() == expected
        assert destination.read_scores() == source.read_scores() == SCORES
        ids = [RESTATED, "region:温州市", *(e.id for e in source.entity_page(limit=5))]
        assert destination.get_many(ids) == source.get_many(ids)
        restated = destination.get(RESTATED)
        assert restated is not None and restated.claims  # the two sources' claims came back
        assert len(restated.sources()) == 2
        assert restated.sources() == source.get(RESTATED).sources()  # type: ignore[union-attr]
        assert restated.ingest == source.get(RESTATED).ingest  # type: ignore[union-attr]
        # every column, claims and run/file/row/origin included, exactly as stored
        assert destination.entities_table().sort_by("id").equals(
            source.entities_table().sort_by("id"))
        order = [("source", "ascending"), ("type", "ascending"), ("target", "ascending")]
        assert destination.relations_table().sort_by(order).equals(
            source.relations_table().sort_by(order))


def test_a_non_empty_destination_is_refused_and_unchanged(source: GraphStore,
                                                          tmp_path: Path) -> None:
    backup(source, tmp_path / "graph.zip")
    bundle = read_bundle(tmp_path / "graph.zip")
    with open_store(tmp_path / "other") as other:
        load_paths(other, [SAMPLE / "entities.csv"])
        before = other.stats()
        with pytest.raises(InvalidInput, match="already holds 201 entities"):
            restore(bundle, other)
        assert other.stats() == before and other.read_scores() == {}


def _rewrite(bundle: Path, out: Path, **manifest_changes: object) -> Path:
    """A copy of ``bundle`` whose manifest has ``manifest_changes``."""
    with zipfile.ZipFile(bundle) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == MANIFEST:
                data = json.dumps({**json.loads(data), **manifest_changes}).encode()
            new.writestr(info, data)
    return out


def test_damaged_or_foreign_bundles_are_clear_errors(source: GraphStore, tmp_path: Path) -> None:
    good = tmp_path / "graph.zip"
    backup(source, good)
    raw = good.read_bytes()
    flipped = tmp_path / "flipped.zip"
    middle = len(raw) // 3
    flipped.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0xFF]) + raw[middle + 1:])
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(raw[: len(raw) // 2])
    cases = {
        flipped: "damaged",
        truncated: "damaged or not a backup",
        SAMPLE / "entities.csv": "damaged or not a backup",
        _rewrite(good, tmp_path / "newer.zip", format_version=FORMAT_VERSION + 1):
            "written by a newer innograph",
        _rewrite(good, tmp_path / "hash.zip", content_hash="0" * 64): "not to the recorded",
        tmp_path / "missing.zip": "no such file",
    }
    for path, message in cases.items():
        with pytest.raises(UnreadableFile, match=message) as caught:
            read_bundle(path)
        assert "\n" not in str(caught.value)


def test_restore_reads_no_more_than_the_bundle_declares(source: GraphStore,
                                                        tmp_path: Path) -> None:
    good = tmp_path / "graph.zip"
    backup(source, good)
    with pytest.raises(UnreadableFile, match="more than the 1000 a restore reads"):
        read_bundle(good, max_bytes=1000)
    members = json.loads(zipfile.ZipFile(good).read(MANIFEST))["members"]
    members["entities.arrow"]["bytes"] += 1
    with pytest.raises(UnreadableFile, match=r"entities\.arrow declares"):
        read_bundle(_rewrite(good, tmp_path / "sizes.zip", members=members))


def test_a_backup_retries_a_read_a_write_interrupted(source: GraphStore, tmp_path: Path) -> None:
    """A write between the reads of the two tables changes the version: read again."""
    versions = iter([1, 2, 2, 2])

    class Moving:
        def __getattr__(self, name: str) -> object:
            return getattr(source, name)

        def version(self) -> int:
            return next(versions)

    report = backup(Moving(), tmp_path / "graph.zip")  # type: ignore[arg-type]
    assert report.attempts == 2 and report.content_hash == source.stats().content_hash


# -- through the command line ----------------------------------------------------------------
def _innograph(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "innograph", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for_health(url: str, server: subprocess.Popen[bytes]) -> dict[str, object]:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                body: dict[str, object] = json.loads(response.read())
                return body
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("innograph serve did not start") from None
            time.sleep(0.1)


def test_cli_backup_while_a_server_writes_then_restore(sample: Path, tmp_path: Path) -> None:
    store = tmp_path / "live"
    _load_sample(store, tmp_path)
    key = "backup-test-key"
    env = {**os.environ, "INNOGRAPH_REJECTS_DIR": str(tmp_path / "rejects"),
           "INNOGRAPH_API_KEY": key}
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "innograph", "--store", str(store),
                               "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for_health(url, server)["entities"] == 201
        # the server writes (and so holds the store for writing) ...
        request = urllib.request.Request(
            f"{url}/entities", method="POST", headers={"X-API-Key": key,
                                                       "Content-Type": "application/json"},
            data=json.dumps([{"name": "备份测试实验室", "type": "institute"}]).encode())
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
        with pytest.raises(StoreInUse):
            open_store(store)
        # ... while another process backs it up
        taken = _innograph("--store", str(store), "backup", "--out", str(tmp_path / "b.zip"),
                           "--json", env=env)
        assert taken.returncode == 0, taken.stderr
        live = _innograph("--store", str(store), "stats", "--json", env=env)
        assert live.returncode == 0, live.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = json.loads(taken.stdout)
    assert (report["entities"], report["relations"], report["scores"]) == (202, 411, 2)
    assert report["content_hash"] == json.loads(live.stdout)["content_hash"]

    restored = _innograph("restore", str(tmp_path / "b.zip"), "--to", str(tmp_path / "copy"),
                          "--json", env=env)
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["content_hash"] == report["content_hash"]
    stats = _innograph("--store", str(tmp_path / "copy"), "stats", "--json", env=env)
    assert json.loads(stats.stdout)["content_hash"] == report["content_hash"]
    shown = _innograph("--store", str(tmp_path / "copy"), "show", RESTATED, "--json", env=env)
    assert len(json.loads(shown.stdout)["sources"]) == 2

    again = _innograph("restore", str(tmp_path / "b.zip"), "--to", str(sample), env=env)
    assert again.returncode == 2
    assert again.stderr.startswith("error: --to:") and "already holds" in again.stderr
    assert again.stderr.count("\n") == 1
    damaged = _innograph("restore", str(SAMPLE / "entities.csv"), "--to",
                         str(tmp_path / "never"), env=env)
    assert damaged.returncode == 2 and "not a backup" in damaged.stderr
    assert not (tmp_path / "never").exists()  # nothing created for a bundle that is no bundle
