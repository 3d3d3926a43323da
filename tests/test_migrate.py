"""`migrate` between two real stores: batched, resumable from its checkpoint, verified."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.migrate import migrate
from graph.store import GraphStore, open_store
from graph.store.embedded import EmbeddedStore
from schema import EntityType, InvalidInput, Relation
from tests.conftest import SAMPLE, entity

Graph = tuple[list, list]


class Interrupted(Exception):
    """Stands for Ctrl-C or a lost connection half-way through."""


@pytest.fixture
def source(tmp_path: Path, small_graph: Graph) -> GraphStore:
    store = open_store(tmp_path / "source")
    entities, relations = small_graph
    store.upsert(entities, relations)
    store.write_scores({entities[0].id: {"pagerank": 0.5}, entities[1].id: {"degree": 2}})
    return store


def test_copy_is_complete_and_verified(source: GraphStore, tmp_path: Path) -> None:
    checkpoint = tmp_path / "progress.json"
    with open_store(tmp_path / "copy") as destination:
        report = migrate(source, destination, checkpoint, batch_size=4)
        assert destination.stats() == source.stats()
        assert destination.read_scores() == source.read_scores()
        assert sorted(destination.iter_relations(), key=lambda r: r.id) == \
            sorted(source.iter_relations(), key=lambda r: r.id)
    assert (report.entities, report.relations, report.scores) == (12, 11, 2)
    assert report.written == {"entities": 12, "relations": 11, "scores": 2}
    assert not checkpoint.exists()  # removed once verified
    source.close()


def test_an_interrupted_copy_resumes_from_its_checkpoint(source: GraphStore,
                                                         tmp_path: Path) -> None:
    checkpoint = tmp_path / "progress.json"
    seen: list[tuple[str, int]] = []

    def stop_in_relations(phase: str, done: int, _total: int) -> None:
        seen.append((phase, done))
        if phase == "relations" and done >= 6:
            raise Interrupted

    with open_store(tmp_path / "copy") as destination:
        with pytest.raises(Interrupted):
            migrate(source, destination, checkpoint, batch_size=3, progress=stop_in_relations)
        saved = json.loads(checkpoint.read_text(encoding="utf-8"))
        assert (saved["entities_done"], saved["relations_done"]) == (12, 6)
        assert destination.stats().relations == 6
        report = migrate(source, destination, checkpoint, batch_size=3)
        assert report.resumed_from == (12, 6, 0)
        assert report.written == {"entities": 0, "relations": 5, "scores": 2}
        assert destination.stats().content_hash == source.stats().content_hash
    assert not checkpoint.exists()
    source.close()


def test_a_non_empty_destination_is_refused(source: GraphStore, tmp_path: Path) -> None:
    with open_store(tmp_path / "other") as destination:
        destination.upsert([entity(EntityType.park, "别的园区")], [])
        with pytest.raises(InvalidInput, match="already holds 1 entities"):
            migrate(source, destination, tmp_path / "progress.json")
    source.close()


def test_a_source_changed_since_the_interruption_is_refused(source: GraphStore,
                                                            tmp_path: Path) -> None:
    checkpoint = tmp_path / "progress.json"

    def stop(_phase: str, _done: int, _total: int) -> None:
        raise Interrupted

    with open_store(tmp_path / "copy") as destination:
        with pytest.raises(Interrupted):
            migrate(source, destination, checkpoint, batch_size=2, progress=stop)
        source.upsert([entity(EntityType.park, "新园区")], [])
        with pytest.raises(InvalidInput, match="source changed"):
            migrate(source, destination, checkpoint)
    source.close()


def test_an_identical_destination_needs_no_copy(source: GraphStore, tmp_path: Path) -> None:
    with open_store(tmp_path / "copy") as destination:
        migrate(source, destination, tmp_path / "a.json")
        again = migrate(source, destination, tmp_path / "b.json")
    assert again.already_identical and not again.written
    source.close()


def test_cli_migrates_the_wenzhou_sample(tmp_path: Path) -> None:
    env = {**os.environ, "INNOGRAPH_REJECTS_DIR": str(tmp_path / "rejects")}

    def innograph(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "innograph", *args], capture_output=True,
                              text=True, env=env, timeout=300)

    loaded = innograph("--store", str(tmp_path / "a"), "ingest", str(SAMPLE), "--json")
    assert loaded.returncode == 0, loaded.stderr
    result = innograph("migrate", "--from", str(tmp_path / "a"), "--to", str(tmp_path / "b"),
                       "--checkpoint", str(tmp_path / "progress.json"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["entities"], report["relations"]) == (201, 411)
    hashes = {json.loads(innograph("--store", str(tmp_path / store), "stats", "--json")
                         .stdout)["content_hash"] for store in "ab"}
    assert hashes == {report["content_hash"]}
    same = innograph("migrate", "--from", str(tmp_path / "a"), "--to", str(tmp_path / "a"))
    assert same.returncode == 2 and "same folder" in same.stderr


class OrderChangingStore(EmbeddedStore):
    """A real embedded store that lists its relations in another order on every call: the
    contract promises every relation, not an order, so migrate must not rely on one."""

    calls = 0

    def iter_relations(self, batch_size: int = 5000) -> Iterator[Relation]:
        self.calls += 1
        relations = sorted(super().iter_relations(batch_size), key=lambda r: r.id)
        yield from (relations if self.calls % 2 else reversed(relations))


def test_a_resume_survives_relations_listed_in_another_order(tmp_path: Path,
                                                             small_graph: Graph) -> None:
    checkpoint = tmp_path / "progress.json"

    def stop_in_relations(phase: str, done: int, _total: int) -> None:
        if phase == "relations" and done >= 6:
            raise Interrupted

    with OrderChangingStore(tmp_path / "source") as source, \
            open_store(tmp_path / "copy") as destination:
        source.upsert(*small_graph)
        with pytest.raises(Interrupted):
            migrate(source, destination, checkpoint, batch_size=3, progress=stop_in_relations)
        report = migrate(source, destination, checkpoint, batch_size=3)  # other order now
        assert report.written["relations"] == len(small_graph[1])  # all again, none lost
        assert destination.stats().content_hash == source.stats().content_hash
