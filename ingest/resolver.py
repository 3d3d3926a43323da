"""Resolve what a relation row names (an id, a name or an alias) to one entity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

import pyarrow as pa

from graph.store.base import GraphStore, NameRow
from schema import EntityType, match_key

from .rows import Endpoint, EndpointLookup, RowRef


@lru_cache(maxsize=200_000)
def _key(text: str) -> str:
    return match_key(text)


class NameIndex(EndpointLookup):
    """Ids, names and aliases of this load's entities, then (when needed) of the store's."""

    @classmethod
    def from_table(cls, entities: pa.Table, store: GraphStore | None,
                   rejected: dict[str, RowRef] | None = None) -> NameIndex:
        """The index of an ``ENTITY_SCHEMA`` table's entities (then the store's)."""
        columns = [entities.column(c).to_pylist() for c in ("id", "type", "name", "aliases")]
        rows = [NameRow(i, EntityType(t), n, tuple(a or ()))
                for i, t, n, a in zip(*columns, strict=True)]
        return cls(rows, store, rejected)

    def __init__(self, entities: Iterable[NameRow], store: GraphStore | None,
                 rejected: dict[str, RowRef] | None = None) -> None:
        self._types: dict[str, EntityType] = {}
        self.known: dict[str, Endpoint] = {}
        self._names: dict[str, set[str]] = defaultdict(set)
        self._aliases: dict[str, set[str]] = defaultdict(set)
        self._store = store
        self._rejected = {_key(k): v for k, v in (rejected or {}).items()}
        for row in entities:
            self._add(row)

    def _add(self, row: NameRow) -> None:
        self._types[row.id] = row.type
        self.known[row.id] = Endpoint(row.id, row.type)
        self._names[_key(row.name)].add(row.id)
        for alias in row.aliases:
            self._aliases[_key(alias)].add(row.id)

    def _load_store(self) -> bool:
        if self._store is None:
            return False
        store, self._store = self._store, None
        for row in store.name_rows():
            if row.id not in self._types:  # this load's version of an entity wins
                self._add(row)
        return True

    def resolve(self, text: str) -> Endpoint | str:
        while True:
            found = self._find(text)
            if found is not None or not self._load_store():
                break
        if isinstance(found, Endpoint | str):
            return found
        ref = self._rejected.get(_key(text))
        if ref:
            return f"unknown entity: its row ({ref.file} row {ref.row}) was rejected"
        return "unknown entity: no id, name or alias matches it in this load or the store"

    def _find(self, text: str) -> Endpoint | str | None:
        entity_type = self._types.get(text)
        if entity_type is not None:
            return Endpoint(text, entity_type)
        key = _key(text)
        for table, what in ((self._names, "name"), (self._aliases, "alias")):
            ids = table.get(key)
            if ids and len(ids) == 1:
                the_id = next(iter(ids))
                return Endpoint(the_id, self._types[the_id])
            if ids:
                shown = ", ".join(sorted(ids)[:4])
                return f"ambiguous {what}: it names {len(ids)} entities ({shown}); use an id"
        return None
