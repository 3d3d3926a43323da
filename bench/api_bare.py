"""The floor of the API benchmark: a bare FastAPI app, apart from innograph.

One ``async def`` route per body size, each returning a fixed JSON body of that many bytes:
no middleware, no store, no validation, served by uvicorn with the options
``innograph serve`` uses (:data:`api.serving.UVICORN_OPTIONS`). ``bench/api_bench.py`` runs it
beside innograph in the same run, so each route is judged against what FastAPI and uvicorn
alone cost on this machine at that moment.

Run: ``python -m bench.api_bare PORT SIZE [SIZE ...]`` serves ``GET /bare/SIZE``.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable

import uvicorn
from fastapi import FastAPI
from fastapi.responses import Response

from api.serving import UVICORN_OPTIONS


def fixed_body(size: int) -> bytes:
    """A JSON body of exactly ``size`` bytes (at least 13).

    >>> len(fixed_body(290)), fixed_body(15)
    (290, b'{"items":["x"]}')
    """
    strings = max(0, (size - 12 + 1) // 4)  # '{"items":[' + n × '"x",' − 1 + ']}'
    body = ('{"items":[' + ",".join(['"x"'] * strings) + "]}").encode()
    return body + b" " * (size - len(body))


def _route(body: bytes) -> Callable[[], Awaitable[Response]]:
    async def bare() -> Response:
        return Response(body, media_type="application/json")
    return bare


def bare_app(sizes: list[int]) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    for size in sizes:
        app.add_api_route(f"/bare/{size}", _route(fixed_body(size)), methods=["GET"])
    return app


if __name__ == "__main__":
    uvicorn.run(bare_app([int(s) for s in sys.argv[2:]]), host="127.0.0.1",
                port=int(sys.argv[1]), **UVICORN_OPTIONS)
