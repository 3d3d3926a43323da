"""What the viewer's upload and review screens ask of the API (issue 17): a dry run of a
document that queues nothing, the documents of the queue, a relation the extractor missed
added by a reviewer, and the quoted words kept in an accepted fact's provenance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest.documents.review import QUOTE_MAX
from tests.documents.conftest import SIMPLIFIED

from .conftest import API_KEY, writer_for

KEY = {"X-API-Key": API_KEY}
DOC = "ningbo-2023"


def _upload(client: TestClient, name: str, data: bytes, **params: Any) -> Any:
    return client.post("/ingest", params=params, files={"files": (name, data)}, headers=KEY)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with writer_for(tmp_path) as c:
        assert _upload(c, f"{DOC}.txt", SIMPLIFIED.encode()).status_code == 200
        yield c


def _pending(client: TestClient) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get("/review", params={"doc": DOC}).json()["items"]
    return items


def test_a_document_dry_run_shows_its_candidates_and_queues_nothing(tmp_path: Path) -> None:
    with writer_for(tmp_path) as c:
        answer = _upload(c, f"{DOC}.txt", SIMPLIFIED.encode(), dry_run=True)
        assert answer.status_code == 200
        preview = answer.json()["documents"]
        assert preview["dry_run"] is True
        [doc] = preview["documents"]
        assert doc["doc"] == DOC and doc["characters"] == len(SIMPLIFIED)
        assert doc["entity_candidates"] >= 5 and doc["relation_candidates"] >= 3
        assert {"甬江实验室", "宁波大学"} <= {c["data"].get("canonical") for c in doc["first"]}
        assert c.get("/review").json()["counts"] == {}  # nothing queued
        assert c.get("/review/documents").json() == {"items": []}


def test_an_unreadable_document_is_named_as_uploaded(tmp_path: Path) -> None:
    with writer_for(tmp_path) as c:
        for dry_run in (True, False):
            answer = _upload(c, "报告.docx", b"not a zip", dry_run=dry_run)
            assert answer.status_code == 422
            body = answer.json()
            assert body["parameter"] == "报告.docx"
            assert "innograph-upload" not in body["detail"]  # no server temp path


def test_documents_are_listed_with_their_counts(client: TestClient) -> None:
    [doc] = client.get("/review/documents").json()["items"]
    assert doc["doc"] == DOC and doc["counts"]["pending"] == len(_pending(client)) > 0
    assert _upload(client, "温州-2024.txt", SIMPLIFIED.replace("宁波", "温州").encode()
                   ).status_code == 200
    listed = client.get("/review/documents").json()["items"]
    assert [d["doc"] for d in listed] == sorted([DOC, "温州-2024"])
    assert client.get("/review/documents", params={"limit": 1}).json()["items"] == listed[:1]
    assert client.get("/review/documents", params={"limit": 0}).status_code == 422


def test_a_missed_relation_is_added_accepted_and_quoted(client: TestClient) -> None:
    quote = "宁波大学与甬江实验室共建联合实验室。"
    body = {"doc": DOC, "source": "宁波大学", "target": "甬江实验室", "relation": "partnership",
            "kind": "共建", "year": 2023, "quote": quote, "section": "二"}
    assert client.post("/review/relations", json=body).status_code == 401
    assert client.post("/review/relations", json=body,
                       headers={"X-API-Key": "wrong"}).status_code == 403
    added = client.post("/review/relations", json=body, headers=KEY)
    assert added.status_code == 201
    candidate = added.json()
    assert candidate["status"] == "pending" and candidate["evidence"] == quote
    assert candidate["data"]["added"] is True
    # both ends are the document's own entity candidates (not yet in the graph)
    assert candidate["data"]["source"]["candidate"] and candidate["data"]["target"]["candidate"]
    again = client.post("/review/relations", json=body, headers=KEY)
    assert again.status_code == 409
    decided = client.post(f"/review/{candidate['id']}/accept", headers=KEY).json()
    assert decided["created"] is True
    assert set(decided["entities_created"]) == {"institute:宁波大学", "institute:甬江实验室"}
    relation = client.get("/entities/institute:宁波大学/neighborhood").json()["edges"]
    [edge] = [e for e in relation if e["id"] == decided["graph_id"]]
    assert edge["props"] == {"kind": "共建", "year": 2023}
    assert edge["provenance"]["quote"] == quote
    assert edge["provenance"]["source_doc"] == DOC
    assert edge["provenance"]["source_section"] == "二"
    assert edge["provenance"]["evidence"] == "user"
    assert "source_span" not in edge["provenance"]  # a reviewer's reading has no span
    # re-reading a corrected document keeps a pending relation a reviewer added (the
    # extractor never said it, so it is not the extractor's to withdraw)
    waiting = client.post("/review/relations", headers=KEY, json=body | {
        "target": "宁波材料技术研究所"}).json()
    corrected = (SIMPLIFIED + "三、其他。").encode()
    assert _upload(client, f"{DOC}.txt", corrected).json()["documents"]["candidates"][
        "obsolete"] == 0
    statuses = {c["id"]: c["status"] for status in ("pending", "accepted") for c in
                client.get("/review", params={"status": status, "doc": DOC}).json()["items"]}
    assert statuses[waiting["id"]] == "pending" and statuses[candidate["id"]] == "accepted"


def test_an_added_relation_is_checked_like_an_accept(client: TestClient) -> None:
    base = {"doc": DOC, "source": "宁波大学", "target": "甬江实验室", "relation": "partnership"}
    cases = [({"doc": "其他文档"}, "doc"), ({"source": "没有这个机构"}, "source"),
             ({"relation": "leads"}, "relation"),  # an institute does not lead an institute
             ({"target": "宁波大学"}, "target"), ({"year": 1700}, "year"),
             ({"quote": "字" * (QUOTE_MAX + 1)}, "quote"), ({"kind": "结婚"}, "kind")]
    for change, parameter in cases:
        answer = client.post("/review/relations", json=base | change, headers=KEY)
        assert answer.status_code == 422, change
        assert answer.json()["parameter"] == parameter, (change, answer.json())
    assert not [c for c in _pending(client) if c["data"].get("added")]  # none was queued


def test_the_extractor_s_own_relation_is_not_added_twice(client: TestClient) -> None:
    # the extractor read 宁波大学和东方电气集团联合申报: decide that candidate instead
    answer = client.post("/review/relations", headers=KEY, json={
        "doc": DOC, "source": "东方电气集团", "target": "宁波大学", "relation": "partnership"})
    assert answer.status_code == 409 and "accept or edit" in answer.json()["detail"]


def test_an_accepted_candidate_keeps_its_quote(client: TestClient) -> None:
    relation = next(c for c in _pending(client) if c["kind"] == "relation"
                    and "入驻" in c["evidence"])
    decided = client.post(f"/review/{relation['id']}/accept", headers=KEY).json()
    hood = client.get("/entities/enterprise:宁波中车新能源科技有限公司/neighborhood").json()
    [edge] = [e for e in hood["edges"] if e["id"] == decided["graph_id"]]
    # the quote is the whole sentence the relation was read in, as written
    sentence = SIMPLIFIED[relation["sentence_start"]:relation["sentence_end"]]
    assert edge["provenance"]["quote"] == " ".join(sentence.split())
    assert relation["evidence"] in edge["provenance"]["quote"] and "。" in sentence
    start, end = map(int, edge["provenance"]["source_span"].split("-"))
    assert SIMPLIFIED[start:end] == relation["evidence"]
    firm = client.get("/entities/enterprise:宁波中车新能源科技有限公司").json()
    assert "宁波中车新能源科技有限公司" in firm["provenance"]["quote"]
    assert len(firm["provenance"]["quote"]) > len("宁波中车新能源科技有限公司")
    assert client.get("/labels").json()["provenance"]["quote"] == "原文"
