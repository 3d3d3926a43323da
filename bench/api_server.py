"""The API as the benchmark serves it: innograph's app plus one bare route, the baseline.

``GET /bench/bare?n=`` returns ``n`` bytes of JSON without touching the store, through the
same middleware, server and process as the real routes, so the two are compared under one
configuration. Run by ``bench/api_bench.py``:
``python -m bench.api_server STORE PORT``.
"""

from __future__ import annotations

import sys
from typing import Annotated

import uvicorn
from fastapi import Query
from fastapi.responses import Response

from api.app import create_app
from graph.settings import Settings


def build(store: str) -> object:
    app = create_app(Settings(store=store))

    @app.get("/bench/bare", include_in_schema=False)
    def bare(n: Annotated[int, Query(ge=2, le=10_000_000)] = 2) -> Response:
        body = '{"items":[' + ",".join(['"x"'] * max(0, (n - 13) // 4)) + "]}"
        return Response(body, media_type="application/json")

    return app


if __name__ == "__main__":
    uvicorn.run(build(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]),  # type: ignore[arg-type]
                log_level="warning", access_log=False)
