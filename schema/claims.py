"""Several sources, one record: what each source stated (a *claim*), and their merge.

A bureau's graph is assembled from its own lists, registry and patent exports, reports and
API writes. Each keeps what it said about an entity or relation as a claim, with where it
said it (source, row, run). The record people see is the merge of its claims:

- each field comes from the claim that ranks first: by the kind of source
  (:data:`KIND_RANK`: a validated registry record over a list, a list over a report …), then
  the later run, then the source name (so the merge is deterministic);
- aliases are the union of every claim's names and aliases;
- fields listed in :data:`UNION_FIELDS` (a patent pair's patent numbers) are unions, and the
  fields derived from them are recomputed (:data:`DERIVED`);
- a relation that keeps a history (``merge(..., history=True)``: a partnership) gets the
  union of every claim's years (``years``, :mod:`schema.history`); its ``year`` is merged
  like any other property;
- an entity keeps the type it was created with (relations were checked against it); a claim
  stating another type is shown as a conflict.

A record stated by one source only stores no claims: the record *is* its claim (its
``ingest`` fields name the source), which keeps bulk loads as lean as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .history import history_of, merge_histories, years_text

#: precedence of sources by kind (higher wins); ties go to the later run
KIND_RANK: dict[str, int] = {
    "api": 70,        # a person writing through the API corrects what files said
    "review": 65,     # a reviewer's decision in the review queue
    "registry": 60,   # an enterprise-registry export: validated, official
    "list": 50,       # a government list (title rows, group rows …)
    "table": 50,      # a tidy table in innograph's own format
    "reference": 40,  # a national reference list
    "patent": 30,     # a patent export names applicants, little else
    "document": 20,   # a fact read from a report and accepted in review
}
DEFAULT_KIND = "table"
#: relation properties whose values are sets, separated by ``;``: merged as unions
UNION_FIELDS = frozenset({"patents"})


@dataclass(frozen=True)
class Claim:
    """What one source stated about one record, and where.

    For an entity ``name``, ``name_raw``, ``type`` and ``aliases`` are set; for a relation
    they stay empty. ``props`` and ``provenance`` are the source's own values.
    """

    source: str
    kind: str = DEFAULT_KIND
    run: str = ""
    row: int | None = None
    name: str = ""
    name_raw: str = ""
    type: str = ""
    aliases: tuple[str, ...] = ()
    props: Mapping[str, Any] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def rank(self) -> tuple[int, str, str]:
        """Sort key: the claim that wins comes first under ``sorted(..., reverse=True)``."""
        return (KIND_RANK.get(self.kind, 0), self.run, _inverted(self.source))

    def statement(self) -> tuple[Any, ...]:
        """What the claim says, without when it was loaded (to tell changed from unchanged)."""
        return (self.source, self.kind, self.row, self.name, self.name_raw, self.type,
                tuple(sorted(self.aliases)), _canonical(self.props), _canonical(self.provenance))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "kind": self.kind, "run": self.run,
                               "row": self.row}
        if self.name:
            out.update(name=self.name, name_raw=self.name_raw, type=self.type,
                       aliases=list(self.aliases))
        out.update(props=dict(self.props), provenance=dict(self.provenance))
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Claim:
        return cls(source=str(data["source"]), kind=str(data.get("kind") or DEFAULT_KIND),
                   run=str(data.get("run") or ""), row=data.get("row"),
                   name=str(data.get("name") or ""), name_raw=str(data.get("name_raw") or ""),
                   type=str(data.get("type") or ""), aliases=tuple(data.get("aliases") or ()),
                   props=dict(data.get("props") or {}),
                   provenance=dict(data.get("provenance") or {}))


def _inverted(text: str) -> str:
    # among equal kinds and runs the alphabetically first source wins under reverse sort
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def _canonical(value: Mapping[str, Any]) -> str:
    return json.dumps(dict(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def claims_json(claims: Sequence[Claim]) -> str:
    """Stored form of a record's claims: empty for a single source (the record is its claim).

    >>> claims_json([Claim("a.csv")])
    ''
    """
    if len(claims) <= 1:
        return ""
    ordered = sorted(claims, key=lambda c: c.source)
    return json.dumps([c.to_json() for c in ordered], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))


def claim_needle(source: str) -> str:
    """Text that stored claims contain exactly when ``source`` is among them (a store finds a
    source's records with it before parsing their claims).

    >>> claim_needle("a.csv") in claims_json([Claim("a.csv"), Claim("b.csv")])
    True
    """
    return json.dumps({"source": source}, ensure_ascii=False, separators=(",", ":"))[1:-1]


def claims_from_json(text: str | None) -> list[Claim]:
    """The claims stored as ``text`` (``[]`` for a single-source record)."""
    return [Claim.from_json(item) for item in json.loads(text)] if text else []


def hashed_claims(text: str) -> str:
    """The part of stored claims a content hash covers: everything but the run ids."""
    if not text:
        return ""
    items = json.loads(text)
    for item in items:
        item.pop("run", None)
    return json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def ranked(claims: Iterable[Claim]) -> list[Claim]:
    """Claims from the one that wins to the one that ranks last."""
    return sorted(claims, key=Claim.rank, reverse=True)


@dataclass(frozen=True)
class Conflict:
    """A field on which sources disagree: the value shown and every value stated."""

    field: str
    chosen: Any
    values: tuple[tuple[Any, str, str], ...]  # (value, source, kind), winner first

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "chosen": self.chosen,
                "values": [{"value": v, "source": s, "kind": k} for v, s, k in self.values]}


@dataclass(frozen=True)
class Merged:
    """The record people see, from its claims."""

    winner: Claim
    name: str
    name_raw: str
    type: str
    aliases: tuple[str, ...]
    props: dict[str, Any]
    provenance: dict[str, Any]


def _first_stated(claims: list[Claim], pick: Callable[[Claim], Mapping[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for claim in reversed(claims):  # lowest rank first, so higher ranks overwrite
        merged.update({k: v for k, v in pick(claim).items() if v not in (None, "")})
    return merged


def _union(values: Iterable[str]) -> str:
    return ";".join(sorted({part for value in values for part in str(value).split(";") if part}))


#: a publication number's kind code (A, B, U, C, A1, B2 …) after its digits: the
#: publications of one application share the number before it (CN114890123A, and its
#: grant CN114890123B; EP1234567A1 and EP1234567B1)
_KIND_CODE = re.compile(r"(?<=\d)[A-Z]\d?$")


def patent_key(entry: str) -> str:
    """The application a ``NUMBER@YEAR`` entry stands for: its number without kind code.

    >>> patent_key("CN114890123A@2022") == patent_key("cn114890123B@2022")
    True
    """
    return _KIND_CODE.sub("", entry.partition("@")[0].strip().upper())


def distinct_patents(entries: Iterable[str]) -> list[str]:
    """One entry per application (the later kind code, a grant over its publication),
    sorted.

    >>> distinct_patents(["CN114890123A@2022", "CN114890123B@2022", "CN212345678U@2020"])
    ['CN114890123B@2022', 'CN212345678U@2020']
    """
    kept: dict[str, str] = {}
    for entry in entries:
        key = patent_key(entry)
        if key and entry > kept.get(key, ""):
            kept[key] = entry
    return sorted(kept.values())


def _patent_counts(props: dict[str, Any]) -> None:
    """``weight``, ``years`` and ``year`` of a patent pair from its ``NUMBER@YEAR`` list;
    an application two sources list under different kind codes counts once."""
    entries = distinct_patents(p for p in str(props.get("patents", "")).split(";") if p)
    props["patents"] = ";".join(entries)
    years: dict[str, int] = {}
    for entry in entries:
        year = entry.rpartition("@")[2]
        if year.isdigit():
            years[year] = years.get(year, 0) + 1
    props["weight"] = str(len(entries))
    props["years"] = ";".join(f"{y}:{n}" for y, n in sorted(years.items()))
    if years:
        props["year"] = int(max(years))


def _tie_history(claims: Sequence[Claim], props: dict[str, Any]) -> None:
    """``years`` of a relation several rows or sources state: every year any of them
    observed (:func:`schema.history.merge_histories`). ``year`` stays what the claims'
    order gives it (the later run's), as for any other property."""
    years = merge_histories((c.source, history_of(c.props)) for c in claims)
    if years:
        props["years"] = years_text(years)


#: recomputed after a union, keyed by the union field they derive from
DERIVED: dict[str, Callable[[dict[str, Any]], None]] = {"patents": _patent_counts}


def merge(claims: Sequence[Claim], created_type: str = "", history: bool = False) -> Merged:
    """The merged record of ``claims`` (at least one).

    >>> a = Claim("list.xlsx", "list", "run-1", 3, "华联机械", "华联机械", "enterprise",
    ...           props={"level": "市级"})
    >>> b = Claim("registry.xlsx", "registry", "run-2", 7, "浙江华联机械股份有限公司",
    ...           "浙江华联机械股份有限公司", "enterprise", props={"level": "", "founded_year": 2001})
    >>> m = merge([a, b], created_type="enterprise")
    >>> m.name, m.aliases, m.props
    ('浙江华联机械股份有限公司', ('华联机械',), {'level': '市级', 'founded_year': 2001})
    """
    if not claims:
        raise ValueError("a record needs at least one claim")
    order = ranked(claims)
    winner = order[0]
    props = _first_stated(order, lambda c: c.props)
    for name in UNION_FIELDS & set(props):
        props[name] = _union(c.props.get(name, "") for c in order)
        DERIVED[name](props)
    if history and len(order) > 1:
        _tie_history(order, props)
    names = {n for c in order for n in (c.name, *c.aliases) if n}
    return Merged(winner=winner, name=winner.name, name_raw=winner.name_raw,
                  type=created_type or winner.type,
                  aliases=tuple(sorted(names - {winner.name})),
                  props=props, provenance=_first_stated(order, lambda c: c.provenance))


def conflicts(claims: Sequence[Claim], created_type: str = "") -> list[Conflict]:
    """Fields on which the claims state different values (empty values state nothing)."""
    order = ranked(claims)
    if len(order) < 2:
        return []
    merged = merge(order, created_type)
    found: list[Conflict] = []
    fields: dict[str, list[tuple[Any, str, str]]] = {}
    for claim in order:
        stated: dict[str, Any] = {f"props.{k}": v for k, v in claim.props.items()}
        if claim.type:
            stated["type"] = claim.type
        for key, value in stated.items():
            if value not in (None, "") and key.removeprefix("props.") not in UNION_FIELDS \
                    and key != "props.years":  # a history is a union, never a conflict
                fields.setdefault(key, []).append((value, claim.source, claim.kind))
    for key, values in fields.items():
        if len({json.dumps(v, ensure_ascii=False, sort_keys=True) for v, _, _ in values}) > 1:
            chosen = merged.type if key == "type" else merged.props.get(key[len("props."):])
            found.append(Conflict(key, chosen, tuple(values)))
    return sorted(found, key=lambda c: c.field)
