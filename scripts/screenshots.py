"""Regenerate the pictures in docs/screenshots/ from a live server over the Wenzhou sample.

Run from the repository root::

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only viz-chain ...]

It loads the sample into a temporary store (``innograph --store DIR demo --no-serve``), starts
``innograph --store DIR serve`` on a free loopback port with a write key made for the run
(the upload screen's dry run and a report read into the review queue use it; the store is
thrown away afterwards), and drives Debian's chromium
(``/usr/bin/chromium``) through playwright — never ``playwright install``. Each picture is
taken only once its graph has settled (the viewer's ``data-graph-ready``; for the pyvis pages
vis-network's stabilisation done and physics off; then node positions sampled twice, a moment
apart, must agree) and is checked before it is written: every node drawn inside the canvas,
and enough of the canvas not background. A blank canvas, a console error or a request to
another host stops the script with an error naming the picture (exit 1).

Why scripts/ and not bench/: bench/ holds benchmarks whose figures go to bench/RESULTS.md;
this is documentation tooling, run by hand when the viewer or the pages change.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.parse import quote
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--font-render-hinting=none"]
VIEWPORT = {"width": 1400, "height": 900}

ENTITY = "institute:浙江大学温州研究院"   # viewer-entity.png: panel, recommendations, 2 hops
NEIGHBOURHOOD = "institute:温州医科大学"   # viz-neighborhood.png: two hops, sized by PageRank
CHAIN = "industry:眼镜"                   # viewer-chain.png and viz-chain.png
WRITE_KEY = secrets.token_urlsafe(16)    # this run's server only

# upload.png: a government list as bureaus publish it (title row, 序号, group rows, a note)
GOV_LIST = """2024年瓯海区科技型企业名单,,,,
序号,企业名称,所在地区,所属产业,认定年份
瓯海区（3家）,,,,
1,温州明眸视光科技有限公司,瓯海区,眼镜,2024
2,浙江瓯越智能锁业有限公司,瓯海区,智能锁具,2024
3,温州辰光生物医药有限公司,瓯海区,生命健康,2023
鹿城区（1家）,,,,
4,温州鹿城数智物联科技有限公司,鹿城区,数字经济,2024
注：排名不分先后。,,,,
"""
# review.png: a short report read into the review queue
REPORT = ("瓯海区科技局2024年工作总结。一、主要成效(一)平台建设提速。"
          "温州医科大学与瓯江实验室签订战略合作协议，双方共建眼视光中试基地。"
          "温州明眸视光科技有限公司入驻中国眼谷。"
          "(二)人才团队集聚。引进李明教授带领的智能眼镜研发团队。"
          "二、2025年计划。一是推进平台建设。温州大学和华联机械联合申报重点研发项目。")


class ScreenshotError(RuntimeError):
    """A picture that would not show what it claims."""


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def innograph(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "innograph", "--store", str(store), *args]


@contextmanager
def demo_server(workdir: Path) -> Iterator[str]:
    """The Wenzhou sample in a new store under ``workdir``, served on a free port; yields the
    base URL and stops the server (the one process started here) when the block ends."""
    store = workdir / "store"
    env = {**os.environ, "INNOGRAPH_REJECTS_DIR": str(workdir / "rejects"),
           "INNOGRAPH_API_KEY": WRITE_KEY}  # writes go to this throw-away store only
    loaded = subprocess.run(innograph(store, "demo", "--no-serve"), cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    if loaded.returncode != 0:
        raise ScreenshotError(f"loading the sample failed: {loaded.stderr.strip()}")
    print(loaded.stdout.strip())
    port = free_port()
    log = (workdir / "serve.log").open("w")
    server = subprocess.Popen(innograph(store, "serve", "--host", "127.0.0.1", "--port", str(port)),
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                raise ScreenshotError(f"the server exited ({server.returncode}); see {log.name}")
            try:
                with urlopen(base + "/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except (URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise ScreenshotError("the server did not answer /health within 90 s")
            time.sleep(0.25)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


# --- the page -----------------------------------------------------------------------------


@dataclass
class Incidents:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def check(self, shot: str) -> None:
        if self != Incidents():
            raise ScreenshotError(f"{shot}: the page misbehaved: {self}")


def guarded_page(browser: Any, base: str) -> tuple[Any, Any, Incidents]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", device_scale_factor=1)
    page = context.new_page()
    seen = Incidents()

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith((base + "/", "data:", "blob:")):
            request_route.continue_()
        else:
            seen.foreign_requests.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    return context, page, seen


#: nodes of the vis network in ``expr``: how many, how many lie inside the canvas, and a
#: fingerprint of their positions (to tell a settled layout from a moving one)
LAYOUT_JS = """(expr) => {
  const network = eval(expr);
  const ids = network.body.data.nodes.getIds();
  const canvas = network.canvas.frame.canvas.getBoundingClientRect();
  const positions = network.getPositions(ids);
  let inside = 0;
  const rounded = [];
  for (const id of ids) {
    const p = network.canvasToDOM(positions[id]);
    if (p.x >= 0 && p.y >= 0 && p.x <= canvas.width && p.y <= canvas.height) inside += 1;
    rounded.push(Math.round(positions[id].x) + "," + Math.round(positions[id].y));
  }
  return {nodes: ids.length, inside: inside, fingerprint: rounded.join(";")};
}"""


def settled_layout(page: Any, network_expr: str, shot: str) -> dict[str, Any]:
    """Wait until the node positions of the network no longer move; return the layout."""
    last: dict[str, Any] | None = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page.wait_for_timeout(400)
        layout: dict[str, Any] = page.evaluate(LAYOUT_JS, network_expr)
        if last is not None and layout["fingerprint"] == last["fingerprint"]:
            return layout
        last = layout
    raise ScreenshotError(f"{shot}: the layout kept moving for 60 s")


def check_layout(layout: dict[str, Any], shot: str, min_nodes: int) -> None:
    if layout["nodes"] < min_nodes:
        raise ScreenshotError(f"{shot}: {layout['nodes']} nodes drawn, expected ≥ {min_nodes}")
    if layout["inside"] < 0.9 * layout["nodes"]:
        raise ScreenshotError(f"{shot}: only {layout['inside']} of {layout['nodes']} nodes lie "
                              "inside the canvas")


def ink(png: bytes, box: dict[str, float] | None) -> float:
    """The share of pixels in ``box`` (the whole picture if None) that differ from its most
    common colour, the background."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    if box is not None:
        image = image.crop((int(box["x"]), int(box["y"]),
                            int(box["x"] + box["width"]), int(box["y"] + box["height"])))
    pixels = image.width * image.height
    colours: list[tuple[int, tuple[int, ...]]] = [
        (count, tuple(colour) if isinstance(colour, tuple) else (int(colour),) * 3)
        for count, colour in image.getcolors(maxcolors=pixels) or []]
    if not colours:
        return 0.0
    _, background = max(colours)
    close = sum(count for count, colour in colours
                if sum(abs(a - b) for a, b in zip(colour, background, strict=True)) <= 24)
    return 1 - close / pixels


def check_ink(png: bytes, box: dict[str, float] | None, shot: str, minimum: float) -> float:
    share = ink(png, box)
    where = "canvas" if box is not None else "page"
    if share < minimum:
        raise ScreenshotError(f"{shot}: the {where} is nearly blank ({share:.2%} of its pixels "
                              f"drawn, expected ≥ {minimum:.0%})")
    return share


# --- the pictures -------------------------------------------------------------------------


def viewer_entity(page: Any, base: str) -> tuple[bytes, str]:
    page.goto(f"{base}/#entity={quote(ENTITY)}&depth=2")  # two hops: rings, legend, labels
    page.wait_for_selector("body[data-graph-ready]:not([data-graph-ready=''])",
                           state="attached", timeout=60_000)
    page.wait_for_selector("#partners li.partner", timeout=60_000)
    layout = settled_layout(page, "window.innographGraph.network", "viewer-entity")
    check_layout(layout, "viewer-entity", min_nodes=40)
    png: bytes = page.screenshot()
    share = check_ink(png, page.locator("#graph canvas").bounding_box(), "viewer-entity", 0.01)
    return png, f"{layout['nodes']} nodes, {share:.1%} of the canvas drawn"


def viewer_chain(page: Any, base: str) -> tuple[bytes, str]:
    page.goto(f"{base}/#chain={quote(CHAIN)}")
    page.wait_for_selector(".segment", timeout=60_000)
    segments = page.locator(".segment").count()
    page.locator(".segment.gap .show-candidates").first.click()
    page.wait_for_selector("#gap-detail li.candidate .why", timeout=60_000)
    page.wait_for_timeout(300)
    png: bytes = page.screenshot(full_page=True)
    share = check_ink(png, None, "viewer-chain", 0.03)
    return png, f"{segments} segments, a gap's candidates open, {share:.1%} of the page drawn"


def _post_file(base: str, name: str, data: bytes) -> None:
    """``POST /ingest`` one file, as the upload screen sends it."""
    boundary = "innograph-screenshots"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = Request(base + "/ingest", data=body, method="POST", headers={
        "X-API-Key": WRITE_KEY, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urlopen(request, timeout=120) as reply:
        if reply.status != 200:
            raise ScreenshotError(f"uploading {name} answered {reply.status}")


def upload_screen(page: Any, base: str) -> tuple[bytes, str]:
    with tempfile.TemporaryDirectory(prefix="innograph-upload-shot-") as folder:
        table = Path(folder) / "瓯海区科技型企业名单.csv"
        table.write_text(GOV_LIST, encoding="utf-8")
        page.goto(f"{base}/#upload")
        page.wait_for_selector("#upload-view:not([hidden])", timeout=60_000)
        page.fill("#upload-key", WRITE_KEY)
        page.set_input_files("#upload-files", str(table))
        page.click("#upload-dry-run")
        page.wait_for_selector("#table-preview table.mapping", timeout=60_000)
    columns = page.locator("#table-preview table.mapping tbody tr").count()
    if columns < 3:
        raise ScreenshotError(f"upload: the dry run shows {columns} columns, expected ≥ 3")
    page.wait_for_timeout(300)
    png: bytes = page.screenshot()
    share = check_ink(png, None, "upload", 0.02)
    return png, f"a dry run of a government list, {columns} columns, {share:.1%} of the page drawn"


def review_screen(page: Any, base: str) -> tuple[bytes, str]:
    _post_file(base, "瓯海区2024年工作总结.txt", REPORT.encode())
    page.goto(f"{base}/#review")
    page.wait_for_selector("body[data-review-ready]", state="attached", timeout=60_000)
    page.fill("#review-key", WRITE_KEY)
    rows = page.locator("#review-items tr.candidate").count()
    if rows < 3:
        raise ScreenshotError(f"review: {rows} candidates listed, expected ≥ 3")
    page.click("#add-relation-box summary")
    page.wait_for_timeout(300)
    png: bytes = page.screenshot()
    share = check_ink(png, None, "review", 0.02)
    return png, f"{rows} candidates of a report, {share:.1%} of the page drawn"


def viz_page(path: str, shot: str, min_nodes: int) -> Callable[[Any, str], tuple[bytes, str]]:
    def take(page: Any, base: str) -> tuple[bytes, str]:
        page.goto(base + path)
        page.wait_for_selector("body[data-drawn]", state="attached", timeout=60_000)
        # the template turns physics off once stabilisation is done (a large graph arrives
        # laid out, with physics off from the start)
        page.wait_for_function("() => window.innographNetwork"
                               " && window.innographNetwork.physics.options.enabled === false",
                               timeout=120_000)
        layout = settled_layout(page, "window.innographNetwork", shot)
        check_layout(layout, shot, min_nodes=min_nodes)
        png: bytes = page.screenshot()
        share = check_ink(png, page.locator("#graph canvas").bounding_box(), shot, 0.01)
        return png, f"{layout['nodes']} nodes, {share:.1%} of the canvas drawn"

    return take


SHOTS: dict[str, Callable[[Any, str], tuple[bytes, str]]] = {
    "viewer-entity.png": viewer_entity,
    "viewer-chain.png": viewer_chain,
    "viz-neighborhood.png": viz_page(
        f"/viz/neighborhood/{quote(NEIGHBOURHOOD)}?depth=2&size_by=pagerank",
        "viz-neighborhood", min_nodes=20),
    "viz-chain.png": viz_page(f"/viz/chain/{quote(CHAIN)}", "viz-chain", min_nodes=5),
    "upload.png": upload_screen,
    "review.png": review_screen,
}


def take_all(base: str, out: Path, only: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    chosen = {name: take for name, take in SHOTS.items() if not only or name.removesuffix(".png")
              in only or name in only}
    if not chosen:
        raise ScreenshotError(f"no picture called {only}; there are {sorted(SHOTS)}")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, take in chosen.items():
                context, page, seen = guarded_page(browser, base)
                try:
                    png, what = take(page, base)
                    seen.check(name)
                finally:
                    context.close()
                (out / name).write_bytes(png)
                print(f"{out / name}: {what}")
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots",
                        help="folder for the PNGs (default docs/screenshots)")
    parser.add_argument("--only", nargs="*", default=[], help="names of pictures to take")
    args = parser.parse_args(argv)
    if not os.access(CHROMIUM, os.X_OK):
        print(f"error: needs Debian's chromium at {CHROMIUM} (apt-get install chromium)",
              file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="innograph-screenshots-"))
    try:
        with demo_server(workdir) as base:
            take_all(base, args.out, args.only)
    except ScreenshotError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps({"written": str(args.out)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
