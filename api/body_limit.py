"""Refuse an oversized request body before it is read, not after it is spooled to disk.

FastAPI parses a multipart upload (and a JSON body) before the route runs, so a route's own
size check comes after the whole body sat on disk. This ASGI middleware answers 413 from
the ``Content-Length`` header alone, and counts the bytes of a body sent without one
(chunked), stopping at the limit.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    """A chunked body passed the limit while it was being read."""


class BodyLimit:
    """At most ``max_bytes`` of request body on any route (uploads are the largest)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send, int(declared))
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, seen)

    async def _refuse(self, send: Send, size: int) -> None:
        limit_mb = self.max_bytes >> 20
        body = json.dumps({"type": "about:blank", "title": "Payload Too Large", "status": 413,
                           "detail": f"the request body ({size >> 20} MiB or more) is larger "
                                     f"than the {limit_mb} MiB limit (INNOGRAPH_MAX_UPLOAD_MB "
                                     "per file)"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
