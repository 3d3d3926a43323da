"""Records survive the trip into Neo4j properties and back, with the same content hashes."""

from __future__ import annotations

from typing import Any

import pytest

from graph.store.neo4j_records import (
    entity_from_properties,
    entity_properties,
    relation_from_properties,
    relation_properties,
)
from schema import (
    Entity,
    EntityType,
    IntegrityError,
    InvalidInput,
    Relation,
    RelationType,
    entity_id,
    relation_id,
)
from schema.tables import entities_to_table, relations_to_table

# property names that collide with what innograph writes itself, or with its prefixes
AWKWARD = {"chash": "c", "id": "i", "name": "n", "aliases": "a", "prop_keys": "k",
           "score_pagerank": "s", "prop_x": "p", "ingest_run": "r", "provenance": "v"}


def set_plus(node: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j's ``SET n += $props``: a null removes the property."""
    merged = {**node, **props}
    return {k: v for k, v in merged.items() if v is not None}


def firm(**props: Any) -> Entity:
    return Entity(entity_id(EntityType.enterprise, "华联机械"), EntityType.enterprise, "华联机械",
                  name_raw="華聯機械", aliases=("华联", "华联公司"), props=props,
                  provenance={"source_doc": "report.txt", "evidence": "report"},
                  ingest={"run": "run-1", "file": "firms.csv", "row": 7})


def stored(entity: Entity, node: dict[str, Any] | None = None) -> dict[str, Any]:
    row = entities_to_table([entity]).to_pylist()[0]
    return set_plus(node or {}, entity_properties(row, stored_keys=list(node or {})))


def test_entity_round_trip_keeps_every_field_and_hash() -> None:
    original = firm(level="省级", founded_year=2003, size=1.5, listed=True, **AWKWARD)
    node = stored(original)
    assert node["level"] == "省级" and node["founded_year"] == 2003  # plain, for Bloom
    assert node["id"] == original.id and node["prop_chash"] == "c"
    back = entity_from_properties(node)
    assert back == original
    assert entities_to_table([back]).column("chash").to_pylist() == \
        entities_to_table([original]).column("chash").to_pylist()


def test_update_removes_stale_properties_and_keeps_scores() -> None:
    node = stored(firm(level="省级", website="https://example.cn"))
    node["score_pagerank"] = 0.25
    updated = Entity(node["id"], EntityType.enterprise, "华联机械", props={"level": "国家级"})
    node = stored(updated, node)
    assert "website" not in node and "name_raw" not in node and "aliases" not in node
    assert "provenance" not in node and "ingest_run" not in node
    assert node["score_pagerank"] == 0.25
    assert entity_from_properties(node) == updated


def test_floats_stay_floats_and_ints_stay_ints() -> None:
    back = entity_from_properties(stored(firm(a=2.0, b=2)))
    assert isinstance(back.props["a"], float) and isinstance(back.props["b"], int)


def test_relation_round_trip_keeps_every_field_and_hash() -> None:
    source, target = "enterprise:华联机械", "institute:浙江大学温州研究院"
    original = Relation(relation_id(source, RelationType.partnership, target),
                        RelationType.partnership, source, target,
                        props={"kind": "共建", "year": 2021, "amount": "1亿元", "chash": "x"},
                        provenance={"source_doc": "r.txt"},
                        ingest={"run": "run-1", "file": "links.csv", "row": 3})
    row = relations_to_table([original]).to_pylist()[0]
    props = relation_properties(row)
    assert props["kind"] == "共建" and props["year"] == 2021 and props["prop_chash"] == "x"
    assert None not in props.values()
    back = relation_from_properties(source, "PARTNERSHIP", target, props)
    assert back == original
    assert relations_to_table([back]).column("chash").to_pylist() == [row["chash"]]


def test_a_tie_history_is_one_relationship_property_and_round_trips() -> None:
    # Neo4j holds a partnership's history as the plain property ``years`` of its one
    # relationship (schema.history), written and read back unchanged, hash included
    source, target = "enterprise:华联机械", "institute:浙江大学温州研究院"
    original = Relation(relation_id(source, RelationType.partnership, target),
                        RelationType.partnership, source, target,
                        props={"kind": "联合申报", "year": 2015, "years": "2015:1;2017:2"},
                        ingest={"run": "run-1", "file": "links.csv", "row": 3})
    row = relations_to_table([original]).to_pylist()[0]
    props = relation_properties(row)
    assert props["years"] == "2015:1;2017:2" and props["year"] == 2015
    back = relation_from_properties(source, "PARTNERSHIP", target, props)
    assert back == original
    assert relations_to_table([back]).column("chash").to_pylist() == [row["chash"]]


def test_a_relation_without_properties_stores_only_its_hash() -> None:
    original = Relation(relation_id("a", RelationType.leads, "b"), RelationType.leads, "a", "b")
    props = relation_properties(relations_to_table([original]).to_pylist()[0])
    assert set(props) == {"chash"}
    assert relation_from_properties("a", "LEADS", "b", props) == original


def test_an_empty_property_value_round_trips_instead_of_breaking_reads() -> None:
    # SET n += {x: null} removes x, but prop_keys still names it: the read must not fail
    original = firm(level="省级", website=None)
    back = entity_from_properties(stored(original))
    assert back == original and back.content_hash() == original.content_hash()
    source, target = "a", "b"
    relation = Relation(relation_id(source, RelationType.leads, target), RelationType.leads,
                        source, target, props={"note": None})
    props = relation_properties(relations_to_table([relation]).to_pylist()[0])
    assert relation_from_properties(source, "LEADS", target, props) == relation


@pytest.mark.parametrize(("value", "reason"), [
    ({"nested": 1}, "a dict"), ([1, "a"], "a list mixing int and str"),
    ([1, 2.5], "a list mixing float and int"), ([True, 1], "a list mixing bool and int"),
    (["a", None], "a list with an empty value"), ([["a"]], "a list of lists"),
    (2**63, "an integer beyond 64 bits"),
])
def test_values_neo4j_cannot_store_are_refused_before_any_write(value: Any, reason: str) -> None:
    row = entities_to_table([firm(extra=value)]).to_pylist()[0]
    with pytest.raises(InvalidInput) as caught:
        entity_properties(row)
    message = str(caught.value)
    assert f"entity {row['id']} property 'extra'" in message and reason in message
    relation = Relation(relation_id("a", RelationType.leads, "b"), RelationType.leads, "a",
                        "b", props={"extra": value})
    with pytest.raises(InvalidInput, match=r"relation a -leads-> b property 'extra'"):
        relation_properties(relations_to_table([relation]).to_pylist()[0])


def test_lists_of_one_type_are_stored_as_lists() -> None:
    back = entity_from_properties(stored(firm(tags=["专精特新", "高新"], sizes=[1.5, 2.0])))
    assert back.props["tags"] == ["专精特新", "高新"] and back.props["sizes"] == [1.5, 2.0]


@pytest.mark.parametrize("node", [{"id": "x", "name": "手工节点"},
                                  {"id": "x", "type": "company", "name": "手工节点"},
                                  {"type": "park", "name": "手工节点"}])
def test_a_node_made_by_hand_is_named_not_a_key_error(node: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError, match=r"an :Entity node is not innograph's .*手工节点"):
        entity_from_properties(node)
