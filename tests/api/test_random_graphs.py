"""Every GET route on random graphs that the ontology allows: no 5xx, ever.

Schemathesis (``test_schemathesis.py``) varies the requests over one graph, the sample;
this test varies the graph. Each example is a small graph whose every relation is allowed
by ``schema.rules`` (a team straight in an industry, a segment with no members, a region with
nothing located in it, an isolated node …); it is written to a real embedded store, and each
GET operation of the app's own OpenAPI document is called with parameters taken from that
graph (ids and names of fitting types, enum values, bounds), so the calls reach the code
behind validation. A 4xx is an answer; a 5xx is a bug.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from api.app import create_app
from graph.settings import Settings
from graph.store import open_store
from schema import Entity, EntityType, Relation, RelationType, endpoint_problem, relation_id
from tests.api.conftest import API_KEY

NAMES = "甲乙丙丁戊己庚辛"
SUFFIX = {EntityType.institute: "研究院", EntityType.enterprise: "有限公司",
          EntityType.talent_team: "团队", EntityType.person: "", EntityType.incubator: "孵化器",
          EntityType.fund: "基金", EntityType.platform: "平台", EntityType.park: "园区",
          EntityType.industry: "产业", EntityType.chain_segment: "", EntityType.region: "区",
          EntityType.government: "科技局"}
#: which entity type a parameter named like this wants (else any entity)
PARAM_TYPES = (("team", EntityType.talent_team), ("industry", EntityType.industry),
               ("region", EntityType.region), ("segment", EntityType.chain_segment))


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Entity], list[Relation]]:
    kinds = draw(st.lists(st.sampled_from(list(EntityType)), min_size=1, max_size=10))
    industry = "甲产业"
    entities: list[Entity] = []
    for index, kind in enumerate(kinds):
        if kind is EntityType.chain_segment:
            name, props = f"{industry}·环节{index}", {"order": draw(st.integers(1, 5))}
        else:
            name, props = f"{NAMES[index % len(NAMES)]}{index}{SUFFIX[kind]}", {}
        entities.append(Entity(f"{kind.value}:{name}", kind, name, props=props))
    relations: dict[str, Relation] = {}
    pairs = st.tuples(st.sampled_from(entities), st.sampled_from(list(RelationType)),
                      st.sampled_from(entities))
    for source, relation, target in draw(st.lists(pairs, max_size=14)):
        if source.id == target.id or endpoint_problem(relation, source.type, target.type):
            continue
        the_id = relation_id(source.id, relation, target.id)
        relations[the_id] = Relation(the_id, relation, source.id, target.id)
    return entities, list(relations.values())


def _wanted(name: str) -> EntityType | None:
    lowered = name.lower()
    return next((kind for hint, kind in PARAM_TYPES if hint in lowered), None)


def _value(name: str, schema: dict[str, Any], entities: list[Entity], draw: st.DrawFn) -> Any:
    """A value for one parameter: an entity's id or name where the parameter takes an entity,
    else something its schema allows."""
    schema = next((s for s in schema.get("anyOf", []) if s.get("type") != "null"), schema)
    if "enum" in schema:
        return draw(st.sampled_from(schema["enum"]))
    kind = schema.get("type")
    if kind == "integer":
        low, high = schema.get("minimum", 0), schema.get("maximum", 20)
        return draw(st.integers(low, min(high, low + 20)))
    if kind == "number":
        return draw(st.floats(schema.get("minimum", 0), schema.get("maximum", 1)))
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "array":
        return [_value(name, schema.get("items", {}), entities, draw)]
    wanted = _wanted(name)
    fitting = [e for e in entities if wanted is None or e.type is wanted] or entities
    chosen = draw(st.sampled_from(fitting))
    return draw(st.sampled_from([chosen.id, chosen.name, chosen.name[:2]]))


def _operations(app_schema: dict[str, Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    for path, methods in sorted(app_schema["paths"].items()):
        if "get" in methods:
            yield path, methods["get"].get("parameters", [])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("random-graphs")


@given(graph=graphs(), data=st.data())
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])  # the failure names its whole graph
def test_no_route_answers_5xx_on_any_valid_graph(folder: Path,
                                                 graph: tuple[list[Entity], list[Relation]],
                                                 data: st.DataObject) -> None:
    entities, relations = graph
    store = open_store(folder / uuid.uuid4().hex)
    try:
        store.upsert(entities, relations)
        app = create_app(Settings(store=store.location, api_key=API_KEY,  # type: ignore[arg-type]
                                  rejects_dir=folder / "rejects"), store=store)
        failures = []
        with TestClient(app, raise_server_exceptions=False) as client:
            for path, parameters in _operations(app.openapi()):
                url, query = path, {}
                for parameter in parameters:
                    if not parameter.get("required") and not data.draw(st.booleans()):
                        continue
                    value = _value(parameter["name"], parameter.get("schema", {}), entities,
                                   data.draw)
                    if parameter["in"] == "path":
                        url = url.replace("{" + parameter["name"] + "}", str(value))
                    elif parameter["in"] == "query":
                        query[parameter["name"]] = value
                if re.search(r"\{\w+\}", url):
                    continue  # a path parameter this test cannot fill
                answer = client.get(url, params=query, headers={"X-API-Key": API_KEY})
                if answer.status_code >= 500:
                    failures.append(f"GET {url} {query} → {answer.status_code}: "
                                    f"{answer.text[:300]}")
        assert not failures, "\n".join(failures) + (
            f"\ngraph: {[(e.id) for e in entities]}\n"
            f"{[(r.source, r.type.value, r.target) for r in relations]}")
    finally:
        store.close()
