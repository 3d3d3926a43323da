"""``GET /entities/{id}`` and ``GET /paths`` take their records from the in-memory index while it is current: the
same record the store gives, for every sample entity, by id, name or alias."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.indexes import current
from api.named import named_entity
from api.resolve import entity_named
from graph.store import GraphStore


def test_the_index_record_is_the_store_s_for_every_sample_entity(
        reader: TestClient, sample_store: GraphStore) -> None:
    assert current(sample_store) is not None  # built at start-up: the index path is taken
    for entity in sample_store.iter_entities():
        assert named_entity(sample_store, entity.id) == sample_store.get(entity.id)
        for text in (entity.name, *entity.aliases):
            try:
                expected = entity_named(sample_store, text)
            except Exception as e:  # an ambiguous name: the same error either way
                try:
                    named_entity(sample_store, text)
                except Exception as ours:
                    assert (type(ours), str(ours)) == (type(e), str(e))
                    continue
                raise AssertionError(f"{text}: the store refused it, the index did not") from e
            assert named_entity(sample_store, text) == expected


def test_the_detail_answer_cites_its_sources(reader: TestClient) -> None:
    body = reader.get("/entities/浙大温州研究院").json()
    assert body["id"] == "institute:浙江大学温州研究院" and body["sources"]
