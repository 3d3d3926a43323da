"""The FastAPI application: ``create_app`` wires settings, store, middleware and routes."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from graph.settings import Settings
from graph.store.base import GraphStore
from schema import StoreError

from . import errors
from .deps import complete_graph, open_store_for
from .indexes import settle, warm
from .lean import quick_paths
from .middleware import RequestContext, access_log
from .models import Problem
from .routes import (
    analytics,
    chains,
    docs,
    entities,
    health,
    labels,
    partners,
    paths,
    review,
    search,
    viewer,
    viz,
    writes,
)

DESCRIPTION = """温州创新生态知识图谱 API — the knowledge graph of a regional innovation ecosystem.

Reads are open; every write (`POST /ingest`, `POST /entities`, `POST /relations`, deletes,
review decisions) needs the `X-API-Key` header, and with no key configured writes are refused.
Errors are RFC 9457 problem details naming the offending `parameter`.
"""


def _problem(description: str) -> dict[str, object]:
    return {"model": Problem, "description": description,
            "content": {"application/problem+json": {}}}


READ_ERRORS: dict[int | str, dict[str, object]] = {
    404: _problem("unknown id"), 422: _problem("a parameter is invalid or over a cap"),
    500: _problem("unexpected error (logged with the request id)"),
    503: _problem("store unreachable or a read ran over its timeout")}
WRITE_ERRORS: dict[int | str, dict[str, object]] = {
    401: _problem("no X-API-Key header"),
    403: _problem("wrong key, or writes disabled (no key configured)"),
    409: _problem("the write would break the graph")}


def create_app(settings: Settings, store: GraphStore | None = None) -> FastAPI:
    """The API over ``store``, or over the store ``settings`` names (opened at start-up, or
    on first use when it was down then: writable when an API key is configured, read-only
    otherwise). Start-up also builds the search and neighbourhood indexes."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warming: threading.Thread | None = None
        try:
            if app.state.store is None:
                with contextlib.suppress(StoreError):  # down now: requests answer 503
                    app.state.store = await run_in_threadpool(open_store_for, settings)
            if app.state.store is not None:
                await warm(app.state.store)  # before the first request: none waits for it
                if settings.warm_partners:  # in the background: the port opens meanwhile
                    warming = partners.warm_up(app.state.store)
            yield
        finally:
            if warming is not None:  # never close the store under the build
                await run_in_threadpool(warming.join)
            if app.state.store is not None:  # nor under an index rebuild
                await settle(app.state.store)
            opened = app.state.store
            if store is None and opened is not None:
                opened.close()
                app.state.store = None
            # uvicorn ends by re-raising a stop signal, so no exit hook runs after this:
            # the access lines still in a batch (api.serving.BatchedLines) are written now
            for handler in access_log.handlers:
                handler.flush()

    # the docs pages are served by api.routes.docs, from vendored assets (issue 23)
    app = FastAPI(title="innograph", version="0.2.0", lifespan=lifespan,
                  description=DESCRIPTION, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.store = store
    if settings.cors_origins:
        # no credentials: the API key travels in a header a browser will not send by itself
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["X-API-Key", "X-Request-ID", "Content-Type"],
                           expose_headers=["X-Request-ID"], allow_credentials=False)
    errors.install(app)
    app.include_router(health.router, responses=READ_ERRORS)
    app.include_router(labels.router)  # the viewer's Chinese words (no store needed)
    reads = (search, entities, paths, analytics, partners, chains, viz)
    for module in reads:
        app.include_router(module.router, responses=READ_ERRORS,
                           dependencies=[Depends(complete_graph)])
    app.include_router(writes.router, responses=READ_ERRORS | WRITE_ERRORS)
    app.include_router(review.router, responses=READ_ERRORS | WRITE_ERRORS)
    app.include_router(docs.router)  # /docs and /redoc, offline
    app.include_router(viewer.router)  # the web viewer at /
    # one layer: request ids, the access line, the body limit (uploads: at most MAX_FILES
    # files of max_upload_mb each, plus the form's own overhead) and the quick paths, tried
    # before routing — but not past CORS, which sits inside this layer and must see them
    app.add_middleware(RequestContext, max_body_bytes=(settings.max_upload_mb << 20)
                       * writes.MAX_FILES + (1 << 20),
                       quick={} if settings.cors_origins else quick_paths(m.router for m in reads))
    return app
