"""``GET /search`` is answered before routing when it can be, and by the router otherwise.

``tests/api/test_lean.py`` checks that the quick path and the declared route give the same
bytes; these check that the middleware really takes the quick path (the router is not
reached), that anything it declines or raises still reaches the router, and that with CORS
configured every request goes through the CORS layer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import api.routes.search as search_route
from api.app import create_app
from api.lean import quick_paths
from api.middleware import RequestContext
from graph.settings import Settings
from graph.store import GraphStore


def _quick_table(client: TestClient) -> dict[str, object]:
    found = [m for m in client.app.user_middleware  # type: ignore[attr-defined]
             if m.cls is RequestContext]
    assert len(found) == 1
    return dict(found[0].kwargs["quick"])


def test_the_search_route_has_a_quick_path_tried_before_routing(reader: TestClient) -> None:
    assert quick_paths([search_route.router]) == {"/search": search_route._quick}
    assert _quick_table(reader) == {"/search": search_route._quick}


def test_a_plain_search_does_not_reach_the_router(reader: TestClient,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    routed: list[str] = []
    router = reader.app.router  # type: ignore[attr-defined]
    original = type(router).__call__

    async def counting(self: object, scope: dict[str, object], receive: object,
                       send: object) -> None:
        routed.append(str(scope["path"]))
        await original(self, scope, receive, send)  # type: ignore[arg-type]

    monkeypatch.setattr(type(router), "__call__", counting)
    assert reader.get("/search?q=眼谷").status_code == 200
    assert routed == []
    # declined (a parameter given twice, a bad limit): the router answers
    assert reader.get("/search?q=眼谷&q=眼谷").status_code == 200
    assert reader.get("/search?q=眼谷&limit=0").status_code == 422
    assert routed == ["/search", "/search"]


def test_a_quick_path_that_raises_leaves_the_answer_to_the_router(
        reader: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    async def failing(request: object, params: dict[str, str]) -> None:
        calls.append(params)
        raise RuntimeError("boom")

    table = next(m for m in reader.app.user_middleware  # type: ignore[attr-defined]
                 if m.cls is RequestContext).kwargs["quick"]
    monkeypatch.setitem(table, "/search", failing)
    # the middleware stack was built with the same dict: the router's own quick path
    # (unchanged) then answers
    answer = reader.get("/search?q=眼谷&limit=3")
    assert answer.status_code == 200 and len(answer.json()["items"]) <= 3
    assert calls == [{"q": "眼谷", "limit": "3"}]


def test_with_cors_every_search_goes_through_the_cors_layer(
        sample_store: GraphStore, tmp_path: Path) -> None:
    origin = "https://zs.wenzhou.example"
    settings = Settings(store=sample_store.location, cors_origins=[origin],
                        rejects_dir=tmp_path / "rejects")
    with TestClient(create_app(settings, store=sample_store)) as client:
        assert _quick_table(client) == {}
        answer = client.get("/search?q=眼谷", headers={"Origin": origin})
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == origin
