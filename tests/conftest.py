"""Shared fixtures: stores for every available backend, and small graphs to put in them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pydantic import SecretStr

from graph.store import GraphStore, open_store
from graph.store.neo4j_options import Neo4jOptions
from schema import Entity, EntityType, Relation, RelationType, entity_id, relation_id

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "wenzhou-st-work-reports-2021-2022.txt"
SAMPLE = ROOT / "data" / "wenzhou"


def neo4j_server() -> tuple[str, Neo4jOptions]:
    """``NEO4J_URI`` and options from ``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``;
    skips the test, saying why, when no server is configured."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("Neo4j contract tests need a server: set NEO4J_URI, NEO4J_USER, "
                    "NEO4J_PASSWORD (e.g. after `docker compose up -d neo4j`; none runs on "
                    "the development machines)")
    password = os.environ.get("NEO4J_PASSWORD")
    return uri, Neo4jOptions(user=os.environ.get("NEO4J_USER", "neo4j"),
                             password=SecretStr(password) if password else None,
                             database=os.environ.get("NEO4J_DATABASE") or None)


def _neo4j_or_skip() -> Neo4jStore:
    """A Neo4j store at ``NEO4J_URI``, emptied first: point it at a throwaway database."""
    from graph.store.neo4j import Neo4jStore

    store = Neo4jStore(*neo4j_server())
    store.delete_all()
    return store


@pytest.fixture
def neo4j_store() -> Iterator[Neo4jStore]:
    """An emptied Neo4j store (skipped without a server)."""
    opened = _neo4j_or_skip()
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(params=["embedded", "embedded-copy", "neo4j"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each backend (Neo4j only when a server is configured).

    ``embedded-copy`` creates every new row by ``COPY``; ``embedded`` creates the few rows
    of these tests by ``UNWIND … CREATE`` (below ``COPY_MIN_ROWS``): both must pass."""
    opened = _neo4j_or_skip() if request.param == "neo4j" else open_store(tmp_path / "store")
    if request.param == "embedded-copy":
        opened.copy_min_rows = 0  # type: ignore[attr-defined]
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[GraphStore]:
    opened = open_store(tmp_path / "store")
    try:
        yield opened
    finally:
        opened.close()


def entity(kind: EntityType, name: str, **props: object) -> Entity:
    aliases = tuple(props.pop("aliases", ()))  # type: ignore[call-overload]
    return Entity(entity_id(kind, name), kind, name, name_raw=name, aliases=aliases,
                  props=dict(props))  # type: ignore[arg-type]


def relation(rel: RelationType, source: Entity, target: Entity, **props: object) -> Relation:
    return Relation(relation_id(source.id, rel, target.id), rel, source.id, target.id,
                    props=dict(props))  # type: ignore[arg-type]


@pytest.fixture
def small_graph() -> tuple[list[Entity], list[Relation]]:
    """A chain a–b–c–d plus a hub with five leaves, and a side branch."""
    E, R = EntityType, RelationType
    zju = entity(E.institute, "浙江大学温州研究院", aliases=("浙大温州研究院",))
    firm = entity(E.enterprise, "华联机械")
    ouhai = entity(E.region, "瓯海区")
    wenzhou = entity(E.region, "温州市")
    team = entity(E.talent_team, "叶志镇院士团队")
    leader = entity(E.person, "叶志镇", title="院士")
    leaves = [entity(E.enterprise, f"眼镜企业{i}") for i in range(5)]
    glasses = entity(E.industry, "眼镜")
    entities = [zju, firm, ouhai, wenzhou, team, leader, glasses, *leaves]
    relations = [
        relation(R.partnership, firm, zju, kind="共建", year=2021),
        relation(R.located_in, zju, ouhai),
        relation(R.part_of, ouhai, wenzhou),
        relation(R.affiliated_with, team, zju),
        relation(R.leads, leader, team),
        *[relation(R.in_industry, leaf, glasses, role="producer") for leaf in leaves],
        relation(R.located_in, leaves[0], ouhai),
    ]
    return entities, relations
