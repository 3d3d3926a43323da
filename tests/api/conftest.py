"""API fixtures: the Wenzhou sample in a store, served read-only or with writes enabled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings
from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from tests.conftest import SAMPLE

API_KEY = "test-key-0b9e"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """The Wenzhou sample, loaded once per test module (tests here only read it)."""
    store = open_store(tmp_path_factory.mktemp("sample") / "store")
    summary = load_paths(store, [SAMPLE])
    assert summary.rejected == 0
    yield store
    store.close()


@pytest.fixture(scope="module")
def reader(sample_store: GraphStore, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[TestClient]:
    settings = Settings(store=sample_store.location,
                        rejects_dir=tmp_path_factory.mktemp("rejects"))
    with TestClient(create_app(settings, store=sample_store)) as client:
        yield client


def writer_for(tmp_path: Path, **overrides: object) -> TestClient:
    """A client of a fresh store with writes enabled (key ``API_KEY``)."""
    settings = Settings(store=str(tmp_path / "store"), api_key=API_KEY,  # type: ignore[arg-type]
                        rejects_dir=tmp_path / "rejects", **overrides)
    return TestClient(create_app(settings))
