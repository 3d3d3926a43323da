"""What only a real Neo4j server can show, beyond the shared contract suite: the graph is
idiomatic for Browser and Bloom, the indexes exist and answer, a partial load completes on a
rerun, migration both ways verifies, and server-side failures read as one line.

Skipped without ``NEO4J_URI`` (see docs/neo4j.md); it empties the database it is given.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from graph.migrate import migrate
from graph.store import open_store
from graph.store.neo4j import Neo4jStore
from schema import EntityType, StoreError, StoreUnavailable
from tests.conftest import entity, neo4j_server

Graph = tuple[list, list]
pytestmark = pytest.mark.neo4j


def cypher(store: Neo4jStore, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = store.driver.execute_query(query, params,
                                               database_=store.options.database)
    return [record.data() for record in records]


def test_labels_types_and_properties_are_idiomatic(neo4j_store: Neo4jStore,
                                                   small_graph: Graph) -> None:
    neo4j_store.upsert(*small_graph)
    teams = cypher(neo4j_store, "MATCH (t:TalentTeam) RETURN t.name AS name")
    assert teams == [{"name": "叶志镇院士团队"}]
    person = cypher(neo4j_store, "MATCH (p:Entity:Person) RETURN p.title AS title")
    assert person == [{"title": "院士"}]  # a plain property, as Bloom shows it
    counts = cypher(neo4j_store, "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n "
                                 "ORDER BY type")
    assert {"type": "IN_INDUSTRY", "n": 5} in counts
    partnership = cypher(neo4j_store, "MATCH (:Enterprise)-[r:PARTNERSHIP]->(:Institute) "
                                      "RETURN r.kind AS kind, r.year AS year")
    assert partnership == [{"kind": "共建", "year": 2021}]


def test_init_db_is_idempotent_and_the_indexes_answer(neo4j_store: Neo4jStore,
                                                      small_graph: Graph) -> None:
    neo4j_store.ensure_schema()
    neo4j_store.ensure_schema()
    constraints = {r["name"] for r in cypher(neo4j_store, "SHOW CONSTRAINTS YIELD name")}
    assert "entity_id" in constraints
    indexes = {r["name"]: r["type"] for r in cypher(neo4j_store,
                                                      "SHOW INDEXES YIELD name, type")}
    assert indexes["entity_names"] == "FULLTEXT" and indexes["entity_name_text"] == "TEXT"
    neo4j_store.upsert(*small_graph)
    hits = cypher(neo4j_store, "CALL db.index.fulltext.queryNodes('entity_names', $q) "
                               "YIELD node RETURN node.id AS id LIMIT 1", q="浙大温州研究院")
    assert hits == [{"id": small_graph[0][0].id}]  # found by its alias, with the cjk analyzer


def test_a_record_that_changes_type_is_relabelled(neo4j_store: Neo4jStore) -> None:
    firm = entity(EntityType.enterprise, "瓯海眼镜城")
    neo4j_store.upsert([firm], [])
    neo4j_store.upsert([dataclasses.replace(firm, type=EntityType.park)], [])
    labels = cypher(neo4j_store, "MATCH (e:Entity {id: $id}) RETURN labels(e) AS labels",
                    id=firm.id)
    assert sorted(labels[0]["labels"]) == ["Entity", "Park"]


def test_a_partial_load_is_completed_by_running_it_again(neo4j_store: Neo4jStore,
                                                         small_graph: Graph,
                                                         tmp_path: Path) -> None:
    entities, relations = small_graph
    with open_store(tmp_path / "reference") as reference:
        reference.upsert(entities, relations)
        expected = reference.stats().content_hash
    # what a load cut off after its first batches leaves behind
    neo4j_store.upsert(entities[:4], [r for r in relations
                                      if {r.source, r.target} <= {e.id for e in entities[:4]}])
    result = neo4j_store.upsert(entities, relations)
    assert result.entities_unchanged == 4 and result.entities_created == len(entities) - 4
    assert neo4j_store.stats().content_hash == expected


def test_a_load_larger_than_one_transaction_commits_in_batches(small_graph: Graph) -> None:
    uri, options = neo4j_server()
    store = Neo4jStore(uri, dataclasses.replace(options, batch_size=3, atomic_rows=5))
    try:
        store.delete_all()
        before = store.version()
        store.upsert(*small_graph)
        assert store.version() - before >= 8  # one bump per committed batch
        assert store.stats().entities == len(small_graph[0])
    finally:
        store.close()


def test_migrate_to_neo4j_and_back_verifies(neo4j_store: Neo4jStore, small_graph: Graph,
                                            tmp_path: Path) -> None:
    with open_store(tmp_path / "source") as source:
        source.upsert(*small_graph)
        source.write_scores({small_graph[0][0].id: {"pagerank": 0.5}})
        migrate(source, neo4j_store, tmp_path / "to.json", batch_size=4)
        expected = source.stats().content_hash
    assert neo4j_store.stats().content_hash == expected
    assert cypher(neo4j_store, "MATCH (e:Entity) WHERE e.score_pagerank IS NOT NULL "
                               "RETURN e.score_pagerank AS s") == [{"s": 0.5}]
    with open_store(tmp_path / "copy") as copy:
        migrate(neo4j_store, copy, tmp_path / "back.json", batch_size=4)
        assert copy.stats().content_hash == expected
        assert copy.read_scores() == neo4j_store.read_scores()


def test_a_wrong_password_or_database_is_one_line() -> None:
    uri, options = neo4j_server()
    wrong = dataclasses.replace(options, password=SecretStr("not-the-password-x9"))
    with pytest.raises(StoreUnavailable, match="authentication failed") as caught:
        Neo4jStore(uri, wrong)
    assert "not-the-password-x9" not in str(caught.value)
    with pytest.raises(StoreUnavailable, match="database 'no_such_db' does not exist"):
        Neo4jStore(uri, dataclasses.replace(options, database="no_such_db"))


def test_a_slow_read_is_stopped_by_the_timeout() -> None:
    uri, options = neo4j_server()
    store = Neo4jStore(uri, dataclasses.replace(options, read_timeout=0.5))
    try:
        with pytest.raises(StoreError, match="read timeout"):
            store._read("UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 0 "
                        "RETURN count(x) AS n")
    finally:
        store.close()


def test_read_only_stores_refuse_writes(small_graph: Graph) -> None:
    uri, options = neo4j_server()
    store = Neo4jStore(uri, options, read_only=True)
    try:
        with pytest.raises(StoreError, match="read-only"):
            store.upsert(*small_graph)
    finally:
        store.close()

