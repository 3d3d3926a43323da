"""The embedded backend: LadybugDB, a Cypher graph database kept in a folder on disk.

Writes diff against what is stored: new records go in by bulk ``COPY`` from a
pyarrow table (LadybugDB loads hundreds of thousands of rows a second that
way), changed ones by a batched ``UNWIND … SET``, unchanged ones are skipped.
``COPY`` of a primary key that already exists crashes LadybugDB 0.22 (the
process dies with SIGSEGV), so the diff is what keeps ``COPY`` safe: it only
ever sees ids known to be absent. A whole upsert runs in one transaction.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import ladybug
import pyarrow as pa

from schema import (
    Entity,
    EntityType,
    IntegrityError,
    InvalidInput,
    Relation,
    RelationType,
    StoreError,
    StoreInUse,
    StoreUnavailable,
)

from schema.records import canonical_json

from . import ladybug_queries as q
from .base import (
    GraphPath,
    GraphStore,
    NameRow,
    Neighborhood,
    Stats,
    Subgraph,
    WriteResult,
    check_bounds,
    combine_hashes,
)

DB_FILE = "graph.lbug"
_LOCK_HELD = re.compile(r"Lock is held by PID (\d+)")
_UPDATE_BATCH = 2000
_SCAN_THRESHOLD = 2000  # above this many ids, scanning all hashes beats per-id lookups


def _load(text: str | None) -> Any:
    return json.loads(text) if text else {}


class EmbeddedStore(GraphStore):
    """LadybugDB store in ``path`` (a folder; created on first write)."""

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False,
                 buffer_pool_mb: int = 1024) -> None:
        self.path = Path(path).expanduser()
        self.location = str(self.path)
        self.read_only = read_only
        self._closed = True
        db_file = self.path / DB_FILE
        if read_only and not db_file.exists():
            raise StoreUnavailable(self.location,
                                   "no graph here yet; load one with `innograph ingest`")
        if not read_only:
            self._prepare_folder()
        try:
            self._db = ladybug.Database(str(db_file), read_only=read_only,
                                        buffer_pool_size=buffer_pool_mb * 1024 * 1024)
            self._conn = ladybug.Connection(self._db)
            self._closed = False
        except RuntimeError as e:
            held = _LOCK_HELD.search(str(e))
            if held or "lock" in str(e).lower():
                raise StoreInUse(self.location, int(held.group(1)) if held else None) from e
            raise StoreUnavailable(self.location, str(e).splitlines()[0]) from e
        if not read_only:
            self._create_schema()

    def _prepare_folder(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreUnavailable(self.location, f"cannot create folder: {e.strerror}") from e
        if not os.access(self.path, os.W_OK | os.X_OK):
            raise StoreUnavailable(self.location, "folder is not writable")

    def _create_schema(self) -> None:
        self._run(q.CREATE_ENTITY_TABLE)
        self._run(q.CREATE_META_TABLE)
        for relation in RelationType:
            self._run(q.create_relation_table(relation))
        self._run(q.SET_META, {"key": "schema_version", "value": q.SCHEMA_VERSION})

    # -- plumbing ----------------------------------------------------------------------------
    def _run(self, query: str, params: dict[str, Any] | None = None) -> Any:
        try:
            return self._conn.execute(query, params or {})
        except RuntimeError as e:
            raise StoreError(f"store {self.location}: {str(e).splitlines()[0]}") from e

    def _rows(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self._run(query, params).get_as_arrow().to_pylist()
        return rows

    def _copy(self, table: str, rows: pa.Table) -> None:
        self._run(q.copy_into(table), {"rows": rows})

    # -- writing -----------------------------------------------------------------------------
    def upsert(self, entities: Sequence[Entity] = (),
               relations: Sequence[Relation] = ()) -> WriteResult:
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        entities = _unique(entities, "entity")
        relations = _unique(relations, "relation")
        result = WriteResult()
        self._run("BEGIN TRANSACTION")
        try:
            self._upsert_entities(entities, result)
            self._upsert_relations(entities, relations, result)
            if any((result.entities_created, result.entities_updated, result.relations_created,
                    result.relations_updated)):
                self._bump_version()
            self._run("COMMIT")
        except BaseException:
            self._run("ROLLBACK")
            raise
        return result

    def _upsert_entities(self, entities: list[Entity], result: WriteResult) -> None:
        if not entities:
            return
        stored = self.entity_hashes(e.id for e in entities)
        new, changed = [], []
        for entity in entities:
            chash = entity.content_hash()
            old = stored.get(entity.id)
            if old is None:
                new.append((entity, chash))
            elif old != chash:
                changed.append((entity, chash))
        result.entities_created += len(new)
        result.entities_updated += len(changed)
        result.entities_unchanged += len(entities) - len(new) - len(changed)
        if new:
            rows = pa.Table.from_pylist([_entity_row(e, h) for e, h in new],
                                        schema=_ENTITY_SCHEMA)
            self._copy("Entity", rows)
        for start in range(0, len(changed), _UPDATE_BATCH):
            batch = changed[start:start + _UPDATE_BATCH]
            self._run(q.UPDATE_ENTITIES, {"rows": [_entity_row(e, h) for e, h in batch]})

    def _upsert_relations(self, entities: list[Entity], relations: list[Relation],
                          result: WriteResult) -> None:
        if not relations:
            return
        endpoints = {r.source for r in relations} | {r.target for r in relations}
        known = {e.id for e in entities}
        missing = endpoints - known - set(self.entity_hashes(endpoints - known))
        if missing:
            shown = ", ".join(sorted(missing)[:5])
            raise IntegrityError(f"{len(missing)} relation endpoint(s) are not in the store: "
                                 f"{shown}")
        by_type: dict[RelationType, list[Relation]] = defaultdict(list)
        for relation in relations:
            by_type[relation.type].append(relation)
        for relation_type, group in by_type.items():
            stored = self.relation_hashes((r.id for r in group), [relation_type])
            new, changed = [], []
            for relation in group:
                chash = relation.content_hash()
                old = stored.get(relation.id)
                if old is None:
                    new.append(_relation_row(relation, chash))
                elif old != chash:
                    changed.append(_relation_row(relation, chash))
            result.relations_created += len(new)
            result.relations_updated += len(changed)
            result.relations_unchanged += len(group) - len(new) - len(changed)
            if new:
                table = pa.Table.from_pylist(new, schema=_RELATION_SCHEMA)
                self._copy(relation_type.value, table)
            for start in range(0, len(changed), _UPDATE_BATCH):
                self._run(q.update_relations(relation_type),
                          {"rows": changed[start:start + _UPDATE_BATCH]})

    def _bump_version(self) -> None:
        self._run(q.SET_META, {"key": "version", "value": str(self.version() + 1)})

    def delete_entities(self, ids: Sequence[str]) -> int:
        rows = self._rows(q.DELETE_ENTITIES, {"ids": list(ids)})
        deleted = int(rows[0]["n"]) if rows else 0
        if deleted:
            self._bump_version()
        return deleted

    def delete_relations(self, ids: Sequence[str]) -> int:
        deleted = 0
        for relation in RelationType:
            rows = self._rows(q.delete_relations(relation), {"ids": list(ids)})
            deleted += int(rows[0]["n"]) if rows else 0
        if deleted:
            self._bump_version()
        return deleted

    def checkpoint(self) -> None:
        if not self.read_only:
            self._run("CHECKPOINT")

    # -- reading -----------------------------------------------------------------------------
    def get_many(self, ids: Iterable[str]) -> dict[str, Entity]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        return {row["id"]: _entity(row) for row in self._rows(q.GET_ENTITIES, {"ids": wanted})}

    def entity_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        wanted = set(ids)
        if not wanted:
            return {}
        if len(wanted) > _SCAN_THRESHOLD:
            table = self._run(q.ALL_ENTITY_HASHES).get_as_arrow()
            pairs = zip(table.column("id").to_pylist(), table.column("h").to_pylist(), strict=True)
            return {i: h for i, h in pairs if i in wanted}
        rows = self._rows(q.ENTITY_HASHES_BY_ID, {"ids": sorted(wanted)})
        return {row["id"]: row["h"] for row in rows}

    def relation_hashes(self, ids: Iterable[str], types: Iterable[RelationType]) -> dict[str, str]:
        wanted = set(ids)
        found: dict[str, str] = {}
        for relation in types:
            table = self._run(q.relation_hashes(relation)).get_as_arrow()
            pairs = zip(table.column("id").to_pylist(), table.column("h").to_pylist(), strict=True)
            found.update((i, h) for i, h in pairs if i in wanted)
        return found

    def neighborhood(self, entity_id: str, depth: int = 1, max_nodes: int = 200,
                     relation_types: Sequence[RelationType] | None = None,
                     entity_types: Sequence[EntityType] | None = None) -> Neighborhood:
        check_bounds(depth=depth, max_nodes=max_nodes)
        center = self.get(entity_id)
        if center is None:
            from schema import EntityNotFound

            raise EntityNotFound(entity_id)
        kept = {entity_id}
        edges: dict[str, Relation] = {}
        frontier = [entity_id]
        truncated = False
        type_values = [EntityType(t).value for t in entity_types] if entity_types else None
        for _ in range(depth):
            reached: list[str] = []
            for outgoing in (True, False):
                query = q.edges_from(relation_types, outgoing, type_values is not None)
                params: dict[str, Any] = {"ids": frontier, "n": max_nodes * 4 + 1}
                if type_values is not None:
                    params["entity_types"] = type_values
                rows = self._rows(query, params)
                truncated |= len(rows) > max_nodes * 4
                for row in rows:
                    relation = _relation(row)
                    other = relation.target if outgoing else relation.source
                    if other not in kept:
                        if len(kept) >= max_nodes:
                            truncated = True
                            continue
                        kept.add(other)
                        reached.append(other)
                    edges[relation.id] = relation
            frontier = reached
            if not frontier:
                break
        nodes = self.get_many(sorted(kept))
        return Neighborhood(nodes=[center] + [nodes[i] for i in sorted(kept) if i != entity_id],
                            edges=sorted(edges.values(), key=lambda r: r.id),
                            center=entity_id, depth=depth, truncated=truncated)

    def shortest_paths(self, source: str, target: str, max_hops: int = 6, limit: int = 5,
                       relation_types: Sequence[RelationType] | None = None) -> list[GraphPath]:
        check_bounds(max_hops=max_hops)
        if not 1 <= limit <= 100:
            raise InvalidInput("limit", f"must be between 1 and 100, got {limit}")
        if source == target:
            entity = self.get(source)
            return [GraphPath(nodes=[entity], edges=[])] if entity else []
        rows = self._rows(q.shortest_paths(max_hops, relation_types),
                          {"source": source, "target": target, "n": limit})
        paths = []
        for row in rows:
            offsets = {_offset(n["_ID"]): n["id"] for n in row["nodes"]}
            ids = [n["id"] for n in row["nodes"]]
            entities = self.get_many(ids)
            edges = [_relation({**r, "type": r["_LABEL"], "source": offsets[_offset(r["_SRC"])],
                                "target": offsets[_offset(r["_DST"])]}) for r in row["rels"]]
            paths.append(GraphPath(nodes=[entities[i] for i in ids], edges=edges))
        return paths

    def subgraph(self, ids: Iterable[str]) -> Subgraph:
        wanted = sorted(set(ids))
        nodes = self.get_many(wanted)
        edges = [_relation({**row, "type": relation.value})
                 for relation in RelationType
                 for row in self._rows(q.edges_among(relation), {"ids": wanted})]
        return Subgraph(nodes=[nodes[i] for i in wanted if i in nodes],
                        edges=sorted(edges, key=lambda r: r.id))

    def iter_entities(self, batch_size: int = 5000) -> Iterator[Entity]:
        after = ""
        while True:
            rows = self._rows(q.ENTITY_PAGE, {"after": after, "n": batch_size})
            yield from (_entity(row) for row in rows)
            if len(rows) < batch_size:
                return
            after = rows[-1]["id"]

    def iter_relations(self, batch_size: int = 5000) -> Iterator[Relation]:
        for relation in RelationType:
            result = self._run(q.all_relations(relation))
            for batch in result.get_as_arrow(chunk_size=batch_size).to_batches():
                for row in batch.to_pylist():
                    yield _relation({**row, "type": relation.value})

    def name_rows(self) -> list[NameRow]:
        return [NameRow(r["id"], EntityType(r["type"]), r["name"], tuple(r["aliases"] or ()))
                for r in self._rows(q.NAME_ROWS)]

    def stats(self) -> Stats:
        by_type = {r["type"]: int(r["n"]) for r in self._rows(q.COUNT_BY_TYPE)}
        rel_counts = {}
        relation_hashes: list[str] = []
        for relation in RelationType:
            table = self._run(q.relation_hashes(relation)).get_as_arrow()
            if table.num_rows:
                rel_counts[relation.value] = table.num_rows
                relation_hashes.extend(table.column("h").to_pylist())
        entity_hashes = self._run(q.ALL_ENTITY_HASHES).get_as_arrow().column("h").to_pylist()
        return Stats(entities=sum(by_type.values()), relations=sum(rel_counts.values()),
                     entities_by_type=dict(sorted(by_type.items())),
                     relations_by_type=dict(sorted(rel_counts.items())),
                     content_hash=combine_hashes(entity_hashes, relation_hashes))

    def version(self) -> int:
        rows = self._rows(q.GET_META, {"key": "version"})
        return int(rows[0]["value"]) if rows else 0

    def ping(self) -> None:
        try:
            self._conn.execute("RETURN 1")
        except RuntimeError as e:
            raise StoreUnavailable(self.location, str(e).splitlines()[0]) from e

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._conn.close()
            self._db.close()


_ENTITY_SCHEMA = pa.schema([
    ("id", pa.string()), ("type", pa.string()), ("name", pa.string()), ("name_raw", pa.string()),
    ("aliases", pa.list_(pa.string())), ("props", pa.string()), ("provenance", pa.string()),
    ("ingest", pa.string()), ("chash", pa.string()),
])
_RELATION_SCHEMA = pa.schema([
    ("from", pa.string()), ("to", pa.string()), ("id", pa.string()), ("kind", pa.string()),
    ("status", pa.string()), ("year", pa.int64()), ("role", pa.string()), ("props", pa.string()),
    ("provenance", pa.string()), ("ingest", pa.string()), ("chash", pa.string()),
])
_COMMON_RELATION_PROPS = ("kind", "status", "year", "role")


def _unique(records: Sequence[Any], what: str) -> list[Any]:
    seen: dict[str, Any] = {}
    for record in records:
        earlier = seen.get(record.id)
        if earlier is not None and earlier != record:
            raise IntegrityError(f"two different {what} records share the id {record.id!r}")
        seen[record.id] = record
    return list(seen.values())


def _entity_row(entity: Entity, chash: str) -> dict[str, Any]:
    return {"id": entity.id, "type": entity.type.value, "name": entity.name,
            "name_raw": entity.name_raw, "aliases": list(entity.aliases),
            "props": canonical_json(entity.props), "provenance": canonical_json(entity.provenance),
            "ingest": canonical_json(entity.ingest), "chash": chash}


def _relation_row(relation: Relation, chash: str) -> dict[str, Any]:
    extra = {k: v for k, v in relation.props.items() if k not in _COMMON_RELATION_PROPS}
    return {"from": relation.source, "to": relation.target, "source": relation.source,
            "target": relation.target, "id": relation.id,
            **{k: relation.props.get(k) for k in _COMMON_RELATION_PROPS},
            "props": canonical_json(extra), "provenance": canonical_json(relation.provenance),
            "ingest": canonical_json(relation.ingest), "chash": chash}


def _entity(row: dict[str, Any]) -> Entity:
    return Entity(id=row["id"], type=EntityType(row["type"]), name=row["name"],
                  name_raw=row["name_raw"] or "", aliases=tuple(row["aliases"] or ()),
                  props=_load(row["props"]), provenance=_load(row["provenance"]),
                  ingest=_load(row["ingest"]))


def _relation(row: dict[str, Any]) -> Relation:
    props = {k: row[k] for k in _COMMON_RELATION_PROPS if row.get(k) is not None}
    props.update(_load(row.get("props")))
    return Relation(id=row["id"], type=RelationType(row["type"]), source=row["source"],
                    target=row["target"], props=props, provenance=_load(row["provenance"]),
                    ingest=_load(row["ingest"]))


def _offset(internal_id: dict[str, int]) -> tuple[int, int]:
    return internal_id["table"], internal_id["offset"]
