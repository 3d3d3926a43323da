"""Visualisations: any subgraph, or an industry chain, as a self-contained HTML page.

pyvis assembles the network; our own template renders it with vis-network vendored under
``viz/static/vendor/`` (no CDN), every name escaped::

    from viz import render_subgraph, render_chain
    html = render_subgraph(store.neighborhood("park:中国眼谷", depth=2), heading="中国眼谷")
"""

from .chain import render_chain
from .layout import LAYOUT_THRESHOLD, spring_positions
from .page import VENDOR_FILES, render_page, script_json, vendor_text
from .style import TYPE_STYLES, LegendItem, TypeStyle, legend
from .subgraph import build_network, entity_tooltip, node_link, render_subgraph

__all__ = [
    "LAYOUT_THRESHOLD", "TYPE_STYLES", "VENDOR_FILES", "LegendItem", "TypeStyle",
    "build_network", "entity_tooltip", "legend", "node_link", "render_chain", "render_page",
    "render_subgraph", "script_json", "spring_positions", "vendor_text",
]
