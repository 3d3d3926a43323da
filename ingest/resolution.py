"""Entity resolution across sources: which stored entity a row of a new source names.

In this order (issue 14):

1. the credit code (GB 32100, validated): the entity whose id or ``credit_code`` it is;
2. the exact name or an alias, among entities of the same type — unless both carry credit
   codes that differ (then they are two organisations that share a name);
3. a likely variant — a firm's trade name inside the other's legal name (浙江华联机械股份有限
   公司 / 华联机械) — is *not* merged: it becomes a ``match`` candidate in the review queue,
   with both names and the evidence, and the row loads as its own entity until a reviewer
   accepts the match.

A row of a national reference list (``origin`` ``reference``) whose credit code names a
stored entity that carries neither its name nor an alias of it is a ``match`` candidate too,
not a merge: a reference list never renames a district's organisation.

Rows the store does not know by id are the only ones looked at, so a re-load of the same
file costs nothing here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from graph.store.base import GraphStore
from schema import EntityType, match_key
from schema.records import REFERENCE

#: confidence given to a trade-name match (a reviewer decides; the queue sorts by it)
VARIANT_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Variant:
    """A stored entity that a new row's entity may be (for review, never merged here)."""

    incoming_id: str
    incoming_name: str
    existing_id: str
    existing_name: str
    type: str
    source: str
    row: int
    reason: str


@dataclass
class Resolution:
    """Incoming ids that name stored entities, and the variants to review."""

    mapped: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    variants: list[Variant] = field(default_factory=list)


class StoredNames:
    """The store's names, aliases and credit codes, indexed once per load when needed."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._names: dict[tuple[str, str], set[str]] | None = None
        self._codes: dict[str, str] = {}
        self._code_of: dict[str, str] = {}
        self._display: dict[str, str] = {}
        self._brands: dict[tuple[str, str], set[str]] | None = None

    def _load(self) -> dict[tuple[str, str], set[str]]:
        if self._names is None:
            names: dict[tuple[str, str], set[str]] = defaultdict(set)
            table = self._store.entities_table()
            for the_id, kind, name, aliases, props in zip(
                    *(table.column(c).to_pylist() for c in
                      ("id", "type", "name", "aliases", "props")), strict=True):
                self._display[the_id] = name
                for text in (name, *(aliases or ())):
                    names[(kind, match_key(text))].add(the_id)
                code = json.loads(props or "{}").get("credit_code")
                if code:
                    self._codes[str(code)] = the_id
                    self._code_of[the_id] = str(code)
            self._names = names
        return self._names

    def by_code(self, code: str) -> str | None:
        self._load()
        return self._codes.get(code)

    def code_of(self, the_id: str) -> str | None:
        self._load()
        return self._code_of.get(the_id)

    def by_name(self, kind: str, name: str) -> set[str]:
        return self._load().get((kind, match_key(name)), set())

    def name_of(self, the_id: str) -> str:
        self._load()
        return self._display.get(the_id, the_id)

    def by_brand(self, kind: str, name: str) -> set[str]:
        """Stored enterprises whose trade name is ``name``'s, or is ``name`` itself."""
        from ingest.documents.brands import brand_forms  # jieba: loaded only when needed

        names = self._load()
        if self._brands is None:
            self._brands = defaultdict(set)
            for (stored_kind, _), ids in names.items():
                if stored_kind != EntityType.enterprise.value:
                    continue
                for the_id in ids:
                    for form in brand_forms(self._display[the_id])[:1]:
                        self._brands[(stored_kind, match_key(form))].add(the_id)
        found: set[str] = set()
        for form in brand_forms(name)[:1]:  # the longest form: trade name and industry
            found |= names.get((kind, match_key(form)), set())
        found |= self._brands.get((kind, match_key(name)), set())
        return found


def resolve_entities(store: GraphStore, entities: pa.Table, stored_ids: set[str]) -> Resolution:
    """Map this load's new entity rows to stored entities (see the module docstring)."""
    resolution = Resolution()
    if not entities.num_rows:
        return resolution
    ids = entities.column("id")
    new = entities.filter(pc.invert(pc.is_in(ids, value_set=pa.array(sorted(stored_ids),
                                                                     type=pa.string()))))
    if not new.num_rows or (not stored_ids and store.counts().entities == 0):
        return resolution
    names = StoredNames(store)
    for row in new.to_pylist():
        found, reason = _resolve_row(names, row)
        if found is not None and _reference_renames(names, row, found):
            # a national list naming a district record differently by its credit code: the
            # two are not merged by the load (the district's name is never overwritten);
            # a reviewer decides, and the row loads apart until then
            resolution.variants.append(Variant(
                row["id"], row["name"], found, names.name_of(found), row["type"],
                row["file"] or "", row["row"] or 0,
                f"{reason}, but a reference list names it differently"))
            continue
        if found is not None:
            resolution.mapped[row["id"]] = found
            resolution.reasons[row["id"]] = reason
            continue
        if row["type"] == EntityType.enterprise.value:
            for existing in sorted(names.by_brand(row["type"], row["name"]) - {row["id"]}):
                resolution.variants.append(Variant(
                    row["id"], row["name"], existing, names.name_of(existing), row["type"],
                    row["file"] or "", row["row"] or 0,
                    "the trade name of one is the other's name"))
    return resolution


def _reference_renames(names: StoredNames, row: dict[str, Any], found: str) -> bool:
    """Whether a reference row matched ``found`` by its credit code alone, under a name (or
    aliases) the stored entity does not carry."""
    if row.get("origin") != REFERENCE:
        return False
    return not any(found in names.by_name(row["type"], text)
                   for text in (row["name"], *(row["aliases"] or ())))


def _resolve_row(names: StoredNames, row: dict[str, Any]) -> tuple[str | None, str]:
    code = json.loads(row["props"] or "{}").get("credit_code")
    if code:
        found = names.by_code(str(code))
        if found is not None and found != row["id"]:
            return found, f"same credit code {code}"
    candidates = set()
    for text in (row["name"], *(row["aliases"] or ())):
        candidates |= names.by_name(row["type"], text)
    if code:  # two organisations may share a name; their codes tell them apart
        candidates = {c for c in candidates if names.code_of(c) in (None, str(code))}
    if len(candidates) == 1:
        found = next(iter(candidates))
        if found != row["id"]:
            return found, "same name or alias"
    return None, ""


def remap(table: pa.Table, columns: list[str], mapped: dict[str, str]) -> pa.Table:
    """``table`` with the ids in ``columns`` replaced as ``mapped`` says."""
    if not mapped or not table.num_rows:
        return table
    for column in columns:
        values = [mapped.get(v, v) for v in table.column(column).to_pylist()]
        table = table.set_column(table.schema.get_field_index(column), column,
                                 pa.array(values, type=pa.string()))
    return table
