"""The embedded store's tables, as an opening store finds them: created in a new folder,
upgraded in place from the schema before, refused when another version wrote them."""

from __future__ import annotations

from schema import RelationType, StoreUnavailable

from . import ladybug_queries as q
from .embedded_connections import Connections


def open_schema(connections: Connections) -> None:
    """A writer creates (or upgrades) the tables; a reader refuses a store that only a writer
    can upgrade. Runs inside a write (:meth:`Connections.writing`)."""
    stored = _stored_schema_version(connections)
    if connections.read_only:
        if stored == q.MIGRATE_FROM:
            raise StoreUnavailable(connections.location, f"store schema {q.MIGRATE_FROM} needs "
                                   "a one-time upgrade that only a writer can make: run "
                                   "`innograph init-db` (or any ingest) once, then read")
        return
    run = connections.run
    if stored == q.MIGRATE_FROM:
        for statement in q.migrate_statements():
            run(statement)
        stored = q.SCHEMA_VERSION
    if stored not in (None, q.SCHEMA_VERSION):
        raise StoreUnavailable(connections.location, f"written by another innograph version "
                               f"(store schema {stored}, this one reads {q.SCHEMA_VERSION}); "
                               "export it with that version, or load into a new folder")
    run(q.CREATE_SOURCE_TABLE)
    run(q.CREATE_ENTITY_TABLE)
    run(q.CREATE_META_TABLE)
    run(q.CREATE_SCORES_TABLE)
    for relation in RelationType:
        run(q.create_relation_table(relation))
    run(q.SET_META, {"key": "schema_version", "value": q.SCHEMA_VERSION})


def _stored_schema_version(connections: Connections) -> str | None:
    # (a failed GET_META would stay cached as a prepared statement: look before querying)
    if "StoreMeta" not in {row["name"] for row in connections.rows(q.SHOW_TABLES)}:
        return None  # a new folder
    rows = connections.rows(q.GET_META, {"key": "schema_version"})
    return str(rows[0]["value"]) if rows else None
