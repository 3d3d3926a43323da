"""Candidates from outside the district: reference-layer organisations whose strengths serve
a chain segment or an industry, each with reasons a promoter can read aloud.

The district's graph knows its own organisations' ties; an organisation of the national
reference layer (``Entity.layer == "reference"``, e.g. a university of the Ministry of
Education's list) has none there. What makes it a candidate is what it is strong in — its
双一流 disciplines, mapped to industries and segments by
:mod:`graph.analytics.capabilities` — with its standing (双一流, 985, 211), its province
(from the 学校标识码, GB/T 2260) and any tie it already has to the district. The score adds
these parts with the weights in :class:`ExternalWeights`; each reason states one part, so every
reason is true of the data, and ``unknown`` says what the data does not tell.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from graph.store.base import MAX_NEIGHBORHOOD_NODES, GraphStore
from graph.versioned import per_version
from schema import Entity, EntityNotFound, EntityType
from schema.records import LOCAL
from schema.tables import entity_from_row

from .capabilities import TABLE, Capability, capabilities
from .results import EntityRef, JsonResult

__all__ = ["ExternalCandidate", "ExternalWeights", "ReferencePool"]

PROVINCES = Path(__file__).resolve().parent / "data" / "provinces.csv"
#: words of the ``level`` property and what each adds to a candidate's score
LEVEL_WORDS = (("双一流建设高校", "双一流"), ("985工程", "985"), ("211工程", "211"))
#: who the reference layer proposes: organisations that can co-build and partner
EXTERNAL_TYPES = frozenset({EntityType.institute, EntityType.enterprise,
                            EntityType.platform, EntityType.incubator})
#: who counts as a tie to the district: actors, not places, industries or segments
ACTOR_TYPES = EXTERNAL_TYPES | {EntityType.talent_team, EntityType.government,
                                EntityType.fund, EntityType.person, EntityType.park}
MAX_LIMIT = 100


@dataclass(frozen=True)
class ExternalWeights(JsonResult):
    """What each part adds to the score: the fit (a matching discipline serves the segment
    itself, or only its industry), each further matching discipline (at most ``extra_max``),
    standing, a shared province and a tie the district already has."""

    segment: float = 1.0
    industry: float = 0.5
    extra_discipline: float = 0.1
    extra_max: float = 0.3
    双一流: float = 0.3
    _985: float = 0.2
    _211: float = 0.1
    same_province: float = 0.2
    tie: float = 0.3

    def level(self, word: str) -> float:
        return {"双一流": self.双一流, "985": self._985, "211": self._211}[word]


@dataclass(frozen=True)
class ExternalCandidate(JsonResult):
    """One organisation from outside the district, why it fits and what is not known."""

    entity: EntityRef
    score: float
    fit: str                            # "segment" or "industry"
    capabilities: list[dict[str, str | None]]
    levels: list[str]
    province: str | None
    same_province: bool
    ties: list[EntityRef]
    reasons: list[str]
    unknown: list[str] = field(default_factory=list)


@cache
def provinces(path: Path = PROVINCES) -> dict[str, str]:
    """GB/T 2260 province codes (two digits) → names."""
    with path.open(encoding="utf-8") as handle:
        return {row["code"]: row["province"] for row in csv.DictReader(handle)}


def province_of(entity: Entity) -> str | None:
    """The province a university's 学校标识码 names (its digits 3–4), if it has one.

    >>> from schema import EntityType as E
    >>> province_of(Entity("i", E.institute, "温州大学", props={"institution_code": "4133010351"}))
    '浙江省'
    """
    code = str(entity.props.get("institution_code") or "")
    return provinces().get(code[2:4]) if len(code) == 10 and code.isdigit() else None


def levels_of(entity: Entity) -> list[str]:
    text = str(entity.props.get("level") or "")
    return [short for word, short in LEVEL_WORDS if word in text]


class ReferencePool:
    """The reference layer's organisations that have capabilities, read once from a store.

    Build it per store version (the API caches it with the other per-version indexes); it
    holds only organisations whose disciplines serve some industry, so a query never scans
    the whole national layer.
    """

    def __init__(self, store: GraphStore, table: Path = TABLE) -> None:
        self._store = store
        self._entities: dict[str, Entity] = {}
        self._serving: dict[str, list[Capability]] = {}
        self._tie_cache: dict[str, list[EntityRef]] = {}
        local_provinces: Counter[str] = Counter()
        for entity in _organisations_with_codes_or_disciplines(store):
            if entity.layer == LOCAL:
                if (province := province_of(entity)) is not None:
                    local_provinces[province] += 1
                continue
            found = capabilities(entity.props, table)
            if found:
                self._entities[entity.id] = entity
                self._serving[entity.id] = found
        #: the district's province: where most of its own universities are
        self.home_province = local_provinces.most_common(1)[0][0] if local_provinces else None

    def __len__(self) -> int:
        return len(self._entities)

    def for_segment(self, segment: str, industry: str, limit: int = 10,
                    weights: ExternalWeights | None = None) -> list[ExternalCandidate]:
        """Candidates for a chain segment (its name, e.g. ``眼镜·镜片与光学材料``) of
        ``industry`` (its name): a discipline serving the segment fits best, one serving only
        the industry less."""
        return self._ranked(segment, industry, limit, weights or ExternalWeights())

    def for_industry(self, industry: str, limit: int = 10,
                     weights: ExternalWeights | None = None) -> list[ExternalCandidate]:
        """Candidates for an industry as a whole (its name)."""
        return self._ranked(None, industry, limit, weights or ExternalWeights())

    def _ranked(self, segment: str | None, industry: str, limit: int,
                weights: ExternalWeights) -> list[ExternalCandidate]:
        limit = max(0, min(limit, MAX_LIMIT))
        scored = []
        for the_id, serving in self._serving.items():
            matching = [c for c in serving if c.industry == industry
                        and (segment is None or not c.segment or c.segment == segment)]
            if not matching:
                continue
            on_segment = segment is not None and any(c.segment == segment for c in matching)
            if on_segment:
                matching = [c for c in matching if c.segment == segment]
            entity = self._entities[the_id]
            score = weights.segment if on_segment or segment is None else weights.industry
            score += min(weights.extra_discipline * (len(matching) - 1), weights.extra_max)
            score += sum(weights.level(w) for w in levels_of(entity))
            province = province_of(entity)
            shared = province is not None and province == self.home_province
            score += weights.same_province if shared else 0.0
            score += weights.tie if self._ties(the_id) else 0.0
            scored.append((score, the_id, matching, on_segment or segment is None, province,
                           shared))
        scored.sort(key=lambda s: (-s[0], self._entities[s[1]].name))
        return [self._candidate(*s, segment=segment, industry=industry, weights=weights)
                for s in scored[:limit]]

    def _candidate(self, score: float, the_id: str, matching: list[Capability],
                   on_segment: bool, province: str | None, shared: bool, *,
                   segment: str | None, industry: str,
                   weights: ExternalWeights) -> ExternalCandidate:
        entity = self._entities[the_id]
        ties = self._ties(the_id)
        target = segment if on_segment and segment else industry
        reasons = [f"{c.discipline}（双一流建设学科）服务于{target}：{c.why}" for c in matching]
        levels = levels_of(entity)
        if levels:
            reasons.append("、".join(levels) + "高校")
        if shared:
            reasons.append(f"与本地同在{province}")
        if ties:
            reasons.append("已与本地的" + "、".join(t.name for t in ties[:3]) + "有关系")
        unknown = []
        if segment is not None and not on_segment:
            unknown.append(f"其学科服务于{industry}，未见与{segment}直接对应的学科")
        if not ties:
            unknown.append("图谱中尚无与本地机构的合作记录")
        if province is None:
            unknown.append("所在省份未知")
        return ExternalCandidate(
            EntityRef(entity.id, entity.name, entity.type.value, entity.type.label),
            round(score, 4), "segment" if on_segment else "industry",
            [c.to_json() for c in matching], levels, province, shared, ties, reasons, unknown)

    def _ties(self, the_id: str) -> list[EntityRef]:
        """Local organisations the candidate already has a relation with (not places or
        industries: those say nothing about working together); read once per candidate."""
        if the_id not in self._tie_cache:
            self._tie_cache[the_id] = self._read_ties(the_id)
        return self._tie_cache[the_id]

    def _read_ties(self, the_id: str) -> list[EntityRef]:
        hood = self._store.neighborhood(the_id, depth=1, max_nodes=MAX_NEIGHBORHOOD_NODES)
        kept = [n for n in hood.nodes if n.id != the_id and n.type in ACTOR_TYPES]
        return sorted((EntityRef(n.id, n.name, n.type.value, n.type.label)
                       for n in kept if n.layer == LOCAL), key=lambda r: r.name)


def _organisations_with_codes_or_disciplines(store: GraphStore) -> Iterable[Entity]:
    """The entities the pool reads: organisations whose properties name disciplines or a
    学校标识码, selected on the store's columns so a province-sized graph is not turned into
    records one by one."""
    table = store.entities_table()
    wanted = pc.and_(
        pc.is_in(table.column("type"), value_set=pa.array([t.value for t in EXTERNAL_TYPES])),
        pc.or_(pc.match_substring(table.column("props"), '"disciplines"'),
               pc.match_substring(table.column("props"), '"institution_code"')))
    return [entity_from_row(row) for row in table.filter(pc.fill_null(wanted, False)).to_pylist()]



@dataclass(frozen=True)
class ExternalAnswer(JsonResult):
    """External candidates for one entity: what was asked for each segment or industry the
    entity belongs to, ranked together; or, for an entity that belongs to none, why not."""

    entity: EntityRef
    asked: list[str]
    items: list[ExternalCandidate]
    note: str = ""


def reference_pool(store: GraphStore) -> ReferencePool:
    """The store's pool, built once per store version (the API asks it on every request)."""
    return per_version(store, "reference-pool", ReferencePool)


def external_for(store: GraphStore, entity_id: str, limit: int = 10) -> ExternalAnswer:
    """Organisations from outside the district for an entity: a chain segment or an industry
    directly; an actor through the segments and industries it belongs to (the best fit of
    each candidate over them); anything else is answered with what to ask instead."""
    entity = store.get(entity_id)
    if entity is None:
        raise EntityNotFound(entity_id)
    ref = EntityRef(entity.id, entity.name, entity.type.value, entity.type.label)
    pool = reference_pool(store)
    asked = _questions(store, entity)
    if not asked:
        return ExternalAnswer(ref, [], [], note=(
            f"{entity.name}没有所属的产业或产业链环节，无从匹配区外机构；"
            "可改问它所在地区的某个产业（如 眼镜）或某个产业链环节"))
    best: dict[str, ExternalCandidate] = {}
    for segment, industry in asked:
        found = (pool.for_segment(segment, industry, MAX_LIMIT) if segment
                 else pool.for_industry(industry, MAX_LIMIT))
        for candidate in found:
            held = best.get(candidate.entity.id)
            if held is None or candidate.score > held.score:
                best[candidate.entity.id] = candidate
    ranked = sorted(best.values(), key=lambda c: (-c.score, c.entity.name))
    note = "" if ranked else "参考名录中没有学科与这些产业、环节对应的机构"
    return ExternalAnswer(ref, [s or i for s, i in asked], ranked[:max(0, min(limit, MAX_LIMIT))],
                          note)


def _questions(store: GraphStore, entity: Entity) -> list[tuple[str | None, str]]:
    """(segment, industry) names to ask about for ``entity``."""
    if entity.type is EntityType.industry:
        return [(None, entity.name)]
    if entity.type is EntityType.chain_segment:
        return [(entity.name, entity.name.split("·")[0])]
    hood = store.neighborhood(entity.id, depth=1, max_nodes=MAX_NEIGHBORHOOD_NODES)
    names = {n.id: n for n in hood.nodes}
    asked: list[tuple[str | None, str]] = []
    for edge in hood.edges:
        if edge.source != entity.id or edge.target not in names:
            continue
        target = names[edge.target]
        if target.type is EntityType.chain_segment:
            asked.append((target.name, target.name.split("·")[0]))
        elif target.type is EntityType.industry:
            asked.append((None, target.name))
    return sorted(set(asked), key=lambda q: (q[1], q[0] or ""))
