"""The neighbourhood graph stays readable: rings by hop and sectors by type, no two drawn
labels overlapping, the selected node's neighbours always named, hidden names shown on hover,
a legend of every type drawn (and of 区外), the same picture for the same graph.

Label boxes are read from what vis-network drew (each label's own size and vertical shift),
not from the layout's estimates, so a wrong estimate shows up here as an overlap."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote
from urllib.request import urlopen

import pytest

from .conftest import Incidents
from .served import sample_with_hostile_names, serving_with_reference

Guarded = tuple[Any, Incidents]
READY = "body[data-graph-ready]:not([data-graph-ready=''])"
READABLE_PX = 9  # the least on-screen font size a name needs to be read
# depth-2 neighbourhoods of the sample with 70 to 85 entities
CROWDED = ["institute:浙江大学温州研究院", "institute:温州医科大学", "park:中国眼谷"]

#: every label vis-network drew: its box on the canvas (canvas units, the vertical shift
#: included), whether it is drawn at all, its on-screen font size; and the view's size
DRAWN_JS = """() => {
  const graph = window.innographGraph, net = graph.network;
  const scale = net.getScale();
  const labels = [];
  for (const [kind, items, data] of [["node", net.body.nodes, graph.nodes], ["edge", net.body.edges, graph.edges]]) {
    for (const [id, item] of Object.entries(items)) {
      if (!data.get(id)) continue; // vis-network's own helper nodes (curved edges) are not drawn
      const label = item.labelModule;
      const visible = Boolean(item.options.label) && label.visible();
      const s = label.size;
      const top = s.top + (kind === "node" ? label.fontOptions.vadjust || 0 : 0);
      const corner = net.canvasToDOM({x: s.left, y: top});
      const far = net.canvasToDOM({x: s.left + s.width, y: top + s.height});
      labels.push({kind, id, visible, x: s.left, y: top, w: s.width, h: s.height,
                   px: label.fontOptions.size * scale, dom: [corner.x, corner.y, far.x, far.y]});
    }
  }
  const frame = net.canvas.frame.canvas;
  return {labels, width: frame.clientWidth, height: frame.clientHeight,
          center: window.innographGraph.center, focus: window.innographGraph.focus,
          edges: window.innographGraph.edges.get().map((e) => [e.from, e.to])};
}"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample, the hostile names, and two universities from a national reference list."""
    root = tmp_path_factory.mktemp("layout")
    with serving_with_reference(sample_with_hostile_names(root / "store"), root) as url:
        yield url


def open_graph(page: Any, base_url: str, entity: str, depth: int) -> dict[str, Any]:
    page.goto(f"{base_url}/#entity={quote(entity)}&depth={depth}")
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    drawn: dict[str, Any] = page.evaluate(DRAWN_JS)
    return drawn


def overlapping(drawn: dict[str, Any]) -> list[tuple[str, str]]:
    shown = [label for label in drawn["labels"] if label["visible"]]
    return [(a["id"], b["id"]) for i, a in enumerate(shown) for b in shown[i + 1:]
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
            and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]]


def neighbours(drawn: dict[str, Any], of: str) -> set[str]:
    return {b if a == of else a for a, b in drawn["edges"] if of in (a, b)} | {of}


def unreadable(drawn: dict[str, Any], ids: set[str]) -> list[str]:
    """Which of ``ids`` have no label drawn, too small, or outside the visible canvas."""
    nodes = {label["id"]: label for label in drawn["labels"] if label["kind"] == "node"}
    width, height = drawn["width"], drawn["height"]
    return sorted(i for i in ids if not nodes[i]["visible"] or nodes[i]["px"] < READABLE_PX
                  or nodes[i]["dom"][0] < 0 or nodes[i]["dom"][1] < 0
                  or nodes[i]["dom"][2] > width or nodes[i]["dom"][3] > height)


@pytest.mark.parametrize("entity", CROWDED)
def test_depth_two_labels_never_overlap_and_neighbours_are_named(guarded: Guarded, base_url: str,
                                                                 entity: str) -> None:
    page, _ = guarded
    drawn = open_graph(page, base_url, entity, depth=2)
    nodes = [label for label in drawn["labels"] if label["kind"] == "node"]
    assert 65 <= len(nodes) <= 90
    assert overlapping(drawn) == []
    assert unreadable(drawn, neighbours(drawn, entity)) == []
    # decluttering is not hiding everything: more names are drawn than the must-haves
    assert sum(label["visible"] for label in nodes) > len(neighbours(drawn, entity)) + 5


def test_clicked_node_and_its_neighbours_are_named(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    open_graph(page, base_url, CROWDED[0], depth=2)
    clicked = "institute:浙江大学"
    position = page.evaluate(
        "(id) => { const g = window.innographGraph.network;"
        " const p = g.canvasToDOM(g.getPosition(id)); return [p.x, p.y]; }", clicked)
    box = page.locator("#graph canvas").bounding_box()
    page.evaluate("() => { document.body.dataset.graphReady = ''; }")
    page.mouse.click(box["x"] + position[0], box["y"] + position[1])
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    drawn = page.evaluate(DRAWN_JS)
    assert drawn["focus"] == clicked and drawn["center"] == CROWDED[0]
    assert overlapping(drawn) == []
    assert unreadable(drawn, neighbours(drawn, clicked)) == []


def test_a_hidden_name_shows_on_hover(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    drawn = open_graph(page, base_url, CROWDED[0], depth=2)
    hidden = next(label["id"] for label in drawn["labels"]
                  if label["kind"] == "node" and not label["visible"])
    position = page.evaluate(
        "(id) => { const g = window.innographGraph.network;"
        " const p = g.canvasToDOM(g.getPosition(id)); return [p.x, p.y]; }", hidden)
    box = page.locator("#graph canvas").bounding_box()
    page.mouse.move(box["x"] + position[0], box["y"] + position[1])
    page.wait_for_function(
        "(id) => { const n = window.innographGraph.network.body.nodes[id];"
        " return Boolean(n.options.label) && n.labelModule.visible(); }", arg=hidden)
    page.mouse.move(box["x"] + 2, box["y"] + 2)
    page.wait_for_function(
        "(id) => !window.innographGraph.network.body.nodes[id].options.label", arg=hidden)


def test_a_relation_name_shows_on_hover(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    drawn = open_graph(page, base_url, CROWDED[0], depth=2)
    hidden = next(label["id"] for label in drawn["labels"]
                  if label["kind"] == "edge" and not label["visible"])
    middle = page.evaluate(
        "(id) => { const net = window.innographGraph.network; const e = net.body.edges[id];"
        " const p = net.canvasToDOM({x: (e.from.x + e.to.x) / 2, y: (e.from.y + e.to.y) / 2});"
        " return [p.x, p.y]; }", hidden)
    box = page.locator("#graph canvas").bounding_box()
    page.mouse.move(box["x"] + middle[0], box["y"] + middle[1])
    page.wait_for_function(
        "(id) => window.innographGraph.network.body.edges[id].labelModule.visible()", arg=hidden)


def test_the_same_graph_gives_the_same_picture(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    positions = "() => JSON.stringify(window.innographGraph.network.getPositions())"
    open_graph(page, base_url, CROWDED[1], depth=2)
    first = page.evaluate(positions)
    labels = page.evaluate("() => window.innographGraph.nodes.get().map((n) => n.label).join('|')")
    page.goto("about:blank")
    open_graph(page, base_url, CROWDED[1], depth=2)
    assert page.evaluate(positions) == first
    assert page.evaluate("() => window.innographGraph.nodes.get().map((n) => n.label).join('|')") == labels


def test_groups_share_a_sector_on_every_ring(guarded: Guarded, base_url: str) -> None:
    """On each ring, the members of one type sit side by side (one run round the ring)."""
    page, _ = guarded
    open_graph(page, base_url, CROWDED[0], depth=2)
    rings = page.evaluate("""() => {
      const g = window.innographGraph, rings = {};
      for (const node of g.nodes.get()) {
        const at = g.placed.positions.get(node.id);
        if (at.ring) (rings[at.ring] ||= []).push([Math.atan2(at.y, at.x / 1.4), node.type]);
      }
      return Object.values(rings).map((r) => r.sort((a, b) => a[0] - b[0]).map((p) => p[1]));
    }""")
    for ring in rings:
        runs = sum(1 for i, kind in enumerate(ring) if kind != ring[i - 1])  # circular changes
        assert runs <= len(set(ring)) or len(set(ring)) == 1, ring


def test_small_graph_names_every_node_and_relation(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    drawn = open_graph(page, base_url, "institute:北京大学", depth=1)
    assert len(drawn["labels"]) >= 2
    assert all(label["visible"] for label in drawn["labels"])
    assert overlapping(drawn) == []


def test_a_large_neighbourhood_stays_readable_where_it_can(guarded: Guarded,
                                                           base_url: str) -> None:
    page, _ = guarded
    drawn = open_graph(page, base_url, "region:温州市", depth=2)
    nodes = [label for label in drawn["labels"] if label["kind"] == "node"]
    assert len(nodes) >= 150
    assert overlapping(drawn) == []
    inside = page.evaluate("""() => { const net = window.innographGraph.network;
      const frame = net.canvas.frame.canvas; const at = net.getPositions();
      return Object.values(at).filter((p) => { const d = net.canvasToDOM(p);
        return d.x >= 0 && d.y >= 0 && d.x <= frame.clientWidth && d.y <= frame.clientHeight; }).length; }""")
    assert inside == len(nodes)
    # a hub with more neighbours than fit names as many as fit, and says how many did not
    named = {label["id"] for label in nodes if label["visible"]}
    unnamed = neighbours(drawn, "region:温州市") - named
    status = page.text_content("#graph-status")
    assert f"{len(unnamed)} 个相邻实体的名称放不下" in status if unnamed else "放不下" not in status
    assert len(unnamed) < len(neighbours(drawn, "region:温州市")) / 3


def test_legend_lists_every_type_drawn_in_chinese(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    with urlopen(f"{base_url}/labels") as reply:
        type_labels = json.load(reply)["types"]
    for entity, external in ((CROWDED[0], False), ("region:北京市", True)):
        open_graph(page, base_url, entity, depth=2)
        drawn_types = set(page.evaluate(
            "() => window.innographGraph.nodes.get().map((n) => n.type)"))
        entries = page.locator("#graph-legend li.legend-type")
        listed = {entries.nth(i).get_attribute("data-type"): entries.nth(i).text_content()
                  for i in range(entries.count())}
        assert listed == {t: type_labels[t] for t in drawn_types}
        swatches = page.locator("#graph-legend li.legend-type canvas.swatch")
        assert swatches.count() == len(listed)
        shapes = page.evaluate("() => Object.fromEntries(window.innographGraph.nodes.get()"
                               ".map((n) => [n.type, n.shape]))")
        assert {swatches.nth(i).get_attribute("data-shape") for i in range(swatches.count())} \
            == {shapes[t] for t in drawn_types}
        marked = page.locator("#graph-legend li.legend-external")
        assert marked.count() == (1 if external else 0)
        if external:
            assert marked.text_content() == "区外机构（全国参考名录）"
            assert page.locator("#graph-legend li.legend-external canvas[data-dashed='yes']").count() == 1


def test_layout_does_not_depend_on_the_order_the_graph_arrives_in(guarded: Guarded,
                                                                  base_url: str) -> None:
    page, _ = guarded
    open_graph(page, base_url, CROWDED[0], depth=2)
    same = page.evaluate("""async () => {
      const { arrange } = await import("/static/graph.js");
      const g = window.innographGraph;
      const nodes = g.nodes.get(), edges = g.edges.get();
      const picture = (placed) => JSON.stringify([[...placed.positions].sort(),
        [...placed.chosen].map(([id, spot]) => [id, spot.vadjust]).sort()]);
      const first = picture(arrange(nodes, edges, { root: g.center, focus: g.focus }));
      const turned = picture(arrange([...nodes].reverse(), [...edges].reverse(),
                                     { root: g.center, focus: g.focus }));
      return [first === turned, first === picture(g.placed)];
    }""")
    assert same == [True, True]


@pytest.mark.parametrize(("name", "lines"), [
    ("浙江大学温州研究院", ["浙江大学温州研究院"]),
    ("浙江大学温州研究院信息技术创新中心", ["浙江大学温州研究院", "信息技术创新中心"]),
    ("浙江大学温州研究院光机电一体化CDMO公共服务平台", ["浙江大学温州研究", "院光机电一体化", "CDMO公共服务平台"]),
    ("大唐网络5G全球创新中心长三角区域中心", ["大唐网络5G", "全球创新中心长", "三角区域中心"]),
])
def test_long_names_wrap_evenly_without_splitting_latin_runs(guarded: Guarded, base_url: str,
                                                              name: str, lines: list[str]) -> None:
    page, _ = guarded
    page.goto(base_url + "/")
    wrapped = page.evaluate("async (name) => (await import('/static/graph.js')).wrapped(name)", name)
    assert wrapped.split("\n") == lines
