"""After a write the served index stays in service, merged with what was written since:
the same answers as the rebuilt index, and no request waits for the rebuild."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from api import indexes
from graph.pinyin import pinyin_keys
from graph.search import SearchIndex
from graph.search_keys import rows_of_table
from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from schema import EntityType, InnographError, InvalidInput
from schema.tables import entities_to_table, relations_to_table
from tests.api.conftest import API_KEY, writer_for
from tests.conftest import SAMPLE, entity

E = EntityType


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[GraphStore]:
    with open_store(tmp_path / "store") as store:
        load_paths(store, [SAMPLE])
        yield store


def _queries(store: GraphStore) -> list[tuple[str, EntityType | None]]:
    found: list[tuple[str, EntityType | None]] = []
    for i, record in enumerate(store.iter_entities()):
        name = record.name
        kind = record.type if i % 4 == 0 else None
        full, initials = pinyin_keys(name)
        found += [(name, kind), (name[:2], None), (name[1:3], kind), (name[::2], None),
                  (full[:6], None), (initials[:3], kind), (name[:3] + "乙", None)]
    return [*found, ("李校坤", None), ("温州", E.enterprise), ("新材料", None), ("x", None)]


def _answer(search: object, query: str, kind: EntityType | None) -> object:
    try:
        return search.search(query, entity_type=kind, limit=10)  # type: ignore[attr-defined]
    except InvalidInput as e:
        return str(e)


def _resolved(search: object, text: str) -> object:
    try:
        return search.resolve(text).id  # type: ignore[attr-defined]
    except InnographError as e:
        return type(e).__name__, str(e)


def test_merged_answers_equal_the_rebuilt_index(sample: GraphStore) -> None:
    served = indexes.build_now(sample)
    everyone = list(sample.iter_entities())
    firms = [e for e in everyone if e.type is E.enterprise]
    sample.upsert([entity(E.enterprise, "温州新材料科技"), entity(E.enterprise, "瓯江新材料"),
                   entity(E.institute, "浙大温州新材料研究院", aliases=["新材院"])], [])
    sample.upsert([replace(firms[0], aliases=("华联新名",))], [])
    sample.delete_entities([firms[1].id, firms[2].id])
    sample.upsert_tables(entities_to_table([]), relations_to_table([]),
                         delete_entities=[firms[3].id])
    assert indexes.current(sample) is None  # stale: the served index is merged with writes
    merged = indexes._merged_search(sample, served).search
    rebuilt = SearchIndex(rows_of_table(sample.entities_table()))
    queries = [*_queries(sample), (firms[1].name, None), (firms[3].name, None), ("新材院", None),
               ("华联新名", None)]
    missing = "浙大温州新材料研究院"  # the served index alone would miss it
    assert missing not in [hit.name for hit in served.search.search("新材院")]
    assert merged.search("新材院")[0].name == missing
    assert _resolved(served.search, firms[1].id) == firms[1].id  # and find a deleted one
    for query, kind in queries:
        assert _answer(merged, query, kind) == _answer(rebuilt, query, kind), (query, kind)
    for text in [*(e.id for e in everyone), *(e.name for e in everyone), "新材院", "温州"]:
        assert _resolved(merged, text) == _resolved(rebuilt, text), text


def test_a_search_after_a_write_finds_it_without_waiting_for_the_rebuild(tmp_path: Path
                                                                         ) -> None:
    with writer_for(tmp_path) as client:
        key = {"X-API-Key": API_KEY}
        assert client.post("/entities", headers=key, json=[
            {"name": "甲公司", "type": "enterprise"}]).status_code == 200
        assert client.get("/search", params={"q": "甲公司"}).json()["items"]
        store = client.app.state.store  # type: ignore[attr-defined]
        gate = indexes._build_locks[store.location]
        answers: list[list[str]] = []
        with gate:  # a rebuild cannot finish while this is held
            assert client.post("/entities", headers=key, json=[
                {"name": "乙研究院", "type": "institute", "aliases": ["乙院"]}]
                               ).status_code == 200

            def ask() -> None:
                for q in ("乙院", "yyjy", "甲"):
                    found = client.get("/search", params={"q": q}).json()["items"]
                    answers.append([hit["name"] for hit in found])

            asking = threading.Thread(target=ask)
            asking.start()
            asking.join(timeout=60)
            assert not asking.is_alive(), "a search waited for the index rebuild"
            assert indexes.current(store) is None  # still the old index, merged
        assert answers == [["乙研究院"], ["乙研究院"], ["甲公司"]]
