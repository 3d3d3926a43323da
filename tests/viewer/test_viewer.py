"""The web viewer in headless chromium: search, entity, graph, chain map, recommendations,
paths, URL state and exports, with no console error and no request leaving the machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from .conftest import Incidents, drawn_nodes, screenshot
from .served import HUB

Guarded = tuple[Any, Incidents]
def neighbours_of(base_url: str, entity_id: str) -> int:
    """How many entities the API puts in a 1-hop neighbourhood (what the graph must draw)."""
    import json
    from urllib.request import urlopen

    with urlopen(f"{base_url}/entities/{quote(entity_id)}/neighborhood?limit=500") as reply:
        return len(json.load(reply)["nodes"])


def test_search_open_entity_and_see_its_graph(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/")
    page.fill("#q", "眼谷")
    page.wait_for_selector("#results li.result")
    found = page.locator("#results li.result")
    assert any("园区" in text and "中国眼谷" in text for text in found.all_text_contents())
    page.click(f"#results li[data-id='{HUB}']")
    assert drawn_nodes(page) == neighbours_of(base_url, HUB)
    assert page.text_content("#entity-name") == "中国眼谷"
    page.wait_for_selector("#partners li.partner")
    assert "出处" in page.text_content("#panel")


@pytest.mark.parametrize(("query", "how"), [("zhongguoyangu", "拼音"), ("zgyg", "首字母")])
def test_pinyin_and_initials_find_the_entity(guarded: Guarded, base_url: str, query: str,
                                             how: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/")
    page.fill("#q", query)
    expect(page.locator(f"#results li[data-id='{HUB}']")).to_contain_text(f"（{how}：中国眼谷）")


def test_chain_map_shows_segments_and_gap_candidates(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/#chain=" + quote("industry:眼镜"))
    page.wait_for_selector(".segment")
    segments = page.locator(".segment h2").all_text_contents()
    assert len(segments) == 5 and all(s.startswith("眼镜·") for s in segments)
    assert page.locator(".segment.gap").count() >= 1
    page.locator(".segment.gap .show-candidates").first.click()
    page.wait_for_selector("#gap-detail li.candidate .why")
    assert "gap=" in page.url  # the opened gap is part of the shareable URL
    screenshot(page, "viewer-chain.png", full_page=True)


def chain_members(base_url: str, industry: str, region: str = "") -> set[str]:
    import json
    from urllib.request import urlopen

    asked = f"{base_url}/industries/{quote(industry)}/chain" + (f"?region={quote(region)}" if region else "")
    with urlopen(asked) as reply:
        report = json.load(reply)
    return {m["entity"]["id"] for s in report["segments"] for m in s["members"]}


def test_the_chain_map_takes_a_region_filter(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/#chain=" + quote("industry:智能装备"))
    page.wait_for_selector(".segment")
    shown = "links => links.map(a => a.dataset.id)"
    assert set(page.eval_on_selector_all(".segment li a.entity", shown)) == chain_members(
        base_url, "industry:智能装备")
    page.wait_for_selector("#chain-region option[value='region:瓯海区']", state="attached")
    page.select_option("#chain-region", "region:瓯海区")
    page.wait_for_function("() => document.querySelector('#chain-summary').textContent"
                           ".startsWith('只计 瓯海区 的成员')")
    assert "region=" in page.url  # the filter is part of the shareable URL
    members = set(page.eval_on_selector_all(".segment li a.entity", shown))
    assert members == chain_members(base_url, "industry:智能装备", "region:瓯海区")
    assert members < chain_members(base_url, "industry:智能装备")  # the filter leaves some out
    page.reload()  # the URL restores it
    page.wait_for_selector(".segment")
    assert page.input_value("#chain-region") == "region:瓯海区"


def test_follow_a_recommendation(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/#entity=" + quote(HUB))
    first = page.locator("#partners li.partner a.entity").first
    first.wait_for()
    target = first.get_attribute("data-id")
    first.click()
    expect(page.locator("#panel > p.muted")).to_have_text(target)
    assert drawn_nodes(page) == neighbours_of(base_url, target)
    assert quote(target, safe="") in page.url or target in page.url
    page.wait_for_selector("#partners li.partner")
    screenshot(page, "viewer-entity.png")


def test_an_entity_without_partners_says_why(guarded: Guarded, base_url: str) -> None:
    """Not a bare 暂无推荐: the panel says what the graph lacks for this entity."""
    page, _ = guarded
    page.goto(base_url + "/#entity=" + quote("incubator:温州国家大学科技园"))
    why = page.locator("#partners #why-no-partners")
    expect(why).to_contain_text("温州国家大学科技园")
    expect(why).to_contain_text("还没有合作关系")


def test_click_expands_and_url_restores_the_view(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/#entity=" + quote(HUB))
    before = drawn_nodes(page)
    # click a neighbour on the canvas: its neighbours join the graph and the URL records it
    neighbour = page.evaluate(
        "() => window.innographGraph.nodes.getIds().find((id) => id !== window.innographGraph.center"
        " && id.startsWith('institute:') && !id.includes('<'))")
    position = page.evaluate(
        "(id) => { const g = window.innographGraph.network;"
        " const p = g.canvasToDOM(g.getPosition(id)); return [p.x, p.y]; }", neighbour)
    box = page.locator("#graph canvas").bounding_box()
    page.evaluate("() => { document.body.dataset.graphReady = ''; }")
    page.mouse.click(box["x"] + position[0], box["y"] + position[1])
    expanded = drawn_nodes(page)
    assert expanded > before
    assert "x=" in page.url
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    assert drawn_nodes(page) == expanded


def test_shortest_path_between_two_entities(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/#entity=" + quote(HUB))
    page.fill("#path-target", "温州医科大学")
    page.click(".path-form button")
    page.wait_for_selector("#path-result li.path .why")
    assert "中国眼谷" in page.text_content("#path-result")
    assert "实际关系" in page.text_content("#path-result .path-note")  # says what kind of path
    assert "to=" in page.url


def test_exports_png_and_csv(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/#entity=" + quote(HUB))
    nodes = drawn_nodes(page)
    with page.expect_download() as png:
        page.click("#export-png")
    assert png.value.suggested_filename.endswith(".png")
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as csv:
        page.click("#export-csv")
    lines = Path(csv.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "id,name,type,type_label" and len(lines) == nodes + 1
    assert any("中国眼谷" in line for line in lines)


@pytest.mark.parametrize("start", ["/", "/#entity=" + quote(HUB)])
def test_hostile_names_show_as_text_in_the_viewer(guarded: Guarded, base_url: str,
                                                  start: str) -> None:
    from .served import HOSTILE_NAMES

    page, seen = guarded
    page.goto(base_url + start)
    page.fill("#q", "眼谷")
    page.wait_for_selector("#results li.result")
    listed = " ".join(page.locator("#results li").all_text_contents())
    assert all(name in listed for name in HOSTILE_NAMES)  # the markup is there, as text
    page.locator("#results li.result", has_text="onerror").click()
    expect(page.locator("#entity-name")).to_have_text(HOSTILE_NAMES[0])
    assert page.locator("#panel img, #results img, #panel script, #panel b, #panel i").count() == 0
    drawn_nodes(page)
    page.wait_for_timeout(300)  # give an injected handler time to fire
    assert seen.dialogs == []



def test_type_filter_and_depth_are_in_the_url(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/#entity=" + quote(HUB) + "&depth=2")
    everything = drawn_nodes(page)
    page.click("#type-filter-toggle")
    page.evaluate("() => { document.body.dataset.graphReady = ''; }")
    page.uncheck("#type-filter input[value='institute']")
    fewer = drawn_nodes(page)
    assert 0 < fewer < everything and "type=park" in page.url and "depth=2" in page.url
    assert "institute" not in page.evaluate(
        "() => window.innographGraph.listed().map((n) => n.type).join(',')")


def test_talent_team_links_are_listed(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    team = "talent_team:视觉调控和眼再生研究团队"
    page.goto(base_url + "/#entity=" + quote(team))
    page.wait_for_selector("#team-links li .why")
    assert "跳" in page.text_content("#team-links")


def test_csv_cells_are_quoted_and_formulas_defused(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/")
    text = page.evaluate("""async () => (await import('/static/export.js')).toCSV(
        [{id: '=HYPERLINK("x")', name: '甲,"乙"\\n丙'}, {id: '-1', name: '温州'}], ['id', 'name'])""")
    assert text == ('\ufeffid,name\r\n"\'=HYPERLINK(""x"")","甲,""乙""\n丙"\r\n'
                    "'-1,温州\r\n")
