"""Merge a load with what is stored: a second source adds to the first, never replaces it.

A load arrives as two ``schema.tables`` tables whose rows may name records the store holds
already (from other sources, or from an earlier load of the same source) or name one
record from several files of the load. Each row is a *claim* (``schema.claims``); here the
rows of such records are replaced by one merged row carrying every source's claim:

- a source's new claim replaces its own earlier claim on that record (a corrected list
  corrects its own facts) and leaves the other sources' claims as they are;
- a *complete* source (a file loaded whole) withdraws its claims on records it no longer
  states; a record no source states any more is deleted, unless a relation that stays
  still needs it (then it keeps its last claim, and the summary says so);
- an unchanged claim keeps its old run, so a re-load changes nothing.

Records that no other source states and no stored record holds pass through untouched
(the bulk of a first load), so a large load pays only for what it shares.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from graph.store.base import GraphStore, RelationKey
from graph.store.row_keys import all_distinct
from schema.claims import Claim, claims_json, merge
from schema.history import HISTORY_RELATIONS
from schema.records import canonical_json, entity_hash, relation_hash
from schema.tables import COMMON_RELATION_PROPS, ENTITY_SCHEMA, RELATION_SCHEMA

_SEP = "\x1f"
#: rows turned into Python objects at once when every key must go to the store
_BATCH_ROWS = 100_000


@dataclass
class MergeReport:
    """What merging did, beyond the store's created/updated/unchanged counts."""

    #: rows folded into another row of the same record in this load
    folded: dict[str, int] = field(default_factory=lambda: {"entities": 0, "relations": 0})
    #: records that gained or changed a claim while other sources' claims stayed
    merged: dict[str, int] = field(default_factory=lambda: {"entities": 0, "relations": 0})
    #: claims a complete source withdrew, and records deleted because no source was left
    withdrawn: dict[str, int] = field(default_factory=lambda: {"entities": 0, "relations": 0})
    deleted: dict[str, int] = field(default_factory=lambda: {"entities": 0, "relations": 0})
    #: entities a source withdrew that stay because a relation still needs them
    kept: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"folded": self.folded, "merged": self.merged, "withdrawn": self.withdrawn,
                "deleted": self.deleted, "kept": self.kept[:50]}


@dataclass
class MergedLoad:
    """The tables to write, and what to delete in the same write."""

    entities: pa.Table
    relations: pa.Table
    delete_entities: list[str]
    delete_relations: list[RelationKey]
    report: MergeReport


def _entity_claim(row: dict[str, Any]) -> Claim:
    return Claim(source=row["file"] or "", kind=row["origin"] or "table", run=row["run"] or "",
                 row=row["row"], name=row["name"], name_raw=row["name_raw"] or "",
                 type=row["type"], aliases=tuple(row["aliases"] or ()),
                 props=json.loads(row["props"] or "{}"),
                 provenance=json.loads(row["provenance"] or "{}"))


def _relation_claim(row: dict[str, Any]) -> Claim:
    props = {k: row[k] for k in COMMON_RELATION_PROPS if row.get(k) is not None}
    props.update(json.loads(row["props"] or "{}"))
    return Claim(source=row["file"] or "", kind=row["origin"] or "table", run=row["run"] or "",
                 row=row["row"], props=props, provenance=json.loads(row["provenance"] or "{}"))


def combine_claims(stored: list[Claim], incoming: list[Claim]) -> list[Claim]:
    """Stored claims with those of the incoming sources replaced; an unchanged claim keeps
    its stored run."""
    earlier = {c.source: c for c in stored}
    kept = [c for c in stored if c.source not in {n.source for n in incoming}]
    for claim in incoming:
        old = earlier.get(claim.source)
        kept.append(old if old is not None and old.statement() == claim.statement() else claim)
    return kept


def merged_entity_row(the_id: str, claims: list[Claim], created_type: str) -> dict[str, Any]:
    merged = merge(claims, created_type)
    props, provenance = canonical_json(merged.props), canonical_json(merged.provenance)
    stored_claims = claims_json(claims)
    win = merged.winner
    return {"id": the_id, "type": merged.type, "name": merged.name, "name_raw": merged.name_raw,
            "aliases": list(merged.aliases), "props": props, "provenance": provenance,
            "run": win.run, "file": win.source, "row": win.row, "origin": win.kind,
            "chash": entity_hash(the_id, merged.type, merged.name, merged.aliases, props,
                                 provenance, stored_claims),
            "claims": stored_claims}


def merged_relation_row(key: RelationKey, claims: list[Claim]) -> dict[str, Any]:
    source, relation, target = key
    merged = merge(claims, history=relation in HISTORY_RELATIONS)
    everything = canonical_json(merged.props)
    extra = canonical_json({k: v for k, v in merged.props.items()
                            if k not in COMMON_RELATION_PROPS})
    provenance = canonical_json(merged.provenance)
    stored_claims = claims_json(claims)
    win = merged.winner
    return {"source": source, "target": target, "type": relation,
            **{k: merged.props.get(k) for k in COMMON_RELATION_PROPS}, "props": extra,
            "provenance": provenance, "run": win.run, "file": win.source, "row": win.row,
            "origin": win.kind,
            "chash": relation_hash(relation, source, target, everything, provenance,
                                   stored_claims),
            "claims": stored_claims}


def _fold(before: list[Claim], leaving: set[str], incoming: list[Claim], what: str,
          report: MergeReport, stored: bool) -> list[Claim] | None:
    """A record's claims after this load (``None``: no source states it any more), counted
    in ``report``: rows folded together, claims withdrawn, records merged or deleted."""
    remaining = [c for c in before if c.source not in leaving]
    claims = combine_claims(remaining, incoming)
    report.folded[what] += max(0, len(incoming) - 1)
    report.withdrawn[what] += len(before) - len(remaining)
    if not claims:
        report.deleted[what] += 1
        return None
    if stored and len(claims) > 1:
        report.merged[what] += 1
    return claims


def _keys(table: pa.Table, columns: list[str]) -> pa.Array:
    # joined chunk by chunk, then combined once (not a combined copy of every column first)
    parts = [table.column(c) for c in columns]
    joined = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, _SEP)
    return joined.combine_chunks() if isinstance(joined, pa.ChunkedArray) else joined


def _split_rows(table: pa.Table, keys: pa.Array, wanted: set[str]) -> tuple[pa.Table, list[dict[str, Any]]]:
    """Rows whose key is not wanted (as a table), and the wanted rows (as dicts)."""
    if not wanted:
        return table, []
    mask = pc.is_in(keys, value_set=pa.array(sorted(wanted), type=pa.string()))
    return table.filter(pc.invert(mask)), table.filter(mask).to_pylist()


def _repeated(keys: pa.Array) -> set[str]:
    if pc.count_distinct(keys).as_py() == len(keys):
        return set()  # the usual case, found without a table of every key's count
    counts = pc.value_counts(keys)
    values, n = counts.field("values"), counts.field("counts")
    return set(pc.filter(values, pc.greater(n, 1)).to_pylist())


def merge_load(store: GraphStore, entities: pa.Table, relations: pa.Table,
               complete_sources: Iterable[str]) -> MergedLoad:
    """Fold this load's rows into what ``store`` holds (call inside ``store.exclusive()``)."""
    report = MergeReport()
    complete = set(complete_sources)
    entity_keys = _keys(entities, ["id"])
    # a store holding nothing has nothing to merge with: a first load skips every look-up
    # (and the Python sets of every key they take: 1.2 GB for 5M relations, issue 16)
    stored_any = store.counts().entities > 0
    # a string per relation only when one is looked up or several rows state one record
    repeats = not all_distinct(relations, ["source", "type", "target"])
    relation_keys = _keys(relations, ["source", "type", "target"]) \
        if stored_any or repeats else pa.array([], type=pa.string())
    stored_entity_sources = store.stored_sources(entity_keys.to_pylist(), [])[0] \
        if stored_any else {}
    # a stored record needs merging only when another source states it: a record the
    # same file stated alone is simply rewritten (the bulk of a re-load)
    shared_ids = _stated_elsewhere(stored_entity_sources, _files_by_key(
        entities, entity_keys, stored_entity_sources))
    del stored_entity_sources
    shared_rel = _shared_relations(store, relations, relation_keys) if stored_any else set()

    # what complete sources stated before and no longer state
    withdrawn_entities: dict[str, set[str]] = defaultdict(set)  # id -> sources withdrawing
    withdrawn_relations: dict[str, set[str]] = defaultdict(set)
    for source in sorted(complete) if stored_any else ():
        ids, rel_keys = store.source_records(source)
        for the_id in _no_longer_stated(ids, entities, entity_keys, source):
            withdrawn_entities[the_id].add(source)
        for joined in _no_longer_stated({_SEP.join(k) for k in rel_keys}, relations,
                                        relation_keys, source):
            withdrawn_relations[joined].add(source)

    entity_work = shared_ids | _repeated(entity_keys) | set(withdrawn_entities)
    rel_work = shared_rel | (_repeated(relation_keys) if repeats else set()) \
        | set(withdrawn_relations)
    rest_entities, entity_rows = _split_rows(entities, entity_keys, entity_work)
    rest_relations, relation_rows = _split_rows(relations, relation_keys, rel_work)

    # relations first: an entity whose last claim goes stays if a surviving relation needs it
    stored_relations = store.relations_between(_split_key(k) for k in rel_work)
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in relation_rows:
        by_key[_SEP.join((row["source"], row["type"], row["target"]))].append(row)
    merged_relations: list[dict[str, Any]] = []
    delete_relations: list[RelationKey] = []
    for joined in sorted(rel_work):
        key = _split_key(joined)
        stored = stored_relations.get(key)
        claims = _fold(stored.sources() if stored is not None else [],
                       withdrawn_relations.get(joined, set()),
                       [_relation_claim(r) for r in by_key[joined]], "relations", report,
                       stored is not None)
        if claims is None:
            delete_relations.append(key)
            continue
        merged_relations.append(merged_relation_row(key, claims))

    needed = _still_needed(store, withdrawn_entities, delete_relations, relations)
    stored_entities = store.get_many(entity_work)
    by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in entity_rows:
        by_id[row["id"]].append(row)
    merged_entities: list[dict[str, Any]] = []
    delete_entities: list[str] = []
    for the_id in sorted(entity_work):
        entity = stored_entities.get(the_id)
        leaving = withdrawn_entities.get(the_id, set())
        incoming = [_entity_claim(r) for r in by_id[the_id]]
        before = entity.sources() if entity is not None else []
        if not incoming and the_id in needed and all(c.source in leaving for c in before):
            report.kept.append(the_id)  # its relations from other sources still need it
            continue
        claims = _fold(before, leaving, incoming, "entities", report, entity is not None)
        if claims is None:
            delete_entities.append(the_id)
            continue
        created = entity.type.value if entity is not None else _first_type(incoming)
        merged_entities.append(merged_entity_row(the_id, claims, created))

    entity_table = pa.concat_tables([rest_entities, pa.Table.from_pylist(
        merged_entities, schema=ENTITY_SCHEMA)]) if merged_entities else rest_entities
    relation_table = pa.concat_tables([rest_relations, pa.Table.from_pylist(
        merged_relations, schema=RELATION_SCHEMA)]) if merged_relations else rest_relations
    return MergedLoad(entity_table, relation_table, delete_entities, delete_relations, report)


def _split_key(joined: str) -> RelationKey:
    source, relation, target = joined.split(_SEP)
    return source, relation, target


def _first_type(claims: list[Claim]) -> str:
    """The type a new record is created with when several rows state it at once: the
    winning claim's (every later claim's type is then a conflict to show)."""
    return merge(claims).winner.type


def _shared_relations(store: GraphStore, relations: pa.Table, keys: pa.Array) -> set[str]:
    """Incoming relation keys that a stored relation states from another source, asked one
    relation type at a time (the store's answer for all 5M keys at once held ~3 GB)."""
    shared: set[str] = set()
    types = relations.column("type")
    for relation in pc.unique(types).to_pylist():
        mine = pc.equal(types, relation).combine_chunks()
        group, group_keys = relations.filter(mine), keys.filter(mine)
        stored = {_SEP.join(k): source for k, source
                  in store.stored_sources([], _relation_keys(group))[1].items()}
        shared |= _stated_elsewhere(stored, _files_by_key(group, group_keys, stored))
    return shared


def _relation_keys(table: pa.Table) -> Iterator[RelationKey]:
    """The (source, type, target) of each row, a batch at a time (no list of them all)."""
    for batch in table.select(["source", "type", "target"]).to_batches(_BATCH_ROWS):
        yield from zip(*(column.to_pylist() for column in batch.columns), strict=True)


def _no_longer_stated(stored: set[str], table: pa.Table, keys: pa.Array,
                      source: str) -> list[str]:
    """The keys of ``stored`` that no row of ``source`` in ``table`` states any more."""
    if not stored:
        return []
    before = pa.array(sorted(stored), type=pa.string())
    if table.num_rows:
        mine = pc.fill_null(pc.equal(table.column("file"), source).combine_chunks(), False)
        before = before.filter(pc.invert(pc.is_in(before, value_set=keys.filter(mine))))
    gone: list[str] = before.to_pylist()
    return gone


def _stated_elsewhere(stored: dict[str, str | None], incoming: dict[str, str]) -> set[str]:
    """Stored keys another source states too (``None``: several do) than the incoming row's."""
    return {key for key, source in stored.items() if source is None or source != incoming.get(key)}


def _files_by_key(table: pa.Table, keys: pa.Array, wanted: Collection[str]) -> dict[str, str]:
    """The source (file) of each wanted key's row (a key with several rows is merged anyway)."""
    if not table.num_rows or not wanted:
        return {}
    mask = pc.is_in(keys, value_set=pa.array(list(wanted), type=pa.string()))
    files = table.column("file").filter(mask)
    return dict(zip(keys.filter(mask).to_pylist(), files.to_pylist(), strict=True))


def _still_needed(store: GraphStore, withdrawn: dict[str, set[str]],
                  deleted_relations: list[RelationKey], incoming: pa.Table) -> set[str]:
    """Withdrawn entities that a relation staying in the graph (or arriving now) needs."""
    if not withdrawn:
        return set()
    going = set(deleted_relations)
    needed = set()
    if incoming.num_rows:
        candidates = pa.array(sorted(withdrawn), type=pa.string())
        arriving = pc.or_(pc.is_in(candidates, value_set=incoming.column("source")),
                          pc.is_in(candidates, value_set=incoming.column("target")))
        needed |= set(candidates.filter(arriving).to_pylist())
    for the_id in set(withdrawn) - needed:
        hood = store.neighborhood(the_id, depth=1, max_nodes=2000)
        if any((e.source, e.type.value, e.target) not in going for e in hood.edges):
            needed.add(the_id)
    return needed
