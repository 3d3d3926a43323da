"""All shortest paths between two entities, from the in-memory adjacency.

The store answers :meth:`GraphStore.shortest_paths` with a variable-length query (over a
second at 100k entities under load). :class:`PathFinder` answers the same question from the
compressed sparse rows of a :class:`~graph.neighborhood_index.NeighborhoodIndex`, with
the same meaning: relations in either direction, each relation a step of its own (two
relations between the same pair make two paths), only the relation types asked for, at most
``max_hops`` steps, at most ``limit`` paths, every path among the shortest.

It searches breadth-first from both ends, a level at a time on the smaller frontier, and
stops at the first level where the two searches meet: every shortest path crosses that
meeting layer, so the paths are (a shortest way from the source to a meeting node) then (a
shortest way from it to the target). They are listed in the order of their nodes' ids, then
of their relations (the store lists them in its engine's order; when there are more than
``limit`` the two may choose different ones, all shortest).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from schema import Entity, EntityType, InvalidInput, Relation, RelationType

from .neighborhood_index import NeighborhoodIndex
from .store.base import MAX_PATHS, Neighborhood, check_bounds
from .store.records import GraphPath

__all__ = ["PathFinder"]

Ints = NDArray[np.int32]
_RELATION_CODES = {t: i for i, t in enumerate(RelationType)}  # the index's relation codes


def _gather(offsets: NDArray[np.int64], order: Ints | None, nodes: Ints) -> tuple[Ints, Ints]:
    """The relations at ``offsets[n]:offsets[n+1]`` (through ``order`` when given) for every
    ``n`` in ``nodes``, and for each the node it was reached from (vectorised, no Python
    loop per node)."""
    starts, ends = offsets[nodes], offsets[nodes + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    at = (np.arange(total) + shift).astype(np.int32)
    return (at if order is None else order[at]), np.repeat(nodes, lengths).astype(np.int32)


class _Side:
    """One end's breadth-first search: each node's level, and per level the relations that
    reach its nodes from the level before (all of them: every shortest way counts)."""

    def __init__(self, start: int, count: int) -> None:
        self.level = np.full(count, -1, np.int16)
        self.level[start] = 0
        self.frontier = np.array([start], np.int32)
        self.depth = 0
        # per level k ≥ 1: (node at level k, node at level k−1, relation joining them)
        self.steps: list[tuple[Ints, Ints, Ints]] = []


def _add_steps(ahead: dict[int, list[tuple[int, int]]], steps: list[tuple[Ints, Ints, Ints]],
               meeting: Ints, towards_meeting: bool) -> None:
    """Add to ``ahead`` the steps of one side's search that lie on a shortest path, walking
    its levels back from the meeting layer. A step (reached, came from, relation) leads
    from "came from" to "reached" on the source's side (``towards_meeting``), the other
    way on the target's."""
    useful = meeting
    for reached, came_from, relations in reversed(steps):
        on_path = np.isin(reached, useful)
        for near, far, relation in zip(reached[on_path].tolist(), came_from[on_path].tolist(),
                                       relations[on_path].tolist(), strict=True):
            here, nxt = (far, near) if towards_meeting else (near, far)
            ahead.setdefault(here, []).append((nxt, relation))
        useful = np.unique(came_from[on_path])


class PathFinder:
    """:meth:`GraphStore.shortest_paths` and :meth:`GraphStore.neighborhood` from a
    :class:`NeighborhoodIndex` (cheap to make: it keeps a reference, copies nothing)."""

    def __init__(self, index: NeighborhoodIndex) -> None:
        self._index = index
        self._csr = index.adjacency()

    def neighborhood(self, entity_id: str, depth: int = 1, max_nodes: int = 200,
                     relation_types: Sequence[RelationType] | None = None,
                     entity_types: Sequence[EntityType] | None = None) -> Neighborhood:
        return self._index.neighborhood(entity_id, depth=depth, max_nodes=max_nodes,
                                        relation_types=relation_types,
                                        entity_types=entity_types)

    def shortest_paths(self, source: str, target: str, max_hops: int = 6, limit: int = 5,
                       relation_types: Sequence[RelationType] | None = None) -> list[GraphPath]:
        """All shortest paths (ignoring direction) up to ``max_hops``, at most ``limit``."""
        check_bounds(max_hops=max_hops)
        if not 1 <= limit <= MAX_PATHS:
            raise InvalidInput("limit", f"must be between 1 and {MAX_PATHS}, got {limit}")
        start, end = self._index.position(source), self._index.position(target)
        if start is None or end is None:
            return []
        if start == end:
            return [GraphPath(nodes=self._entities([start]), edges=[])]
        allowed = np.zeros(len(_RELATION_CODES), bool)
        allowed[[_RELATION_CODES[RelationType(t)] for t in relation_types or RelationType]] = True
        sides = (_Side(start, self._csr.count), _Side(end, self._csr.count))
        meeting = self._meet(sides, allowed, max_hops)
        if meeting is None:
            return []
        found = []
        for nodes, relations in self._walks(sides, meeting, start):
            found.append((nodes, relations))
            if len(found) == limit:
                break
        return [GraphPath(nodes=self._entities(nodes), edges=self._relations(relations))
                for nodes, relations in found]

    # -- the search ---------------------------------------------------------------------------
    def _meet(self, sides: tuple[_Side, _Side], allowed: NDArray[np.bool_],
              max_hops: int) -> Ints | None:
        """Expand the smaller frontier a level at a time until the two searches meet: the
        nodes where they do (sorted), or ``None`` when they cannot within ``max_hops``."""
        while sides[0].depth + sides[1].depth < max_hops:
            here, there = sorted(sides, key=lambda s: len(s.frontier))
            if len(here.frontier) == 0:
                return None
            self._expand(here, allowed)
            met = here.frontier[there.level[here.frontier] >= 0]
            if len(met):
                return np.sort(met)
        return None

    def _expand(self, side: _Side, allowed: NDArray[np.bool_]) -> None:
        csr = self._csr
        out, out_from = _gather(csr.out_offsets, None, side.frontier)
        into, into_from = _gather(csr.in_offsets, csr.into, side.frontier)
        relations = np.concatenate((out, into))
        came_from = np.concatenate((out_from, into_from))
        reached = np.concatenate((csr.target[out], csr.source[into]))
        keep = allowed[csr.kind[relations]] & (side.level[reached] < 0)
        relations, came_from, reached = relations[keep], came_from[keep], reached[keep]
        side.depth += 1
        side.frontier = np.unique(reached).astype(np.int32)
        side.level[side.frontier] = side.depth
        side.steps.append((reached, came_from, relations))

    # -- the paths, in order ------------------------------------------------------------------
    def _walks(self, sides: tuple[_Side, _Side], meeting: Ints, start: int
               ) -> Iterator[tuple[list[int], list[int]]]:
        """Every shortest path as (node numbers, relation numbers), from the source, in
        order step by step: by the next node's number, then the relation's (depth first
        over sorted steps, so the first ``limit`` are found without listing them all)."""
        ahead = self._forward_steps(sides, meeting)
        stack: list[tuple[int, list[int], list[int]]] = [(start, [start], [])]
        while stack:
            node, nodes, relations = stack.pop()
            options = ahead.get(node)
            if not options:  # the target: every other node here has a step on
                yield nodes, relations
                continue
            for nxt, relation in reversed(options):  # popped in sorted order
                stack.append((nxt, [*nodes, nxt], [*relations, relation]))

    def _forward_steps(self, sides: tuple[_Side, _Side], meeting: Ints
                       ) -> dict[int, list[tuple[int, int]]]:
        """For each node on a shortest path, its next steps towards the target: (next
        node, relation), sorted. From the source's side the recorded steps are followed
        backwards from the meeting layer; from the target's side they already point on."""
        ahead: dict[int, list[tuple[int, int]]] = {}
        source_side, target_side = sides
        _add_steps(ahead, source_side.steps, meeting, towards_meeting=True)
        _add_steps(ahead, target_side.steps, meeting, towards_meeting=False)
        for options in ahead.values():
            options.sort()
        return ahead

    # -- records ------------------------------------------------------------------------------
    def _entities(self, positions: list[int]) -> list[Entity]:
        return self._index.entities_at(positions)

    def _relations(self, numbers: list[int]) -> list[Relation]:
        return self._index.relations_at(numbers)
