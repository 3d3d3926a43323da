"""Neighbourhoods answered from memory, for a server that answers many of them.

A store answers :meth:`GraphStore.neighborhood` with several queries per hop (tens of
milliseconds). :class:`NeighborhoodIndex` holds the graph's adjacency as arrays, built once
per store version, and answers the same question in about a millisecond — with the same
answer: the same hop-by-hop expansion, the same edge order (source, target, type), the same
per-hop row cap and the same ``truncated`` flag (a test compares the two on every entity of
the sample graph).

The adjacency is compressed sparse rows of ``int32`` (about 24 bytes per relation, not a
Python list entry and int object per end): entities are numbered in id order and relations
in (source, target, type) order, so "in query order" is "in number order" and each entity's
outgoing and incoming relations are one slice each. Records are parsed from the arrow
columns only when a neighbourhood needs them, and the parsed ones are kept. An id is found
by bisecting the id column (no dict of a million ids), and every part is an array or an
arrow table: :mod:`graph.index_files` saves them and maps them back (:meth:`of_columns`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from schema import Entity, EntityNotFound, EntityType, Relation, RelationType
from schema.tables import entity_from_row, relation_from_row

from .sorted_strings import SortedStrings
from .store.base import GraphStore, Neighborhood, check_bounds
from .store.expansion import EdgeRef, expand_neighborhood
from .versioned import per_version

__all__ = ["NeighborhoodIndex", "neighborhood_index"]

# parsed records kept per kind (then the cache starts afresh): about 1.4 kB each with its
# JSON piece (api/record_json.py). Neighbourhoods of 1,800 firms at 100k entities (a 2-hop
# of up to 500 nodes each) keep 28k entities and 56k relations: all of them fit, and below
# that every answer reparses (3.5 ms a request instead of 0.45: bench/RESULTS.md, issue 16)
_CACHE_RECORDS = 100_000
_ENTITY_CODES = {t.value: i for i, t in enumerate(EntityType)}
_RELATION_CODES = {t.value: i for i, t in enumerate(RelationType)}
Ints = NDArray[np.int32]
Codes = NDArray[np.int8]


def _codes(column: pa.ChunkedArray, codes: dict[str, int]) -> Codes:
    """A string column of enum values as small integers (the enum's order)."""
    import pyarrow.compute as pc  # (see NeighborhoodIndex.__init__)

    found = pc.index_in(column, value_set=pa.array(list(codes)))
    return np.asarray(found.to_numpy(zero_copy_only=False), np.int8)


def _compact(table: pa.Table) -> pa.Table:
    """``table`` without the content hash (records do not need it) and with its repetitive
    string columns (run, file, type, origin …) dictionary-encoded: an index per row instead
    of the string, a third of the memory of a 5M-relation table. Rows read back the same."""
    import pyarrow.compute as pc  # (see NeighborhoodIndex.__init__)

    table = table.drop_columns([c for c in ("chash",) if c in table.column_names])
    for name in ("type", "run", "file", "origin", "kind", "status", "role"):
        if name in table.column_names:
            at = table.column_names.index(name)
            table = table.set_column(at, name, pc.dictionary_encode(table.column(name)))
    return table


def _ranges(offsets: NDArray[np.int64], nodes: Ints) -> Ints:
    """The concatenated ranges ``offsets[n]:offsets[n + 1]`` of ``nodes``."""
    parts = [np.arange(offsets[n], offsets[n + 1], dtype=np.int32) for n in nodes.tolist()]
    return np.concatenate(parts) if parts else np.zeros(0, np.int32)


def _slices(offsets: NDArray[np.int64], order: Ints, nodes: Ints) -> Ints:
    """The concatenated slices ``order[offsets[n]:offsets[n + 1]]`` of ``nodes``."""
    parts = [order[offsets[n]:offsets[n + 1]] for n in nodes.tolist()]
    return np.concatenate(parts) if parts else np.zeros(0, np.int32)


@dataclass(frozen=True)
class Adjacency:
    """The index's compressed sparse rows. Relations are numbered by source, so entity
    ``n``'s outgoing relations are ``out_offsets[n]:out_offsets[n+1]``; its incoming ones
    are ``into[in_offsets[n]:in_offsets[n+1]]``."""

    count: int
    source: Ints
    target: Ints
    kind: Codes
    out_offsets: NDArray[np.int64]
    in_offsets: NDArray[np.int64]
    into: Ints


class NeighborhoodIndex:
    """Adjacency of one version of a graph, with its records as arrow columns."""

    def __init__(self, entities: pa.Table, relations: pa.Table) -> None:
        # ~25 ms to import, and only a build needs it: a command that maps a saved index
        # or reads a small store's names must not pay for it (bench/cli_startup.py)
        import pyarrow.compute as pc

        # entities in id order: an entity's number then sorts like its id
        entities = entities.sort_by("id").combine_chunks()
        ids = entities.column("id")
        source = pc.index_in(relations.column("source"), value_set=ids).to_numpy()
        target = pc.index_in(relations.column("target"), value_set=ids).to_numpy()
        kind = _codes(relations.column("type"), _RELATION_CODES)
        # relations numbered in the order a query's ORDER BY source, target, type gives them
        # (type by value: the enum's values sort as its codes do not)
        type_rank = np.argsort(np.argsort(np.array(list(_RELATION_CODES)))).astype(np.int8)
        order = np.lexsort((type_rank[kind], target, source)).astype(np.int32)
        source, target = source[order].astype(np.int32), target[order].astype(np.int32)
        count = len(ids)
        out_offsets = np.zeros(count + 1, np.int64)
        np.cumsum(np.bincount(source, minlength=count), out=out_offsets[1:])
        in_offsets = np.zeros(count + 1, np.int64)
        np.cumsum(np.bincount(target, minlength=count), out=in_offsets[1:])
        self._use({
            "entities": _compact(entities),
            "relations": _compact(relations.take(pa.array(order)).combine_chunks()),
            "types": _codes(entities.column("type"), _ENTITY_CODES),
            "source": source, "target": target, "kind": kind[order],
            "out_offsets": out_offsets, "in_offsets": in_offsets,
            "in": np.argsort(target, kind="stable").astype(np.int32)})

    @classmethod
    def of_columns(cls, columns: dict[str, Any]) -> NeighborhoodIndex:
        """The index whose parts are ``columns`` (saved ones, memory-mapped)."""
        index = cls.__new__(cls)
        index._use(columns)
        return index

    def _use(self, columns: dict[str, Any]) -> None:
        self._columns = columns
        self._entities: pa.Table = columns["entities"]
        self._relations: pa.Table = columns["relations"]
        ids = self._entities.column("id")
        self._ids = SortedStrings(ids.chunk(0) if ids.num_chunks == 1 else ids.combine_chunks())
        self._types: Codes = columns["types"]
        self._source: Ints = columns["source"]
        self._target: Ints = columns["target"]
        self._kind: Codes = columns["kind"]
        self._out_offsets: NDArray[np.int64] = columns["out_offsets"]
        self._in: Ints = columns["in"]
        self._in_offsets: NDArray[np.int64] = columns["in_offsets"]
        self._entity_cache: dict[int, Entity] = {}
        self._relation_cache: dict[int, Relation] = {}

    def columns(self) -> dict[str, Any]:
        """Every part, for :mod:`graph.index_files`."""
        return dict(self._columns)

    @classmethod
    def of(cls, store: GraphStore) -> NeighborhoodIndex:
        return cls(store.entities_table(), store.relations_table())

    def nbytes(self) -> int:
        """Memory of the arrays and the arrow columns."""
        return int(sum(a.nbytes for a in self._columns.values()))

    def _edges(self, frontier: Ints, outgoing: bool, relation_codes: Codes | None,
               type_codes: Codes | None, cap: int) -> Ints:
        """The first ``cap`` relations leaving (or entering) the frontier, in query order."""
        found = (_ranges(self._out_offsets, frontier) if outgoing  # grouped by source
                 else np.sort(_slices(self._in_offsets, self._in, frontier)))
        if relation_codes is not None:
            found = found[np.isin(self._kind[found], relation_codes)]
        if type_codes is not None:
            far = self._target if outgoing else self._source
            found = found[np.isin(self._types[far[found]], type_codes)]
        return found[:cap]

    def neighborhood(self, entity_id: str, depth: int = 1, max_nodes: int = 200,
                     relation_types: Sequence[RelationType] | None = None,
                     entity_types: Sequence[EntityType] | None = None) -> Neighborhood:
        """:meth:`graph.store.GraphStore.neighborhood`, from memory."""
        check_bounds(depth=depth, max_nodes=max_nodes)
        center = self._ids.find(entity_id)
        if center is None:
            raise EntityNotFound(entity_id)
        relation_codes = (np.array([_RELATION_CODES[RelationType(t).value]
                                    for t in relation_types], np.int8)
                          if relation_types else None)
        type_codes = (np.array([_ENTITY_CODES[EntityType(t).value] for t in entity_types],
                               np.int8) if entity_types else None)

        def edges_from(frontier: list[int], outgoing: bool, n: int) -> list[EdgeRef]:
            nodes = np.array(sorted(frontier), np.int32)  # numbers sort as ids do
            found = self._edges(nodes, outgoing, relation_codes, type_codes, n)
            return list(zip(found.tolist(), self._source[found].tolist(),
                            self._target[found].tolist(), strict=True))

        kept, edges, truncated = expand_neighborhood(center, depth, max_nodes, edges_from)
        others = sorted(p for p in kept if p != center)
        relations = self._records(sorted(edges), self._relations, self._relation_cache,
                                  relation_from_row)
        return Neighborhood(nodes=[self._entities_at([center])[0], *self._entities_at(others)],
                            edges=sorted(relations, key=lambda r: r.id), center=entity_id,
                            depth=depth, truncated=truncated)

    # -- for other readers of the same arrays (graph.paths_index) ---------------------------
    def adjacency(self) -> Adjacency:
        """The relation ends and kinds by relation number, and each entity's relations."""
        return Adjacency(len(self._ids), self._source, self._target, self._kind,
                         self._out_offsets, self._in_offsets, self._in)

    def position(self, entity_id: str) -> int | None:
        """The entity's number in :meth:`adjacency`, or ``None`` if the graph lacks it."""
        return self._ids.find(entity_id)

    def entities_at(self, positions: list[int]) -> list[Entity]:
        """The entities with these numbers, in that order."""
        return self._entities_at(positions)

    def relations_at(self, numbers: list[int]) -> list[Relation]:
        """The relations with these numbers, in that order."""
        return self._records(numbers, self._relations, self._relation_cache, relation_from_row)

    def _entities_at(self, positions: list[int]) -> list[Entity]:
        return self._records(positions, self._entities, self._entity_cache, entity_from_row)

    @staticmethod
    def _records(positions: list[int], table: pa.Table, cache: dict[int, Any],
                 build: Callable[[dict[str, Any]], Any]) -> list[Any]:
        """Records at ``positions``, built from their rows once and then kept (popular
        nodes recur in many neighbourhoods; parsing their JSON was most of the cost)."""
        missing = [p for p in positions if p not in cache]
        if missing:
            if len(cache) + len(missing) > _CACHE_RECORDS:
                cache.clear()  # then every record of this answer is missing, not just some
                missing = list(dict.fromkeys(positions))
            rows = table.take(pa.array(missing, pa.int64())).to_pylist()
            cache.update(zip(missing, map(build, rows), strict=True))
        return [cache[p] for p in positions]


def neighborhood_index(store: GraphStore) -> NeighborhoodIndex:
    """The index of ``store`` as it is now, rebuilt after any write."""
    return per_version(store, "neighborhoods", NeighborhoodIndex.of)
