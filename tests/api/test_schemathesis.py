"""Property-based tests from the app's own OpenAPI schema (schemathesis, bounded).

Every operation — writes included, with the key — gets generated requests; none may answer
5xx and every response must match the schema (status codes, content types, bodies).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from graph.settings import Settings
from graph.store import open_store
from ingest.loader import load_paths
from tests.api.conftest import API_KEY
from tests.conftest import SAMPLE

EXAMPLES = 20

# Load, at collection, the modules schemathesis imports lazily while it reads a schema:
# pytest rewrites them (schemathesis is a pytest plugin) with ast.parse, and on CPython
# 3.11.7 that failed inside the fixture, deep in the stack, in the full suite ("AST
# constructor recursion depth mismatch", a CPython bug), never when the file ran alone.
schemathesis.openapi.from_dict({
    "openapi": "3.1.0", "info": {"title": "warm-up", "version": "1"},
    "paths": {"/x": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {
        "type": "string", "pattern": "^a$"}}], "responses": {"200": {"description": "ok"}}}}}})


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    store = open_store(folder / "store")
    load_paths(store, [SAMPLE])
    app = create_app(Settings(store=store.location, api_key=API_KEY,  # type: ignore[arg-type]
                              rejects_dir=folder / "rejects"), store=store)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    store.close()


def _operations(api_schema: object) -> list[object]:
    return [result.ok() for result in api_schema.get_all_operations()]  # type: ignore[attr-defined]


def test_every_operation_is_covered(api_schema: object) -> None:
    paths = {op.path for op in _operations(api_schema)}  # type: ignore[attr-defined]
    assert {"/health", "/search", "/entities", "/entities/{entity_id}",
            "/entities/{entity_id}/neighborhood", "/paths", "/ingest"} <= paths


def test_no_5xx_and_responses_match_the_schema(api_schema: object) -> None:
    failures: list[str] = []
    for operation in _operations(api_schema):

        @given(case=operation.as_strategy())  # type: ignore[attr-defined]
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            # writes are validated beyond what OpenAPI can say (an upload's file suffix, two
            # extra fields that mean the same column): those 422s are by design and tested in
            # test_writes, not valid requests rejected
            excluded = [positive_data_acceptance] if case.method == "POST" else []
            case.call_and_validate(headers={"X-API-Key": API_KEY}, excluded_checks=excluded)

        try:
            check()
        except Exception as e:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(e)[:2000]}")  # type: ignore[attr-defined]
    assert not failures, "\n\n".join(failures)
