"""Match candidates: a table row that may name an entity already in the graph (a legal name
holding a trade name). Accepting merges the row's entity into the graph's, in one write;
rejecting keeps them apart; editing is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from graph.settings import Settings
from graph.store import open_store
from graph.store.base import GraphStore
from ingest.documents import review
from ingest.documents.pipeline import review_queue_path
from ingest.documents.queue import Candidate, ReviewQueue, candidate_id
from ingest.load_options import LoadOptions
from ingest.loader import load_paths
from schema import AlreadyDecided, InvalidInput, RelationType, relation_id

LEGAL, TRADE = "浙江华联机械股份有限公司", "华联机械"
INCOMING, EXISTING = f"enterprise:{LEGAL}", f"enterprise:{TRADE}"
KEY = "test-key-match"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def graph_files(folder: Path) -> list[Path]:
    """What the graph knows first: the trade name, a university, a district."""
    return [write(folder, "entities.csv", "name,type,level\n华联机械,enterprise,市级\n"
                  "温州大学,institute,\n瓯海区,region,\n"),
            write(folder, "links.csv", "source,target,relation,kind,year\n"
                  "华联机械,温州大学,partnership,共建,2021\n")]


def incoming_files(folder: Path) -> list[Path]:
    """A registry-like list naming the firm by its legal name, with its own relations: one
    the graph has too (under the trade name), two it has not, one joining the two names."""
    return [write(folder, "firms.csv", "name,type,founded_year\n"
                  f"{LEGAL},enterprise,2001\n张三,person,\n"),
            write(folder, "firm_links.csv", "source,target,relation,kind,year\n"
                  f"{LEGAL},温州大学,partnership,,2022\n"
                  f"{LEGAL},瓯海区,located_in,,\n"
                  f"张三,{LEGAL},leads,,\n"
                  f"{LEGAL},{TRADE},partnership,,\n")]


def match(source: str, row: int = 2) -> Candidate:
    return Candidate(
        id=candidate_id(source, "match", [INCOMING, EXISTING]), doc_id=source, kind="match",
        confidence=0.8, section="", start=row, end=row, sentence_start=row, sentence_end=row,
        evidence=f"{LEGAL} (row {row}) ⟷ {TRADE} (in the graph)",
        data={"incoming": {"id": INCOMING, "name": LEGAL, "type": "enterprise"},
              "existing": {"id": EXISTING, "name": TRADE, "type": "enterprise"},
              "reason": f"trade name {TRADE} inside the legal name", "evidence": [LEGAL]})


def queue_of(store: GraphStore) -> ReviewQueue:
    return ReviewQueue(review_queue_path(store.location))


def propose(store: GraphStore, candidate: Candidate) -> str:
    with queue_of(store) as queue:
        queue.sync(candidate.doc_id, candidate.doc_id, "hash", 0, [candidate])
    return candidate.id


@pytest.fixture
def loaded(embedded: GraphStore, tmp_path: Path) -> tuple[GraphStore, list[Path]]:
    """Both lists loaded: the legal name is its own entity, a match is proposed."""
    load_paths(embedded, graph_files(tmp_path / "graph"))
    incoming = incoming_files(tmp_path / "incoming")
    summary = load_paths(embedded, incoming)
    assert summary.rejected == 0, summary.rejects
    assert embedded.get(INCOMING) is not None and embedded.get(EXISTING) is not None
    return embedded, incoming


def edges_of(store: GraphStore, the_id: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    hood = store.neighborhood(the_id, depth=1, max_nodes=100)
    return {(e.source, e.type.value, e.target): e.props for e in hood.edges
            if the_id in (e.source, e.target)}


def test_accept_merges_into_the_existing_entity(loaded: tuple[GraphStore, list[Path]]) -> None:
    store, incoming = loaded
    firms = str(incoming[0])
    the_id = propose(store, match(firms))
    with queue_of(store) as queue:
        result = review.accept(store, queue, the_id)
        decided = queue.get(the_id)
    assert result["status"] == "accepted" and result["graph_id"] == EXISTING
    assert result["merged_from"] == INCOMING
    assert result["relations_moved"] == 3 and result["relations_combined"] == 1
    assert result["relations_dropped"] == [
        relation_id(INCOMING, RelationType.partnership, EXISTING)]
    assert decided.status == "accepted" and decided.graph_id == EXISTING
    assert decided.note is not None and "merged" in decided.note

    assert store.get(INCOMING) is None
    merged = store.get(EXISTING)
    assert merged is not None
    assert LEGAL in (merged.name, *merged.aliases) and TRADE in (merged.name, *merged.aliases)
    assert merged.props == {"level": "市级", "founded_year": 2001}
    sources = {c.source for c in merged.sources()}
    assert firms in sources and any(s.endswith("graph/entities.csv") for s in sources)

    edges = edges_of(store, EXISTING)
    assert not any(INCOMING in key for key in edges)
    assert (EXISTING, "partnership", EXISTING) not in edges  # the self-loop was dropped
    assert edges[(EXISTING, "located_in", "region:瓯海区")] == {}
    assert (EXISTING, "leads", EXISTING) not in edges and (
        "person:张三", "leads", EXISTING) in edges
    # the relation both lists state keeps both claims; merged props take the later run's year
    both = store.relations_between([(EXISTING, "partnership", "institute:温州大学")])
    edge = both[(EXISTING, "partnership", "institute:温州大学")]
    assert edge.props["kind"] == "共建" and edge.props["year"] == 2022
    assert len(edge.sources()) == 2
    assert {c.source for c in edge.sources()} == {
        str(incoming[1]), str(Path(firms).parent.parent / "graph" / "links.csv")}
    moved = store.relations_between([(EXISTING, "located_in", "region:瓯海区")])
    assert [c.source for c in moved[(EXISTING, "located_in", "region:瓯海区")].sources()] == [
        str(incoming[1])]

    # a second accept is refused and writes nothing
    content = store.stats().content_hash
    with queue_of(store) as queue, pytest.raises(AlreadyDecided, match="is accepted"):
        review.accept(store, queue, the_id)
    assert store.stats().content_hash == content


def test_reloading_the_incoming_list_after_accept_changes_nothing(
        loaded: tuple[GraphStore, list[Path]]) -> None:
    store, incoming = loaded
    the_id = propose(store, match(str(incoming[0])))
    with queue_of(store) as queue:
        review.accept(store, queue, the_id)
    content, stats = store.stats().content_hash, store.stats()
    again = load_paths(store, incoming)
    assert store.get(INCOMING) is None  # no duplicate of the merged entity
    assert again.created == {"entities": 0, "relations": 0}
    assert again.updated == {"entities": 0, "relations": 0}
    assert store.stats().content_hash == content
    assert store.stats().entities == stats.entities


def test_the_loader_proposes_the_match_and_a_reload_after_accept_keeps_it(
        embedded: GraphStore, tmp_path: Path) -> None:
    # end to end: the loader puts the match in the queue; accepted, it stays accepted
    options = LoadOptions(review_queue=review_queue_path(embedded.location))
    load_paths(embedded, graph_files(tmp_path / "graph"), options=options)
    incoming = incoming_files(tmp_path / "incoming")
    load_paths(embedded, incoming, options=options)
    with queue_of(embedded) as queue:
        proposed = queue.candidates(kind="match")
        assert [(c.data["incoming"]["id"], c.data["existing"]["id"]) for c in proposed] == [
            (INCOMING, EXISTING)]
        review.accept(embedded, queue, proposed[0].id)
    content = embedded.stats().content_hash
    again = load_paths(embedded, incoming, options=options)
    assert embedded.get(INCOMING) is None and embedded.stats().content_hash == content
    assert again.created == again.updated == {"entities": 0, "relations": 0}
    with queue_of(embedded) as queue:
        assert queue.get(proposed[0].id).status == "accepted"
        assert queue.candidates(kind="match") == []


def test_reject_keeps_them_apart_and_survives_reproposal(
        loaded: tuple[GraphStore, list[Path]]) -> None:
    store, incoming = loaded
    candidate = match(str(incoming[0]))
    the_id = propose(store, candidate)
    content = store.stats().content_hash
    with queue_of(store) as queue:
        rejected = review.reject(queue, the_id, "different firms")
    assert rejected.status == "rejected" and rejected.note == "different firms"
    assert store.get(INCOMING) is not None and store.get(EXISTING) is not None
    assert store.stats().content_hash == content
    # the loader proposes it again: unchanged, then changed (another row): still rejected
    with queue_of(store) as queue:
        same = queue.sync(candidate.doc_id, candidate.doc_id, "hash", 0,
                          [match(str(incoming[0]))])
        assert same.unchanged == 1 and queue.get(the_id).status == "rejected"
        moved = queue.sync(candidate.doc_id, candidate.doc_id, "hash2", 0,
                           [match(str(incoming[0]), row=3)])
        assert moved.updated == 1 and queue.get(the_id).status == "rejected"
        assert queue.get(the_id).start == 3
        assert queue.candidates(kind="match") == []  # nothing pending
        assert [c.id for c in queue.candidates(status="rejected", kind="match")] == [the_id]
        with pytest.raises(AlreadyDecided, match="is rejected"):
            review.accept(store, queue, the_id)


def test_edit_is_refused(loaded: tuple[GraphStore, list[Path]]) -> None:
    store, incoming = loaded
    the_id = propose(store, match(str(incoming[0])))
    with queue_of(store) as queue:
        with pytest.raises(InvalidInput, match="a match can only be accepted or rejected"):
            review.edit(queue, the_id, {"canonical": "别的名字"})
        assert queue.get(the_id).status == "pending" and not queue.get(the_id).data.get("edited")


def test_an_entity_gone_from_the_graph_is_named(loaded: tuple[GraphStore, list[Path]]) -> None:
    store, incoming = loaded
    the_id = propose(store, match(str(incoming[0])))
    store.delete_entities([INCOMING])
    with queue_of(store) as queue:
        with pytest.raises(InvalidInput, match=f"incoming entity '{INCOMING}' is no longer"):
            review.accept(store, queue, the_id)
        assert queue.get(the_id).status == "pending"
    assert store.get(EXISTING) is not None


def test_one_source_stating_both_keeps_both_claims(embedded: GraphStore, tmp_path: Path) -> None:
    # one list names the firm twice: merging must not let one row's claim replace the other's
    both = write(tmp_path, "both.csv", f"name,type,level,founded_year\n{TRADE},enterprise,市级,\n"
                 f"{LEGAL},enterprise,,2001\n")
    load_paths(embedded, [both])
    the_id = propose(embedded, match(str(both), row=3))
    with queue_of(embedded) as queue:
        review.accept(embedded, queue, the_id)
    merged = embedded.get(EXISTING)
    assert merged is not None and embedded.get(INCOMING) is None
    assert sorted(c.name for c in merged.sources()) == sorted([LEGAL, TRADE])
    assert {LEGAL, TRADE} == {merged.name, *merged.aliases}
    assert merged.props == {"level": "市级", "founded_year": 2001}


def test_two_accepts_at_once_merge_once(loaded: tuple[GraphStore, list[Path]]) -> None:
    store, incoming = loaded
    the_id = propose(store, match(str(incoming[0])))
    outcomes: list[object] = []
    start = threading.Barrier(2)

    def accept() -> None:
        with queue_of(store) as queue:
            start.wait()
            try:
                outcomes.append(review.accept(store, queue, the_id))
            except AlreadyDecided as e:
                outcomes.append(e)

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    merged = [o for o in outcomes if isinstance(o, dict)]
    refused = [o for o in outcomes if isinstance(o, AlreadyDecided)]
    assert len(merged) == 1 and len(refused) == 1, outcomes
    assert "only pending candidates" in str(refused[0])
    assert store.get(INCOMING) is None


def test_api_lists_and_accepts_a_match(loaded: tuple[GraphStore, list[Path]],
                                       tmp_path: Path) -> None:
    store, incoming = loaded
    the_id = propose(store, match(str(incoming[0])))
    settings = Settings(store=str(tmp_path / "unused"), api_key=SecretStr(KEY))
    with TestClient(create_app(settings, store=store)) as client:
        listed = client.get("/review", params={"kind": "match"})
        assert listed.status_code == 200
        assert [i["id"] for i in listed.json()["items"]] == [the_id]
        assert listed.json()["items"][0]["data"]["existing"]["id"] == EXISTING
        assert client.post(f"/review/{the_id}/accept").status_code == 401
        edited = client.post(f"/review/{the_id}/edit", json={"canonical": "x"},
                             headers={"X-API-Key": KEY})
        assert edited.status_code == 422 and "accepted or rejected" in edited.json()["detail"]
        accepted = client.post(f"/review/{the_id}/accept", headers={"X-API-Key": KEY})
        assert accepted.status_code == 200, accepted.text
        body = accepted.json()
        assert body["graph_id"] == EXISTING and body["merged_from"] == INCOMING
        assert body["relations_moved"] == 3 and len(body["relations_dropped"]) == 1
        again = client.post(f"/review/{the_id}/accept", headers={"X-API-Key": KEY})
        assert again.status_code == 409 and "is accepted" in again.json()["detail"]
    assert store.get(INCOMING) is None


def test_cli_lists_and_accepts_a_match(tmp_path: Path) -> None:
    location = tmp_path / "store"
    with open_store(location) as store:
        load_paths(store, graph_files(tmp_path / "graph"))
        incoming = incoming_files(tmp_path / "incoming")
        load_paths(store, incoming)
        the_id = propose(store, match(str(incoming[0])))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "innograph", "--store", str(location),
                               *args], capture_output=True, text=True, env=dict(os.environ),
                              timeout=120)

    listed = run("review", "list", "--kind", "match")
    assert listed.returncode == 0, listed.stderr
    assert "华联机械" in listed.stdout and "match" in listed.stdout
    accepted = run("review", "accept", the_id, "--json")
    assert accepted.returncode == 0, accepted.stderr
    item = json.loads(accepted.stdout)["items"][0]
    assert item["graph_id"] == EXISTING and item["merged_from"] == INCOMING
