"""Entities a load names only as a relation's far end: a list's 所在地区 (a region), its
所属产业 (an industry), a patent's co-applicant, a project's partner.

A far end that nothing in the load or the store resolves is created, once, as a claim of
the source that named it; one that resolves points at what it resolves to and adds nothing
— except an entity the same source created earlier, which it states again (otherwise a
re-load of that source would withdraw it as no longer stated).
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from graph.store.base import GraphStore

from .resolution import Resolution, remap, resolve_entities


def add_far_ends(store: GraphStore, entities: pa.Table, mentions: pa.Table,
                 resolution: Resolution) -> tuple[pa.Table, int]:
    """``entities`` with the far ends to create or restate, and how many rows were added;
    ``resolution`` learns where the others point."""
    if not mentions.num_rows:
        return entities, 0
    mentions = remap(mentions, ["id"], resolution.mapped)
    known = set(entities.column("id").to_pylist())
    stored = set(store.entity_hashes(set(mentions.column("id").to_pylist()) - known))
    restated = _restated(store, mentions, stored)
    unknown = mentions.filter(pc.invert(pc.is_in(
        mentions.column("id"), value_set=pa.array(sorted(known | stored), pa.string()))))
    more = resolve_entities(store, unknown, set())
    resolution.mapped.update(more.mapped)
    resolution.reasons.update(more.reasons)
    new = _first_per_id(unknown, lambda the_id, _: the_id not in more.mapped)
    return pa.concat_tables([entities, new, restated]), new.num_rows + restated.num_rows


def _restated(store: GraphStore, mentions: pa.Table, stored: set[str]) -> pa.Table:
    """The mention rows (one per entity) naming a stored entity their own source states."""
    by_source: dict[str, set[str]] = {}

    def states(the_id: str, source: str) -> bool:
        if the_id not in stored:
            return False
        if source not in by_source:
            by_source[source] = store.source_records(source)[0]
        return the_id in by_source[source]

    return _first_per_id(mentions, states)


def _first_per_id(table: pa.Table, wanted: Callable[[str, str], bool]) -> pa.Table:
    """The first row of each id that ``wanted(id, source)`` keeps (many rows may name the
    same region: it is created once)."""
    keep: list[bool] = []
    seen: set[str] = set()
    for the_id, source in zip(table.column("id").to_pylist(), table.column("file").to_pylist(),
                              strict=True):
        chosen = the_id not in seen and wanted(the_id, source or "")
        keep.append(chosen)
        if chosen:
            seen.add(the_id)
    return table.filter(pa.array(keep, pa.bool_()))
