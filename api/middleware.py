"""Request ids and structured access logs, as plain ASGI middleware (no per-request task).

Each request gets an id — the caller's ``X-Request-ID`` when it is a sane token, otherwise
a new one — echoed in the response header and written, with method, path, status and
duration, as one JSON line on the ``innograph.access`` logger.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("innograph.access")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContext:
    """Give every HTTP request an id and log it when its response starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _SANE_ID.match(given) else secrets.token_hex(8)
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

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                record: dict[str, Any] = {
                    "event": "request", "request_id": request_id, "method": scope["method"],
                    "path": scope["path"], "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "client": (scope.get("client") or ("-",))[0]}
                access_log.info(json.dumps(record, ensure_ascii=False))
