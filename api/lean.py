"""A route that answers its common requests without FastAPI's dependency solving.

FastAPI solves a route's dependencies and validates each query parameter through pydantic
on every request: on ``GET /search`` that was 40 % of the app's time, four times the search
itself. A :func:`lean_route` keeps the route as declared — its OpenAPI, its dependencies,
its validation and its error answers — and puts a quick path in front: a function that
reads the query string itself and answers, or returns ``None`` for anything it does not
accept as plainly valid (a repeated, missing, empty or unusual parameter), which then goes
the declared way. So an error is always FastAPI's own answer, and the quick path only has
to agree with the declared one on what it accepts (``tests/api/test_lean.py`` checks both
paths give the same bytes on many queries).

The app's middleware (:mod:`api.middleware`) also tries a quick path before routing
(:func:`quick_paths`, :func:`answer_quickly`): matching the path through FastAPI's 13
routers cost a search about 40 µs of its 350. Anything the quick path declines or raises
goes on to the router, where the route tries it again and FastAPI explains the error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope, Send

__all__ = ["Quick", "answer_quickly", "lean_route", "quick_paths", "single_values"]

Quick = Callable[[Request, dict[str, str]], Awaitable[Response | None]]


def single_values(query_string: bytes) -> dict[str, str] | None:
    """The query's parameters, or ``None`` when one is given twice (FastAPI's rules then
    decide which value counts, or whether a list is meant).

    >>> single_values(b"q=%E7%9C%BC%E8%B0%B7&limit=5")
    {'q': '眼谷', 'limit': '5'}
    >>> single_values(b"q=a&q=b") is None
    True
    """
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True,
                      encoding="utf-8", errors="replace")
    values = dict(pairs)
    return values if len(values) == len(pairs) else None


def lean_route(quick: Quick) -> type[APIRoute]:
    """An :class:`~fastapi.routing.APIRoute` class whose requests try ``quick`` first.

    ``quick(request, params)`` gets the query's parameters (each given once) and returns the
    response, or ``None`` to hand the request to the declared route. It must do what the
    route's dependencies do (``complete_graph``, the store) itself.
    """

    class LeanRoute(APIRoute):
        quick_path = staticmethod(quick)

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            declared = super().get_route_handler()

            async def handler(request: Request) -> Response:
                params = single_values(request.scope["query_string"])
                answer = await quick(request, params) if params is not None else None
                return answer if answer is not None else await declared(request)

            return handler

    return LeanRoute


def quick_paths(routers: Iterable[APIRouter]) -> dict[str, Quick]:
    """The quick path of each ``GET`` :func:`lean_route` of ``routers`` (included without a
    prefix) by its path; only routes without path parameters, matched by equality."""
    return {route.path: route.quick_path for router in routers for route in router.routes
            if isinstance(route, APIRoute) and hasattr(route, "quick_path")
            and "GET" in (route.methods or ()) and "{" not in route.path}


async def answer_quickly(quick: Quick, scope: Scope, receive: Receive, send: Send) -> bool:
    """Answer the request by ``quick`` before routing; ``False`` when it declines or raises
    (the router then takes the request: the route's own quick path raises again, inside
    FastAPI's error handling, or the declared route explains the parameters)."""
    params = single_values(scope["query_string"])
    if params is None:
        return False
    try:
        answer = await quick(Request(scope, receive), params)
    except Exception:  # answered (and logged) the declared way instead
        return False
    if answer is None:
        return False
    await answer(scope, receive, send)
    return True
