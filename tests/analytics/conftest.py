"""Fixtures: the Wenzhou sample in a store, its projection, and a seeded random ecosystem."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from graph.analytics import Projection, build_projection, project
from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from schema import Entity, EntityType, Relation, RelationType, relation_id
from tests.conftest import SAMPLE

KINDS = ("共建", "合作", "技术合作", "战略合作", "联合申报")


@pytest.fixture(scope="package")
def wenzhou_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with open_store(tmp_path_factory.mktemp("wz-analytics") / "store") as store:
        summary = load_paths(store, [SAMPLE])
        assert summary.rejected == 0, summary.rejects[:3]
        yield store


@pytest.fixture(scope="package")
def wenzhou(wenzhou_store: GraphStore) -> Projection:
    return project(wenzhou_store)


def random_records(nodes: int = 300, ties: int = 900, seed: int = 3) -> tuple[
        list[Entity], list[Relation]]:
    """A random ecosystem: enterprises and institutes, weighted dated partnerships between
    them, and two industries with a region each (so every group kind is populated)."""
    rng = random.Random(seed)
    kinds = [EntityType.enterprise, EntityType.institute]
    entities = [Entity(f"{kinds[i % 2].value}:{i:04d}", kinds[i % 2], f"机构{i}")
                for i in range(nodes)]
    groups = [Entity("industry:甲", EntityType.industry, "甲产业"),
              Entity("industry:乙", EntityType.industry, "乙产业"),
              Entity("region:东", EntityType.region, "东区"),
              Entity("region:西", EntityType.region, "西区")]
    relations: dict[str, Relation] = {}
    for i, e in enumerate(entities):
        for rel, target in ((RelationType.in_industry, groups[i % 2]),
                            (RelationType.located_in, groups[2 + (i // 2) % 2])):
            rid = relation_id(e.id, rel, target.id)
            relations[rid] = Relation(rid, rel, e.id, target.id)
    while len(relations) < 2 * nodes + ties:
        a, b = rng.sample(entities, 2)
        rid = relation_id(a.id, RelationType.partnership, b.id)
        props: dict[str, str | int] = {"kind": rng.choice(KINDS)}
        if rng.random() < 0.8:
            props["year"] = rng.randint(2015, 2024)
        relations.setdefault(rid, Relation(rid, RelationType.partnership, a.id, b.id, props))
    return [*entities, *groups], list(relations.values())


@pytest.fixture(scope="package")
def random_graph() -> Projection:
    entities, relations = random_records()
    return build_projection(entities, relations)
