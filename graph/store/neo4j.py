"""The production backend: Neo4j 5 (community, enterprise, 2025.x, Aura) through the official
driver; ``pip install 'innograph[neo4j-speedups]'`` swaps in its Rust extension.

Writes diff against what is stored, like the embedded store: new and changed records go in
as ``UNWIND $rows … MERGE`` batches in managed transactions (``execute_write``), unchanged
ones are skipped. Everything is checked before the first batch (unique ids, relation
endpoints). A write of up to ``atomic_rows`` rows is one transaction, all or nothing; a larger
one commits batch by batch so the server's memory stays bounded, and a load cut off half-way
is completed by running it again (``MERGE`` is idempotent, and what arrived is unchanged the
second time). Reads run in managed read transactions with a server-side timeout.

Every session shares the driver's bookmark manager, so in a cluster a read (the diff before a
write, ``version()`` after one) sees every write this store made before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import neo4j
import pyarrow as pa
import pyarrow.compute as pc

from schema import (
    Entity,
    EntityNotFound,
    EntityType,
    IntegrityError,
    Relation,
    RelationType,
    StoreError,
    relation_id,
)
from schema.claims import claim_needle

from . import neo4j_queries as q
from .base import GraphStore, RelationKey, check_bounds
from .neo4j_connect import open_driver, translate_errors
from .neo4j_graph import neighborhood, shortest_paths
from .neo4j_options import Neo4jOptions, public_location
from .neo4j_plan import Step, UpsertPlan
from .neo4j_records import (
    RELATION_TYPES,
    SCORE_PREFIX,
    entity_from_properties,
    relation_from_properties,
)
from .neo4j_tx import count_rows, run_steps
from .records import (
    GraphPath,
    NameRow,
    Neighborhood,
    Scores,
    Stats,
    Subgraph,
    WriteResult,
    combine_hashes,
)


class Neo4jStore(GraphStore):
    """A graph in a Neo4j database at ``uri`` (``bolt://``, ``neo4j://``, ``neo4j+s://`` …)."""

    kind = "neo4j"

    def __init__(self, uri: str, options: Neo4jOptions | None = None, *,
                 read_only: bool = False) -> None:
        self.options = options or Neo4jOptions()
        self.location = public_location(uri)
        self.read_only = read_only
        self._driver = open_driver(uri, self.options)
        self._schema_ready = False
        try:
            self.ping()  # also proves that the database exists
        except BaseException:
            self._driver.close()
            raise

    @property
    def driver(self) -> neo4j.Driver:
        """The connected driver, for tools that run their own Cypher (benchmarks, notebooks)."""
        return self._driver

    # -- plumbing ----------------------------------------------------------------------------
    def _read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        @neo4j.unit_of_work(timeout=self.options.read_timeout)
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(query, params or {})]

        with translate_errors(self.location, self.options), self._session(neo4j.READ_ACCESS) \
                as session:
            return session.execute_read(work)

    def _session(self, mode: str) -> neo4j.Session:
        # causal chaining: without shared bookmarks a read may reach a cluster member that
        # has not yet applied this store's last write (stale hashes, "missing" endpoints)
        return self._driver.session(database=self.options.database, default_access_mode=mode,
                                    bookmark_manager=self._driver.execute_query_bookmark_manager)

    def _write(self, steps: Sequence[Step]) -> None:
        """Run ``steps`` in managed write transactions, bumping the version in each."""
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        rows = sum(len(params.get("rows", ())) for _, params in steps)
        groups = [list(steps)] if rows <= self.options.atomic_rows else [[s] for s in steps]
        with translate_errors(self.location, self.options, writing=True), \
                self._session(neo4j.WRITE_ACCESS) as session:
            for group in groups:
                session.execute_write(run_steps, group)

    def ensure_schema(self, wait_seconds: int = 300) -> list[str]:
        """Create the constraints and indexes (idempotent) and wait until they are online."""
        statements = q.schema_statements()
        with translate_errors(self.location, self.options, writing=True), \
                self._session(neo4j.WRITE_ACCESS) as session:
            for statement in statements:
                session.run(statement).consume()  # schema commands: auto-commit only
            session.run(q.AWAIT_INDEXES, {"seconds": wait_seconds}).consume()
            session.execute_write(run_steps, [(q.SET_META, {"key": "schema_version",
                                                             "value": q.SCHEMA_VERSION})],
                                  bump=False)
        self._schema_ready = True
        return statements

    def delete_all(self) -> int:
        """Delete every entity in bounded chunks (bumping the version); return the count."""
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        total = 0
        while True:
            with translate_errors(self.location, self.options, writing=True), \
                    self._session(neo4j.WRITE_ACCESS) as session:
                n = session.execute_write(count_rows, q.DELETE_ENTITY_CHUNK, {"n": 10000},
                                          bump=True)
            total += n
            if not n:
                return total

    # -- writing -----------------------------------------------------------------------------
    def upsert_tables(self, entities: pa.Table, relations: pa.Table, *,
                      delete_entities: Sequence[str] = (),
                      delete_relations: Sequence[RelationKey] = ()) -> WriteResult:
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        if pc.count_distinct(entities.column("id")).as_py() != entities.num_rows:
            raise IntegrityError("entity ids must be unique within one upsert")
        relation_rows = relations.to_pylist()
        if len({(r["source"], r["type"], r["target"]) for r in relation_rows}) \
                != len(relation_rows):
            raise IntegrityError("relations (source, type, target) must be unique within one "
                                 "upsert")
        if not self._schema_ready:
            self._ensure_schema_once()
        result = WriteResult()
        entity_rows = entities.to_pylist()
        plan = UpsertPlan(self._batched, self._batches, result)
        steps = _withdrawals(delete_entities, delete_relations)
        steps += plan.entities(entity_rows)
        steps += plan.relations({r["id"] for r in entity_rows}, relation_rows)
        if steps:
            self._write(steps)
        return result

    def relations_between(self, keys: Iterable[RelationKey]) -> dict[RelationKey, Relation]:
        by_type: dict[str, list[dict[str, str]]] = defaultdict(list)
        for source, relation, target in set(keys):
            by_type[relation].append({"source": source, "target": target})
        found: dict[RelationKey, Relation] = {}
        for relation, pairs in by_type.items():
            for row in self._read(q.relations_between(relation), {"pairs": pairs}):
                record = relation_from_properties(row["source"], row["type"], row["target"],
                                                  row["props"])
                found[(record.source, relation, record.target)] = record
        return found

    def stored_sources(self, entity_ids: Iterable[str], relation_keys: Iterable[RelationKey]
                       ) -> tuple[dict[str, str | None], dict[RelationKey, str | None]]:
        rows = self._batched(q.ENTITY_SOURCES, "ids", sorted(set(entity_ids)))
        entities = {r["id"]: None if r["several"] else r["file"] for r in rows}
        by_type: dict[str, list[dict[str, str]]] = defaultdict(list)
        for source, relation, target in set(relation_keys):
            by_type[relation].append({"source": source, "target": target})
        relations: dict[RelationKey, str | None] = {}
        for relation, pairs in by_type.items():
            for r in self._batched(q.relation_sources(relation), "pairs", pairs):
                relations[(r["source"], relation, r["target"])] = \
                    None if r["several"] else r["file"]
        return entities, relations

    def source_records(self, source: str) -> tuple[set[str], set[RelationKey]]:
        params = {"source": source, "needle": claim_needle(source)}
        entities = {row["id"] for row in self._read(q.ENTITIES_OF_SOURCE, params)}
        relations = {(row["source"], RELATION_TYPES[row["type"]].value, row["target"])
                     for row in self._read(q.RELATIONS_OF_SOURCE, params)}
        return entities, relations

    def _ensure_schema_once(self) -> None:
        """Create the schema before a first load, unless ``init-db`` (or a load) already did:
        a user allowed to write but not to manage indexes can then load."""
        rows = self._read(q.GET_META, {"key": "schema_version"})
        if rows and rows[0]["value"] == q.SCHEMA_VERSION:
            self._schema_ready = True
        else:
            self.ensure_schema()

    def _batches(self, query: str, rows: list[dict[str, Any]]) -> list[Step]:
        size = self.options.batch_size
        return [(query, {"rows": rows[i:i + size]}) for i in range(0, len(rows), size)]

    def _batched(self, query: str, name: str, values: list[Any]) -> list[dict[str, Any]]:
        size = self.options.batch_size * 2
        return [row for i in range(0, len(values), size)
                for row in self._read(query, {name: values[i:i + size]})]

    def delete_entities(self, ids: Sequence[str]) -> int:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return 0
        return self._write_counted(q.DELETE_ENTITIES, {"ids": wanted})

    def delete_relations(self, ids: Sequence[str]) -> int:
        # ids are derived from (source, type, target); find the pairs they stand for
        wanted = set(ids)
        pairs: dict[RelationType, list[dict[str, str]]] = defaultdict(list)
        for row in self._read(q.relation_hashes()):
            relation_type = RELATION_TYPES[row["type"]]
            if relation_id(row["source"], relation_type, row["target"]) in wanted:
                pairs[relation_type].append({"source": row["source"], "target": row["target"]})
        return sum(self._write_counted(q.delete_relations(t), {"pairs": p})
                   for t, p in pairs.items())

    def _write_counted(self, query: str, params: dict[str, Any]) -> int:
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")
        with translate_errors(self.location, self.options, writing=True), \
                self._session(neo4j.WRITE_ACCESS) as session:
            return session.execute_write(count_rows, query, params, bump=True)

    def write_scores(self, scores: Scores) -> int:
        ids = self._score_ids(scores)
        if not ids:
            return 0
        rows = [{"id": i, "scores": {SCORE_PREFIX + name: value
                                     for name, value in scores[i].items()}} for i in ids]
        self._write(self._batches(q.SET_SCORES, rows))
        return len(rows)

    def read_scores(self, ids: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        prefix = {"prefix": SCORE_PREFIX}
        if ids is None:
            rows = self._read(q.ALL_SCORES, prefix)
        else:
            wanted = list(dict.fromkeys(ids))
            rows = self._read(q.SCORES_BY_ID, {"ids": wanted, **prefix}) if wanted else []
        return {row["id"]: {key[len(SCORE_PREFIX):]: value for key, value in row["scores"]}
                for row in rows}

    # -- reading -----------------------------------------------------------------------------
    def get_many(self, ids: Iterable[str]) -> dict[str, Entity]:
        wanted = list(dict.fromkeys(ids))
        rows = self._batched(q.GET_ENTITIES, "ids", wanted) if wanted else []
        return {row["node"]["id"]: entity_from_properties(row["node"]) for row in rows}

    def entity_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(ids))
        return {row["id"]: row["h"] for row in self._batched(q.ENTITY_HASHES, "ids", wanted)}

    def relation_hashes(self, types: Iterable[RelationType]) -> dict[str, str]:
        chosen = list(types)
        if not chosen:
            return {}
        return {relation_id(r["source"], RELATION_TYPES[r["type"]], r["target"]): r["h"]
                for r in self._read(q.relation_hashes(chosen))}

    def neighborhood(self, entity_id: str, depth: int = 1, max_nodes: int = 200,
                     relation_types: Sequence[RelationType] | None = None,
                     entity_types: Sequence[EntityType] | None = None) -> Neighborhood:
        check_bounds(depth=depth, max_nodes=max_nodes)
        if self.get(entity_id) is None:
            raise EntityNotFound(entity_id)
        # an empty list means no restriction, as in the embedded store
        return neighborhood(self._read, self.get_many, entity_id, depth, max_nodes,
                            relation_types or None, entity_types or None)

    def shortest_paths(self, source: str, target: str, max_hops: int = 6, limit: int = 5,
                       relation_types: Sequence[RelationType] | None = None) -> list[GraphPath]:
        trivial = self._trivial_paths(source, target, max_hops, limit)
        if trivial is not None:
            return trivial
        return shortest_paths(self._read, source, target, max_hops, limit,
                              relation_types or None)

    def subgraph(self, ids: Iterable[str]) -> Subgraph:
        wanted = sorted(set(ids))
        nodes = self.get_many(wanted)
        edges = [relation_from_properties(r["source"], r["type"], r["target"], r["props"])
                 for r in self._read(q.edges_among(), {"ids": wanted})] if wanted else []
        return Subgraph(nodes=[nodes[i] for i in wanted if i in nodes],
                        edges=sorted(edges, key=lambda r: r.id))

    def entity_page(self, after: str = "", limit: int = 100,
                    entity_type: EntityType | None = None) -> list[Entity]:
        kind = EntityType(entity_type).value if entity_type is not None else None
        rows = self._read(q.ENTITY_PAGE, {"after": after, "n": limit, "type": kind})
        return [entity_from_properties(row["node"]) for row in rows]

    def iter_entities(self, batch_size: int = 5000) -> Iterator[Entity]:
        after = ""
        while True:
            page = self.entity_page(after, batch_size)
            yield from page
            if len(page) < batch_size:
                return
            after = page[-1].id

    def iter_relations(self, batch_size: int = 5000) -> Iterator[Relation]:
        after = ""
        while True:  # pages of source entities, each with all its outgoing relations
            rows = self._read(q.relation_page(), {"after": after, "n": batch_size})
            for row in rows:
                for rel in sorted(row["rels"], key=lambda r: (r["type"], r["target"])):
                    yield relation_from_properties(row["source"], rel["type"], rel["target"],
                                                   rel["props"])
            if len(rows) < batch_size:
                return
            after = rows[-1]["source"]

    def name_rows(self) -> list[NameRow]:
        return [NameRow(r["id"], EntityType(r["type"]), r["name"], tuple(r["aliases"] or ()))
                for r in self._read(q.NAME_ROWS)]

    def stats(self) -> Stats:
        by_type = {r["type"]: int(r["n"]) for r in self._read(q.COUNT_BY_TYPE)}
        relations = self._read(q.relation_hashes())
        rel_counts: dict[str, int] = defaultdict(int)
        for row in relations:
            rel_counts[RELATION_TYPES[row["type"]].value] += 1
        entity_hashes = [r["h"] for r in self._read(q.ALL_ENTITY_HASHES)]
        return Stats(entities=sum(by_type.values()), relations=len(relations),
                     entities_by_type=dict(sorted(by_type.items())),
                     relations_by_type=dict(sorted(rel_counts.items())),
                     content_hash=combine_hashes(entity_hashes, [r["h"] for r in relations]))

    def counts(self) -> Stats:
        [row] = self._read(q.counts())
        # sorted by name, as stats() and the embedded store give them
        by_type = {t: int(row[t]) for t in sorted(e.value for e in EntityType) if row[t]}
        rel_counts = {t: int(row[t]) for t in sorted(r.value for r in RelationType) if row[t]}
        return Stats(entities=sum(by_type.values()), relations=sum(rel_counts.values()),
                     entities_by_type=by_type, relations_by_type=rel_counts, content_hash="")

    def version(self) -> int:
        rows = self._read(q.GET_META, {"key": "version"})
        return int(rows[0]["value"]) if rows else 0

    def ping(self) -> None:
        self._read(q.PING)

    def close(self) -> None:
        self._driver.close()



def _withdrawals(entity_ids: Sequence[str], relation_keys: Sequence[RelationKey]) -> list[Step]:
    """The deletes of what a source withdrew, run before the upserts of the same write."""
    steps: list[Step] = []
    by_type: dict[str, list[dict[str, str]]] = defaultdict(list)
    for source, relation, target in relation_keys:
        by_type[relation].append({"source": source, "target": target})
    steps += [(q.delete_relations(relation), {"pairs": pairs})
              for relation, pairs in by_type.items()]
    if entity_ids:
        steps.append((q.DELETE_ENTITIES, {"ids": list(entity_ids)}))
    return steps
