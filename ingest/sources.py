"""The sources a graph was assembled from: list them, and remove one as a whole.

A source is a file (or a sheet of it) as loaded, an upload by its name, ``api`` for API
writes, or a review decision. Removing a source withdraws every claim it made: records
other sources state keep their claims (and are merged again without it), records only it
stated are deleted, unless a relation of another source still needs them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from graph.store.base import GraphStore
from schema import InvalidInput
from schema.claims import claims_from_json
from schema.tables import ENTITY_SCHEMA, RELATION_SCHEMA

from .merge import MergeReport, merge_load


@dataclass
class SourceInfo:
    """One source: its kind, what it states, and its latest run."""

    source: str
    kind: str
    entities: int = 0
    relations: int = 0
    last_run: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "kind": self.kind, "entities": self.entities,
                "relations": self.relations, "last_run": self.last_run}


def list_sources(store: GraphStore) -> list[SourceInfo]:
    """Every source with the number of records it states (reads the whole graph once)."""
    found: dict[str, SourceInfo] = {}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"entities": 0, "relations": 0})
    for what, table in (("entities", store.entities_table()),
                        ("relations", store.relations_table())):
        columns = [table.column(c).to_pylist() for c in ("file", "origin", "run", "claims")]
        for file, origin, run, claims in zip(*columns, strict=True):
            stated = ([(c.source, c.kind, c.run) for c in claims_from_json(claims)] if claims
                      else [(file or "unattributed", origin or "table", run or "")])
            for source, kind, when in stated:
                info = found.setdefault(source, SourceInfo(source, kind))
                info.last_run = max(info.last_run, when)
                counts[source][what] += 1
    for source, info in found.items():
        info.entities, info.relations = counts[source]["entities"], counts[source]["relations"]
    return sorted(found.values(), key=lambda s: s.source)


def remove_source(store: GraphStore, source: str, *, dry_run: bool = False) -> MergeReport:
    """Withdraw everything ``source`` stated; raise :class:`InvalidInput` if it states
    nothing (a misspelt name must not look like a successful removal)."""
    with store.exclusive():
        entities, relations = store.source_records(source)
        if not entities and not relations:
            raise InvalidInput("source", f"{source!r} states nothing in this graph; "
                               "`innograph sources` lists the sources")
        merged = merge_load(store, ENTITY_SCHEMA.empty_table(), RELATION_SCHEMA.empty_table(),
                            {source})
        if not dry_run:
            store.upsert_tables(merged.entities, merged.relations,
                                delete_entities=merged.delete_entities,
                                delete_relations=merged.delete_relations)
    if not dry_run:
        store.checkpoint()
    return merged.report
