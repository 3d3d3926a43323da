"""Hostile strings in every parameter: the graph is untouched and they come back as data."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import API_KEY, writer_for

PAYLOADS = [
    "x' }) MATCH (n) DETACH DELETE n //",
    '"}) RETURN 1 UNION MATCH (n) SET n.name = "pwned" //',
    "MATCH (n) DETACH DELETE n",
    "`Entity`) DETACH DELETE n; //",
    "<script>alert('眼谷')</script>",
    '<img src=x onerror="alert(1)">温州',
    "温州\"><svg/onload=alert(1)>科创园",
    "${7*7}{{7*7}}",
    "../../etc/passwd",
    "\u202e眼谷",
]


def _reads(payload: str) -> list[tuple[str, dict[str, str]]]:
    zju = "institute:浙江大学温州研究院"
    return [
        ("/search", {"q": payload}),
        ("/search", {"q": "眼谷", "type": payload}),
        ("/entities", {"cursor": payload}),
        ("/entities", {"type": payload}),
        (f"/entities/{payload}", {}),
        (f"/entities/{payload}/neighborhood", {}),
        (f"/entities/{zju}/neighborhood", {"types": payload}),
        (f"/entities/{zju}/neighborhood", {"relations": payload}),
        ("/paths", {"source": payload, "target": zju}),
        ("/paths", {"source": zju, "target": "region:温州市", "relations": payload}),
    ]


def test_hostile_read_parameters_change_nothing(reader: TestClient) -> None:
    before = reader.app.state.store.stats().content_hash  # type: ignore[attr-defined]
    for payload in PAYLOADS:
        for path, params in _reads(payload):
            response = reader.get(path, params=params)
            assert response.status_code in (200, 404, 422), (path, params, response.text)
            assert response.headers["content-type"].startswith(("application/json",
                                                                "application/problem+json"))
    after = reader.app.state.store.stats().content_hash  # type: ignore[attr-defined]
    assert after == before
    echoed = reader.get("/search", params={"q": PAYLOADS[4]}).json()
    assert echoed["query"] == PAYLOADS[4]  # data in a JSON string, never markup or code


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_names_are_stored_and_returned_verbatim(tmp_path: Path, payload: str) -> None:
    key = {"X-API-Key": API_KEY}
    with writer_for(tmp_path) as client:
        client.post("/entities", headers=key, json=[{"name": "瓯海区", "type": "region"}])
        written = client.post("/entities", headers=key, json=[
            {"name": payload, "type": "enterprise", "aliases": payload + "别名"}]).json()
        assert written["created"]["entities"] == 1, written
        health = client.get("/health").json()
        assert health["entities"] == 2  # nothing else created, deleted or renamed
        assert client.get("/entities/region:瓯海区").json()["name"] == "瓯海区"
        found = client.get("/entities", params={"type": "enterprise"}).json()["items"][0]
        assert found["name_raw"] == payload
        if "../" in payload:
            return  # HTTP clients resolve dot segments in a path; the listing shows it above
        fetched = client.get(f"/entities/{found['id']}")
        assert fetched.status_code == 200, found["id"]
        assert fetched.json()["name_raw"] == payload
