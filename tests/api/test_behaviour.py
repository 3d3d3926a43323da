"""Cross-cutting behaviour: request ids, access logs, 503/500 as problems, CORS."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings


def test_request_ids_are_echoed_or_made_and_every_request_is_logged(
        reader: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="innograph.access"):
        given = reader.get("/health", headers={"X-Request-ID": "abc-123"})
        made = reader.get("/entities/nope")
        hostile = reader.get("/health", headers={"X-Request-ID": "<script>\n"})
    assert given.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 16
    assert hostile.headers["x-request-id"] != "<script>\n"
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "innograph.access"]
    assert [(r["path"], r["status"]) for r in records] == [
        ("/health", 200), ("/entities/nope", 404), ("/health", 200)]
    assert records[0]["request_id"] == "abc-123" and records[0]["ms"] >= 0


def test_an_unreachable_store_is_503_never_a_stack_trace(tmp_path: Path) -> None:
    # no graph at this path: the read-only server cannot open it
    with TestClient(create_app(Settings(store=str(tmp_path / "missing")))) as client:
        health = client.get("/health")
        search = client.get("/search", params={"q": "眼谷"})
    assert health.status_code == 503 and health.json()["store_reachable"] is False
    assert search.status_code == 503
    assert search.headers["content-type"].startswith("application/problem+json")
    assert "Traceback" not in search.text and "missing" in search.json()["detail"]


def test_unexpected_errors_are_500_problems_quoting_the_request_id(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings(store=str(tmp_path / "s")))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as client, \
            caplog.at_level(logging.ERROR, logger="innograph.api"):
        response = client.get("/boom", headers={"X-Request-ID": "req-9"})
    assert response.status_code == 500 and "req-9" in response.json()["detail"]
    assert "secret internals" not in response.text
    assert any("req-9" in r.getMessage() for r in caplog.records)


def test_cors_allows_only_configured_origins_without_credentials(tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "s"), cors_origins=["https://zs.wenzhou.example"])
    with TestClient(create_app(settings)) as client:
        allowed = client.options("/search", headers={
            "Origin": "https://zs.wenzhou.example", "Access-Control-Request-Method": "GET"})
        other = client.options("/search", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert allowed.headers["access-control-allow-origin"] == "https://zs.wenzhou.example"
    assert "access-control-allow-credentials" not in allowed.headers
    assert "access-control-allow-origin" not in other.headers
