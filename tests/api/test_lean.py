"""The quick path of ``GET /search`` (``api/lean.py``) answers exactly as the declared route.

A parameter given twice with the same value means the same to FastAPI (the last value
counts) but is declined by the quick path, so ``?q=X&q=X`` is the declared route's answer to
``?q=X``: the two must be the same bytes, for valid and invalid parameters alike. (That a
partial graph is refused on the quick path too: ``tests/api/test_app.py``.)
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import pytest
from fastapi import Request, Response
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import api.routes.search as search_route
from api.lean import single_values
from schema import EntityType

SAMPLE_NAMES = ["浙大温州研究院", "眼谷", "yangu", "ygsy", "温州医科大学", "華聯機械", "ouhai",
                "瓯江实验室", "中国眼谷", "温州", "z", "浙", " 眼谷", "a+b", "%", "&", "眼谷 "]
LIMITS = ["1", "5", "10", "20", "100", "101", "0", "-1", "05", "1.0", "x", "", " 5", "+5",
          "1_0", "99999999999999999999"]
TYPES = [t.value for t in EntityType] + ["planet", "", "Enterprise", "enterprise "]


def _same(client: TestClient, params: dict[str, str]) -> None:
    plain = client.get("/search?" + urlencode(params))
    declared = client.get("/search?" + urlencode([*params.items(), *params.items()]))
    assert plain.status_code == declared.status_code
    assert plain.content == declared.content
    drop = {"x-request-id", "content-length"}
    assert ({k: v for k, v in plain.headers.items() if k not in drop}
            == {k: v for k, v in declared.headers.items() if k not in drop})


def test_the_quick_path_answers_plain_requests_and_declines_others(
        reader: TestClient) -> None:
    def quick(query: bytes) -> Response | None:
        scope = {"type": "http", "method": "GET", "path": "/search", "query_string": query,
                 "headers": [], "app": reader.app}
        params = single_values(query)
        return None if params is None else asyncio.run(search_route._quick(Request(scope), params))

    answered = quick(urlencode({"q": "眼谷", "limit": 5, "type": "park"}).encode())
    assert answered is not None and answered.status_code == 200
    assert answered.body == reader.get("/search?q=眼谷&limit=5&type=park&q=眼谷").content
    for declined in (b"q=a&q=a", b"limit=5", b"q=", b"q=a&limit=05", b"q=a&limit=101",
                     b"q=a&type=planet", b"q=a&type="):
        assert quick(declined) is None, declined


@pytest.mark.parametrize("q", SAMPLE_NAMES)
def test_same_bytes_for_sample_names(reader: TestClient, q: str) -> None:
    for extra in ({}, {"limit": "3"}, {"type": "enterprise"}, {"type": "park", "limit": "20"}):
        _same(reader, {"q": q, **extra})


@pytest.mark.parametrize("limit", LIMITS)
def test_same_answer_for_every_kind_of_limit(reader: TestClient, limit: str) -> None:
    _same(reader, {"q": "眼谷", "limit": limit})


@pytest.mark.parametrize("kind", TYPES)
def test_same_answer_for_every_kind_of_type(reader: TestClient, kind: str) -> None:
    _same(reader, {"q": "温州", "type": kind})


def test_same_answer_without_or_with_an_overlong_query(reader: TestClient) -> None:
    _same(reader, {"limit": "5"})
    _same(reader, {"q": ""})
    _same(reader, {"q": "眼" * 100})
    _same(reader, {"q": "眼" * 101})
    _same(reader, {"q": "眼谷", "other": "ignored"})


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(min_size=0, max_size=12), limit=st.sampled_from([None, *LIMITS]),
       kind=st.sampled_from([None, *TYPES]))
def test_same_bytes_on_random_queries(reader: TestClient, q: str, limit: str | None,
                                      kind: str | None) -> None:
    params = {"q": q}
    if limit is not None:
        params["limit"] = limit
    if kind is not None:
        params["type"] = kind
    _same(reader, params)

