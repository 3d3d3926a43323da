"""Issue 23, offline means offline: every HTML page innograph serves, and every HTML page it
writes (saved /viz pages, notebook cells), works in headless chromium with every request
off this machine blocked — none is made, nothing logs an error, every asset answers, and
each page shows what it is for.

The pages visited are checked against the app's own routes: a route declared to answer
HTML, or a parameterless GET that answers HTML, must be in ``PAGES`` (or be the OAuth2
redirect page, visited as Swagger UI opens it), so a new page cannot be forgotten.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.routing import iter_route_contexts
from playwright.sync_api import expect

from api.analysis import analysis_of
from api.routes.docs import OAUTH2_REDIRECT_URL
from graph.analytics import chain_report
from graph.settings import Settings
from graph.store import GraphStore
from innograph.notebook import show_subgraph
from viz import render_chain, render_subgraph

from .conftest import Incidents, screenshot
from .served import HOSTILE_NAMES, HUB, app_with_viewer, sample_with_hostile_names, serving

INDUSTRY = "industry:眼镜"
LOCAL_SCHEMES = ("data:", "blob:", "about:")


@dataclass(frozen=True)
class Page:
    url: str  # relative to the server
    shows: str  # a selector that must become visible
    check: Callable[[Any], None] | None = None  # more it must do


def _swagger_works(page: Any) -> None:
    """Swagger UI lists the operations and runs one against this server."""
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("innograph")
    health = page.locator("#operations-health-health_health_get")
    health.locator(".opblock-summary").click()
    health.get_by_role("button", name="Try it out").click()
    health.get_by_role("button", name="Execute").click()
    expect(health.locator(".live-responses-table tr.response td.response-col_status")
           .first).to_have_text("200")


def _redoc_works(page: Any) -> None:
    """ReDoc renders the title and the operations from /openapi.json."""
    expect(page.locator("redoc h1").first).to_contain_text("innograph")
    expect(page.get_by_role("menuitem").first).to_be_visible()
    expect(page.locator("redoc")).to_contain_text("/review/{candidate_id}/accept")


def _drawn(page: Any) -> None:
    page.wait_for_selector("body[data-drawn]", state="attached", timeout=30_000)
    assert int(page.get_attribute("body", "data-drawn")) > 0


# route path -> how to visit it
PAGES: dict[str, Page] = {
    "/": Page("/", "#q"),  # the viewer's search box
    "/docs": Page("/docs", ".swagger-ui .info", _swagger_works),
    "/redoc": Page("/redoc", "redoc .api-content", _redoc_works),
    "/viz/neighborhood/{entity_id:path}": Page(f"/viz/neighborhood/{quote(HUB)}",
                                               "#graph canvas", _drawn),
    "/viz/chain/{industry_id:path}": Page(f"/viz/chain/{quote(INDUSTRY)}", "#graph canvas",
                                          _drawn),
}


@dataclass
class Served:
    app: FastAPI
    url: str
    store: GraphStore


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("offline")
    store = sample_with_hostile_names(root / "store")
    app = app_with_viewer(store, Settings(store=store.location, rejects_dir=root / "rejects"))
    try:
        with serving(app) as url:
            yield Served(app, url, store)
    finally:
        store.close()


@dataclass
class Offline:
    """A browser context that lets through only requests to ``allowed`` (and data:, blob:),
    aborting and counting every other, over every page it opens (popups and frames too)."""

    context: Any
    seen: Incidents
    local_failures: list[str]

    def new_page(self) -> Any:
        return self.context.new_page()

    def assert_clean(self) -> None:
        self.seen.assert_none()
        assert self.local_failures == [], f"local requests failed: {self.local_failures}"


@pytest.fixture
def offline(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[[str], Offline]]:
    contexts: list[Offline] = []

    def open_offline(allowed: str) -> Offline:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        guard = Offline(context, Incidents(), [])

        def route(request_route: Any) -> None:
            url = request_route.request.url
            if url.startswith(allowed) or url.startswith(LOCAL_SCHEMES):
                request_route.continue_()
            else:
                guard.seen.foreign_requests.append(url)
                request_route.abort()

        def response(answer: Any) -> None:
            if answer.url.startswith(allowed) and answer.status >= 400:
                guard.local_failures.append(f"{answer.status} {answer.url}")

        def failed(asked: Any) -> None:
            # net::ERR_ABORTED is the browser cancelling a request itself (the test moved to
            # the next page while the favicon was loading); a server failure is a status
            # (``response`` above) or a connection error, and those count
            if asked.url.startswith(allowed) and asked.failure != "net::ERR_ABORTED":
                guard.local_failures.append(f"{asked.failure} {asked.url}")

        def dialog(opened: Any) -> None:
            guard.seen.dialogs.append(opened.message)
            opened.dismiss()

        context.route("**/*", route)
        context.on("console", lambda m: guard.seen.console_errors.append(m.text)
                   if m.type == "error" else None)
        context.on("weberror", lambda error: guard.seen.page_errors.append(str(error.error)))
        context.on("response", response)
        context.on("requestfailed", failed)
        context.on("dialog", dialog)
        contexts.append(guard)
        return guard

    try:
        yield open_offline
    finally:
        for guard in contexts:
            guard.context.close()


# -- which pages the server has --------------------------------------------------------------
def _declared_html(app: FastAPI) -> set[str]:
    """GET routes whose declared response class is HTML."""
    found = set()
    for route in iter_route_contexts(app.routes):
        declared = getattr(route, "response_class", None)
        declared = getattr(declared, "value", declared)  # FastAPI's Default(...) wrapper
        if "GET" in (route.methods or ()) and isinstance(declared, type) \
                and issubclass(declared, HTMLResponse):
            found.add(str(route.path))
    return found


def _answering_html(app: FastAPI, url: str) -> set[str]:
    """Parameterless GET routes that answer HTML, whatever they declare."""
    found = set()
    for route in iter_route_contexts(app.routes):
        path = str(route.path)
        if "GET" not in (route.methods or ()) or "{" in path:
            continue
        try:
            with urllib.request.urlopen(url + path, timeout=30) as answer:
                kind = answer.headers.get("content-type", "")
        except urllib.error.HTTPError as refused:  # e.g. 422 without required parameters
            kind = refused.headers.get("content-type", "")
        if kind.startswith("text/html"):
            found.add(path)
    return found


def test_every_html_page_is_visited(served: Served) -> None:
    pages = _declared_html(served.app) | _answering_html(served.app, served.url)
    assert {"/", "/docs", "/redoc", OAUTH2_REDIRECT_URL} <= pages  # the check sees them
    assert pages == set(PAGES) | {OAUTH2_REDIRECT_URL}, (
        "a page innograph serves is not visited offline: add it to PAGES")


# -- the pages, offline ----------------------------------------------------------------------
@pytest.mark.parametrize("route", sorted(PAGES))
def test_page_works_offline(route: str, served: Served,
                            offline: Callable[[str], Offline]) -> None:
    guard = offline(served.url + "/")
    page = guard.new_page()
    visit = PAGES[route]
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(served.url + visit.url)
    expect(page.locator(visit.shows).first).to_be_visible(timeout=30_000)
    if visit.check:
        visit.check(page)
    page.wait_for_load_state("networkidle")
    screenshot(page, f"offline{route.split('{')[0].rstrip('/').replace('/', '-') or '-viewer'}.png")
    assert asked, "the page made no request at all?"
    guard.assert_clean()


def test_docs_assets_are_local(served: Served, offline: Callable[[str], Offline]) -> None:
    """What the docs pages load comes from this package, favicon included; no fonts."""
    guard = offline(served.url + "/")
    page = guard.new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url.removeprefix(served.url)))
    for url in ("/docs", "/redoc"):
        page.goto(served.url + url)
        page.wait_for_load_state("networkidle")
    assert {"/static/vendor/swagger-ui-bundle.js", "/static/vendor/swagger-ui.css",
            "/static/vendor/redoc.standalone.js", "/openapi.json"} <= set(asked)
    icons = page.locator("link[rel~='icon']")
    assert icons.get_attribute("href") == "/static/vendor/favicon.png"
    assert page.request.get(served.url + "/static/vendor/favicon.png").ok
    assert page.request.get(served.url + "/static/vendor/README.md").status == 404
    for url in ("/docs", "/redoc"):
        answer = page.request.get(served.url + url)
        # no address off this server in the page, and a policy that refuses any
        assert "http://" not in answer.text() and "https://" not in answer.text(), url
        assert "connect-src 'self'" in answer.headers["content-security-policy"]
    # Swagger UI's online validator would load a badge from validator.swagger.io
    assert '"validatorUrl": null' in page.request.get(served.url + "/docs").text()
    guard.assert_clean()


def test_oauth2_redirect_page_works_offline(served: Served,
                                            offline: Callable[[str], Offline]) -> None:
    """The page an OAuth2 provider sends the browser back to, opened as Swagger UI opens it
    (a popup of /docs), hands the token to Swagger UI and closes."""
    guard = offline(served.url + "/")
    page = guard.new_page()
    page.goto(served.url + "/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible(timeout=30_000)
    page.evaluate("""() => { window.swaggerUIRedirectOauth2 = {
        auth: {name: "key", schema: {get: () => "implicit"}, code: null}, state: "s1",
        redirectUrl: "", errCb: (e) => { window.oauthError = e; },
        callback: (r) => { window.oauthToken = r.token; } }; }""")
    with page.expect_popup() as opened:
        page.evaluate("(url) => { window.open(url); }",
                      f"{served.url}{OAUTH2_REDIRECT_URL}#access_token=t0k&state=s1")
    opened.value.wait_for_event("close", timeout=10_000)
    assert page.evaluate("() => window.oauthToken") == {"access_token": "t0k", "state": "s1"}
    assert page.evaluate("() => window.oauthError") is None
    guard.assert_clean()


# -- pages written to files ------------------------------------------------------------------
def _written(page_html: str, folder: Path, name: str) -> str:
    target = folder / name
    target.write_text(page_html, encoding="utf-8")
    return target.as_uri()


def test_saved_pages_work_offline(served: Served, tmp_path: Path,
                                  offline: Callable[[str], Offline]) -> None:
    """Pages rendered without a server (``vendor_url=None``: vis-network inline), as
    notebooks and anyone saving a rendering write them, open from a file with nothing
    else allowed."""
    analysis = analysis_of(served.store)
    report = chain_report(analysis.projection, INDUSTRY, analysis.recommender)
    pages = {"subgraph.html": render_subgraph(served.store.neighborhood(HUB, depth=1),
                                              heading=HOSTILE_NAMES[0]),
             "chain.html": render_chain(report)}
    for name, html in pages.items():
        url = _written(html, tmp_path, name)
        guard = offline(url)
        page = guard.new_page()
        page.goto(url)
        expect(page.locator("#graph canvas")).to_be_visible(timeout=30_000)
        _drawn(page)
        guard.assert_clean()


def test_notebook_cell_works_offline(served: Served, tmp_path: Path,
                                     offline: Callable[[str], Offline]) -> None:
    """A notebook's graph cell (``innograph.notebook.show_subgraph``: an iframe ``srcdoc``)
    draws inside a page that allows nothing but itself."""
    cell = show_subgraph(served.store.neighborhood(HUB, depth=1), heading="中国眼谷")
    url = _written(f"<!doctype html><meta charset='utf-8'><body>{cell.data}</body>",
                   tmp_path, "cell.html")
    guard = offline(url)
    page = guard.new_page()
    page.goto(url)
    frame = page.frame_locator("iframe")
    expect(frame.locator("#graph canvas")).to_be_visible(timeout=30_000)
    expect(frame.locator("body[data-drawn]")).to_be_attached(timeout=30_000)
    guard.assert_clean()
