"""The review queue over HTTP: listing is open, decisions need X-API-Key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from graph.settings import Settings
from graph.store.base import GraphStore
from ingest.documents.pipeline import ingest_documents

KEY = "test-key-7f3a"


def _client(store: GraphStore, tmp_path: Path, api_key: str | None) -> TestClient:
    settings = Settings(store=str(tmp_path / "unused"),
                        api_key=SecretStr(api_key) if api_key else None)
    return TestClient(create_app(settings, store=store))


@pytest.fixture
def queued(embedded: GraphStore, simplified_file: Path) -> GraphStore:
    ingest_documents(embedded, [simplified_file])
    return embedded


@pytest.fixture
def client(queued: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    with _client(queued, tmp_path, KEY) as c:
        yield c


def _relation_id(client: TestClient, text: str) -> str:
    items = client.get("/review", params={"kind": "relation"}).json()["items"]
    return next(i["id"] for i in items if text in str(i["data"]))


def test_list_is_open_and_bounded(client: TestClient) -> None:
    body = client.get("/review").json()
    assert body["counts"]["pending"] == len(body["items"]) > 0
    response = client.get("/review", params={"limit": 0})
    assert response.status_code == 422 and response.json()["parameter"] == "limit"
    assert client.get("/review", params={"status": "bogus"}).status_code == 422


def test_writes_need_the_key(client: TestClient) -> None:
    the_id = _relation_id(client, "东方电气集团")
    for headers, status in (({}, 401), ({"X-API-Key": "wrong"}, 403)):
        response = client.post(f"/review/{the_id}/accept", headers=headers)
        assert response.status_code == status
        assert response.headers["content-type"].startswith("application/problem+json")
    accepted = client.post(f"/review/{the_id}/accept", headers={"X-API-Key": KEY})
    assert accepted.status_code == 200 and accepted.json()["created"] is True
    again = client.post(f"/review/{the_id}/accept", headers={"X-API-Key": KEY})
    # the second decision on one candidate is a conflict (issue 15: exactly one wins)
    assert again.status_code == 409 and "is accepted" in again.json()["detail"]


def test_edit_and_reject(client: TestClient) -> None:
    the_id = _relation_id(client, "甬江实验室")
    headers = {"X-API-Key": KEY}
    edited = client.post(f"/review/{the_id}/edit", json={"year": 2023}, headers=headers)
    assert edited.status_code == 200 and edited.json()["data"]["year"] == 2023
    bad = client.post(f"/review/{the_id}/edit", json={"status": "done"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["parameter"] == "status"
    rejected = client.post(f"/review/{the_id}/reject", json={"reason": "dup"}, headers=headers)
    assert rejected.json()["status"] == "rejected"
    assert client.post("/review/c:0000000000000000/reject", json={},
                       headers=headers).status_code == 404
    assert client.post("/review/nonsense/reject", json={}, headers=headers).status_code == 422


def test_no_configured_key_refuses_every_write(queued: GraphStore, tmp_path: Path) -> None:
    with _client(queued, tmp_path, None) as c:
        the_id = _relation_id(c, "东方电气集团")
        for action, body in (("accept", None), ("edit", {"year": 2020}), ("reject", {})):
            response = c.post(f"/review/{the_id}/{action}", json=body,
                              headers={"X-API-Key": "anything"})
            assert response.status_code == 403 and "no API key" in response.json()["detail"]


def test_the_queue_is_found_when_the_app_opens_its_own_store(
        tmp_path: Path, simplified_file: Path) -> None:
    from graph.store import open_store

    with open_store(tmp_path / "own") as store:
        ingest_documents(store, [simplified_file])
    settings = Settings(store=str(tmp_path / "own"), api_key=SecretStr(KEY))
    with TestClient(create_app(settings)) as c:  # the store is opened on first use
        body = c.get("/review").json()
        assert body["counts"]["pending"] > 0
        the_id = next(i["id"] for i in body["items"] if "东方电气集团" in str(i["data"]))
        accepted = c.post(f"/review/{the_id}/accept", headers={"X-API-Key": KEY})
        assert accepted.status_code == 200, accepted.json()


def test_an_upload_read_by_both_readers_lists_its_explanations(embedded: GraphStore,
                                                               tmp_path: Path) -> None:
    text = "温州医科大学与加拿大健康科学院签署合作备忘录。"
    with _client(embedded, tmp_path, KEY) as client:
        refused = client.post("/ingest", params={"second_reader": "true", "auto_accept": 0.2},
                              headers={"X-API-Key": KEY},
                              files={"files": ("report.txt", text.encode(), "text/plain")})
        assert refused.status_code == 422 and refused.json()["parameter"] == "auto_accept"
        answer = client.post("/ingest", params={"second_reader": "true", "auto_accept": 0.95},
                             headers={"X-API-Key": KEY},
                             files={"files": ("report.txt", text.encode(), "text/plain")})
        assert answer.status_code == 200, answer.text
        documents = answer.json()["documents"]
        assert documents["second_reader"] is True and len(documents["auto_accepted"]) == 1
        listed = client.get("/review", params={"kind": "entity", "status": "pending"}).json()
    pending = {i["data"]["canonical"]: i["data"] for i in listed["items"]}
    assert pending["加拿大健康科学院"]["readers"] == ["model"]
    assert pending["加拿大健康科学院"]["explanation"] == "仅模型读出（LAC 机构名）"
