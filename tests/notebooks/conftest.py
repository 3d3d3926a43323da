"""The Wenzhou sample loaded once through :func:`innograph.notebook.sample_store`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.analytics import Projection, project
from graph.store import GraphStore
from innograph.notebook import sample_store


@pytest.fixture(scope="package")
def notebook_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = sample_store(tmp_path_factory.mktemp("notebook-helpers") / "store")
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(scope="package")
def sample(notebook_store: GraphStore) -> Projection:
    return project(notebook_store)
