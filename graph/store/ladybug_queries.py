"""Every Cypher statement the embedded (LadybugDB) backend runs.

Values always travel as ``$parameters``. The only things formatted into query text are
table names taken from :class:`schema.RelationType` and integers that the caller has
range-checked (variable-length bounds cannot be parameters).
"""

from __future__ import annotations

from collections.abc import Sequence

from schema import RelationType

SCHEMA_VERSION = "5"
#: schema 4 → 5: the claims of multi-source records, and the kind of each source
MIGRATE_FROM = "4"

# src: the Source row (ingest run and file); chash: the content hash's 64 bits
# (see ladybug_encoding: short fixed-size columns keep bulk COPY fast)
_INGEST_COLUMNS = "src INT64, row INT64"
CREATE_ENTITY_TABLE = (
    "CREATE NODE TABLE IF NOT EXISTS Entity(id STRING PRIMARY KEY, type STRING, name STRING, "
    "name_raw STRING, aliases STRING[], props STRING, provenance STRING, "
    f"{_INGEST_COLUMNS}, chash INT64, claims STRING)"
)
# a Source row: one file (or sheet, document, API) read in one run, and its kind (origin)
CREATE_SOURCE_TABLE = ("CREATE NODE TABLE IF NOT EXISTS Source(id INT64 PRIMARY KEY, run STRING, "
                       "file STRING, origin STRING)")
CREATE_SOURCES = ("UNWIND $rows AS row CREATE (:Source {id: CAST(row.id AS INT64), run: row.run, "
                  "file: row.file, origin: row.origin})")
DELETE_ALL_SOURCES = "MATCH (s:Source) DELETE s"
ALL_SOURCES = ("MATCH (s:Source) RETURN s.id AS id, s.run AS run, s.file AS file, "
               "s.origin AS origin")
# scores live apart from Entity so that bulk COPY of entities keeps its exact column list
CREATE_SCORES_TABLE = "CREATE NODE TABLE IF NOT EXISTS Scores(id STRING PRIMARY KEY, scores STRING)"
CREATE_META_TABLE = "CREATE NODE TABLE IF NOT EXISTS StoreMeta(key STRING PRIMARY KEY, value STRING)"


def create_relation_table(relation: RelationType) -> str:
    # no id column: a relation is identified by its endpoints and its table (its type)
    return (
        f"CREATE REL TABLE IF NOT EXISTS {relation.value}(FROM Entity TO Entity, "
        "kind STRING, status STRING, year INT64, role STRING, props STRING, provenance STRING, "
        f"{_INGEST_COLUMNS}, chash INT64, claims STRING)"
    )


def migrate_statements() -> list[str]:
    """Schema 4 → 5, in place: existing records are single-source (empty claims), and their
    sources were tables (``origin`` table)."""
    return ["ALTER TABLE Entity ADD claims STRING DEFAULT ''",
            "ALTER TABLE Source ADD origin STRING DEFAULT 'table'",
            *(f"ALTER TABLE {relation.value} ADD claims STRING DEFAULT ''"
              for relation in RelationType if relation is not RelationType.co_applicant)]


# The row-by-row form of COPY for a few rows (see embedded_upserts.COPY_MIN_ROWS): the same
# columns, CAST where a batch whose values are all null would otherwise bind as STRING
CREATE_ENTITIES = (
    "UNWIND $rows AS row CREATE (:Entity {id: row.id, type: row.type, name: row.name, "
    "name_raw: row.name_raw, aliases: CAST(row.aliases AS STRING[]), props: row.props, "
    "provenance: row.provenance, src: CAST(row.src AS INT64), row: CAST(row.row AS INT64), "
    "chash: CAST(row.chash AS INT64), claims: row.claims})"
)


def create_relations(relation: RelationType) -> str:
    """The row-by-row form of COPY into a relation table; returns how many it created (a
    MATCH that finds no endpoint would skip the row, where COPY fails).

    Two MATCH clauses: ``MATCH (a {id: …}), (b {id: …})`` is planned as a cross product of
    two full scans of Entity (6.4 s for 1,000 rows over 50,000 entities, against 19 ms)."""
    return (
        f"UNWIND $rows AS row MATCH (a:Entity {{id: row.source}}) MATCH (b:Entity {{id: row.target}}) "
        f"CREATE (a)-[:{relation.value} {{kind: row.kind, status: row.status, "
        "year: CAST(row.year AS INT64), role: row.role, props: row.props, "
        "provenance: row.provenance, src: CAST(row.src AS INT64), row: CAST(row.row AS INT64), "
        "chash: CAST(row.chash AS INT64), claims: row.claims}]->(b) RETURN count(*) AS n"
    )


def copy_into(table: str) -> str:
    """Bulk load from a pyarrow table passed as the parameter ``$rows``."""
    if table != "Entity":
        table = RelationType(table).value
    return f"COPY {table} FROM $rows"


SHOW_TABLES = "CALL show_tables() RETURN name"
GET_META = "MATCH (m:StoreMeta {key: $key}) RETURN m.value AS value"
SET_META = "MERGE (m:StoreMeta {key: $key}) SET m.value = $value"
DELETE_META = "MATCH (m:StoreMeta {key: $key}) DELETE m"
#: set while a first load (written without a transaction) runs; left by a killed one
LOADING = "loading"

_ENTITY_RETURN = ("e.id AS id, e.type AS type, e.name AS name, e.name_raw AS name_raw, "
                  "e.aliases AS aliases, e.props AS props, e.provenance AS provenance, "
                  "e.src AS src, e.row AS row, e.claims AS claims")
GET_ENTITIES = f"UNWIND $ids AS i MATCH (e:Entity {{id: i}}) RETURN {_ENTITY_RETURN}"
ENTITY_HASHES_BY_ID = "UNWIND $ids AS i MATCH (e:Entity {id: i}) RETURN e.id AS id, e.chash AS h"
ALL_ENTITY_HASHES = "MATCH (e:Entity) RETURN e.id AS id, e.chash AS h"
ENTITY_PAGE = (f"MATCH (e:Entity) WHERE e.id > $after RETURN {_ENTITY_RETURN} "
               "ORDER BY e.id LIMIT $n")
NAME_ROWS = "MATCH (e:Entity) RETURN e.id AS id, e.type AS type, e.name AS name, e.aliases AS aliases"
ALL_ENTITIES = f"MATCH (e:Entity) RETURN {_ENTITY_RETURN}, e.chash AS chash"
ENTITY_PAGE_OF_TYPE = (f"MATCH (e:Entity) WHERE e.id > $after AND e.type = $type "
                       f"RETURN {_ENTITY_RETURN} ORDER BY e.id LIMIT $n")
COUNT_BY_TYPE = "MATCH (e:Entity) RETURN e.type AS type, count(*) AS n"
# CAST: a batch whose values are all null would otherwise bind as STRING
UPDATE_ENTITIES = (
    "UNWIND $rows AS row MATCH (e:Entity {id: row.id}) SET e.type = row.type, "
    "e.name = row.name, e.name_raw = row.name_raw, e.aliases = row.aliases, e.props = row.props, "
    "e.provenance = row.provenance, e.src = CAST(row.src AS INT64), e.row = CAST(row.row AS INT64), "
    "e.chash = CAST(row.chash AS INT64), e.claims = row.claims"
)
ANY_ENTITY = "MATCH (e:Entity) RETURN e.id AS id LIMIT 1"
DELETE_ALL_ENTITIES = "MATCH (e:Entity) DETACH DELETE e"
DELETE_ENTITIES = "UNWIND $ids AS i MATCH (e:Entity {id: i}) DETACH DELETE e RETURN count(*) AS n"
DELETE_SCORES = "UNWIND $ids AS i MATCH (s:Scores {id: i}) DELETE s"
DELETE_ALL_SCORES = "MATCH (s:Scores) DELETE s"
SCORES_BY_ID = "UNWIND $ids AS i MATCH (s:Scores {id: i}) RETURN s.id AS id, s.scores AS scores"
ALL_SCORES = "MATCH (s:Scores) RETURN s.id AS id, s.scores AS scores"
MERGE_SCORES = "UNWIND $rows AS row MERGE (s:Scores {id: row.id}) SET s.scores = row.scores"

_REL_RETURN = ("a.id AS source, b.id AS target, r.kind AS kind, r.status AS status, "
               "r.year AS year, r.role AS role, r.props AS props, r.provenance AS provenance, "
               "r.src AS src, r.row AS row, r.claims AS claims")


def relation_hashes(relation: RelationType) -> str:
    return (f"MATCH (a:Entity)-[r:{relation.value}]->(b:Entity) "
            "RETURN a.id AS source, b.id AS target, r.chash AS h")


def count_relations(relation: RelationType) -> str:
    return f"MATCH ()-[r:{relation.value}]->() RETURN count(*) AS n"


def update_relations(relation: RelationType) -> str:
    return (
        f"UNWIND $rows AS row MATCH (a:Entity {{id: row.source}})-[r:{relation.value}]->"
        "(b:Entity {id: row.target}) SET r.kind = row.kind, r.status = row.status, "
        "r.year = CAST(row.year AS INT64), r.role = row.role, r.props = row.props, "
        "r.provenance = row.provenance, r.src = CAST(row.src AS INT64), r.row = CAST(row.row AS INT64), "
        "r.chash = CAST(row.chash AS INT64), r.claims = row.claims"
    )


def relations_between(relation: RelationType) -> str:
    """The stored relations of one type between the ``$pairs`` ({source, target})."""
    return (f"UNWIND $pairs AS p MATCH (a:Entity {{id: p.source}})-[r:{relation.value}]->"
            f"(b:Entity {{id: p.target}}) RETURN {_REL_RETURN}")


# where stored records come from: their src, and whether several sources state them
ENTITY_SOURCES_BY_ID = ("UNWIND $ids AS i MATCH (e:Entity {id: i}) "
                        "RETURN e.id AS id, e.src AS src, e.claims <> '' AS several")
ALL_ENTITY_SOURCES = "MATCH (e:Entity) RETURN e.id AS id, e.src AS src, e.claims <> '' AS several"


def relation_sources(relation: RelationType) -> str:
    return (f"MATCH (a:Entity)-[r:{relation.value}]->(b:Entity) RETURN a.id AS source, "
            "b.id AS target, r.src AS src, r.claims <> '' AS several")


# records a source contributed to: as their only source (src), or among their claims
ENTITIES_OF_SOURCE = ("MATCH (e:Entity) WHERE e.src IN $srcs OR (e.claims <> '' AND "
                      "e.claims CONTAINS $needle) RETURN e.id AS id")


def relations_of_source(relation: RelationType) -> str:
    return (f"MATCH (a:Entity)-[r:{relation.value}]->(b:Entity) WHERE r.src IN $srcs OR "
            "(r.claims <> '' AND r.claims CONTAINS $needle) RETURN a.id AS source, b.id AS target")


def delete_relations(relation: RelationType) -> str:
    return (f"UNWIND $pairs AS p MATCH (a:Entity {{id: p.source}})-[r:{relation.value}]->"
            "(b:Entity {id: p.target}) DELETE r RETURN count(*) AS n")


def all_relations(relation: RelationType, with_hash: bool = False) -> str:
    extra = ", r.chash AS chash" if with_hash else ""
    return f"MATCH (a:Entity)-[r:{relation.value}]->(b:Entity) RETURN {_REL_RETURN}{extra}"


def _rel_pattern(types: Sequence[RelationType] | None) -> str:
    return ":" + "|".join(RelationType(t).value for t in types) if types else ""


def edges_from(types: Sequence[RelationType] | None, outgoing: bool, filter_types: bool) -> str:
    """Edges touching any of ``$ids`` in one direction (far end's type in ``$entity_types``)."""
    arrow = ("-[r{}]->" if outgoing else "<-[r{}]-").format(_rel_pattern(types))
    near, far = ("a", "b") if outgoing else ("b", "a")
    far_type = f" AND {far}.type IN $entity_types" if filter_types else ""
    # `WHERE near.id IN $ids` expands from an index lookup; `UNWIND $ids … {id: i}` was 5–10×
    # slower here (measured on LadybugDB 0.22), though it is the faster way to fetch nodes
    return (
        f"MATCH ({near}:Entity){arrow}({far}:Entity) WHERE {near}.id IN $ids{far_type} "
        f"RETURN {_REL_RETURN}, label(r) AS type ORDER BY source, target, type LIMIT $n"
    )


def shortest_paths(max_hops: int, types: Sequence[RelationType] | None) -> str:
    if not isinstance(max_hops, int) or not 1 <= max_hops <= 30:
        raise ValueError(f"max_hops out of range: {max_hops!r}")
    return (
        f"MATCH p = (a:Entity {{id: $source}})-[r{_rel_pattern(types)}* ALL SHORTEST "
        f"1..{max_hops}]-(b:Entity {{id: $target}}) RETURN nodes(p) AS nodes, rels(p) AS rels "
        "LIMIT $n"
    )


def edges_among(relation: RelationType) -> str:
    return (f"MATCH (a:Entity)-[r:{relation.value}]->(b:Entity) "
            f"WHERE a.id IN $ids AND b.id IN $ids RETURN {_REL_RETURN}")
