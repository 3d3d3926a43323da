"""The industry-chain map as a page: segments as columns from upstream to downstream,
members under each segment grouped by type, gaps marked with their candidates."""

from __future__ import annotations

from typing import Any

from graph.analytics import ChainReport, SegmentReport
from schema import EntityType

from .page import render_page
from .style import GAP_COLOR, TYPE_STYLES, legend
from .subgraph import node_link

COLUMN_GAP, ROW_GAP, HEADER_Y = 280.0, 46.0, 0.0
STATUS_COLOR = {"缺失": GAP_COLOR, "薄弱": "#e67e22"}
_TYPE_ORDER = {t.value: i for i, t in enumerate(EntityType)}


def ordered_segments(report: ChainReport) -> list[SegmentReport]:
    """Segments upstream → midstream → downstream, then by their order in the chain."""
    stage = {"upstream": 0, "midstream": 1, "downstream": 2}
    return sorted(report.segments, key=lambda s: (stage.get(s.stage, 1), s.order, s.segment.id))


def _segment_node(segment: SegmentReport, x: float, link: str | None) -> dict[str, Any]:
    style = TYPE_STYLES[EntityType.chain_segment]
    status = f"（{segment.status}）" if segment.status else ""
    color = STATUS_COLOR.get(segment.status or "", style.color)
    node: dict[str, Any] = {
        "id": segment.segment.id, "label": segment.segment.name + status, "shape": "box",
        "x": x, "y": HEADER_Y, "physics": False, "color": {"background": "#fff", "border": color},
        "borderWidth": 3, "shapeProperties": {"borderDashes": [6, 4] if segment.status else False},
        "font": {"size": 15, "color": color if segment.status else "#222"},
        "title": f"{segment.segment.name}\n环节：{segment.stage}，成员 {len(segment.members)} 个"
                 + (f"\n状态：{segment.status}" if segment.status else "")}
    if link:
        node["link"] = link
    return node


def _column(segment: SegmentReport, x: float, link_base: str | None) -> list[dict[str, Any]]:
    """The nodes of one column below its segment: type headings, members, candidates."""
    nodes: list[dict[str, Any]] = []
    y = HEADER_Y + ROW_GAP * 1.5
    members = sorted(segment.members, key=lambda m: (_TYPE_ORDER.get(m.entity.type, 99),
                                                      m.entity.name))
    current_type = None
    for member in members:
        if member.entity.type != current_type:
            current_type = member.entity.type
            count = sum(1 for m in members if m.entity.type == current_type)
            nodes.append({"id": f"{segment.segment.id}#{current_type}", "label":
                          f"{member.entity.type_label} × {count}", "shape": "text",
                          "x": x, "y": y, "physics": False, "font": {"size": 12, "color": "#666"}})
            y += ROW_GAP * 0.7
        style = TYPE_STYLES[EntityType(member.entity.type)]
        node = {"id": f"{segment.segment.id}>{member.entity.id}", "label": member.entity.name,
                "shape": style.shape, "color": style.color, "size": 12, "x": x, "y": y,
                "physics": False, "title": f"{member.entity.name}\n类型：{member.entity.type_label}"
                                           f"\n角色：{member.role}"}
        link = node_link(link_base, member.entity.id)
        if link:
            node["link"] = link
        nodes.append(node)
        y += ROW_GAP
    for candidate in segment.candidates:
        ref = candidate.entity
        node = {"id": f"{segment.segment.id}?{ref.id}", "label": f"候选{candidate.rank}：{ref.name}",
                "shape": "dot", "size": 9, "x": x, "y": y, "physics": False,
                "color": {"background": "#fff", "border": GAP_COLOR}, "borderWidth": 2,
                "title": f"补链候选：{ref.name}（{ref.type_label}）\n得分 {candidate.score:.3f}\n"
                         f"{candidate.explanation.text}"}
        link = node_link(link_base, ref.id)
        if link:
            node["link"] = link
        nodes.append(node)
        y += ROW_GAP
    return nodes


def render_chain(report: ChainReport, *, link_base: str | None = None,
                 vendor_url: str | None = None) -> str:
    """The chain map of ``report``. Nodes link (double-click) to ``link_base`` + id.

    >>> from graph.analytics import EntityRef
    >>> ref = EntityRef("industry:眼镜", "眼镜<i>", "industry", "产业")
    >>> html = render_chain(ChainReport(ref, None, [], [], []), vendor_url="/vendor")
    >>> "眼镜&lt;i&gt;产业链图谱" in html
    True
    """
    segments = ordered_segments(report)
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for column, segment in enumerate(segments):
        x = column * COLUMN_GAP
        nodes.append(_segment_node(segment, x, node_link(link_base, segment.segment.id)))
        nodes += _column(segment, x, link_base)
        edges += [{"from": segment.segment.id, "to": down, "label": "供给下游", "arrows": "to",
                   "color": "#999", "smooth": {"type": "curvedCW", "roundness": 0.15}}
                  for down in segment.downstream]
    known = {n["id"] for n in nodes}
    edges = [e for e in edges if e["to"] in known]
    gaps = [s.segment.name for s in segments if s.status == "缺失"]
    weak = [s.segment.name for s in segments if s.status == "薄弱"]
    notes = ([f"缺失环节：{'、'.join(gaps)}"] if gaps else []) + \
            ([f"薄弱环节：{'、'.join(weak)}"] if weak else [])
    region = f"（{report.region.name}）" if report.region else ""
    types = {EntityType(m.entity.type) for s in segments for m in s.members}
    options = {"physics": {"enabled": False}, "layout": {"improvedLayout": False},
               "interaction": {"hover": True, "tooltipDelay": 120},
               "edges": {"font": {"size": 10}}, "nodes": {"font": {"size": 13}}}
    return render_page(
        heading=f"{report.industry.name}产业链图谱{region}",
        subheading=f"{len(segments)} 个环节，从上游到下游"
                   + ("；双击节点查看其邻域" if link_base else ""),
        legend=legend(types | {EntityType.chain_segment}), notes=notes, vendor_url=vendor_url,
        data={"nodes": nodes, "edges": edges, "options": options})
