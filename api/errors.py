"""Every error the API returns is RFC 9457 problem details; nothing leaks a stack trace.

Errors are raised as :mod:`schema` errors (or the two key errors below) and turned into
HTTP here, once: 404 unknown id, 422 bad parameter, 401/403 writes without a valid key,
409 a write that would break the graph, 503 store unreachable or too slow, 500 (logged,
with the request id) for anything unexpected.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from schema import (
    AlreadyDecided,
    AmbiguousName,
    EntityNotFound,
    InnographError,
    IntegrityError,
    InvalidInput,
    StoreError,
)

log = logging.getLogger("innograph.api")


class KeyMissing(Exception):
    """A write without an ``X-API-Key`` header (401)."""


class KeyRefused(Exception):
    """A write with a wrong key, or while writes are disabled (403)."""


def problem(status: int, title: str, detail: str, parameter: str | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status,
                               "detail": detail}
    if parameter:
        body["parameter"] = parameter
    return JSONResponse(body, status_code=status, media_type="application/problem+json",
                        headers=headers)


def _parameter(location: tuple[object, ...]) -> str | None:
    """The parameter a validation error is about, as the client wrote it.

    >>> _parameter(("query", "limit")), _parameter(("body", 0, "type"))
    ('limit', 'body[0].type')

    A field of an object body (or form) is named by itself, as a query parameter is, and
    as the review queue names the fields it checks:

    >>> _parameter(("body", "status")), _parameter(("body",))
    ('status', 'body')
    """
    parts = [str(p) for p in location]
    if not parts:
        return None
    if parts[0] in ("query", "path", "header", "cookie") and len(parts) > 1:
        return parts[1]
    if parts[0] == "body" and len(parts) > 1 and not parts[1].isdigit():
        parts = parts[1:]
    return parts[0] + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in parts[1:])


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(InnographError)
    async def innograph_error(_: Request, exc: InnographError) -> JSONResponse:
        if isinstance(exc, EntityNotFound):
            return problem(404, "Not Found", str(exc))
        if isinstance(exc, AmbiguousName):
            return problem(422, "Ambiguous name", str(exc))
        if isinstance(exc, InvalidInput):
            return problem(422, "Invalid parameter", str(exc), exc.what)
        if isinstance(exc, IntegrityError | AlreadyDecided):
            return problem(409, "Conflict", str(exc))
        if isinstance(exc, StoreError):
            return problem(503, "Store unavailable", str(exc), headers={"Retry-After": "5"})
        return problem(422, "Unprocessable input", str(exc))  # e.g. an unreadable upload

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        parameter = _parameter(tuple(first.get("loc", ())))
        return problem(422, "Invalid parameter", str(first.get("msg", "invalid")), parameter)

    @app.exception_handler(KeyMissing)
    async def key_missing(_: Request, exc: KeyMissing) -> JSONResponse:
        return problem(401, "Unauthorized", str(exc), "X-API-Key",
                       headers={"WWW-Authenticate": 'APIKey header="X-API-Key"'})

    @app.exception_handler(KeyRefused)
    async def key_refused(_: Request, exc: KeyRefused) -> JSONResponse:
        return problem(403, "Forbidden", str(exc), "X-API-Key")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # keep the router's headers: a 405 must say which methods are allowed (Allow)
        return problem(exc.status_code, str(exc.detail), str(exc.detail),
                       headers=dict(exc.headers) if exc.headers else None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = getattr(request.state, "request_id", "-")
        log.exception("unexpected error in %s %s (request %s)", request.method,
                      request.url.path, request_id)
        return problem(500, "Internal error", f"unexpected error; quote request id {request_id}")
