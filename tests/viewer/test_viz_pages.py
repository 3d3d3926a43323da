"""The pyvis pages (/viz) in headless chromium: drawn, names as text, nothing loaded from
elsewhere, no dialog; and a page saved to a file opens with no server at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from playwright.sync_api import expect

from graph.store.base import Subgraph
from viz import render_subgraph

from .conftest import Incidents, screenshot
from .served import HOSTILE_NAMES, HUB, hostile_entities

Guarded = tuple[Any, Incidents]


def drawn(page: Any) -> int:
    page.wait_for_selector("body[data-drawn]", state="attached", timeout=30_000)
    return int(page.get_attribute("body", "data-drawn"))


def test_neighborhood_page_draws_every_node(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(f"{base_url}/viz/neighborhood/{quote(HUB)}?depth=1")
    nodes = page.evaluate("() => window.innographNetwork.body.data.nodes.getIds()")
    assert drawn(page) == len(nodes) and set(nodes) >= {HUB, *(f"institute:{n}" for n in HOSTILE_NAMES)}
    labels = page.evaluate("() => window.innographNetwork.body.data.nodes.map((n) => n.label)")
    assert set(HOSTILE_NAMES) <= set(labels)  # labels arrive as the very names, drawn on canvas


def test_hostile_entity_page_shows_its_name_as_text(guarded: Guarded, base_url: str) -> None:
    page, seen = guarded
    name = HOSTILE_NAMES[0]
    page.goto(f"{base_url}/viz/neighborhood/{quote('institute:' + name)}")
    drawn(page)
    expect(page.locator("h1")).to_have_text(f"{name}（科研机构）的邻域")
    assert page.title() == f"{name}（科研机构）的邻域"
    assert page.locator("header img, header script").count() == 0
    # hover the node: its tooltip shows the payload as text, not as an element
    position = page.evaluate(
        "(id) => { const n = window.innographNetwork; const p = n.canvasToDOM(n.getPosition(id));"
        " return [p.x, p.y]; }", "institute:" + name)
    box = page.locator("#graph canvas").bounding_box()
    page.mouse.move(box["x"] + position[0], box["y"] + position[1])
    tooltip = page.locator("div.vis-tooltip")
    expect(tooltip).to_contain_text(name)
    expect(tooltip).to_contain_text("<b>省级</b>")
    assert tooltip.locator("img, b, script").count() == 0
    page.wait_for_timeout(300)
    assert seen.dialogs == []


def test_chain_page_marks_gaps(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(f"{base_url}/viz/chain/{quote('industry:眼镜')}")
    drawn(page)
    expect(page.locator("h1")).to_have_text("眼镜产业链图谱")
    expect(page.locator(".notes")).to_contain_text("缺失环节")
    labels = page.evaluate("() => window.innographNetwork.body.data.nodes.map((n) => n.label)")
    assert sum(label.endswith("（缺失）") for label in labels) >= 1
    screenshot(page, "viz-chain.png")


def test_a_saved_page_opens_offline(guarded: Guarded, tmp_path: Path) -> None:
    page, seen = guarded
    entities, _ = hostile_entities()
    saved = tmp_path / "graph.html"
    saved.write_text(render_subgraph(Subgraph(entities, []), heading=HOSTILE_NAMES[1]), "utf-8")
    page.goto(saved.as_uri())
    assert drawn(page) == 2
    expect(page.locator("h1")).to_have_text(HOSTILE_NAMES[1])
    assert seen.foreign_requests == []


def test_nodes_are_sized_by_their_score(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(f"{base_url}/viz/neighborhood/{quote('institute:温州医科大学')}?depth=2"
              "&size_by=pagerank")
    drawn(page)
    sizes = page.evaluate("() => window.innographNetwork.body.data.nodes.map((n) => n.size)")
    assert min(sizes) == 10 and max(sizes) == 40  # scaled from the lowest to the highest
    expect(page.locator(".sub")).to_contain_text("节点大小按PageRank")
    screenshot(page, "viz-neighborhood.png")
