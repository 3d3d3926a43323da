"""The FastAPI application: ``create_app`` wires settings, store and routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from graph.store import open_store
from graph.store.base import GraphStore
from innograph.settings import Settings
from schema import EntityNotFound, InnographError, InvalidInput, StoreError

from .routes import health, search


def _problem(status: int, title: str, detail: str, parameter: str | None = None) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if parameter:
        body["parameter"] = parameter
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def create_app(settings: Settings, store: GraphStore | None = None) -> FastAPI:
    """The API over ``store`` (opened read-only from ``settings.store`` when not given)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store or open_store(settings.store, read_only=True,
                                              buffer_pool_mb=settings.buffer_pool_mb)
        try:
            yield
        finally:
            if owned:
                app.state.store.close()

    app = FastAPI(title="innograph", version="0.1.0", lifespan=lifespan,
                  description="温州创新生态知识图谱 API — knowledge graph of a regional "
                              "innovation ecosystem")
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_credentials=False)

    @app.exception_handler(InnographError)
    async def innograph_error(_: Request, exc: InnographError) -> JSONResponse:
        if isinstance(exc, EntityNotFound):
            return _problem(404, "Not Found", str(exc))
        if isinstance(exc, InvalidInput):
            return _problem(422, "Invalid parameter", str(exc), exc.what)
        if isinstance(exc, StoreError):
            return _problem(503, "Store unavailable", str(exc))
        return _problem(400, "Bad request", str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        parameter = str(first["loc"][-1]) if first.get("loc") else None
        return _problem(422, "Invalid parameter", str(first.get("msg", "invalid")), parameter)

    app.include_router(health.router)
    app.include_router(search.router)
    return app
