"""What `innograph init-db` (and a first load) creates in Neo4j."""

from __future__ import annotations

import re

from graph.store import neo4j_queries as q
from schema import EntityType


def test_every_statement_is_idempotent() -> None:
    assert all(" IF NOT EXISTS " in s for s in q.schema_statements())
    names = [re.search(r"(?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS", s) for s in
             q.schema_statements()]
    assert all(names) and len({n.group(1) for n in names if n}) == len(names)  # all named


def test_entity_ids_are_unique() -> None:
    assert "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE" \
        in q.schema_statements()


def test_names_are_indexed_for_every_label() -> None:
    statements = "\n".join(q.schema_statements())
    assert "FOR (e:Entity) ON (e.name)" in statements
    assert "CREATE TEXT INDEX entity_name_text" in statements  # CONTAINS / ENDS WITH
    for entity_type in EntityType:
        assert f"FOR (e:{entity_type.neo4j_label}) ON (e.name)" in statements


def test_full_text_covers_names_and_aliases_with_the_cjk_analyzer() -> None:
    [fulltext] = [s for s in q.schema_statements() if "FULLTEXT" in s]
    assert f"CREATE FULLTEXT INDEX {q.FULLTEXT_INDEX} IF NOT EXISTS FOR (e:Entity)" in fulltext
    assert "ON EACH [e.name, e.name_raw, e.aliases]" in fulltext
    assert "`fulltext.analyzer`: 'cjk'" in fulltext
