"""Ids in URL paths: every route declares them with the shared limits of ``api.params``
(so a new route cannot silently drop them), enforces them, and documents ids that work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.params import ID_MAX_LENGTH, ID_MIN_LENGTH
from tests.api.conftest import API_KEY, writer_for

KEY = {"X-API-Key": API_KEY}


@pytest.fixture(scope="module")
def spec(reader: TestClient) -> dict[str, Any]:
    return reader.get("/openapi.json").json()  # type: ignore[no-any-return]


def id_parameters(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, parameter) of every path parameter named ``id`` or ``…_id``."""
    return [(method, path, parameter)
            for path, operations in spec["paths"].items()
            for method, operation in operations.items()
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "path"
            and (parameter["name"] == "id" or parameter["name"].endswith("_id"))]


def test_every_id_path_parameter_has_the_shared_length_limits(spec: dict[str, Any]) -> None:
    found = id_parameters(spec)
    names = {parameter["name"] for _, _, parameter in found}
    assert {"entity_id", "industry_id", "team_id", "relation_id"} <= names

    off = [(method, path, parameter["name"], parameter["schema"].get("minLength"),
            parameter["schema"].get("maxLength"))
           for method, path, parameter in found
           if (parameter["schema"].get("minLength"), parameter["schema"].get("maxLength"))
           != (ID_MIN_LENGTH, ID_MAX_LENGTH)]
    assert off == [], "declare these with api.params.PathId"


def test_every_id_path_parameter_is_documented(spec: dict[str, Any]) -> None:
    undocumented = [(method, path, parameter["name"])
                    for method, path, parameter in id_parameters(spec)
                    if not parameter.get("description")]
    assert undocumented == []


def test_an_id_over_the_limit_is_a_422_naming_it(spec: dict[str, Any], reader: TestClient,
                                                 tmp_path: Path) -> None:
    with writer_for(tmp_path) as writer:
        for method, path, parameter in id_parameters(spec):
            name = parameter["name"]
            client, headers = (reader, {}) if method == "get" else (writer, KEY)
            # an id with a format of its own (candidate_id) is refused at any length that
            # breaks it, so only the over-limit case tells about the limit
            cases = ((ID_MAX_LENGTH + 1, True),) if "pattern" in parameter["schema"] else (
                (ID_MAX_LENGTH + 1, True), (ID_MAX_LENGTH, False))
            for length, refused in cases:
                url = path.replace("{" + name + "}", "x" * length)
                response = client.request(method, url, headers=headers)
                assert (response.status_code == 422) is refused, (method, path, length)
                if refused:
                    assert response.json()["parameter"] == name


def test_the_delete_examples_name_what_the_write_examples_create(tmp_path: Path) -> None:
    with writer_for(tmp_path) as writer:
        spec = writer.get("/openapi.json").json()
        ends = [{"name": "华联机械", "type": "enterprise"},
                {"name": "浙江大学温州研究院", "type": "institute"}]
        assert writer.post("/entities", json=ends, headers=KEY).status_code == 200
        for written, deleted in (("/entities", "/entities/{entity_id}"),
                                 ("/relations", "/relations/{relation_id}")):
            body = spec["paths"][written]["post"]["requestBody"]["content"]["application/json"]
            assert writer.post(written, json=body["schema"]["examples"][0],
                               headers=KEY).status_code == 200
            parameter = spec["paths"][deleted]["delete"]["parameters"][0]
            url = deleted.replace("{" + parameter["name"] + "}",
                                  parameter["schema"]["examples"][0])
            assert writer.delete(url, headers=KEY).json() == {"deleted": 1}, url
