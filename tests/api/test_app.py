"""The minimal API: /health and /search, with problem-details errors."""

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


@pytest.fixture
def client(embedded: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    (tmp_path / "e.csv").write_text("name,type,aliases\n浙江大学温州研究院,institute,浙大温州研究院\n"
                                    "中国眼谷,incubator,眼谷\n", encoding="utf-8")
    load_paths(embedded, [tmp_path / "e.csv"])
    with TestClient(create_app(Settings(store=str(tmp_path / "unused")), store=embedded)) as c:
        yield c


def test_health_reports_store_and_counts(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["store_type"] == "embedded"
    assert body["entities"] == 2 and body["entities_by_type"] == {"incubator": 1, "institute": 1}


def test_search_chinese_pinyin_traditional(client: TestClient) -> None:
    for query, matched_on in (("眼谷", "alias"), ("zgyg", "initials"), ("浙大溫州研究院", "alias")):
        items = client.get("/search", params={"q": query}).json()["items"]
        assert items[0]["matched_on"] == matched_on
    assert client.get("/search", params={"q": "眼谷", "type": "institute"}).json()["items"] == []


@pytest.mark.parametrize(("params", "parameter"), [
    ({"q": ""}, "q"), ({"q": "x" * 101}, "q"), ({"q": "眼谷", "limit": 0}, "limit"),
    ({"q": "眼谷", "limit": 101}, "limit"), ({"q": "眼谷", "type": "bogus"}, "type"), ({}, "q"),
])
def test_bad_parameters_are_422_naming_the_parameter(client: TestClient, params: dict[str, str],
                                                     parameter: str) -> None:
    response = client.get("/search", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["parameter"] == parameter


def test_app_opens_its_own_store_read_only(tmp_path: Path) -> None:
    with open_store(tmp_path / "s") as store:
        (tmp_path / "e.csv").write_text("name,type\n瓯海区,region\n", encoding="utf-8")
        load_paths(store, [tmp_path / "e.csv"])
    with TestClient(create_app(Settings(store=str(tmp_path / "s")))) as c:
        assert c.get("/health").json()["entities"] == 1


def test_a_method_not_allowed_says_which_are(tmp_path: Path) -> None:
    """Issue 15, finding 7: TRACE answered 405 without ``Allow``."""
    from api.app import create_app
    from graph.settings import Settings

    with TestClient(create_app(Settings(store=str(tmp_path / "s")))) as client:
        trace = client.request("TRACE", "/health")
        assert trace.status_code == 405 and trace.headers["allow"] == "GET"


def test_an_oversized_upload_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """Issue 15, finding 6: an oversized upload was refused only after the whole body was
    spooled to disk; now the declared size alone answers 413."""
    from api.app import create_app
    from graph.settings import Settings

    settings = Settings(store=str(tmp_path / "s"), api_key="k" * 24, max_upload_mb=1)
    with TestClient(create_app(settings)) as client:
        huge = b"x" * ((20 << 20) + (2 << 20))  # more than 20 files of 1 MiB
        response = client.post("/ingest", content=huge, headers={
            "X-API-Key": "k" * 24, "Content-Type": "multipart/form-data; boundary=x"})
        assert response.status_code == 413 and "INNOGRAPH_MAX_UPLOAD_MB" in response.text


def test_a_killed_first_load_is_reported_not_served_until_it_is_rerun(tmp_path: Path) -> None:
    """Issue 15, finding 3: a killed first load (written without a transaction, for speed)
    left half a graph that readers were served. Its mark stays until the load is rerun:
    reads answer 503 saying so (in Chinese first), /health says loading."""
    from graph.store import ladybug_queries as q

    folder = tmp_path / "store"
    with open_store(str(folder)) as store:
        load_paths(store, [SAMPLE])
        store._run(q.SET_META, {"key": q.LOADING, "value": "first load"})  # type: ignore[attr-defined]
    settings = Settings(store=str(folder))
    with TestClient(create_app(settings)) as client:
        health = client.get("/health")
        assert health.status_code == 503 and health.json()["status"] == "loading"
        search = client.get("/search", params={"q": "眼谷"})
        assert search.status_code == 503 and "图谱正在首次载入" in search.json()["detail"]
    with open_store(str(folder)) as store:
        load_paths(store, [SAMPLE])  # the rerun completes it and lifts the mark
        assert store.interrupted_load() is None
    with TestClient(create_app(settings)) as client:
        assert client.get("/search", params={"q": "眼谷"}).status_code == 200
