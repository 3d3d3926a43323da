"""``/viz/…`` and the viewer's routes through the app: HTML, caps, 404s, no path escape."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from graph.store.base import MAX_NEIGHBORHOOD_NODES
from tests.viewer.served import HOSTILE_NAMES, HUB


def test_neighborhood_page(client: TestClient) -> None:
    reply = client.get(f"/viz/neighborhood/{quote(HUB)}", params={"depth": 2, "size_by": "degree"})
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/html")
    assert "中国眼谷（园区）的邻域" in reply.text and "节点大小按度数" in reply.text
    assert 'src="/vendor/vis-network.min.js"' in reply.text


def test_chain_page(client: TestClient) -> None:
    reply = client.get(f"/viz/chain/{quote('industry:眼镜')}")
    assert reply.status_code == 200 and "眼镜产业链图谱" in reply.text and "缺失环节" in reply.text


def test_hostile_name_in_heading_is_escaped(client: TestClient) -> None:
    reply = client.get(f"/viz/neighborhood/{quote('institute:' + HOSTILE_NAMES[1], safe='')}")
    assert reply.status_code == 200
    assert "<script>alert(2)" not in reply.text and "&lt;script&gt;alert(2)" in reply.text


def test_chain_page_of_one_region(client: TestClient) -> None:
    reply = client.get(f"/viz/chain/{quote('industry:眼镜')}", params={"region": "region:瓯海区"})
    assert reply.status_code == 200 and "眼镜产业链图谱（瓯海区）" in reply.text


@pytest.mark.parametrize("path", ["/viz/neighborhood/park:没有这个园区", "/viz/chain/industry:没有",
                                  f"/viz/chain/{quote(HUB)}",
                                  "/viz/chain/industry:眼镜?region=industry:眼镜"])
def test_unknown_ids_are_404(client: TestClient, path: str) -> None:
    reply = client.get(path)
    assert reply.status_code == 404 and reply.json()["status"] == 404


@pytest.mark.parametrize(("params", "parameter"), [
    ({"depth": 4}, "depth"), ({"limit": MAX_NEIGHBORHOOD_NODES + 1}, "limit"),
    ({"size_by": "<b>"}, "size_by"), ({"types": "nope"}, "types")])
def test_over_the_caps_is_422(client: TestClient, params: dict[str, object],
                              parameter: str) -> None:
    reply = client.get(f"/viz/neighborhood/{quote(HUB)}", params=params)
    assert reply.status_code == 422 and parameter in reply.text


def test_viewer_page_and_assets(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "温州创新生态知识图谱" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/viewer.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/vendor/vis-network.min.js").text.startswith("/**\n * vis-network")


@pytest.mark.parametrize("path", ["/static/..%2F..%2Fpyproject.toml", "/static/secret.js",
                                  "/vendor/LICENSE-vis-network-MIT", "/vendor/..%2Fchain.py"])
def test_only_listed_assets_are_served(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_viewer_sources_build_dom_without_markup() -> None:
    from api.routes.viewer import ASSETS, STATIC_DIR

    for name in ASSETS:
        text = (STATIC_DIR / name).read_text("utf-8")
        assert ".innerHTML" not in text and ".outerHTML" not in text, name
        assert "insertAdjacentHTML" not in text, name
        assert "document.write" not in text and "eval(" not in text, name
        if name != "index.html":
            assert "http://" not in text and "https://" not in text, name


def test_viewer_and_pyvis_pages_share_type_styles() -> None:
    import re

    from api.routes.viewer import STATIC_DIR
    from viz import TYPE_STYLES

    script = (STATIC_DIR / "graph.js").read_text("utf-8")
    rows = re.findall(r'(\w+): \["(#[0-9a-f]{6})", "(\w+)", "[^"]+"\]', script)
    found = {name: (color, shape) for name, color, shape in rows}
    assert found == {t.value: (s.color, s.shape) for t, s in TYPE_STYLES.items()}
