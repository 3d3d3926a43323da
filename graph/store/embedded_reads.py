"""The read side of the embedded (LadybugDB) store: lookups, neighbourhoods, paths, pages,
whole-table reads and counts.

:class:`EmbeddedReads` runs its queries on the store's :class:`Connections` and keeps the
readers' view of the ``Source`` rows that decode ``src``. The writer keeps its own
(:class:`graph.store.embedded_upserts.EmbeddedUpserts`): a reader replacing the writer's
mid-write made the next writer reuse a source number (issue 15).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import wraps
from typing import Any, TypeVar

import pyarrow as pa

from schema import (
    Entity,
    EntityNotFound,
    EntityType,
    Relation,
    RelationType,
    relation_id,
)
from schema.claims import claim_needle
from schema.tables import ENTITY_SCHEMA, RELATION_SCHEMA, entity_from_row, relation_from_row

from . import ladybug_queries as q
from .base import RelationKey, check_bounds
from .embedded_connections import Connections
from .expansion import expand_relations
from .ladybug_encoding import Sources, int64_to_hashes
from .records import GraphPath, NameRow, Neighborhood, Stats, Subgraph, combine_hashes

SCAN_THRESHOLD = 2000  # above this many ids, scanning all hashes beats per-id lookups
_Method = TypeVar("_Method", bound=Callable[..., Any])


def snapshot(method: _Method) -> _Method:
    """Run a read of several queries in one read-only transaction
    (:meth:`Connections.snapshot`)."""
    @wraps(method)
    def consistent(self: EmbeddedReads, *args: Any, **kwargs: Any) -> Any:
        with self._connections.snapshot():
            return method(self, *args, **kwargs)
    return consistent  # type: ignore[return-value]


class EmbeddedReads:
    """Every read of the embedded store, over its connections."""

    def __init__(self, connections: Connections) -> None:
        self._connections = connections
        self._run = connections.run
        self._rows = connections.rows
        #: the readers' own view of the Source rows, refreshed when a row names an unknown
        #: one (and after a reopen)
        self.sources = Sources(self._rows(q.ALL_SOURCES))

    def reload_sources(self) -> Sources:
        self.sources = Sources(self._rows(q.ALL_SOURCES))
        return self.sources

    def decode(self, row: dict[str, Any]) -> dict[str, Any]:
        """A stored row in ``schema.tables`` form (``run``/``file`` instead of ``src``)."""
        if row.get("src") is not None and row["src"] not in self.sources.by_id:
            self.reload_sources()  # a write (here or in another process) since
        return self.sources.decode_row(row)

    # -- lookups -----------------------------------------------------------------------------
    def get_many(self, ids: Iterable[str]) -> dict[str, Entity]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        return {row["id"]: entity_from_row(self.decode(row))
                for row in self._rows(q.GET_ENTITIES, {"ids": wanted})}

    def entity_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        wanted = set(ids)
        if not wanted:
            return {}
        if len(wanted) > SCAN_THRESHOLD:
            table = self._run(q.ALL_ENTITY_HASHES).get_as_arrow()
            pairs = zip(table.column("id").to_pylist(), int64_to_hashes(table.column("h")),
                        strict=True)
            return {i: h for i, h in pairs if i in wanted}
        table = self._run(q.ENTITY_HASHES_BY_ID, {"ids": sorted(wanted)}).get_as_arrow()
        return dict(zip(table.column("id").to_pylist(), int64_to_hashes(table.column("h")),
                        strict=True))

    def pair_hashes(self, relation: RelationType) -> dict[tuple[str, str], str]:
        """Content hashes of every stored relation of one type, by (source, target)."""
        table = self._run(q.relation_hashes(relation)).get_as_arrow()
        columns = [table.column(c).to_pylist() for c in ("source", "target")]
        return {(s, t): h for s, t, h in zip(*columns, int64_to_hashes(table.column("h")),
                                             strict=True)}

    def relation_hashes(self, types: Iterable[RelationType]) -> dict[str, str]:
        return {relation_id(s, relation, t): h for relation in types
                for (s, t), h in self.pair_hashes(relation).items()}

    def relations_between(self, keys: Iterable[RelationKey]) -> dict[RelationKey, Relation]:
        by_type: dict[str, list[dict[str, str]]] = {}
        for source, relation, target in set(keys):
            by_type.setdefault(relation, []).append({"source": source, "target": target})
        found: dict[RelationKey, Relation] = {}
        for relation, pairs in by_type.items():
            relation_type = RelationType(relation)
            if len(pairs) > SCAN_THRESHOLD:  # UNWIND … MATCH by pair grew quadratically
                wanted = {(p["source"], p["target"]) for p in pairs}
                rows = [r for r in self._rows(q.all_relations(relation_type))
                        if (r["source"], r["target"]) in wanted]
            else:
                rows = self._rows(q.relations_between(relation_type), {"pairs": pairs})
            for row in rows:
                record = relation_from_row(self.decode({**row, "type": relation}))
                found[(record.source, relation, record.target)] = record
        return found

    def stored_sources(self, entity_ids: Iterable[str], relation_keys: Iterable[RelationKey]
                       ) -> tuple[dict[str, str | None], dict[RelationKey, str | None]]:
        wanted = set(entity_ids)
        keys = set(relation_keys)
        sources = self.reload_sources()

        def origin(src: int | None, several: bool) -> str | None:
            return None if several else sources.by_id.get(src, (None, None, None))[1] \
                if src is not None else None

        entities: dict[str, str | None] = {}
        if wanted:
            rows = (self._rows(q.ALL_ENTITY_SOURCES) if len(wanted) > SCAN_THRESHOLD
                    else self._rows(q.ENTITY_SOURCES_BY_ID, {"ids": sorted(wanted)}))
            entities = {r["id"]: origin(r["src"], r["several"]) for r in rows
                        if r["id"] in wanted}
        relations: dict[RelationKey, str | None] = {}
        for relation in {k[1] for k in keys}:
            # one scan of the type's table: per-pair look-ups grew with the square of a load
            table = self._run(q.relation_sources(RelationType(relation))).get_as_arrow()
            columns = [table.column(c).to_pylist() for c in ("source", "target", "src",
                                                             "several")]
            for source, target, src, several in zip(*columns, strict=True):
                key = (source, relation, target)
                if key in keys:
                    relations[key] = origin(src, several)
        return entities, relations

    def source_records(self, source: str) -> tuple[set[str], set[RelationKey]]:
        sources = self.reload_sources()  # another process may have written
        params = {"srcs": sources.numbers_of(source), "needle": claim_needle(source)}
        entities = {row["id"] for row in self._rows(q.ENTITIES_OF_SOURCE, params)}
        relations = {(row["source"], relation.value, row["target"]) for relation in RelationType
                     for row in self._rows(q.relations_of_source(relation), params)}
        return entities, relations

    def read_scores(self, ids: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        if ids is None:
            rows = self._rows(q.ALL_SCORES)
        else:
            wanted = list(dict.fromkeys(ids))
            rows = self._rows(q.SCORES_BY_ID, {"ids": wanted}) if wanted else []
        return {row["id"]: json.loads(row["scores"]) for row in rows}

    # -- around an entity --------------------------------------------------------------------
    @snapshot
    def neighborhood(self, entity_id: str, depth: int = 1, max_nodes: int = 200,
                     relation_types: Sequence[RelationType] | None = None,
                     entity_types: Sequence[EntityType] | None = None) -> Neighborhood:
        check_bounds(depth=depth, max_nodes=max_nodes)
        center = self.get_many([entity_id]).get(entity_id)
        if center is None:
            raise EntityNotFound(entity_id)

        def read_relations(query: str, params: dict[str, Any]) -> list[Relation]:
            return [relation_from_row(self.decode(row)) for row in self._rows(query, params)]

        kept, edges, truncated = expand_relations(entity_id, depth, max_nodes, relation_types,
                                                  entity_types, q.edges_from, read_relations)
        nodes = self.get_many(sorted(kept))
        return Neighborhood(nodes=[center] + [nodes[i] for i in sorted(kept) if i != entity_id],
                            edges=sorted(edges, key=lambda r: r.id),
                            center=entity_id, depth=depth, truncated=truncated)

    @snapshot
    def shortest_paths(self, source: str, target: str, max_hops: int = 6, limit: int = 5,
                       relation_types: Sequence[RelationType] | None = None) -> list[GraphPath]:
        """The search between two different entities (the store answers a path from an
        entity to itself and checks ``limit``, see ``GraphStore._trivial_paths``)."""
        check_bounds(max_hops=max_hops)  # formatted into the query: never out of range
        rows = self._rows(q.shortest_paths(max_hops, relation_types),
                          {"source": source, "target": target, "n": limit})
        paths = []
        for row in rows:
            offsets = {_offset(n["_ID"]): n["id"] for n in row["nodes"]}
            ids = [n["id"] for n in row["nodes"]]
            entities = self.get_many(ids)
            edges = [relation_from_row(self.decode(
                {**r, "type": r["_LABEL"], "source": offsets[_offset(r["_SRC"])],
                 "target": offsets[_offset(r["_DST"])]})) for r in row["rels"]]
            paths.append(GraphPath(nodes=[entities[i] for i in ids], edges=edges))
        return paths

    @snapshot
    def subgraph(self, ids: Iterable[str]) -> Subgraph:
        wanted = sorted(set(ids))
        nodes = self.get_many(wanted)
        edges = [relation_from_row(self.decode({**row, "type": relation.value}))
                 for relation in RelationType
                 for row in self._rows(q.edges_among(relation), {"ids": wanted})]
        return Subgraph(nodes=[nodes[i] for i in wanted if i in nodes],
                        edges=sorted(edges, key=lambda r: r.id))

    # -- everything, in pages or whole -------------------------------------------------------
    def iter_entities(self, batch_size: int = 5000) -> Iterator[Entity]:
        after = ""
        while True:
            rows = self._rows(q.ENTITY_PAGE, {"after": after, "n": batch_size})
            yield from (entity_from_row(self.decode(row)) for row in rows)
            if len(rows) < batch_size:
                return
            after = rows[-1]["id"]

    def iter_relations(self, batch_size: int = 5000) -> Iterator[Relation]:
        for relation in RelationType:
            result = self._run(q.all_relations(relation))
            for batch in result.get_as_arrow(chunk_size=batch_size).to_batches():
                for row in batch.to_pylist():
                    yield relation_from_row(self.decode({**row, "type": relation.value}))

    def entity_page(self, after: str = "", limit: int = 100,
                    entity_type: EntityType | None = None) -> list[Entity]:
        params: dict[str, Any] = {"after": after, "n": limit}
        query = q.ENTITY_PAGE
        if entity_type is not None:
            query, params["type"] = q.ENTITY_PAGE_OF_TYPE, EntityType(entity_type).value
        return [entity_from_row(self.decode(row)) for row in self._rows(query, params)]

    def name_rows(self) -> list[NameRow]:
        return [NameRow(r["id"], EntityType(r["type"]), r["name"], tuple(r["aliases"] or ()))
                for r in self._rows(q.NAME_ROWS)]

    @snapshot
    def entities_table(self) -> pa.Table:
        sources = self.reload_sources()  # another process may have written
        table = self._run(q.ALL_ENTITIES).get_as_arrow()
        return sources.decode_table(table).select(ENTITY_SCHEMA.names).cast(ENTITY_SCHEMA)

    @snapshot
    def relations_table(self) -> pa.Table:
        sources = self.reload_sources()
        parts = []
        for relation in RelationType:
            table = self._run(q.all_relations(relation, with_hash=True)).get_as_arrow()
            if table.num_rows:
                table = table.append_column("type", pa.array([relation.value] * table.num_rows,
                                                             pa.string()))
                parts.append(sources.decode_table(table).select(RELATION_SCHEMA.names)
                             .cast(RELATION_SCHEMA))
        return pa.concat_tables(parts) if parts else RELATION_SCHEMA.empty_table()

    # -- counts ------------------------------------------------------------------------------
    @snapshot
    def counts(self) -> Stats:
        by_type = {r["type"]: int(r["n"]) for r in self._rows(q.COUNT_BY_TYPE)}
        rel_counts = {}
        for relation in RelationType:
            n = int(self._rows(q.count_relations(relation))[0]["n"])
            if n:
                rel_counts[relation.value] = n
        return Stats(entities=sum(by_type.values()), relations=sum(rel_counts.values()),
                     entities_by_type=dict(sorted(by_type.items())),
                     relations_by_type=dict(sorted(rel_counts.items())), content_hash="")

    @snapshot
    def stats(self) -> Stats:
        by_type = {r["type"]: int(r["n"]) for r in self._rows(q.COUNT_BY_TYPE)}
        rel_counts = {}
        relation_hashes: list[str] = []
        for relation in RelationType:
            table = self._run(q.relation_hashes(relation)).get_as_arrow()
            if table.num_rows:
                rel_counts[relation.value] = table.num_rows
                relation_hashes.extend(int64_to_hashes(table.column("h")))
        entity_hashes = int64_to_hashes(self._run(q.ALL_ENTITY_HASHES).get_as_arrow().column("h"))
        return Stats(entities=sum(by_type.values()), relations=sum(rel_counts.values()),
                     entities_by_type=dict(sorted(by_type.items())),
                     relations_by_type=dict(sorted(rel_counts.items())),
                     content_hash=combine_hashes(entity_hashes, relation_hashes))


def _offset(internal_id: dict[str, int]) -> tuple[int, int]:
    return internal_id["table"], internal_id["offset"]
