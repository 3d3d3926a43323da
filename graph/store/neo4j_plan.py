"""Planning a Neo4j upsert: diff the incoming rows against stored content hashes and turn
what is new or changed into ``UNWIND $rows … MERGE`` batches (nothing is written here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from schema import EntityType, IntegrityError, RelationType

from . import neo4j_queries as q
from .neo4j_records import entity_properties, relation_properties
from .records import WriteResult

Row = dict[str, Any]
#: one statement and its parameters, run inside a write transaction
Step = tuple[str, dict[str, Any]]
#: ``(query, parameter name, values) -> rows``: a read split into bounded batches
BatchedRead = Callable[[str, str, list[Any]], list[Row]]
#: ``(query, rows) -> steps``: rows cut into write batches
Batcher = Callable[[str, list[Row]], list[Step]]


class UpsertPlan:
    """Steps for one upsert, counting created/updated/unchanged records into ``result``."""

    def __init__(self, read: BatchedRead, batches: Batcher, result: WriteResult) -> None:
        self._read = read
        self._batches = batches
        self.result = result

    def stored_hashes(self, ids: list[str]) -> dict[str, str]:
        return {r["id"]: r["h"] for r in self._read(q.ENTITY_HASHES, "ids", sorted(set(ids)))}

    def entities(self, rows: list[Row]) -> list[Step]:
        """Steps that create new entity rows and rewrite changed ones (grouped by type label)."""
        stored = self.stored_hashes([r["id"] for r in rows])
        changed = [r for r in rows if r["id"] in stored and stored[r["id"]] != r["chash"]]
        fresh = [r for r in rows if r["id"] not in stored]
        self.result.entities_created += len(fresh)
        self.result.entities_updated += len(changed)
        self.result.entities_unchanged += len(rows) - len(fresh) - len(changed)
        # a changed node's properties that the new row lacks must be removed
        stored_keys = {k["id"]: k["keys"]
                       for k in self._read(q.ENTITY_KEYS, "ids", [r["id"] for r in changed])}
        by_type: dict[str, list[Row]] = defaultdict(list)
        for row in fresh + changed:
            by_type[row["type"]].append({"id": row["id"], "props": entity_properties(
                row, stored_keys.get(row["id"], ()))})
        return [step for value, group in sorted(by_type.items())
                for step in self._batches(q.merge_entities(EntityType(value)), group)]

    def relations(self, incoming: set[str], rows: list[Row]) -> list[Step]:
        """Steps that create or replace new and changed relation rows (grouped by type).

        Raises :class:`schema.IntegrityError` before any write if an endpoint is neither
        stored nor among ``incoming`` entity ids.
        """
        endpoints = {r["source"] for r in rows} | {r["target"] for r in rows}
        missing = endpoints - incoming
        missing -= set(self.stored_hashes(list(missing)))
        if missing:
            shown = ", ".join(sorted(missing)[:5])
            raise IntegrityError(f"{len(missing)} relation endpoint(s) are not in the store: "
                                 f"{shown}")
        by_type: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            by_type[row["type"]].append(row)
        steps: list[Step] = []
        for value, group in sorted(by_type.items()):
            relation_type = RelationType(value)
            pairs = [{"source": r["source"], "target": r["target"]} for r in group]
            stored = {(h["source"], h["target"]): h["h"]
                      for h in self._read(q.pair_hashes(relation_type), "pairs", pairs)}
            write = [r for r in group if stored.get((r["source"], r["target"])) != r["chash"]]
            created = sum((r["source"], r["target"]) not in stored for r in write)
            self.result.relations_created += created
            self.result.relations_updated += len(write) - created
            self.result.relations_unchanged += len(group) - len(write)
            steps += self._batches(q.merge_relations(relation_type), [
                {"source": r["source"], "target": r["target"], "props": relation_properties(r)}
                for r in write])
        return steps
