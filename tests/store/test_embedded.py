"""Embedded-store behaviour beyond the contract: failures injected into its write path."""

from __future__ import annotations

import pytest

from graph.store import GraphStore

Graph = tuple[list, list]


def test_failed_write_leaves_the_store_as_it_was(embedded: GraphStore, small_graph: Graph,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Both the first load into an empty store and a later load are all or nothing."""
    from schema import StoreError

    entities, relations = small_graph
    original = type(embedded)._upsert_relations  # type: ignore[attr-defined]

    def fail_after_entities(self: GraphStore, *args: object) -> None:
        original(self, *args)
        raise StoreError("simulated failure after the relations were copied")

    monkeypatch.setattr(type(embedded), "_upsert_relations", fail_after_entities)
    with pytest.raises(StoreError, match="simulated"):
        embedded.upsert(entities[:4], relations[:2])
    assert embedded.stats().entities == 0 and embedded.stats().relations == 0
    monkeypatch.undo()
    embedded.upsert(entities[:4], relations[:2])
    before = embedded.stats()
    monkeypatch.setattr(type(embedded), "_upsert_relations", fail_after_entities)
    with pytest.raises(StoreError, match="simulated"):
        embedded.upsert(entities, relations)
    assert embedded.stats() == before
