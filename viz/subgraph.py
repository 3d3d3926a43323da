"""Any subgraph → a self-contained HTML page (pyvis assembles, :mod:`viz.page` renders)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from pyvis.network import Network

from graph.store.base import Subgraph
from schema import Entity, Relation

from .layout import LAYOUT_THRESHOLD, spring_positions
from .page import render_page
from .style import TYPE_STYLES, legend

MIN_SIZE, MAX_SIZE = 10.0, 40.0
# the tooltip names these properties first; the rest follow in key order
KEY_PROPS = ("level", "founded", "year", "kind", "status", "role", "stage", "address")


def node_link(link_base: str | None, entity_id: str) -> str | None:
    """The neighbourhood link of an entity, its id percent-encoded (``/`` kept: the route
    takes a path).

    >>> node_link("/viz/neighborhood/", "park:中国眼谷")
    '/viz/neighborhood/park:%E4%B8%AD%E5%9B%BD%E7%9C%BC%E8%B0%B7'
    >>> node_link(None, "park:x") is None
    True
    """
    return None if link_base is None else link_base + quote(entity_id, safe=":/")


def entity_tooltip(entity: Entity, score: float | None = None, score_name: str = "") -> str:
    """Plain-text tooltip: name, type, key properties, aliases and provenance. vis-network
    shows a string title as text, never as markup.

    >>> from schema import EntityType
    >>> print(entity_tooltip(Entity("park:x", EntityType.park, "甲园", props={"level": "省级"},
    ...                             provenance={"doc": "wz-2021"})))
    甲园
    类型：园区
    level：省级
    出处：doc=wz-2021
    """
    lines = [entity.name, f"类型：{entity.type.label}"]
    if score is not None:
        lines.append(f"{score_name}：{score:.4g}")
    ordered = [k for k in KEY_PROPS if k in entity.props]
    ordered += sorted(k for k in entity.props if k not in KEY_PROPS)
    lines += [f"{k}：{entity.props[k]}" for k in ordered[:8]]
    if entity.aliases:
        lines.append("别名：" + "、".join(entity.aliases[:5]))
    if entity.provenance:
        lines.append("出处：" + "，".join(f"{k}={v}" for k, v in sorted(entity.provenance.items())))
    return "\n".join(lines)


def relation_tooltip(relation: Relation) -> str:
    """Plain-text edge tooltip: the relation kind, its properties and provenance."""
    lines = [relation.type.label]
    lines += [f"{k}：{v}" for k, v in sorted(relation.props.items())]
    if relation.provenance:
        lines.append("出处：" + "，".join(f"{k}={v}" for k, v in sorted(relation.provenance.items())))
    return "\n".join(lines)


def node_sizes(ids: list[str], scores: Mapping[str, float] | None) -> dict[str, float]:
    """Sizes between ``MIN_SIZE`` and ``MAX_SIZE``, linear in the score (min-max scaled).

    >>> node_sizes(["a", "b", "c"], {"a": 0.0, "b": 1.0})
    {'a': 10.0, 'b': 40.0, 'c': 10.0}
    """
    if not scores:
        return {i: 16.0 for i in ids}
    values = [scores.get(i, 0.0) for i in ids]
    low, high = min(values, default=0.0), max(values, default=0.0)
    span = high - low or 1.0
    return {i: MIN_SIZE + (MAX_SIZE - MIN_SIZE) * (scores.get(i, 0.0) - low) / span
            for i in ids}


def options(large: bool) -> dict[str, Any]:
    """vis-network options; a large graph arrives laid out, with physics off."""
    return {
        "physics": {"enabled": not large, "stabilization": {"iterations": 150},
                    "barnesHut": {"springLength": 120}},
        "layout": {"improvedLayout": not large},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large},
        "edges": {"smooth": not large, "font": {"size": 10, "align": "middle"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
        "nodes": {"font": {"size": 13, "face": "Noto Sans CJK SC, sans-serif"}},
    }


def build_network(graph: Subgraph, *, scores: Mapping[str, float] | None = None,
                  score_name: str = "", center: str | None = None,
                  link_base: str | None = None) -> Network:
    """A pyvis network of ``graph``: typed colours and shapes, Chinese labels, the relation
    kind on each edge, tooltips, node size by ``scores``; laid out here when large."""
    net = Network(directed=True, cdn_resources="local")
    ids = [n.id for n in graph.nodes]
    sizes = node_sizes(ids, scores)
    large = len(ids) > LAYOUT_THRESHOLD
    known = set(ids)
    links = [(e.source, e.target) for e in graph.edges if e.source in known and e.target in known]
    positions = spring_positions(ids, links) if large else {}
    for entity in graph.nodes:
        style = TYPE_STYLES[entity.type]
        extra: dict[str, Any] = {}
        if entity.id in positions:
            extra.update(x=positions[entity.id][0], y=positions[entity.id][1], physics=False)
        link = node_link(link_base, entity.id)
        if link:
            extra["link"] = link
        score = scores.get(entity.id) if scores else None
        net.add_node(entity.id, label=entity.name, shape=style.shape, color=style.color,
                     size=sizes[entity.id], title=entity_tooltip(entity, score, score_name),
                     borderWidth=4 if entity.id == center else 1,
                     **extra)
    for relation in graph.edges:
        if relation.source in known and relation.target in known:
            net.add_edge(relation.source, relation.target, id=relation.id,
                         label=relation.type.label, title=relation_tooltip(relation))
    net.options = options(large)
    return net


def render_subgraph(graph: Subgraph, *, heading: str, subheading: str = "",
                    scores: Mapping[str, float] | None = None, score_name: str = "",
                    center: str | None = None, link_base: str | None = None,
                    vendor_url: str | None = None, notes: list[str] | None = None) -> str:
    """The HTML page of ``graph`` (see :func:`build_network`; :func:`viz.page.render_page`
    for ``vendor_url``).

    >>> from schema import EntityType
    >>> html = render_subgraph(Subgraph([Entity("park:x", EntityType.park, "<b>园</b>")]),
    ...                        heading="<b>园</b>", vendor_url="/vendor")
    >>> "<b>园</b>" in html, "&lt;b&gt;园&lt;/b&gt;" in html
    (False, True)
    """
    net = build_network(graph, scores=scores, score_name=score_name, center=center,
                        link_base=link_base)
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    return render_page(heading=heading, subheading=subheading,
                       legend=legend({n.type for n in graph.nodes}), notes=notes,
                       data={"nodes": nodes, "edges": edges, "options": net.options},
                       vendor_url=vendor_url)
