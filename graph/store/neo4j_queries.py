"""Every Cypher statement the Neo4j backend runs.

Values always travel as ``$parameters``. The only things formatted into query text are
labels and relationship types taken from :class:`schema.EntityType` /
:class:`schema.RelationType` (each builder converts its argument through the enum, so a
string that is not a member raises ``ValueError``) and integers the builder range-checks
(variable-length bounds cannot be parameters).

Graph model, as people see it in Neo4j Browser and Bloom: every entity is a node with the
label ``:Entity`` and one label for its type (``:Institute``, ``:TalentTeam`` …, from
:attr:`EntityType.neo4j_label`); every relation is a relationship of one type
(``:PARTNERSHIP``, ``:IN_SEGMENT`` …, from :attr:`RelationType.neo4j_type`). Properties
are plain node and relationship properties (``name``, ``aliases``, ``level``, ``kind``,
``year`` …); analytics scores are ``score_<name>``.
"""

from __future__ import annotations

from collections.abc import Iterable

from schema import EntityType, RelationType

SCHEMA_VERSION = 1
#: label of the one bookkeeping node (store version); not an entity
META_LABEL = "InnographMeta"
#: full-text index over names and aliases, for Browser/Bloom users (``cjk`` analyzer)
FULLTEXT_INDEX = "entity_names"


def _label(entity_type: EntityType | str) -> str:
    return EntityType(entity_type).neo4j_label


def _types(types: Iterable[RelationType | str] | None) -> str:
    """``PARTNERSHIP|LOCATED_IN|…``: the given relation types, or every ontology type.

    Traversals always name their types, so relationships added by hand under other
    types never leak into results.
    """
    chosen = list(RelationType) if types is None else [RelationType(t) for t in types]
    if not chosen:
        raise ValueError("at least one relation type is needed")
    return "|".join(dict.fromkeys(t.neo4j_type for t in chosen))


def _hops(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 30:
        raise ValueError(f"hop bound out of range: {value!r}")
    return value


# -- schema (innograph init-db, and before a first load) ----------------------------------
def schema_statements() -> list[str]:
    """Constraints and indexes, each idempotent (``IF NOT EXISTS``)."""
    statements = [
        "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
        f"CREATE CONSTRAINT innograph_meta_key IF NOT EXISTS FOR (m:{META_LABEL}) "
        "REQUIRE m.key IS UNIQUE",
        "CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)",
        "CREATE TEXT INDEX entity_name_text IF NOT EXISTS FOR (e:Entity) ON (e.name)",
        # list membership cannot use a range index; alias look-ups go through full text
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (e:Entity) "
        "ON EACH [e.name, e.name_raw, e.aliases] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
    ]
    statements += [f"CREATE INDEX {t.value}_name IF NOT EXISTS FOR (e:{_label(t)}) ON (e.name)"
                   for t in EntityType]
    return statements


AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"
SET_META = f"MERGE (m:{META_LABEL} {{key: $key}}) SET m.value = $value"
GET_META = f"MATCH (m:{META_LABEL} {{key: $key}}) RETURN m.value AS value"
BUMP_VERSION = (f"MERGE (m:{META_LABEL} {{key: 'version'}}) "
                "SET m.value = coalesce(m.value, 0) + 1")
PING = "RETURN 1 AS ok"


# -- writing ------------------------------------------------------------------------------
def merge_entities(entity_type: EntityType | str) -> str:
    """Create or update ``$rows`` (``{id, props}``) as nodes of one type.

    ``props`` holds every managed property; a ``null`` removes a stale one. The type label
    is set and every other type label removed, so a record that changed type is relabelled.
    """
    label = _label(entity_type)
    others = ":".join(_label(t) for t in EntityType if _label(t) != label)
    return ("UNWIND $rows AS row MERGE (e:Entity {id: row.id}) "
            f"SET e:{label}, e += row.props REMOVE e:{others} RETURN count(*) AS n")


def merge_relations(relation_type: RelationType | str) -> str:
    """Create or replace ``$rows`` (``{source, target, props}``) as relationships of one type."""
    return ("UNWIND $rows AS row MATCH (a:Entity {id: row.source}) "
            "MATCH (b:Entity {id: row.target}) "
            f"MERGE (a)-[r:{RelationType(relation_type).neo4j_type}]->(b) "
            "SET r = row.props RETURN count(*) AS n")


DELETE_ENTITIES = ("UNWIND $ids AS i MATCH (e:Entity {id: i}) DETACH DELETE e "
                   "RETURN count(*) AS n")


def delete_relations(relation_type: RelationType | str) -> str:
    return ("UNWIND $pairs AS p MATCH (a:Entity {id: p.source})"
            f"-[r:{RelationType(relation_type).neo4j_type}]->(b:Entity {{id: p.target}}) "
            "DELETE r RETURN count(*) AS n")


#: one bounded chunk of the entities (loop until it returns 0). The bookkeeping node stays:
#: the version must keep growing (caches key on it) and the indexes are still there.
DELETE_ENTITY_CHUNK = ("MATCH (e:Entity) WITH e LIMIT $n DETACH DELETE e "
                       "RETURN count(*) AS n")
SET_SCORES = ("UNWIND $rows AS row MATCH (e:Entity {id: row.id}) SET e += row.scores "
              "RETURN count(*) AS n")


# -- reading ------------------------------------------------------------------------------
#: a record made by hand in Browser has no content hash: it reads as "" (differs from any
#: real hash, so stats show the change and the next load of that record rewrites it)
ENTITY_HASHES = ("UNWIND $ids AS i MATCH (e:Entity {id: i}) "
                 "RETURN e.id AS id, coalesce(e.chash, '') AS h")
ENTITY_KEYS = "UNWIND $ids AS i MATCH (e:Entity {id: i}) RETURN e.id AS id, keys(e) AS keys"
GET_ENTITIES = "UNWIND $ids AS i MATCH (e:Entity {id: i}) RETURN properties(e) AS node"
ENTITY_PAGE = ("MATCH (e:Entity) WHERE e.id > $after AND ($type IS NULL OR e.type = $type) "
               "WITH e ORDER BY e.id LIMIT $n RETURN properties(e) AS node")
NAME_ROWS = ("MATCH (e:Entity) RETURN e.id AS id, e.type AS type, e.name AS name, "
             "e.aliases AS aliases")
COUNT_BY_TYPE = "MATCH (e:Entity) RETURN e.type AS type, count(*) AS n"
ALL_ENTITY_HASHES = "MATCH (e:Entity) RETURN coalesce(e.chash, '') AS h"
_SCORES = ("WITH e, [k IN keys(e) WHERE k STARTS WITH $prefix] AS ks WHERE size(ks) > 0 "
           "RETURN e.id AS id, [k IN ks | [k, e[k]]] AS scores")
SCORES_BY_ID = f"UNWIND $ids AS i MATCH (e:Entity {{id: i}}) {_SCORES}"
ALL_SCORES = f"MATCH (e:Entity) {_SCORES}"


def counts() -> str:
    """Entities per type label and relations per type in one row, from Neo4j's count store
    (columns named by the enums' snake-case values)."""
    parts = [f"COUNT {{ (:{_label(t)}) }} AS {t.value}" for t in EntityType]
    parts += [f"COUNT {{ ()-[:{t.neo4j_type}]->() }} AS {t.value}" for t in RelationType]
    return "RETURN " + ", ".join(parts)


def relation_hashes(types: Iterable[RelationType | str] | None = None) -> str:
    """Source, type, target and content hash of every stored relation of these types."""
    return (f"MATCH (a:Entity)-[r:{_types(types)}]->(b:Entity) "
            "RETURN a.id AS source, type(r) AS type, b.id AS target, "
            "coalesce(r.chash, '') AS h")


def pair_hashes(relation_type: RelationType | str) -> str:
    """Content hashes of the relations of one type between the ``$pairs`` given."""
    return ("UNWIND $pairs AS p MATCH (a:Entity {id: p.source})"
            f"-[r:{RelationType(relation_type).neo4j_type}]->(b:Entity {{id: p.target}}) "
            "RETURN a.id AS source, b.id AS target, coalesce(r.chash, '') AS h")


_EDGE = "startNode(r).id AS source, endNode(r).id AS target, type(r) AS type, " \
        "properties(r) AS props"


def relations_between(relation_type: RelationType | str) -> str:
    """The stored relations of one type between the ``$pairs`` given ({source, target})."""
    return ("UNWIND $pairs AS p MATCH (a:Entity {id: p.source})"
            f"-[r:{RelationType(relation_type).neo4j_type}]->(b:Entity {{id: p.target}}) "
            f"RETURN {_EDGE}")


#: where stored records come from: their one source, or several (claims)
ENTITY_SOURCES = ("UNWIND $ids AS i MATCH (e:Entity {id: i}) RETURN e.id AS id, "
                  "e.ingest_file AS file, e.claims IS NOT NULL AS several")


def relation_sources(relation_type: RelationType | str) -> str:
    """Where the stored relations of one type between the ``$pairs`` come from."""
    return ("UNWIND $pairs AS p MATCH (a:Entity {id: p.source})"
            f"-[r:{RelationType(relation_type).neo4j_type}]->(b:Entity {{id: p.target}}) "
            "RETURN a.id AS source, b.id AS target, r.ingest_file AS file, "
            "r.claims IS NOT NULL AS several")


#: records a source states: as their only source (ingest_file), or among their claims
ENTITIES_OF_SOURCE = ("MATCH (e:Entity) WHERE e.ingest_file = $source OR "
                      "e.claims CONTAINS $needle RETURN e.id AS id")
RELATIONS_OF_SOURCE = ("MATCH (a:Entity)-[r]->(b:Entity) WHERE r.ingest_file = $source OR "
                       "r.claims CONTAINS $needle RETURN a.id AS source, type(r) AS type, "
                       "b.id AS target")


def edges_from(types: Iterable[RelationType | str] | None, outgoing: bool,
               filter_types: bool) -> str:
    """Edges in one direction between one of ``$ids`` and another entity (whose type is in
    ``$entity_types`` when ``filter_types``); the first ``$n`` in the embedded store's order
    (source, target, then relation type by its snake-case value)."""
    arrow = f"-[r:{_types(types)}]->" if outgoing else f"<-[r:{_types(types)}]-"
    near, far = ("a", "b") if outgoing else ("b", "a")
    where = f"WHERE {far}.type IN $entity_types " if filter_types else ""
    return (f"UNWIND $ids AS i MATCH ({near}:Entity {{id: i}}){arrow}({far}:Entity) {where}"
            f"RETURN {_EDGE} ORDER BY source, target, toLower(type) LIMIT $n")


def shortest_paths(max_hops: int, types: Iterable[RelationType | str] | None) -> str:
    """All shortest paths, ignoring direction, from ``$source`` to ``$target`` (``$n`` at most),
    with their nodes' properties (one query: no node can vanish between two reads)."""
    return ("MATCH (a:Entity {id: $source}) MATCH (b:Entity {id: $target}) "
            f"MATCH p = allShortestPaths((a)-[:{_types(types)}*1..{_hops(max_hops)}]-(b)) "
            "RETURN [n IN nodes(p) | properties(n)] AS nodes, [r IN relationships(p) | "
            "{source: startNode(r).id, target: endNode(r).id, type: type(r), "
            "props: properties(r)}] AS rels LIMIT $n")


def edges_among(types: Iterable[RelationType | str] | None = None) -> str:
    """Every relation whose two ends are among ``$ids``."""
    return (f"UNWIND $ids AS i MATCH (a:Entity {{id: i}})-[r:{_types(types)}]->(b:Entity) "
            f"WHERE b.id IN $ids RETURN {_EDGE}")


def relation_page(types: Iterable[RelationType | str] | None = None) -> str:
    """Outgoing relations of the next ``$n`` entities by id after ``$after`` (one row per
    entity, so a page boundary never splits an entity's relations)."""
    return ("MATCH (a:Entity) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $n "
            f"OPTIONAL MATCH (a)-[r:{_types(types)}]->(b:Entity) "
            "WITH a, collect(CASE WHEN r IS NULL THEN NULL ELSE "
            "{target: b.id, type: type(r), props: properties(r)} END) AS rels "
            "RETURN a.id AS source, rels ORDER BY source")
