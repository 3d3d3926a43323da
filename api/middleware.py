"""Request ids, structured access logs and the request-body limit: one plain ASGI
middleware (no per-request task, and one layer instead of a stack of them).

Each request gets an id — the caller's ``X-Request-ID`` when it is a sane token, otherwise
a new one — echoed in the response header and written, with method, path, status and
duration, as one JSON line on the ``innograph.access`` logger. A request that can carry a
body goes through :class:`api.body_limit.BodyLimit`; a GET skips that layer. A ``GET`` of a
path with a quick path (:func:`api.lean.quick_paths`) tries it before routing.
"""

from __future__ import annotations

import itertools
import logging
import re
import secrets
import time

from pydantic_core import to_json
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .body_limit import BodyLimit
from .lean import Quick, answer_quickly
from .serving import write_access

access_log = logging.getLogger("innograph.access")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_BODILESS = frozenset({"GET", "HEAD", "OPTIONS"})
# made ids: this process's random prefix and a counter (unique, and no system call a
# request, as secrets.token_hex per request was)
_PREFIX = secrets.token_hex(4)
_COUNT = itertools.count()


def new_request_id() -> str:
    """A 16-character id, unique within this process and unlikely to repeat across runs."""
    return f"{_PREFIX}{next(_COUNT) & 0xFFFFFFFF:08x}"


class RequestContext:
    """Give every HTTP request an id, log it when its response starts, refuse a body over
    ``max_body_bytes``, and answer a ``GET`` of a path in ``quick`` by its quick path when
    it can (before routing)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int,
                 quick: dict[str, Quick] | None = None) -> None:
        self.app = app
        self.limited = BodyLimit(app, max_bytes=max_body_bytes)
        self.quick = quick or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"")
        given_id = given.decode("latin-1")
        request_id = given_id if given and _SANE_ID.match(given_id) else new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        inner = self.app if scope["method"] in _BODILESS else self.limited
        # a mounted app (root_path) is routed on part of its path: leave it to the router
        quick = (self.quick.get(scope["path"]) if scope["method"] == "GET"
                 and not scope.get("root_path") else None)
        try:
            if quick is None or not await answer_quickly(quick, scope, receive, send_with_id):
                await inner(scope, receive, send_with_id)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                write_access(access_log, to_json({
                    "event": "request", "request_id": request_id, "method": scope["method"],
                    "path": scope["path"], "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "client": (scope.get("client") or ("-",))[0]}).decode())
