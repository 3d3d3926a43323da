"""The index a server builds is saved beside the store, and the next server reads it back
instead of building; a write makes the next start build (and save) again."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from api import indexes
from api.app import create_app
from graph.index_files import FOLDER, MANIFEST
from graph.settings import Settings
from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from schema import EntityType
from tests.conftest import SAMPLE, entity


def _saved_versions(store: GraphStore, wanted: int) -> list[str]:
    folder = Path(store.location) / FOLDER
    deadline = time.monotonic() + 120  # the save runs in a background thread
    while time.monotonic() < deadline:
        found = sorted(p.parent.name for p in folder.glob(f"*/{MANIFEST}"))
        if found == [str(wanted)]:  # saved, and the older versions removed
            return found
        time.sleep(0.2)
    raise AssertionError(f"version {wanted} was not saved alone in {folder}")


def _forget(store: GraphStore) -> None:
    """What a new server process starts with: no indexes in memory."""
    for registry in (indexes._served, indexes._fresh):
        registry.pop(store.location, None)


def test_the_next_server_reads_the_saved_index(tmp_path: Path) -> None:
    with open_store(tmp_path / "store") as store:
        load_paths(store, [SAMPLE])
        settings = Settings(store=store.location)
        _forget(store)
        with TestClient(create_app(settings, store=store)) as client:
            assert client.get("/search", params={"q": "yangu"}).json()["items"]
        assert _saved_versions(store, store.version()) == [str(store.version())]
        _forget(store)
        with TestClient(create_app(settings, store=store)) as client:
            loaded = indexes.current(store)
            assert loaded is not None and loaded.loaded  # read back, not built
            hits = client.get("/search", params={"q": "yangu"}).json()["items"]
            assert hits[0]["name"] == "中国眼谷"
        before = store.version()
        store.upsert([entity(EntityType.enterprise, "新开企业")], [])
        _forget(store)
        with TestClient(create_app(settings, store=store)) as client:
            built = indexes.current(store)
            assert built is not None and not built.loaded  # another version: built again
            assert client.get("/search", params={"q": "新开"}).json()["items"][0]["name"] == \
                "新开企业"
        assert _saved_versions(store, store.version()) == [str(store.version())] != [
            str(before)]  # the older version's folder is gone
