"""Connections prefer real ties and say when only a shared place or industry connects two
entities, and why nothing does."""

from __future__ import annotations

from graph.connections import CONTEXT_ONLY, NOT_CONNECTED, TIES_FOUND, connections
from graph.store import GraphStore
from schema import Entity, EntityType, Relation, RelationType, relation_id

E, R = EntityType, RelationType


def _graph(store: GraphStore) -> None:
    entities = [Entity("enterprise:a", E.enterprise, "甲公司"),
                Entity("enterprise:b", E.enterprise, "乙公司"),
                Entity("institute:c", E.institute, "丙研究院"),
                Entity("region:d", E.region, "瓯海区"),
                Entity("enterprise:e", E.enterprise, "戊公司"),
                Entity("enterprise:lonely", E.enterprise, "孤立公司")]

    def rel(source: str, kind: RelationType, target: str) -> Relation:
        return Relation(relation_id(source, kind, target), kind, source, target)

    store.upsert(entities, [
        rel("enterprise:a", R.located_in, "region:d"), rel("enterprise:b", R.located_in, "region:d"),
        rel("enterprise:e", R.located_in, "region:d"),
        rel("enterprise:a", R.partnership, "institute:c"),
        rel("institute:c", R.partnership, "enterprise:b")])


def test_real_ties_win_over_a_shorter_shared_place(embedded: GraphStore) -> None:
    _graph(embedded)
    found = connections(embedded, "enterprise:a", "enterprise:b")
    assert found.kind == TIES_FOUND and "实际关系" in found.note
    assert [[e.type for e in p.edges] for p in found.paths] == [[R.partnership, R.partnership]]


def test_a_shared_place_alone_is_named_as_such(embedded: GraphStore) -> None:
    _graph(embedded)
    found = connections(embedded, "enterprise:a", "enterprise:e")
    assert found.kind == CONTEXT_ONLY and "没有实际合作关系" in found.note
    assert found.paths and all(e.type is R.located_in for p in found.paths for e in p.edges)


def test_an_empty_answer_says_why(embedded: GraphStore) -> None:
    _graph(embedded)
    lonely = connections(embedded, "enterprise:a", "enterprise:lonely")
    assert lonely.kind == NOT_CONNECTED and lonely.paths == []
    assert lonely.note == "孤立公司在图谱中还没有任何关系，无从连接"
    far = connections(embedded, "enterprise:a", "enterprise:b", max_hops=1)
    assert far.kind == NOT_CONNECTED and far.note.startswith("1跳之内")


def test_relations_the_caller_names_are_searched_as_given(embedded: GraphStore) -> None:
    _graph(embedded)
    found = connections(embedded, "enterprise:a", "enterprise:b",
                        relation_types=[R.located_in])
    assert found.kind == CONTEXT_ONLY and found.relations_searched == ["located_in"]
