"""Viewer benchmark: time until a 500-node and a 2,000-node neighbourhood is drawn and
interactive in headless chromium, against an empty page load in the same run.

A synthetic star (one institute, N partner firms, each also tied to the next) is served by
the real app (uvicorn on loopback). Timed, from navigation to a node selected and redrawn:
the web viewer at 500 nodes (the API's neighbourhood cap), and the pyvis page /viz at 500
and 2,000 nodes (laid out on the server, physics off). Median of ``--repeat`` runs.
Run: ``.venv/bin/python -m bench.viewer_bench [--repeat 3] [--screenshots docs/screenshots]``.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--screenshots", type=Path, default=None)
    args = parser.parse_args()
    results = run(args.repeat, args.screenshots)
    baseline = results["empty page (baseline)"]
    print("| case | seconds (median) | × empty page |")
    print("|---|---:|---:|")
    for name, seconds in results.items():
        print(f"| {name} | {seconds:.2f} | {seconds / baseline:.1f} |")


if __name__ == "__main__":
    main()
