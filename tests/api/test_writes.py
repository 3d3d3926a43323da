"""Writes need the key; they load through the same validation as `innograph ingest`."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings
from tests.api.conftest import API_KEY, writer_for

KEY = {"X-API-Key": API_KEY}
ENTITIES = "name,type,aliases\n浙江大学温州研究院,institute,浙大温州研究院\n华联机械,enterprise,\n"
RELATIONS = "source,target,relation,kind,year\n华联机械,浙大温州研究院,partnership,共建,2021\n" \
            "华联机械,火星研究所,partnership,共建,2021\n"


def _upload(client: TestClient, **headers: str) -> object:
    files = [("files", ("entities.csv", ENTITIES.encode(), "text/csv")),
             ("files", ("relations.csv", RELATIONS.encode(), "text/csv"))]
    return client.post("/ingest", files=files, headers=headers)


def test_writes_without_a_configured_key_are_refused(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(store=str(tmp_path / "s")))) as client:
        response = client.post("/entities", json=[{"name": "甲", "type": "enterprise"}],
                               headers=KEY)
    assert response.status_code == 403 and "INNOGRAPH_API_KEY" in response.json()["detail"]


def test_missing_key_is_401_and_wrong_key_is_403(tmp_path: Path) -> None:
    with writer_for(tmp_path) as client:
        missing = client.delete("/entities/enterprise:甲")
        wrong = client.delete("/entities/enterprise:甲", headers={"X-API-Key": "guess"})
        assert client.get("/health").json()["entities"] == 0
    assert missing.status_code == 401 and missing.json()["parameter"] == "X-API-Key"
    assert wrong.status_code == 403


def test_upload_loads_tables_and_reports_rejects_by_uploaded_name(tmp_path: Path) -> None:
    with writer_for(tmp_path) as client:
        response = _upload(client, **KEY)
        body = response.json()["tables"]
        assert response.status_code == 200
        assert body["files"] == ["entities.csv", "relations.csv"]
        assert body["created"] == {"entities": 2, "relations": 1} and body["rejected"] == 1
        reject = body["rejects"][0]
        assert (reject["file"], reject["row"], reject["column"]) == ("relations.csv", 3, "target")
        again = _upload(client, **KEY).json()["tables"]
        assert again["unchanged"] == {"entities": 2, "relations": 1}
        assert client.get("/entities/enterprise:华联机械").status_code == 200


def test_entity_and_relation_bodies_then_deletes(tmp_path: Path) -> None:
    with writer_for(tmp_path) as client:
        made = client.post("/entities", headers=KEY, json=[
            {"name": "温州眼镜产业创新服务综合体", "type": "platform", "aliases": "眼镜综合体"},
            {"name": "中国眼谷", "type": "incubator"}]).json()
        assert made["created"]["entities"] == 2
        linked = client.post("/relations", headers=KEY, json=[
            {"source": "眼镜综合体", "target": "中国眼谷", "relation": "supports"}]).json()
        assert linked["created"]["relations"] == 1, linked
        # every row rejected: the write is refused (422) naming the row's column and reason
        bad = client.post("/entities", headers=KEY, json=[{"name": "无类型"}])
        assert bad.status_code == 422 and "row 1, type: missing" in bad.json()["detail"]
        relation_id = client.get("/entities/incubator:中国眼谷/neighborhood").json()["edges"][0]["id"]
        assert client.delete(f"/relations/{relation_id}", headers=KEY).json() == {"deleted": 1}
        assert client.delete("/entities/incubator:中国眼谷", headers=KEY).json() == {"deleted": 1}
        assert client.get("/entities/incubator:中国眼谷").status_code == 404


def test_upload_limits_and_file_kinds(tmp_path: Path) -> None:
    with writer_for(tmp_path, max_upload_mb=1) as client:
        big = client.post("/ingest", headers=KEY, files=[
            ("files", ("big.csv", b"name,type\n" + b"x" * (1 << 21), "text/csv"))])
        exe = client.post("/ingest", headers=KEY, files=[
            ("files", ("tool.exe", b"MZ", "application/octet-stream"))])
        empty_body = client.post("/entities", headers=KEY, json=[])
        stored = client.get("/health").json()["entities"]
    assert stored == 0  # a refused upload writes nothing
    assert big.status_code == 422 and "upload limit" in big.json()["detail"]
    assert exe.status_code == 422 and exe.json()["parameter"] == "files[0]"
    assert empty_body.status_code == 422


def test_a_blank_configured_key_disables_writes(tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "s"), api_key="  ")  # type: ignore[arg-type]
    assert settings.api_key is None
    with TestClient(create_app(settings)) as client:
        response = client.post("/entities", json=[{"name": "甲", "type": "enterprise"}],
                               headers={"X-API-Key": ""})
    assert response.status_code == 403


def test_body_fields_that_mean_the_same_column_are_a_422(tmp_path: Path) -> None:
    with writer_for(tmp_path) as client:
        response = client.post("/entities", headers=KEY, json=[
            {"name": "中国眼谷", "type": "incubator", "aliases": "眼谷", "简称": "眼谷园"}])
        stored = client.get("/health").json()["entities"]
    assert stored == 0
    assert response.status_code == 422 and "aliases" in response.json()["detail"]


GOV_LIST = ("2024年瓯海区科技型企业名单\n序号,企业名称,所在地区,级别\n瓯海区（2家）,,,\n"
            "1,温州甲光学有限公司,瓯海区,市级\n2,温州乙电气有限公司,瓯海区,-\n注：排名不分先后,,,\n")


def _list_upload(client: TestClient, text: str, query: str = "") -> object:
    files = [("files", ("名单.csv", text.encode("gb18030"), "text/csv"))]
    return client.post(f"/ingest{query}", files=files, headers=KEY)


def test_a_government_list_upload_dry_run_explains_and_writes_nothing(tmp_path: Path) -> None:
    with writer_for(tmp_path) as client:
        dry = _list_upload(client, GOV_LIST, "?dry_run=true")
        body = dry.json()["tables"]
        assert dry.status_code == 200 and body["dry_run"] is True
        (sheet,) = body["sources"]
        assert (sheet["shape"], sheet["header_row"], sheet["entity_type"]) == (
            "government_list", 2, "enterprise")
        assert {s["kind"] for s in sheet["skipped"]} >= {"title", "group", "note"}
        assert body["created"]["entities"] == 3  # two firms and the region 瓯海区
        assert client.get("/health").json()["entities"] == 0  # nothing written
        loaded = _list_upload(client, GOV_LIST).json()["tables"]
        assert loaded["created"] == body["created"]
        firm = client.get("/entities/enterprise:温州甲光学有限公司").json()
        assert firm["props"]["level"] == "市级" and firm["sources"][0]["source"] == "名单.csv"


def test_an_upload_whose_every_row_is_rejected_is_an_error(tmp_path: Path) -> None:
    with writer_for(tmp_path) as client:
        response = _list_upload(client, "序号,企业名称,所在地区\n1,-,瓯海区\n2,/,瓯海区\n")
        assert response.status_code == 422 and "all 2 rows were rejected" in response.text
        assert client.get("/health").json()["entities"] == 0


def test_two_uploads_of_one_file_name_add_up_unless_replace_is_asked(tmp_path: Path) -> None:
    """An upload's source is its file name; two offices' 名单.csv must not erase each other,
    so an upload only adds and updates unless ``?replace=true`` says it is the whole list."""
    first = GOV_LIST
    second = GOV_LIST.replace("温州甲光学有限公司", "温州丙光学有限公司")
    with writer_for(tmp_path) as client:
        _list_upload(client, first)
        _list_upload(client, second)
        assert client.get("/entities/enterprise:温州甲光学有限公司").status_code == 200
        replaced = _list_upload(client, second, "?replace=true").json()["tables"]
        assert replaced["merge"]["deleted"]["entities"] == 1
        assert client.get("/entities/enterprise:温州甲光学有限公司").status_code == 404
        assert client.get("/entities/enterprise:温州丙光学有限公司").status_code == 200
