"""Browser fixtures: one headless Debian chromium per session, the app served once per
module, and a page that fails its test on a console error, a page error, a dialog or a
request to any host but the local server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from graph.settings import Settings

from .served import app_with_viewer, sample_with_hostile_names, serving

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def drawn_nodes(page: Any, before: int | None = None) -> int:
    """How many nodes the viewer has drawn, read in the same step as it is found ready (the
    viewer clears the mark when a redraw starts). With ``before``: once a redraw replaced a
    view of that many nodes (a hash change reaches the viewer a moment after the URL shows
    it, so the old mark can still be up)."""
    drawn = page.wait_for_function(
        "(before) => { const v = document.body.dataset.graphReady;"
        " return v && v !== before ? v : null; }",
        arg=None if before is None else str(before), timeout=30_000)
    return int(drawn.json_value())


def screenshot(page: Any, name: str, full_page: bool = False) -> None:
    """Save a screenshot for the README when INNOGRAPH_SCREENSHOTS names a folder
    (``INNOGRAPH_SCREENSHOTS=docs/screenshots pytest tests/viewer``); else do nothing."""
    folder = os.environ.get("INNOGRAPH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=full_page)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("viewer")
    store = sample_with_hostile_names(root / "store")
    app = app_with_viewer(store, Settings(store=store.location, rejects_dir=root / "rejects"))
    try:
        with serving(app) as url:
            yield url
    finally:
        store.close()


@dataclass
class Incidents:
    """What a page did that it must not: each list must stay empty."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def assert_none(self) -> None:
        assert self == Incidents(), f"the page misbehaved: {self}"


@pytest.fixture
def guarded(browser: Any, base_url: str) -> Iterator[tuple[Any, Incidents]]:
    """A fresh page and the incidents it records; the test fails if any occurred."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    seen = Incidents()

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(base_url + "/") or url.startswith(("data:", "blob:", "file://")):
            request_route.continue_()
        else:
            seen.foreign_requests.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))

    def dialog(opened: Any) -> None:
        seen.dialogs.append(opened.message)
        opened.dismiss()

    page.on("dialog", dialog)
    try:
        yield page, seen
        seen.assert_none()
    finally:
        context.close()
