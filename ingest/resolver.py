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
        """The index of an ``ENTITY_SCHEMA`` table's entities (then the store's), built when
        a row first needs it: a bulk load by id never does."""
        index = cls([], store, rejected)
        index._untyped = index._unindexed = entities
        return index

    def __init__(self, entities: Iterable[NameRow], store: GraphStore | None,
                 rejected: dict[str, RowRef] | None = None) -> None:
        self._types: dict[str, EntityType] = {}
        self._names: dict[str, set[str]] = defaultdict(set)
        self._aliases: dict[str, set[str]] = defaultdict(set)
        self._unindexed: pa.Table | None = None  # entities whose names are not keyed yet
        self._untyped: pa.Table | None = None  # entities whose ids are not keyed yet
        self._store = store
        self._rejected = {_key(k): v for k, v in (rejected or {}).items()}
        for row in entities:
            self._add(row)

    def _add(self, row: NameRow) -> None:
        self._types[row.id] = row.type
        self._add_names(row.id, row.name, row.aliases)

    def _add_names(self, the_id: str, name: str, aliases: Iterable[str]) -> None:
        self._names[_key(name)].add(the_id)
        for alias in aliases:
            self._aliases[_key(alias)].add(the_id)

    def _index_names(self) -> None:
        """Key this load's names and aliases (a bulk load by id never needs them)."""
        table, self._unindexed = self._unindexed, None
        if table is not None:
            columns = [table.column(c).to_pylist() for c in ("id", "name", "aliases")]
            for the_id, name, aliases in zip(*columns, strict=True):
                self._add_names(the_id, name, aliases or ())

    def _index_types(self) -> None:
        table, self._untyped = self._untyped, None
        if table is not None:
            types = {t.value: t for t in EntityType}
            ids = table.column("id").to_pylist()
            kinds = [types[t] for t in table.column("type").to_pylist()]
            self._types.update(zip(ids, kinds, strict=True))

    def _load_store(self) -> bool:
        if self._store is None:
            return False
        store, self._store = self._store, None
        for row in store.name_rows():
            if row.id not in self._types:  # this load's version of an entity wins
                self._add(row)
        return True

    def resolve(self, text: str) -> Endpoint | str:
        self._index_types()
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
        self._index_names()
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
