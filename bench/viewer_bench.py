"""Viewer benchmark: time until a 500-node and a 2,000-node neighbourhood is drawn and
interactive in headless chromium, against an empty page load in the same run; and the
viewer's layout (rings by hop, sectors by type, decluttered labels) against the layout it
replaced (vis-network's physics, 120 iterations, 40 above 300 nodes) on the same graphs.

A synthetic star (one institute, N partner firms, each also tied to the next) is served by
the real app (uvicorn on loopback). Timed, from navigation to a node selected and redrawn:
the web viewer at 500 nodes (the API's neighbourhood cap), and the pyvis page /viz at 500
and 2,000 nodes (laid out on the server, physics off). Median of ``--repeat`` runs.

Layout (``--layout``, also part of the default run): depth-2 neighbourhoods of about 70 and
of 500 entities in a synthetic ecosystem (``bench.synthetic``, 3,000 entities, 9,000
relations), each drawn in a fresh 960×760 container of the viewer's page until still and
drawn, by the viewer's ``NeighborhoodGraph`` and by the old physics settings; with the
number of overlapping drawn label pairs of each (read from vis-network as the browser tests
do). Median of ``--repeat`` runs.
Run: ``.venv/bin/python -m bench.viewer_bench [--repeat 3] [--layout] [--screenshots DIR]``.
Target (issue 6): 500 nodes drawn and interactive within 3 s.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from graph.settings import Settings
from graph.store import GraphStore, open_store
from schema import Entity, EntityType, Relation, RelationType, entity_id, relation_id
from tests.viewer.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.viewer.served import app_with_viewer, serving

HUB = entity_id(EntityType.institute, "基准研究院")


def star_store(path: Path, leaves: int) -> GraphStore:
    """A hub institute with ``leaves`` partner firms, each firm also partnering the next."""
    hub = Entity(HUB, EntityType.institute, "基准研究院", provenance={"doc": "bench"})
    firms = [Entity(entity_id(EntityType.enterprise, f"基准企业{i:04d}"), EntityType.enterprise,
                    f"基准企业{i:04d}", props={"level": "规上"}) for i in range(leaves)]
    ties = [(f.id, HUB) for f in firms] + [(a.id, b.id) for a, b in itertools.pairwise(firms)]
    relations = [Relation(relation_id(s, RelationType.partnership, t), RelationType.partnership,
                          s, t, props={"kind": "技术合作"}) for s, t in ties]
    store = open_store(path)
    store.upsert([hub, *firms], relations)
    return store


def timed(page: Any, url: str, ready: str | None, network: str) -> float:
    """Seconds from navigation to ``ready`` present and a node selected and redrawn."""
    started = time.perf_counter()
    page.goto(url)
    if ready:
        page.wait_for_selector(ready, state="attached", timeout=120_000)
        page.evaluate(f"(hub) => {{ const n = {network}; n.selectNodes([hub]); n.redraw(); }}", HUB)
    return time.perf_counter() - started


def run(repeat: int, screenshots: Path | None) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    hub = quote(HUB)
    cases = {
        "empty page (baseline)": ("/health", None, ""),
        "viewer, 500 nodes": (f"/#entity={hub}", "body[data-graph-ready='500']",
                              "window.innographGraph.network"),
        "pyvis page, 500 nodes": (f"/viz/neighborhood/{hub}?limit=500", "body[data-drawn]",
                                  "window.innographNetwork"),
        "pyvis page, 2,000 nodes": (f"/viz/neighborhood/{hub}?limit=2000", "body[data-drawn]",
                                    "window.innographNetwork"),
    }
    with tempfile.TemporaryDirectory() as folder:
        store = star_store(Path(folder) / "store", 2000)
        app = app_with_viewer(store, Settings(store=store.location,
                                              rejects_dir=Path(folder) / "rejects"))
        with serving(app) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(300_000)  # the warm-up computes the analytics
            timed(page, f"{base}/viz/neighborhood/{hub}?limit=20", "body[data-drawn]",
                  "window.innographNetwork")  # warm: analytics cache, browser start
            results = {}
            for name, (path, ready, network) in cases.items():
                runs = []
                for _ in range(repeat):
                    page.goto("about:blank")
                    runs.append(timed(page, base + path, ready, network))
                results[name] = statistics.median(runs)
                if screenshots and ready:
                    slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
                    page.screenshot(path=str(screenshots / f"bench-{slug}.png"))
            browser.close()
        store.close()
    return results


#: in the viewer's page: draw ``data`` (a neighbourhood from the API) with the new viewer
#: graph and with the old physics settings, each in a fresh container; seconds until drawn
#: and still, and overlapping drawn label pairs
LAYOUT_JS = """async (data) => {
  const { NeighborhoodGraph, TYPE_STYLES } = await import("/static/graph.js");
  const frame = () => { const div = document.createElement("div");
    div.style.cssText = "width:960px;height:760px"; document.body.append(div); return div; };
  const overlaps = (net) => {
    const boxes = [];
    for (const [kind, items] of [["node", net.body.nodes], ["edge", net.body.edges]]) {
      for (const item of Object.values(items)) {
        const label = item.labelModule;
        if (!item.options.label || !label.visible()) continue;
        const s = label.size, shift = kind === "node" ? label.fontOptions.vadjust || 0 : 0;
        boxes.push([s.left, s.top + shift, s.width, s.height]);
      }
    }
    let pairs = 0;
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]) pairs++;
    }
    return pairs;
  };
  const drawn = (net) => new Promise((done) => { net.once("afterDrawing", done); net.redraw(); });
  let started = performance.now();
  const graph = new NeighborhoodGraph(frame(), { onSelect() {}, onRecenter() {}, onStatus() {} });
  await graph.show(data);
  const viewer = (performance.now() - started) / 1000;
  const viewerOverlaps = overlaps(graph.network);
  graph.network.destroy();
  // the layout this replaced: api/static/graph.js before issue 17, its options and steps
  started = performance.now();
  const large = data.nodes.length > 300;
  const nodes = new vis.DataSet(), edges = new vis.DataSet();
  const old = new vis.Network(frame(), { nodes, edges }, {
    interaction: { hover: true, tooltipDelay: 120 },
    edges: { font: { size: 10, align: "middle" }, arrows: { to: { scaleFactor: 0.5 } } },
    nodes: { font: { size: 13 } },
    physics: { stabilization: { iterations: 120 }, barnesHut: { springLength: 120 } } });
  old.setOptions({ physics: { enabled: true, stabilization: { iterations: large ? 40 : 120 } },
                   layout: { improvedLayout: !large }, edges: { smooth: !large } });
  const settled = new Promise((done) => old.once("stabilizationIterationsDone", done));
  nodes.update(data.nodes.map((n) => ({ id: n.id, label: n.name, color: (TYPE_STYLES[n.type] || [])[0],
    shape: (TYPE_STYLES[n.type] || [])[1], size: n.id === data.center ? 24 : 14 })));
  edges.update(data.edges.map((e) => ({ id: e.id, from: e.source, to: e.target, label: e.type_label, arrows: "to" })));
  old.stabilize(large ? 40 : 120);
  await settled;
  old.setOptions({ physics: { enabled: false } });
  old.fit();
  await drawn(old);
  const physics = (performance.now() - started) / 1000;
  const physicsOverlaps = overlaps(old);
  old.destroy();
  return { viewer, physics, viewerOverlaps, physicsOverlaps };
}"""


def pick_neighbourhoods(base: str, ids: list[str]) -> dict[str, str]:
    """The first entity (in id order) whose depth-2 neighbourhood has 65-80 entities, and the
    first that fills the API's cap of 500."""
    import json
    from urllib.request import urlopen

    wanted = {"about 70": (65, 80), "500": (500, 500)}
    found: dict[str, str] = {}
    for entity in sorted(ids):
        with urlopen(f"{base}/entities/{quote(entity)}/neighborhood?depth=2&limit=500") as reply:
            size = len(json.load(reply)["nodes"])
        for case, (low, high) in wanted.items():
            if case not in found and low <= size <= high:
                found[case] = entity
        if len(found) == len(wanted):
            return {case: found[case] for case in wanted}
    raise RuntimeError(f"no neighbourhood of each size in the synthetic graph: {found}")


def layout_run(repeat: int) -> list[dict[str, Any]]:
    import json
    from urllib.request import urlopen

    from playwright.sync_api import sync_playwright

    from bench.synthetic import generate
    from ingest.loader import load_paths

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder) / "csv", 3000, 9000)
        store = open_store(Path(folder) / "store")
        load_paths(store, [Path(folder) / "csv"])
        ids = [e.id for e in store.iter_entities()]
        app = app_with_viewer(store, Settings(store=store.location,
                                              rejects_dir=Path(folder) / "rejects"))
        with serving(app) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(300_000)
            page.goto(base + "/")
            page.wait_for_selector("#home-view")
            for case, entity in pick_neighbourhoods(base, ids).items():
                with urlopen(f"{base}/entities/{quote(entity)}/neighborhood?depth=2&limit=500"
                             ) as reply:
                    data = json.load(reply)
                page.evaluate(LAYOUT_JS, data)  # warm: modules, /labels, fonts
                runs = [page.evaluate(LAYOUT_JS, data) for _ in range(repeat)]
                rows.append({"case": f"{case} ({entity})", "nodes": len(data["nodes"]),
                             "edges": len(data["edges"]),
                             **{key: statistics.median(r[key] for r in runs) for key in runs[0]}})
            browser.close()
        store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--screenshots", type=Path, default=None)
    parser.add_argument("--layout", action="store_true", help="only the layout comparison")
    args = parser.parse_args()
    if not args.layout:
        results = run(args.repeat, args.screenshots)
        baseline = results["empty page (baseline)"]
        print("| case | seconds (median) | × empty page |")
        print("|---|---:|---:|")
        for name, seconds in results.items():
            print(f"| {name} | {seconds:.2f} | {seconds / baseline:.1f} |")
        print()
    print("| depth-2 neighbourhood | nodes | edges | physics (old) s | rings (new) s "
          "| new ÷ old | overlapping label pairs old → new |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for row in layout_run(args.repeat):
        print(f"| {row['case']} | {row['nodes']} | {row['edges']} | {row['physics']:.2f} "
              f"| {row['viewer']:.2f} | {row['viewer'] / row['physics']:.2f} "
              f"| {row['physicsOverlaps']:.0f} → {row['viewerOverlaps']:.0f} |")


if __name__ == "__main__":
    main()
