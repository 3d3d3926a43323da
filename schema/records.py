"""The records that flow from ingest into a store: one entity, one relation.

They are plain frozen dataclasses (hundreds of thousands are built per load);
validation happens before they are made, in ``schema.properties`` and ``ingest``.
``content_hash`` covers what the graph says, not when or from which file it was
loaded, so identical graphs hash alike whatever the load order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .claims import Claim, claims_from_json, hashed_claims
from .types import EntityType, RelationType

PropValue = str | int | float | bool


def canonical_json(value: dict[str, Any]) -> str:
    """Deterministic JSON of a dict (sorted keys, no spaces)."""
    if not value:
        return "{}"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


#: joins the fields a content hash covers (bulk loaders build the same text column-wise)
HASH_SEPARATOR = "\x1f"


def _digest(text: str) -> str:
    # 64 bits: a hash is only compared with the stored hash of the same record
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def digest_texts(texts: Iterable[str]) -> list[str]:
    """:func:`_digest` of many texts (joined with :data:`HASH_SEPARATOR` by the caller)."""
    blake2b = hashlib.blake2b
    return [blake2b(t.encode(), digest_size=8).hexdigest() for t in texts]


def _with_claims(text: str, claims: str) -> str:
    # a single-source record stores no claims and hashes as it always did
    return text + HASH_SEPARATOR + hashed_claims(claims) if claims else text


def entity_hash(entity_id: str, entity_type: str, name: str, aliases: Iterable[str],
                props_json: str, provenance_json: str, claims: str = "") -> str:
    """Content hash of an entity: what the graph says (and, for a record several sources
    state, what each of them said), not when it was loaded."""
    return _digest(_with_claims(HASH_SEPARATOR.join(
        (entity_id, entity_type, name, "\x1e".join(sorted(aliases)), props_json,
         provenance_json)), claims))


def relation_hash(relation_type: str, source: str, target: str, props_json: str,
                  provenance_json: str, claims: str = "") -> str:
    """Content hash of a relation; ``props_json`` is the canonical JSON of all its properties."""
    return _digest(_with_claims(HASH_SEPARATOR.join(
        (relation_type, source, target, props_json, provenance_json)), claims))


#: the source of a record written without one (by code, before sources were kept)
UNATTRIBUTED = "unattributed"
#: layers (:attr:`Entity.layer`): the district's own graph, and the national reference lists
LOCAL, REFERENCE = "local", "reference"


def _sources(claims: str, implicit: Claim) -> list[Claim]:
    return claims_from_json(claims) or [implicit]


@dataclass(frozen=True, slots=True)
class Entity:
    """A node: an organisation, person, place, industry or chain segment."""

    id: str
    type: EntityType
    name: str
    name_raw: str = ""
    aliases: tuple[str, ...] = ()
    props: dict[str, PropValue] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    ingest: dict[str, Any] = field(default_factory=dict)
    #: what each source stated (``schema.claims``); empty when one source states it all
    claims: str = ""

    def content_hash(self) -> str:
        """Hash of the entity's content (not of ``name_raw`` or ``ingest``)."""
        return entity_hash(self.id, self.type.value, self.name, self.aliases,
                           canonical_json(self.props), canonical_json(self.provenance),
                           self.claims)

    @property
    def layer(self) -> str:
        """``reference`` for an organisation known only from national reference lists (outside
        the district: no district source states it), else ``local``. A reference record that a
        district source also states is local: the district's kind outranks ``reference``, so
        it is the record's winning origin."""
        return REFERENCE if self.ingest.get("origin") == REFERENCE else LOCAL

    def sources(self) -> list[Claim]:
        """Every source's claim (one, built from the record itself, for a single source)."""
        return _sources(self.claims, Claim(
            source=str(self.ingest.get("file") or UNATTRIBUTED), kind=str(self.ingest.get("origin") or
                                                               "table"),
            run=str(self.ingest.get("run") or ""), row=self.ingest.get("row"), name=self.name,
            name_raw=self.name_raw, type=self.type.value, aliases=self.aliases,
            props=self.props, provenance=self.provenance))

    def to_json(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return {"id": self.id, "type": self.type.value, "type_label": self.type.label,
                "name": self.name, "name_raw": self.name_raw, "aliases": list(self.aliases),
                "props": self.props, "provenance": self.provenance, "ingest": self.ingest,
                "layer": self.layer}


@dataclass(frozen=True, slots=True)
class Relation:
    """A directed edge of one relation type; at most one per (source, type, target)."""

    id: str
    type: RelationType
    source: str
    target: str
    props: dict[str, PropValue] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    ingest: dict[str, Any] = field(default_factory=dict)
    claims: str = ""

    def content_hash(self) -> str:
        """Hash of the relation's content (not of ``ingest``)."""
        return relation_hash(self.type.value, self.source, self.target,
                             canonical_json(self.props), canonical_json(self.provenance),
                             self.claims)

    def sources(self) -> list[Claim]:
        """Every source's claim (see :meth:`Entity.sources`)."""
        return _sources(self.claims, Claim(
            source=str(self.ingest.get("file") or UNATTRIBUTED),
            kind=str(self.ingest.get("origin") or "table"), run=str(self.ingest.get("run") or ""),
            row=self.ingest.get("row"), props=self.props, provenance=self.provenance))

    def to_json(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return {"id": self.id, "type": self.type.value, "type_label": self.type.label,
                "source": self.source, "target": self.target, "props": self.props,
                "provenance": self.provenance, "ingest": self.ingest}
