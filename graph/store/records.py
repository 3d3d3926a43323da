"""What a graph store returns and accepts, apart from entities and relations themselves.

Every backend returns these shapes (write counts, subgraphs, neighbourhoods, paths, stats,
name rows) and checks analytics scores with :func:`check_scores` before storing them; the
contract that produces them is :class:`graph.store.base.GraphStore`.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from schema import Entity, EntityType, InvalidInput, Relation

#: analytics score names: they become property names (``score_<name>`` in Neo4j)
SCORE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

Scores = Mapping[str, Mapping[str, float]]


def check_scores(scores: Scores) -> None:
    """Raise :class:`schema.InvalidInput` for a score name or value a store must not take.

    >>> check_scores({"enterprise:华联机械": {"pagerank": 0.02}})
    >>> check_scores({"x": {"Page Rank": 1.0}})
    Traceback (most recent call last):
    ...
    schema.errors.InvalidInput: score name 'Page Rank': must match ^[a-z][a-z0-9_]{0,39}$
    """
    for values in scores.values():
        for name, value in values.items():
            if not SCORE_NAME.match(name):
                raise InvalidInput(f"score name {name!r}", f"must match {SCORE_NAME.pattern}")
            if isinstance(value, bool) or not isinstance(value, int | float) \
                    or not math.isfinite(value):
                raise InvalidInput(f"score {name}", f"must be a finite number, got {value!r}")


@dataclass
class WriteResult:
    """What one upsert did, counted per record kind."""

    entities_created: int = 0
    entities_updated: int = 0
    entities_unchanged: int = 0
    relations_created: int = 0
    relations_updated: int = 0
    relations_unchanged: int = 0

    def __iadd__(self, other: WriteResult) -> WriteResult:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


@dataclass
class Subgraph:
    """Nodes and the edges among them."""

    nodes: list[Entity] = field(default_factory=list)
    edges: list[Relation] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"nodes": [n.to_json() for n in self.nodes],
                "edges": [e.to_json() for e in self.edges]}


@dataclass
class Neighborhood(Subgraph):
    """The bounded neighbourhood of one entity."""

    center: str = ""
    depth: int = 1
    truncated: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"center": self.center, "depth": self.depth, "truncated": self.truncated,
                **super().to_json()}


@dataclass
class GraphPath:
    """A path: ``nodes[i]`` and ``nodes[i+1]`` are joined by ``edges[i]`` (either direction)."""

    nodes: list[Entity]
    edges: list[Relation]

    @property
    def hops(self) -> int:
        return len(self.edges)

    def to_json(self) -> dict[str, Any]:
        return {"hops": self.hops, "nodes": [n.to_json() for n in self.nodes],
                "edges": [e.to_json() for e in self.edges]}


@dataclass
class Stats:
    """Counts by type and a content hash that depends only on what the graph says."""

    entities: int
    relations: int
    entities_by_type: dict[str, int]
    relations_by_type: dict[str, int]
    content_hash: str

    def to_json(self) -> dict[str, Any]:
        return {"entities": self.entities, "relations": self.relations,
                "entities_by_type": self.entities_by_type,
                "relations_by_type": self.relations_by_type, "content_hash": self.content_hash}


def combine_hashes(entity_hashes: Iterable[str], relation_hashes: Iterable[str]) -> str:
    """Order-independent hash of a whole graph from its records' content hashes.

    >>> combine_hashes(["a", "b"], ["r"]) == combine_hashes(["b", "a"], ["r"])
    True
    >>> combine_hashes(["a"], ["b"]) == combine_hashes(["a", "b"], [])
    False
    """
    digest = hashlib.sha256()
    for part in (sorted(entity_hashes), sorted(relation_hashes)):
        for item in part:
            digest.update(item.encode())
            digest.update(b"\n")
        digest.update(b"|")
    return digest.hexdigest()


@dataclass(frozen=True)
class NameRow:
    """What search and name resolution need of an entity."""

    id: str
    type: EntityType
    name: str
    aliases: tuple[str, ...]
