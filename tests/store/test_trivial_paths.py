"""``GraphStore._trivial_paths``: the checks and the path-to-itself answer every backend's
``shortest_paths`` gives before searching (run on the embedded store: no server needed)."""

from __future__ import annotations

import pytest

from graph.store import GraphStore
from graph.store.base import MAX_PATH_HOPS, MAX_PATHS
from schema import InvalidInput

Graph = tuple[list, list]


@pytest.mark.parametrize("limit", [0, -1, MAX_PATHS + 1])
def test_a_limit_out_of_range_is_refused_naming_it(embedded: GraphStore, limit: int) -> None:
    with pytest.raises(InvalidInput, match=f"limit.*between 1 and {MAX_PATHS}, got {limit}"):
        embedded._trivial_paths("a", "b", max_hops=3, limit=limit)


@pytest.mark.parametrize("hops", [0, MAX_PATH_HOPS + 1])
def test_max_hops_out_of_range_is_refused_naming_it(embedded: GraphStore, hops: int) -> None:
    with pytest.raises(InvalidInput, match=f"max_hops.*got {hops}"):
        embedded._trivial_paths("a", "a", max_hops=hops, limit=5)


def test_bounds_are_checked_before_the_path_to_itself(embedded: GraphStore,
                                                      small_graph: Graph) -> None:
    entities, relations = small_graph
    embedded.upsert(entities, relations)
    with pytest.raises(InvalidInput, match="limit"):
        embedded._trivial_paths(entities[0].id, entities[0].id, max_hops=3, limit=0)


def test_a_path_from_an_entity_to_itself_is_that_one_node(embedded: GraphStore,
                                                          small_graph: Graph) -> None:
    entities, relations = small_graph
    embedded.upsert(entities, relations)
    firm = entities[1]
    paths = embedded._trivial_paths(firm.id, firm.id, max_hops=MAX_PATH_HOPS, limit=MAX_PATHS)
    assert paths is not None and len(paths) == 1
    assert paths[0].nodes == [firm] and paths[0].edges == [] and paths[0].hops == 0
    assert embedded.shortest_paths(firm.id, firm.id) == paths


def test_an_unknown_entity_has_no_path_to_itself(embedded: GraphStore) -> None:
    assert embedded._trivial_paths("enterprise:无此企业", "enterprise:无此企业", 1, 1) == []


def test_two_different_entities_need_a_search(embedded: GraphStore, small_graph: Graph) -> None:
    entities, relations = small_graph
    embedded.upsert(entities, relations)
    assert embedded._trivial_paths(entities[0].id, entities[1].id, max_hops=1, limit=1) is None
