"""/docs and /redoc are served with their assets from this package (issue 23); the browser
side, offline, is tests/viewer/test_offline_pages.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.docs import ASSETS, ASSETS_DIR
from graph.settings import Settings


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(Settings(store=str(tmp_path / "s"))))


def test_pages_name_only_local_assets(client: TestClient) -> None:
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in docs and "/static/vendor/swagger-ui.css" in docs
    redoc = client.get("/redoc").text
    assert "/static/vendor/redoc.standalone.js" in redoc and "fonts.googleapis" not in redoc
    for page in (docs, redoc):
        assert "/static/vendor/favicon.png" in page and "https://" not in page
    assert "swaggerUIRedirectOauth2" in client.get("/docs/oauth2-redirect").text


def test_every_asset_is_served_and_nothing_else(client: TestClient) -> None:
    for name, media_type in ASSETS.items():
        answer = client.get(f"/static/vendor/{name}")
        assert answer.status_code == 200 and answer.headers["content-type"] == media_type
        assert answer.content == (ASSETS_DIR / name).read_bytes()
    for name in ("README.md", "LICENSE-redoc-MIT", "..%2Fviewer.js", "x" * 41):
        assert client.get(f"/static/vendor/{name}").status_code in (404, 422)


def test_licences_travel_with_the_assets() -> None:
    present = {p.name for p in ASSETS_DIR.iterdir()}
    assert {"README.md", "LICENSE-swagger-ui-dist-APACHE-2.0", "NOTICE-swagger-ui-dist",
            "LICENSE-redoc-MIT"} <= present


def test_behind_a_proxy_the_pages_keep_its_prefix(tmp_path: Path) -> None:
    app = create_app(Settings(store=str(tmp_path / "s")))
    with TestClient(app, root_path="/graph") as client:
        docs = client.get("/docs").text
        assert "'/graph/openapi.json'" in docs
        assert "/graph/static/vendor/swagger-ui-bundle.js" in docs
        assert "/graph/docs/oauth2-redirect" in docs
        assert 'spec-url="/graph/openapi.json"' in client.get("/redoc").text
