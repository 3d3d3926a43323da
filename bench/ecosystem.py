"""A structured synthetic ecosystem for analytics benchmarks and recommendation evaluation.

``bench/synthetic.py`` wires relations uniformly at random, which has no industries,
regions or chains to find. This generator builds what a real ecosystem has: districts of
a city, industries with chains of five segments (``supplies`` upstream → downstream),
actors placed in a district, an industry and usually a segment, and partnerships that
mostly stay within a segment and district, often close triangles, and sometimes go far.
Deterministic for a seed; every row satisfies the ontology's endpoint rules.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from schema import Entity, EntityType, Relation, RelationType, relation_id

E, R = EntityType, RelationType
INDUSTRIES = ("眼镜", "智能锁具", "生命健康", "智能装备", "电气", "鞋革", "汽摩配", "泵阀",
              "服装", "新材料", "数字经济", "新能源")
SEGMENTS = (("原材料", "upstream"), ("核心部件", "upstream"), ("设计制造", "midstream"),
            ("系统集成", "midstream"), ("销售服务", "downstream"))
# share of actors per type (enterprises dominate, as in bench/synthetic.py)
MIX = {E.enterprise: 0.64, E.institute: 0.06, E.talent_team: 0.06, E.person: 0.1,
       E.incubator: 0.03, E.fund: 0.02, E.platform: 0.03, E.park: 0.02, E.government: 0.02}
IN_SEGMENT = frozenset({E.enterprise, E.institute, E.platform})
KINDS = ("共建", "合作", "技术合作", "战略合作", "联合申报", "创新联合体", "校地合作")
PARTNERS = frozenset(MIX) - {E.person}


@dataclass
class Ecosystem:
    """Generated records, and each actor's district, industry and segment."""

    entities: list[Entity] = field(default_factory=list)
    relations: dict[str, Relation] = field(default_factory=dict)
    home: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # id -> (region, ind, seg)

    def add(self, relation: RelationType, source: str, target: str, **props: object) -> bool:
        rid = relation_id(source, relation, target)
        if source == target or rid in self.relations:
            return False
        self.relations[rid] = Relation(rid, relation, source, target,
                                       props=dict(props))  # type: ignore[arg-type]
        return True


def generate(entities: int, relations: int, seed: int = 7) -> Ecosystem:
    """An ecosystem of about ``entities`` entities and exactly ``relations`` relations."""
    if entities < 500 or relations < 2 * entities:
        raise ValueError("need at least 500 entities and twice as many relations")
    rng = random.Random(seed)
    eco = Ecosystem()
    city = Entity("region:温州市", E.region, "温州市")
    districts = [Entity(f"region:d{i:03d}", E.region, f"第{i}区") for i in range(
        max(4, entities // 5000))]
    industries = [Entity(f"industry:{name}", E.industry, name) for name in INDUSTRIES]
    segments = [[Entity(f"chain_segment:{ind.name}·{seg}", E.chain_segment, f"{ind.name}·{seg}",
                        props={"order": i + 1, "stage": stage})
                 for i, (seg, stage) in enumerate(SEGMENTS)] for ind in industries]
    eco.entities += [city, *districts, *industries, *(s for chain in segments for s in chain)]
    for d in districts:
        eco.add(R.part_of, d.id, city.id)
    for ind, chain in zip(industries, segments, strict=True):
        for s in chain:
            eco.add(R.part_of, s.id, ind.id)
        for up, down in pairwise(chain):
            eco.add(R.supplies, up.id, down.id)
    by_type: dict[EntityType, list[str]] = defaultdict(list)
    cell: dict[tuple[int, int, int], list[str]] = defaultdict(list)  # (district, ind, seg)
    by_industry: dict[int, list[str]] = defaultdict(list)
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=entities - len(eco.entities))
    for i, kind in enumerate(kinds):
        the_id = f"{kind.value}:{i:07d}"
        eco.entities.append(Entity(the_id, kind, f"{kind.label}{i}"))
        district = min(int(rng.paretovariate(1.2)) - 1, len(districts) - 1)
        industry = min(int(rng.paretovariate(0.9)) - 1, len(industries) - 1)
        segment = rng.randrange(len(SEGMENTS)) if kind in IN_SEGMENT and rng.random() < 0.8 \
            else -1
        eco.home[the_id] = (districts[district].id, industry, segment)
        by_type[kind].append(the_id)
        if kind is not E.person:
            cell[district, industry, segment].append(the_id)
            by_industry[industry].append(the_id)
            eco.add(R.located_in, the_id, districts[district].id)
            eco.add(R.in_industry, the_id, industries[industry].id)
        if segment >= 0:
            eco.add(R.in_segment, the_id, segments[industry][segment].id,
                    role="research" if kind is E.institute else
                    "service" if kind is E.platform else "producer")
    _people_and_carriers(eco, rng, by_type)
    _partnerships(eco, rng, relations, cell, by_industry)
    return eco


def _people_and_carriers(eco: Ecosystem, rng: random.Random,
                         by_type: dict[EntityType, list[str]]) -> None:
    institutes, teams = by_type[E.institute], by_type[E.talent_team]
    for person in by_type[E.person]:
        if teams:
            eco.add(R.leads, person, rng.choice(teams))
    for team in teams:
        if institutes:
            eco.add(R.affiliated_with, team, rng.choice(institutes))
    for firm in by_type[E.enterprise][::4]:
        if by_type[E.incubator]:
            eco.add(R.incubated_at, firm, rng.choice(by_type[E.incubator]))
    for fund in by_type[E.fund]:
        for firm in rng.sample(by_type[E.enterprise], min(5, len(by_type[E.enterprise]))):
            eco.add(R.invests_in, fund, firm)
    for government in by_type[E.government]:
        for org in rng.sample(by_type[E.enterprise], min(5, len(by_type[E.enterprise]))):
            eco.add(R.supports, government, org)


def _partnerships(eco: Ecosystem, rng: random.Random, total: int,
                  cell: dict[tuple[int, int, int], list[str]],
                  by_industry: dict[int, list[str]]) -> None:
    """Fill up to ``total`` relations with partnerships: same segment and district (45 %),
    same industry (25 %), closing a triangle (15 %), anywhere (15 %)."""
    actors = [a for members in cell.values() for a in members]
    index = {d: i for i, d in enumerate(sorted({h[0] for h in eco.home.values()}))}
    partners: dict[str, list[str]] = defaultdict(list)
    while len(eco.relations) < total:
        u = rng.choice(actors)
        district, industry, segment = eco.home[u]
        draw = rng.random()
        if draw < 0.45:
            pool = cell[index[district], industry, segment]
        elif draw < 0.7:
            pool = by_industry[industry]
        elif draw < 0.85 and partners[u]:
            pool = partners[rng.choice(partners[u])]
        else:
            pool = actors
        if not pool:
            continue
        v = rng.choice(pool)
        props: dict[str, object] = {"kind": rng.choice(KINDS)}
        if rng.random() < 0.85:
            props["year"] = rng.randint(2012, 2024)
        if v != u and relation_id(v, R.partnership, u) not in eco.relations \
                and eco.add(R.partnership, u, v, **props):
            partners[u].append(v)
            partners[v].append(u)


def write_csv(eco: Ecosystem, folder: Path) -> tuple[Path, Path]:
    """Write ``entities.csv`` and ``relations.csv`` in the ingest format."""
    folder.mkdir(parents=True, exist_ok=True)
    entity_path, relation_path = folder / "entities.csv", folder / "relations.csv"
    with entity_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "type", "order", "stage"])
        for e in eco.entities:
            writer.writerow([e.id, e.name, e.type.value, e.props.get("order", ""),
                             e.props.get("stage", "")])
    with relation_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target", "relation", "kind", "year", "role"])
        for r in eco.relations.values():
            writer.writerow([r.source, r.target, r.type.value, r.props.get("kind", ""),
                             r.props.get("year", ""), r.props.get("role", "")])
    return entity_path, relation_path
