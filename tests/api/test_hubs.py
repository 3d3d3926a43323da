"""A hub with tens of thousands of neighbours: every neighbourhood answer stays bounded and
says ``truncated`` — the in-memory index, the API (index and store paths) and pyvis."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.neighborhood_index import NeighborhoodIndex
from graph.settings import Settings
from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from schema import Entity, EntityType, Relation, RelationType, relation_id
from schema.tables import entities_to_table, relations_to_table

HUB = "park:枢纽园"


def test_index_bounds_a_hub_of_50k() -> None:
    firms = [Entity(f"enterprise:{i:05d}", EntityType.enterprise, f"企业{i:05d}")
             for i in range(50_000)]
    hub = Entity(HUB, EntityType.park, "枢纽园")
    ties = [Relation(relation_id(f.id, RelationType.located_in, HUB),
                     RelationType.located_in, f.id, HUB) for f in firms]
    index = NeighborhoodIndex(entities_to_table([hub, *firms]), relations_to_table(ties))
    for depth in (1, 2):
        found = index.neighborhood(HUB, depth=depth, max_nodes=500)
        assert found.truncated and len(found.nodes) == 500 and len(found.edges) == 499
    assert not index.neighborhood(firms[0].id, depth=1).truncated


@pytest.fixture(scope="module")
def hub_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """A park with 2,500 enterprises located in it (more than any route's cap)."""
    folder = tmp_path_factory.mktemp("hub")
    with (folder / "entities.csv").open("w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(["id", "name", "type"])
        rows.writerow([HUB, "枢纽园", "park"])
        rows.writerows([f"enterprise:{i:05d}", f"企业{i:05d}", "enterprise"] for i in range(2500))
    with (folder / "relations.csv").open("w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(["source", "target", "relation"])
        rows.writerows([f"enterprise:{i:05d}", HUB, "located_in"] for i in range(2500))
    store = open_store(folder / "store")
    load_paths(store, [folder / "entities.csv", folder / "relations.csv"])
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(hub_store: GraphStore, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[TestClient]:
    settings = Settings(store=hub_store.location, rejects_dir=tmp_path_factory.mktemp("r"))
    with TestClient(create_app(settings, store=hub_store)) as served:
        yield served


def test_api_neighbourhood_of_the_hub_is_capped(client: TestClient) -> None:
    for depth in (1, 2):
        body = client.get(f"/entities/{HUB}/neighborhood", params={"depth": depth,
                                                                   "limit": 500}).json()
        assert body["truncated"] and len(body["nodes"]) == 500 and len(body["edges"]) == 499


def test_pyvis_page_of_the_hub_is_capped(client: TestClient) -> None:
    page = client.get(f"/viz/neighborhood/{HUB}", params={"limit": 2000})
    assert page.status_code == 200, page.text
    assert "只显示前 2000 个" in page.text  # the page says it was cut


def test_store_path_is_capped_too(hub_store: GraphStore, tmp_path: Path) -> None:
    found = hub_store.neighborhood(HUB, depth=2, max_nodes=500)
    assert found.truncated and len(found.nodes) == 500
