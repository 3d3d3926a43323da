"""The HTML page every rendering goes through: our own Jinja2 template (autoescaped), the
vendored vis-network, and graph data embedded as JSON that cannot close its script tag.

pyvis's bundled templates load Bootstrap and vis.js from CDNs and do not escape names, so
they are not used; pyvis only assembles nodes, edges and options.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .style import LegendItem

VENDOR_FILES = ("vis-network.min.js", "vis-network.min.css")
# allows the inline page script and the vendored assets (inline or from this server) only:
# a name that smuggles in markup can neither load anything nor run
CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'")


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("viz", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True))


@cache
def vendor_text(name: str) -> str:
    """A vendored asset's text (``vis-network.min.js`` or ``vis-network.min.css``)."""
    if name not in VENDOR_FILES:
        raise ValueError(f"not a vendored file: {name!r}")
    return resources.files("viz").joinpath("static", "vendor", name).read_text("utf-8")


def script_json(value: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>`` and ``&`` are
    written as ``\\u`` escapes, so no string can end the element or open a comment.

    >>> script_json({"name": "</script><b>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(*, heading: str, subheading: str, legend: list[LegendItem],
                data: dict[str, Any], vendor_url: str | None = None,
                notes: list[str] | None = None) -> str:
    """The page for ``data`` (``nodes``, ``edges``, ``options``, ``link_base``).

    With ``vendor_url`` the page loads vis-network from that URL prefix (the API serves it);
    without, it carries vis-network inline and opens from a file with no server at all.
    """
    template = _environment().get_template("graph.html.j2")
    inline = vendor_url is None
    return template.render(
        heading=heading, subheading=subheading, legend=legend, notes=notes or [], csp=CSP,
        data_json=script_json(data), vendor_url=vendor_url or "",
        vendor_js=vendor_text("vis-network.min.js") if inline else "",
        vendor_css=vendor_text("vis-network.min.css") if inline else "")
