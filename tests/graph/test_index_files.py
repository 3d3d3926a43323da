"""Indexes saved beside the store: read back they answer as a fresh build does, and files
that are partial, corrupt or of another version are never trusted."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.index_files import FOLDER, MANIFEST, folder_of
from graph.saved_indexes import Indexes, build, load_saved, save_built
from graph.search_keys import same_columns
from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from schema import EntityType
from tests.conftest import SAMPLE, entity

QUERIES = ["浙大", "温州", "眼谷", "yangu", "zgyg", "wz", "溫州醫科大學", "浙大温研", "华联",
           "李校坤", "研究院", "y", "瓯", "平台"]


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[GraphStore]:
    store = open_store(tmp_path / "store")
    load_paths(store, [SAMPLE])
    yield store
    store.close()


def _saved(store: GraphStore) -> tuple[Indexes, Path]:
    built = build(store)
    assert save_built(store.location, built) is not None
    folder = folder_of(store.location)
    assert folder is not None
    return built, folder / str(built.version)


def test_saved_indexes_answer_as_a_fresh_build(sample: GraphStore) -> None:
    built, _ = _saved(sample)
    loaded = load_saved(sample)
    assert loaded is not None and loaded.loaded and loaded.search.has_latin
    assert same_columns(loaded.search.columns(), built.search.columns())
    for query in QUERIES:
        assert loaded.search.search(query, limit=20) == built.search.search(query, limit=20)
    for found in sample.iter_entities():
        assert loaded.search.resolve(found.name).id == built.search.resolve(found.name).id
        assert loaded.neighborhoods.neighborhood(found.id, depth=2, max_nodes=50) == \
            built.neighborhoods.neighborhood(found.id, depth=2, max_nodes=50)


def _flip_a_byte(folder: Path) -> None:
    victim = max(folder.glob("*.arrow"), key=lambda p: p.stat().st_size)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))


def _truncate(folder: Path) -> None:
    victim = next(folder.glob("*.npy"))
    victim.write_bytes(victim.read_bytes()[:-8])


def _drop_a_file(folder: Path) -> None:
    next(folder.glob("*.arrow")).unlink()


def _no_manifest(folder: Path) -> None:
    (folder / MANIFEST).unlink()  # a copy interrupted before its last file


def _bad_manifest(folder: Path) -> None:
    (folder / MANIFEST).write_text("{not json")


def _other_version(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["version"] += 1
    (folder / MANIFEST).write_text(json.dumps(manifest))


def _other_store(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["fingerprint"]["entities"]["enterprise"] += 1
    (folder / MANIFEST).write_text(json.dumps(manifest))


def _file_outside(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    entry = next(iter(manifest["files"].values()))
    entry["file"] = "../../" + entry["file"]
    (folder / MANIFEST).write_text(json.dumps(manifest))


@pytest.mark.parametrize("damage", [_flip_a_byte, _truncate, _drop_a_file, _no_manifest,
                                    _bad_manifest, _other_version, _other_store, _file_outside])
def test_damaged_or_foreign_files_are_ignored_and_rebuilt(
        sample: GraphStore, damage: Callable[[Path], None]) -> None:
    _, folder = _saved(sample)
    damage(folder)
    assert load_saved(sample) is None
    rebuilt, _ = _saved(sample)  # built from the store and saved again over the bad folder
    loaded = load_saved(sample)
    assert loaded is not None
    assert loaded.search.search("浙大") == rebuilt.search.search("浙大")


def test_a_write_makes_the_saved_version_stale_and_a_save_removes_it(sample: GraphStore
                                                                      ) -> None:
    _, first = _saved(sample)
    sample.upsert([entity(EntityType.enterprise, "新写入企业")], [])
    assert load_saved(sample) is None  # the store's version moved on
    _, second = _saved(sample)
    assert second != first and not first.exists() and second.exists()
    loaded = load_saved(sample)
    assert loaded is not None and loaded.search.resolve("新写入企业").name == "新写入企业"


def test_a_folder_saved_by_another_process_first_is_kept(sample: GraphStore) -> None:
    _, folder = _saved(sample)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert save_built(sample.location, build(sample)) is not None
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]


def test_a_store_that_is_no_folder_saves_nothing(tmp_path: Path) -> None:
    assert folder_of("bolt://localhost:7687") is None
    assert folder_of(str(tmp_path / "missing")) is None
    assert not (tmp_path / FOLDER).exists()
