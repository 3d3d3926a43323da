"""The review queue: idempotent re-reading, corrected documents, and decisions that write
to a real embedded store with provenance and the ontology's endpoint rules."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from graph.store.base import GraphStore
from ingest.documents import review
from ingest.documents.pipeline import ingest_documents, review_queue_path
from ingest.documents.queue import Candidate, ReviewQueue
from schema import (
    AlreadyDecided,
    Entity,
    EntityNotFound,
    EntityType,
    InvalidInput,
    Relation,
    RelationType,
    StoreUnavailable,
    UnreadableFile,
    entity_id,
    relation_id,
)

from .conftest import SIMPLIFIED


@pytest.fixture
def known(embedded: GraphStore) -> GraphStore:
    """A store that knows the lab and the institute (so they resolve)."""
    embedded.upsert([
        Entity(entity_id(EntityType.institute, "甬江实验室"), EntityType.institute, "甬江实验室"),
        Entity(entity_id(EntityType.institute, "中国科学院宁波材料技术与工程研究所"),
               EntityType.institute, "中国科学院宁波材料技术与工程研究所",
               aliases=("宁波材料技术研究所",)),
    ])
    return embedded


def _queue(store: GraphStore) -> ReviewQueue:
    return ReviewQueue(review_queue_path(store.location))


def _find(queue: ReviewQueue, text: str, kind: str = "relation") -> Candidate:
    for candidate in queue.candidates(status=None, kind=kind, limit=1000):
        named = {k: v for k, v in candidate.data.items() if k != "sentence"}  # names only
        if text in str(named):
            return candidate
    raise AssertionError(f"no {kind} candidate mentions {text}")


def test_rereading_creates_no_duplicates(known: GraphStore, simplified_file: Path) -> None:
    first = ingest_documents(known, [simplified_file]).to_json()["candidates"]
    assert first["created"] > 0 and first["updated"] == first["obsolete"] == 0
    second = ingest_documents(known, [simplified_file])
    assert second.documents[0].document_unchanged
    assert second.to_json()["candidates"] == {"created": 0, "updated": 0,
                                              "unchanged": first["created"], "obsolete": 0}
    with _queue(known) as queue:
        assert len(queue.candidates(status=None, limit=1000)) == first["created"]
    assert Path(known.location, "review.sqlite").is_file()


def test_a_corrected_document_updates_its_candidates(known: GraphStore,
                                                     simplified_file: Path) -> None:
    ingest_documents(known, [simplified_file])
    with _queue(known) as queue:
        joint = _find(queue, "东方电气集团")
        assert joint.data["year"] == 2024
    corrected = SIMPLIFIED.replace("2O24年", "2025年").replace(
        "宁波中车新能源科技有限公司入驻宁波高新区。", "")
    simplified_file.write_text(corrected, encoding="utf-8")
    result = ingest_documents(known, [simplified_file]).documents[0]
    assert result.updated >= 1 and result.obsolete >= 1 and result.created == 0
    with _queue(known) as queue:
        assert queue.get(joint.id).data["year"] == 2025
        assert _find(queue, "宁波高新区").status == "obsolete"
        assert len({c.id for c in queue.candidates(status=None, limit=1000)}) == \
            len(queue.candidates(status=None, limit=1000))


def test_accept_writes_relation_and_new_entity_with_provenance(known: GraphStore,
                                                               simplified_file: Path) -> None:
    ingest_documents(known, [simplified_file])
    with _queue(known) as queue:
        joint = _find(queue, "东方电气集团")
        done = review.accept(known, queue, joint.id)
        assert done["created"] and len(done["entities_created"]) == 2
        assert queue.get(joint.id).status == "accepted"
        assert _find(queue, "东方电气集团", kind="entity").status == "accepted"
        with pytest.raises(AlreadyDecided, match="is accepted"):
            review.accept(known, queue, joint.id)
    firm = known.get("enterprise:东方电气集团")
    assert firm is not None and firm.provenance["evidence"] == "report"
    edge = next(e for e in known.subgraph([firm.id, "institute:宁波大学"]).edges)
    assert edge.type is RelationType.partnership
    assert edge.props == {"kind": "联合申报", "year": 2024}
    start, end = map(int, edge.provenance["source_span"].split("-"))
    assert SIMPLIFIED[start:end].startswith("宁波大学和东方电气集团")
    assert edge.provenance["source_doc"] == "ningbo-2023"
    assert edge.provenance["source_section"] == "二/一是"
    assert edge.provenance["note"].startswith("所在句子：第 ")


def test_accepting_a_relation_the_graph_holds_adds_the_document_as_a_source(
        known: GraphStore, simplified_file: Path) -> None:
    """The table's values win (a list outranks a report), the report fills what the table
    left out (the year), and both stay as sources; the decision says so."""
    firm = Entity(entity_id(EntityType.enterprise, "东方电气集团"), EntityType.enterprise,
                  "东方电气集团")
    university = Entity("institute:宁波大学", EntityType.institute, "宁波大学")
    table_edge = Relation(relation_id(university.id, RelationType.partnership, firm.id),
                          RelationType.partnership, university.id, firm.id,
                          props={"kind": "共建"}, ingest={"file": "partners.csv", "row": 2})
    known.upsert([firm, university], [table_edge])
    ingest_documents(known, [simplified_file])
    with _queue(known) as queue:
        joint = _find(queue, "东方电气集团")
        done = review.accept(known, queue, joint.id)
        assert done["created"] is False and done["graph_id"] == table_edge.id
        assert done["note"] == ("already in the graph; the document joined its sources "
                                "and gave year")
        assert queue.get(joint.id).note == done["note"]
    edge = next(e for e in known.subgraph([firm.id, university.id]).edges)
    # the report's year is also the first of the tie's history (schema.history)
    assert edge.props == {"kind": "共建", "year": 2024, "years": "2024:1"}
    assert sorted((c.source, c.kind) for c in edge.sources()) == [
        ("ningbo-2023", "document"), ("partners.csv", "table")]
    assert [c.props for c in edge.sources() if c.kind == "document"] == [
        {"kind": "联合申报", "year": 2024}]


def test_accept_refuses_endpoints_the_ontology_forbids(embedded: GraphStore,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "hangzhou.txt"
    path.write_text("杭州未来科技城依托杭州高新区建设。", encoding="utf-8")
    ingest_documents(embedded, [path])
    with _queue(embedded) as queue:
        flagged = _find(queue, "affiliated_with")
        assert flagged.data["endpoint_problem"]
        with pytest.raises(InvalidInput, match="cannot start at park"):
            review.accept(embedded, queue, flagged.id)
        assert embedded.stats().entities == 0  # nothing written
        edited = review.edit(queue, flagged.id, {"relation": "part_of"})
        assert edited.data["endpoint_problem"] is None and edited.data["edited"]
        review.accept(embedded, queue, flagged.id)
    assert embedded.stats().relations_by_type == {"part_of": 1}


def test_edit_entity_carries_over_to_relations_and_survives_rereading(
        embedded: GraphStore, simplified_file: Path) -> None:
    ingest_documents(embedded, [simplified_file])
    with _queue(embedded) as queue:
        firm = _find(queue, "东方电气集团", kind="entity")
        review.edit(queue, firm.id, {"canonical": "中国东方电气集团有限公司"})
        assert _find(queue, "东方电气集团").data["target"]["canonical"] == "中国东方电气集团有限公司"
        with pytest.raises(InvalidInput, match="unknown entity type"):
            review.edit(queue, firm.id, {"type": "company"})
        with pytest.raises(InvalidInput, match="cannot be edited"):
            review.edit(queue, firm.id, {"year": 2020})
    simplified_file.write_text(SIMPLIFIED + "补充一句。", encoding="utf-8")
    ingest_documents(embedded, [simplified_file])
    with _queue(embedded) as queue:
        assert queue.get(firm.id).data["canonical"] == "中国东方电气集团有限公司"


def test_rejected_entity_blocks_its_relations(embedded: GraphStore,
                                              simplified_file: Path) -> None:
    ingest_documents(embedded, [simplified_file])
    with _queue(embedded) as queue:
        firm = _find(queue, "东方电气集团", kind="entity")
        assert review.reject(queue, firm.id, "not a partner").status == "rejected"
        with pytest.raises(InvalidInput, match="is rejected"):
            review.accept(embedded, queue, _find(queue, "东方电气集团").id)
        with pytest.raises(EntityNotFound):
            review.reject(queue, "c:0000000000000000")
    assert embedded.stats().relations == 0


def test_bad_queue_arguments_and_files(embedded: GraphStore, tmp_path: Path) -> None:
    with _queue(embedded) as queue:
        for kwargs, what in (({"status": "done"}, "status"), ({"kind": "node"}, "kind"),
                             ({"limit": 0}, "limit")):
            with pytest.raises(InvalidInput, match=what):
                queue.candidates(**kwargs)  # type: ignore[arg-type]
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="empty document"):
        ingest_documents(embedded, [tmp_path / "empty.txt"])
    with pytest.raises(InvalidInput, match="INNOGRAPH_REVIEW_DB"):
        review_queue_path("bolt://localhost:7687")
    (tmp_path / "notdb").write_text("x" * 200, encoding="utf-8")
    with pytest.raises((StoreUnavailable, sqlite3.DatabaseError)):
        ReviewQueue(tmp_path / "notdb").candidates()


def test_read_only_queue_without_a_file_is_empty(tmp_path: Path) -> None:
    with ReviewQueue(tmp_path / "none.sqlite", read_only=True) as queue:
        assert queue.candidates() == [] and queue.counts() == {}
    assert not (tmp_path / "none.sqlite").exists()


def test_rereading_after_the_graph_learnt_a_name_points_relations_at_it(
        embedded: GraphStore, simplified_file: Path) -> None:
    ingest_documents(embedded, [simplified_file])
    with _queue(embedded) as queue:
        firm = _find(queue, "东方电气集团", kind="entity")
        review.accept(embedded, queue, firm.id)
        before = len(queue.candidates(status=None, limit=1000))
    again = ingest_documents(embedded, [simplified_file]).documents[0]
    assert again.document_unchanged and again.created == 0 and again.updated >= 1
    with _queue(embedded) as queue:
        joint = _find(queue, "东方电气集团")
        assert joint.data["target"]["entity_id"] == "enterprise:东方电气集团"
        assert joint.status == "pending" and queue.get(firm.id).status == "accepted"
        assert len(queue.candidates(status=None, limit=1000)) == before


def test_an_accepted_team_keeps_its_leader(embedded: GraphStore, simplified_file: Path) -> None:
    ingest_documents(embedded, [simplified_file])
    with _queue(embedded) as queue:
        leads = _find(queue, "海洋智能装备研究团队")
        assert leads.data["relation"] == "leads"
        review.accept(embedded, queue, leads.id)
    team = embedded.get("talent_team:海洋智能装备研究团队")
    assert team is not None and team.props == {"leader": "张伟"}
    assert embedded.get("person:张伟") is not None


def test_an_accept_racing_a_reject_leaves_exactly_one_decision(embedded: GraphStore,
                                                               simplified_file: Path) -> None:
    """Issue 15, finding 4: accept and reject checked "pending" and then updated without
    re-checking; racing, both reported success. Now the queue's write lock spans the check,
    the graph write and the decision: one wins, the other gets AlreadyDecided (409)."""
    import threading

    ingest_documents(embedded, [simplified_file])
    with _queue(embedded) as queue:
        ids = [c.id for c in queue.candidates(kind="entity")][:6]
    outcomes: dict[str, list[str]] = {i: [] for i in ids}

    def decide(the_id: str, verb: str) -> None:
        with _queue(embedded) as queue:  # each reviewer its own connection, as the API does
            try:
                if verb == "accept":
                    review.accept(embedded, queue, the_id)
                else:
                    review.reject(queue, the_id, "race")
                outcomes[the_id].append(verb)
            except AlreadyDecided:
                outcomes[the_id].append("409")

    threads = [threading.Thread(target=decide, args=(i, verb)) for i in ids
               for verb in ("accept", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with _queue(embedded) as queue:
        for the_id, seen in outcomes.items():
            assert sorted(seen) in (["409", "accept"], ["409", "reject"]), seen
            final = queue.get(the_id).status
            assert final == ("accepted" if "accept" in seen else "rejected")
