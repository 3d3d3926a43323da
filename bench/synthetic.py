"""Synthetic ecosystem data for benchmarks: N entities and M relations as ingest CSVs.

Deterministic for a seed. Names are Chinese-looking and unique; relations respect the
ontology's endpoint rules, so every row loads. Each industry has a chain: the chain
segments are dealt to the industries in turn, each with its ``order`` and ``stage``, placed
``part_of`` its industry and supplying the next one (:func:`chain_rows`). Those relations
count towards M: the random ones after them are the same draws, minus the last few and
minus the draws that would give an entity a second container or a cycle (``part_of``, and
a place ``located_in`` or ``incubated_at`` another): containment is a forest in real data;
a random one made every place contain thousands of others, and the analytics catalog's
closure of it ran for over ten minutes at 100k entities.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from schema import ENDPOINTS, EntityType, RelationType

_CHARS = ("温州瓯海鹿城龙湾瑞安乐清永嘉平阳苍南文成泰顺洞头华联天球一鸣维日康嘉信新光宏达"
          "正泰德力西安泰奥康红蜻蜓报喜鸟森马美特斯邦威眼镜锁具智能装备生命健康数字材料光电")
_SUFFIX = {
    EntityType.enterprise: ["科技有限公司", "股份有限公司", "实业有限公司", "电器有限公司"],
    EntityType.institute: ["研究院", "实验室", "研究所", "大学"],
    EntityType.talent_team: ["创新团队", "院士团队"], EntityType.person: [""],
    EntityType.incubator: ["孵化器", "众创空间", "科创园"], EntityType.fund: ["产业基金", "子基金"],
    EntityType.platform: ["创新服务综合体", "产业联盟"], EntityType.park: ["产业园", "小镇"],
    EntityType.industry: ["产业"], EntityType.chain_segment: ["环节"],
    EntityType.region: ["区", "县"], EntityType.government: ["科学技术局"],
}
# share of entities per type (enterprises dominate, as in a real ecosystem)
_MIX = {EntityType.enterprise: 0.62, EntityType.institute: 0.06, EntityType.talent_team: 0.06,
        EntityType.person: 0.1, EntityType.incubator: 0.03, EntityType.fund: 0.02,
        EntityType.platform: 0.03, EntityType.park: 0.02, EntityType.industry: 0.005,
        EntityType.chain_segment: 0.02, EntityType.region: 0.01, EntityType.government: 0.015}


_STAGES = ("upstream", "midstream", "downstream")


def chain_rows(industries: list[str], segments: list[str]) -> tuple[
        dict[str, tuple[str, int]], list[tuple[str, str, str]]]:
    """Each segment's (stage, order) and the chain relations: segment ``j`` goes to industry
    ``j mod len(industries)``, upstream first, and supplies the next segment of its chain.

    >>> props, rows = chain_rows(["industry:1"], ["chain_segment:a", "chain_segment:b"])
    >>> props["chain_segment:b"], rows[-1]
    (('midstream', 2), ('chain_segment:a', 'chain_segment:b', 'supplies'))
    """
    chains: dict[str, list[str]] = {i: [] for i in industries}
    for j, segment in enumerate(segments):
        if industries:
            chains[industries[j % len(industries)]].append(segment)
    props: dict[str, tuple[str, int]] = {}
    rows: list[tuple[str, str, str]] = []
    for industry, chain in chains.items():
        for order, segment in enumerate(chain, start=1):
            props[segment] = (_STAGES[min(2, (order - 1) * 3 // len(chain))], order)
            rows.append((segment, industry, RelationType.part_of.value))
            if order > 1:
                rows.append((chain[order - 2], segment, RelationType.supplies.value))
    return props, rows


# the relations that place an entity in another (the analytics catalog's containment)
_PLACING = frozenset({RelationType.located_in, RelationType.incubated_at})
_PLACES = frozenset({EntityType.region, EntityType.park, EntityType.incubator})
# what ties a segment to its industry: given by chain_rows, never drawn at random
_CHAIN_LINKS = frozenset({RelationType.part_of, RelationType.in_industry})


def _number(entity_id: str) -> int:
    return int(entity_id.rsplit(":", 1)[1])


def generate(folder: Path, entities: int, relations: int, seed: int = 7) -> tuple[Path, Path]:
    """Write ``entities.csv`` and ``relations.csv`` into ``folder``; return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    by_type: dict[EntityType, list[str]] = {t: [] for t in EntityType}
    names: set[str] = set()
    entity_path = folder / "entities.csv"
    with entity_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "type", "aliases", "level", "stage", "order"])
        types = rng.choices(list(_MIX), weights=list(_MIX.values()), k=entities)
        segment_props, chain_relations = chain_rows(
            *([f"{t.value}:{i:07d}" for i, t in enumerate(types) if t is kind]
              for kind in (EntityType.industry, EntityType.chain_segment)))
        for i, kind in enumerate(types):
            while True:
                stem = "".join(rng.choices(_CHARS, k=rng.randint(2, 5)))
                name = stem + rng.choice(_SUFFIX[kind])
                if name not in names:
                    names.add(name)
                    break
            the_id = f"{kind.value}:{i:07d}"
            by_type[kind].append(the_id)
            alias = stem if rng.random() < 0.2 and stem not in names else ""
            if alias:
                names.add(alias)
            stage, order = segment_props.get(the_id, ("", ""))
            writer.writerow([the_id, name, kind.value, alias,
                             rng.choice(["", "", "省级", "市级"]), stage, order])
    relation_path = folder / "relations.csv"
    seen: set[tuple[str, str, str]] = set()
    parent: dict[str, str] = {}  # containment: one container each, numbered before it
    kinds = list(RelationType)
    weights = [8 if r is RelationType.partnership else 3 if r in (
        RelationType.located_in, RelationType.in_industry, RelationType.in_segment) else 1
        for r in kinds]
    with relation_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target", "relation", "kind", "year", "role"])
        for source, target, relation_type in chain_relations[:relations]:
            seen.add((source, relation_type, target))
            writer.writerow([source, target, relation_type, "", "", ""])
        while len(seen) < relations:
            relation = rng.choices(kinds, weights=weights)[0]
            sources, targets = ENDPOINTS[relation]
            # in the enum's order: a frozenset's order changes with each process's hash seed
            source_type = rng.choice([t for t in EntityType if t in sources and by_type[t]])
            target_type = rng.choice([t for t in EntityType if t in targets and by_type[t]])
            source, target = rng.choice(by_type[source_type]), rng.choice(by_type[target_type])
            key = (source, relation.value, target)
            chain_given = source in segment_props and relation in _CHAIN_LINKS
            if source == target or key in seen or chain_given:
                continue
            if relation is RelationType.part_of or (relation in _PLACING
                                                    and source_type in _PLACES):
                # containment is a forest, as in real data: one container, numbered before
                if source in parent or _number(target) > _number(source):
                    continue
                parent[source] = target
            seen.add(key)
            partnership = relation is RelationType.partnership
            chain = relation in (RelationType.in_industry, RelationType.in_segment)
            writer.writerow([source, target, relation.value,
                             rng.choice(["共建", "战略合作", "技术合作"]) if partnership else "",
                             rng.randint(2015, 2024) if partnership else "",
                             rng.choice(["producer", "research", "service"]) if chain else ""])
    return entity_path, relation_path
