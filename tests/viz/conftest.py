"""The Wenzhou sample in a store, and its analysis (projection, recommender), per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.analysis import Analysis, analysis_of
from graph.settings import Settings
from graph.store import GraphStore
from tests.viewer.served import app_with_viewer, sample_with_hostile_names


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = sample_with_hostile_names(tmp_path_factory.mktemp("viz") / "store")
    yield store
    store.close()


@pytest.fixture(scope="module")
def sample_analysis(sample: GraphStore) -> Analysis:
    return analysis_of(sample)


@pytest.fixture(scope="module")
def client(sample: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(store=sample.location, rejects_dir=tmp_path_factory.mktemp("rejects"))
    with TestClient(app_with_viewer(sample, settings)) as opened:
        yield opened
