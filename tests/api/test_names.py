"""Every parameter that names an entity takes a name or alias as the CLI does, resolved by the
same resolver; an unknown name is a 404, a shared name a 422 listing the candidates."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings
from graph.store import open_store
from ingest.loader import load_paths
from schema import Entity, EntityType
from tests.conftest import SAMPLE


def test_a_region_and_an_industry_by_name(reader: TestClient) -> None:
    by_id = reader.get("/entities", params={"region": "region:瓯海区", "limit": 500}).json()
    by_name = reader.get("/entities", params={"region": "瓯海区", "limit": 500}).json()
    assert by_name == by_id and by_name["items"]
    eyewear = reader.get("/entities", params={"industry": "眼镜", "limit": 500}).json()
    assert eyewear == reader.get("/entities", params={"industry": "industry:眼镜",
                                                      "limit": 500}).json()


def test_a_chain_a_team_and_an_entity_by_name(reader: TestClient) -> None:
    chain = reader.get("/industries/眼镜/chain", params={"region": "瓯海区"})
    assert chain.status_code == 200
    assert chain.json() == reader.get("/industries/industry:眼镜/chain",
                                      params={"region": "region:瓯海区"}).json()
    team = reader.get("/talent-teams/叶志镇院士团队/links")
    assert team.status_code == 200 and team.json()["team"]["id"] == "talent_team:叶志镇院士团队"
    entity = reader.get("/entities/浙大温州研究院")  # an alias
    assert entity.status_code == 200 and entity.json()["id"] == "institute:浙江大学温州研究院"
    hood = reader.get("/entities/浙大温州研究院/neighborhood")
    assert hood.status_code == 200 and hood.json()["nodes"]


def test_a_name_of_the_wrong_kind_or_unknown_is_not_found(reader: TestClient) -> None:
    assert reader.get("/industries/瓯海区/chain").status_code == 404       # a region
    assert reader.get("/talent-teams/瓯江实验室/links").status_code == 404  # an institute
    assert reader.get("/entities", params={"region": "不存在的区"}).status_code == 404


def test_a_shared_name_lists_the_candidates(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("ambiguous")
    with open_store(folder / "store") as store:
        load_paths(store, [SAMPLE])
        store.upsert([Entity("enterprise:同名", EntityType.enterprise, "同名"),
                      Entity("institute:同名", EntityType.institute, "同名")])
        app = create_app(Settings(store=store.location,  # type: ignore[arg-type]
                                  rejects_dir=folder / "rejects"), store=store)
        with TestClient(app) as client:
            answer = client.get("/recommendations/partners", params={"entity": "同名"})
            assert answer.status_code == 422
            assert "enterprise:同名" in answer.text and "institute:同名" in answer.text


def test_partners_beyond_the_district(tmp_path_factory: pytest.TempPathFactory) -> None:
    """scope=external answers organisations of the reference layer whose disciplines serve
    the entity's segments, each with reasons; scope=all adds them to the local ones."""
    folder = tmp_path_factory.mktemp("scope")
    (folder / "名录.csv").write_text(
        "学校名称,所在地,学校标识码,双一流建设学科,级别\n"
        "北京理工大学,北京市,4111010007,光学工程；材料科学与工程,双一流建设高校；985工程\n",
        encoding="utf-8")
    with open_store(folder / "store") as store:
        load_paths(store, [SAMPLE])
        load_paths(store, [folder / "名录.csv"], origin="reference")
        app = create_app(Settings(store=store.location,  # type: ignore[arg-type]
                                  rejects_dir=folder / "rejects"), store=store)
        with TestClient(app) as client:
            outside = client.get("/recommendations/partners",
                                 params={"entity": "眼镜·镜片与光学材料", "scope": "external"})
            body = outside.json()
            assert outside.status_code == 200 and body["items"] == []
            assert [c["entity"]["name"] for c in body["external"]] == ["北京理工大学"]
            assert any("光学工程" in r for r in body["external"][0]["reasons"])
            both = client.get("/recommendations/partners",
                              params={"entity": "眼镜·镜片与光学材料", "scope": "all"}).json()
            assert both["items"] and both["external"]
            assert "北京理工大学" not in {i["entity"]["name"] for i in both["items"]}
            local = client.get("/recommendations/partners",
                               params={"entity": "眼镜·镜片与光学材料"}).json()
            assert local["external"] == [] and local["scope"] == "local"
            chain = client.get("/industries/眼镜/chain").json()
            lens = next(s for s in chain["segments"]
                        if s["segment"]["name"] == "眼镜·镜片与光学材料")
            assert lens["status"] and [e["entity"]["name"] for e in lens["external"]] == [
                "北京理工大学"]
            assert all(s["external"] == [] for s in chain["segments"] if not s["status"])


def test_partners_for_an_industry_or_a_region_say_what_to_ask(reader: TestClient) -> None:
    """A promoter asks for 眼镜's or 瓯海区's partners: the answer says, in Chinese, where
    the candidates are (the chain map, scope=external) instead of an English refusal."""
    industry = reader.get("/recommendations/partners", params={"entity": "眼镜"})
    assert industry.status_code == 422
    assert "产业链图谱" in industry.json()["detail"] and "scope=external" in industry.json()["detail"]
    region = reader.get("/recommendations/partners", params={"entity": "瓯海区"})
    assert region.status_code == 422 and "是区域" in region.json()["detail"]
    outside = reader.get("/recommendations/partners", params={"entity": "眼镜",
                                                             "scope": "external"})
    assert outside.status_code == 200 and outside.json()["external_asked"] == ["眼镜"]
