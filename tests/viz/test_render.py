"""pyvis renderings without a browser: escaping, no remote resources, styles, sizes,
server-side layout, and the chain columns."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from api.analysis import Analysis
from graph.analytics import chain_report
from graph.store.base import Subgraph
from schema import Entity, EntityType, Relation, RelationType, entity_id, relation_id
from viz import LAYOUT_THRESHOLD, TYPE_STYLES, render_chain, render_subgraph, spring_positions
from viz.page import script_json
from viz.subgraph import build_network

PAYLOADS = ("眼谷<img src=x onerror=alert(1)>研究院", "眼谷<script>alert(2)</script>团队",
            '"><svg onload=alert(3)>', "</script><script>alert(4)</script>")


def entity(kind: EntityType, name: str, **props: str) -> Entity:
    return Entity(entity_id(kind, name), kind, name, props=dict(props), provenance={"doc": name})


def star(n: int) -> Subgraph:
    hub = entity(EntityType.park, "中心园区")
    leaves = [entity(EntityType.enterprise, f"企业{i}") for i in range(n)]
    edges = [Relation(relation_id(leaf.id, RelationType.located_in, hub.id),
                      RelationType.located_in, leaf.id, hub.id) for leaf in leaves]
    return Subgraph([hub, *leaves], edges)


def embedded_data(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html,
                      re.S)
    assert match, "the page carries its graph as JSON"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def outside_markup(html: str) -> str:
    """The page without its vendored script and style and its JSON data block."""
    html = re.sub(r'<script type="application/json".*?</script>', "", html, flags=re.S)
    return re.sub(r"<(script|style)>.*?</\1>", "", html, flags=re.S)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_names_never_become_markup(payload: str) -> None:
    node = Entity(entity_id(EntityType.institute, payload), EntityType.institute, payload,
                  props={"level": payload}, provenance={"doc": payload})
    html = render_subgraph(Subgraph([node]), heading=payload, subheading=payload)
    markup = outside_markup(html)
    assert payload not in markup and "<img" not in markup and "<svg" not in markup
    assert markup.count("<script") == 0  # only the vendored and page scripts, removed above
    data = embedded_data(html)
    assert data["nodes"][0]["label"] == payload
    assert payload in data["nodes"][0]["title"]


def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"x": "</script><!--"})
    assert "<" not in text and ">" not in text
    assert json.loads(text) == {"x": "</script><!--"}


@pytest.mark.parametrize("vendor_url", [None, "/vendor"])
def test_no_resource_from_another_host(vendor_url: str | None) -> None:
    html = render_subgraph(star(3), heading="园区", vendor_url=vendor_url)
    markup = outside_markup(html)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", markup)
    assert "node_modules" not in html and "cdn" not in markup.lower()
    if vendor_url:
        assert 'src="/vendor/vis-network.min.js"' in html
    else:
        assert "vis-network" in html and len(html) > 500_000  # carries vis-network inline


def test_types_sizes_and_edges() -> None:
    graph = star(4)
    scores = {graph.nodes[0].id: 1.0, graph.nodes[1].id: 0.5}
    net = build_network(graph, scores=scores, score_name="PageRank", center=graph.nodes[0].id,
                        link_base="/viz/neighborhood/")
    hub, first, *_ = net.nodes
    assert hub["color"] == TYPE_STYLES[EntityType.park].color
    assert first["shape"] == TYPE_STYLES[EntityType.enterprise].shape
    assert hub["size"] == 40.0 and first["size"] == 25.0 and net.nodes[2]["size"] == 10.0
    assert "PageRank：1" in hub["title"] and "出处：doc=中心园区" in hub["title"]
    assert hub["link"] == "/viz/neighborhood/park:%E4%B8%AD%E5%BF%83%E5%9B%AD%E5%8C%BA"
    assert {e["label"] for e in net.edges} == {"位于"}
    html = render_subgraph(graph, heading="园区")
    assert "园区" in html and "企业" in outside_markup(html)  # the legend names both types


def test_large_graphs_are_laid_out_on_the_server() -> None:
    small = build_network(star(10))
    assert small.options["physics"]["enabled"] and "x" not in small.nodes[0]
    large = build_network(star(LAYOUT_THRESHOLD + 1))
    assert not large.options["physics"]["enabled"]
    positions = {(n["x"], n["y"]) for n in large.nodes}
    assert len(positions) == len(large.nodes)  # every node has its own place


def test_chain_page_columns_upstream_to_downstream(sample_analysis: Analysis) -> None:
    report = chain_report(sample_analysis.projection, "industry:眼镜", sample_analysis.recommender,
                          candidates=2)
    nodes: list[dict[str, Any]] = embedded_data(render_chain(report, link_base="/x/"))["nodes"]
    segments = sorted((n for n in nodes if n["shape"] == "box"), key=lambda n: n["x"])
    order = {s.segment.id: s.order for s in report.segments}
    assert [order[n["id"]] for n in segments] == sorted(order.values())  # left → right
    assert len(segments) == 5
    assert sorted(n["id"] for n in segments if n["label"].endswith("（缺失）")) == sorted(report.gaps)
    candidates = [n for n in nodes if n["label"].startswith("候选")]
    assert candidates and all(n["link"].startswith("/x/") for n in candidates)
    members = [n for n in nodes if n.get("link") and n["shape"] not in ("box", "dot")]
    assert {n["id"].split(">")[1] for n in members} == {
        m.entity.id for s in report.segments for m in s.members}


@pytest.mark.parametrize("engine", ["igraph", "networkx"])
def test_both_layout_engines_place_every_node_apart(engine: str) -> None:
    graph = star(40)
    links = [(e.source, e.target) for e in graph.edges]
    positions = spring_positions([n.id for n in graph.nodes], links, engine=engine)
    assert len(positions) == 41 and len(set(positions.values())) == 41
    half = 40.0 * 41 ** 0.5
    assert max(max(abs(x), abs(y)) for x, y in positions.values()) == pytest.approx(half)
    with pytest.raises(ValueError, match="engine"):
        spring_positions(["a"], [], engine="dot")
