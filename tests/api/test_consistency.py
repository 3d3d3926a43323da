"""Issue 20, API consistency: models in one place, every router mounted alike, and closed
vocabularies as enums (OpenAPI lists the values; a wrong one is a 422 naming the field)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

import api.routes
from api.app import create_app
from graph.settings import Settings
from schema import EntityType, RelationType
from schema.types import PartnershipKind, PartnershipStatus
from tests.api.conftest import API_KEY, writer_for

KEY = {"X-API-Key": API_KEY}
ROUTES = Path(api.routes.__file__).parent


def test_no_route_module_defines_a_model() -> None:
    import importlib

    defined = []
    for path in sorted(ROUTES.glob("*.py")):
        module = importlib.import_module(f"api.routes.{path.stem}")
        defined += [f"{path.stem}.{name}" for name, value in vars(module).items()
                    if inspect.isclass(value) and issubclass(value, BaseModel)
                    and value.__module__ == module.__name__]
    assert defined == [], "request and response models belong in api/models.py"


def test_review_is_an_ordinary_router(tmp_path: Path) -> None:
    app = create_app(Settings(store=str(tmp_path / "s")))
    assert not hasattr(app.state, "review_settings")
    paths = app.openapi()["paths"]
    assert {"/review", "/review/{candidate_id}/accept", "/review/{candidate_id}/edit",
            "/review/{candidate_id}/reject"} <= set(paths)
    # the shared error responses are documented on it as on every other router
    assert {"401", "403", "422"} <= set(paths["/review/{candidate_id}/edit"]["post"]["responses"])


@pytest.fixture(scope="module")
def schemas(reader: TestClient) -> dict[str, Any]:
    return reader.get("/openapi.json").json()["components"]["schemas"]  # type: ignore[no-any-return]


def _enum_of(schemas: dict[str, Any], model: str, field: str) -> list[str]:
    found = schemas[model]["properties"][field]
    refs = [found.get("$ref")] + [option.get("$ref") for option in found.get("anyOf", [])]
    name = next(ref for ref in refs if ref).rsplit("/", 1)[1]
    return schemas[name]["enum"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(("model", "field", "values"), [
    ("EntityIn", "type", EntityType), ("RelationIn", "relation", RelationType),
    ("RelationIn", "kind", PartnershipKind), ("RelationIn", "status", PartnershipStatus),
    ("EditIn", "type", EntityType), ("EditIn", "relation", RelationType),
    ("EditIn", "kind", PartnershipKind), ("EditIn", "status", PartnershipStatus),
    ("CandidateOut", "kind", ("entity", "relation", "match")),
    ("CandidateOut", "status", ("pending", "accepted", "rejected", "obsolete")),
])
def test_closed_vocabularies_are_enums_in_openapi(schemas: dict[str, Any], model: str,
                                                  field: str, values: Any) -> None:
    assert _enum_of(schemas, model, field) == [str(v) for v in values]


def test_bodies_take_what_files_take_and_name_a_wrong_value(tmp_path: Path) -> None:
    with writer_for(tmp_path) as client:
        # as in a file: a Chinese label or synonym, padded, and a blank marker (no type)
        made = client.post("/entities", headers=KEY, json=[
            {"name": "甲公司", "type": "企业"}, {"name": "乙研究院", "type": " 研究院 "},
            {"name": "丙", "type": "-"}]).json()
        assert made["created"]["entities"] == 2
        assert [(r["row"], r["column"]) for r in made["rejects"]] == [(3, "type")]
        linked = client.post("/relations", headers=KEY, json=[
            {"source": "甲公司", "target": "乙研究院", "relation": "合作", "kind": "共建 ",
             "status": "无"}]).json()
        assert linked["created"]["relations"] == 1
        edge = client.get("/entities/enterprise:甲公司/neighborhood").json()["edges"][0]
        assert (edge["type"], edge["props"]) == ("partnership", {"kind": "共建"})
        for path, row, field in (("/entities", {"name": "丁", "type": "company"}, "type"),
                                 ("/relations", {"source": "甲公司", "target": "乙研究院",
                                                 "relation": "friends"}, "relation"),
                                 ("/relations", {"source": "甲公司", "target": "乙研究院",
                                                 "relation": "partnership", "kind": "x"}, "kind"),
                                 ("/relations", {"source": "甲公司", "target": "乙研究院",
                                                 "relation": "partnership", "status": "done"},
                                  "status")):
            response = client.post(path, headers=KEY, json=[row])
            assert response.status_code == 422, response.text
            assert response.json()["parameter"] == f"body[0].{field}"
            assert response.json()["detail"].startswith("Input should be ")


def test_an_object_body_field_is_named_by_itself(tmp_path: Path) -> None:
    with writer_for(tmp_path) as client:
        for body, field in (({"status": "done"}, "status"), ({"type": "company"}, "type"),
                            ({"year": 1700}, "year"), ({"colour": "red"}, "colour")):
            response = client.post("/review/c:0000000000000000/edit", headers=KEY, json=body)
            assert response.status_code == 422 and response.json()["parameter"] == field
