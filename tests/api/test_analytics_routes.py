"""Analytics, recommendations, talent links and chains over HTTP (Wenzhou sample)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_density_by_industry_and_region(reader: TestClient) -> None:
    body = reader.get("/analytics/density", params={"by": "industry"}).json()
    assert body["by"] == "industry" and body["groups"]
    first = body["groups"][0]
    assert first["members"] >= 2 and 0 <= first["density"] <= 1
    assert {"weighted_density", "average_clustering", "isolated"} <= set(first)
    assert reader.get("/analytics/density", params={"by": "region"}).status_code == 200
    bad = reader.get("/analytics/density", params={"by": "planet"})
    assert bad.status_code == 422 and bad.json()["parameter"] == "by"


def test_density_matrix(reader: TestClient) -> None:
    response = reader.get("/analytics/density/matrix",
                          params={"rows": "industry", "columns": "region"})
    assert response.status_code == 200, response.text


def test_centrality_ranking_is_ordered(reader: TestClient) -> None:
    body = reader.get("/analytics/centrality", params={"measure": "pagerank",
                                                       "limit": 5}).json()
    values = [item["value"] for item in body["items"]]
    assert len(values) == 5 and values == sorted(values, reverse=True)
    assert body["betweenness_method"] in ("exact", "sampled") and body["nodes"] > 50
    assert body["items"][0]["entity"]["name"]


def test_communities_have_labels_and_modularity(reader: TestClient) -> None:
    body = reader.get("/analytics/communities", params={"limit": 3, "max_members": 4}).json()
    assert 0 < body["modularity"] <= 1 and body["count"] >= 3
    assert len(body["communities"]) == 3
    assert all(len(c["members"]) <= 4 and c["label"] for c in body["communities"])


def test_partner_recommendations_by_name_with_explanations(reader: TestClient) -> None:
    body = reader.get("/recommendations/partners",
                      params={"entity": "浙大温州研究院", "limit": 5}).json()
    assert body["entity"]["id"] == "institute:浙江大学温州研究院"
    assert 0 < len(body["items"]) <= 5
    for item in body["items"]:
        assert item["explanation"]["text"]  # a sentence a promoter can read
        assert item["entity"]["id"] != body["entity"]["id"]
    assert reader.get("/recommendations/partners",
                      params={"entity": "不存在的公司"}).status_code == 404
    assert body["why_empty"] == ""


def test_no_partners_says_what_the_graph_lacks(reader: TestClient) -> None:
    body = reader.get("/recommendations/partners",
                      params={"entity": "温州国家大学科技园"}).json()
    assert body["items"] == []
    assert "温州国家大学科技园" in body["why_empty"] and "还没有合作关系" in body["why_empty"]
    outside = reader.get("/recommendations/partners",
                         params={"entity": "温州国家大学科技园", "scope": "external"}).json()
    assert outside["why_empty"] == ""  # only the local ranking was asked for


def test_talent_team_links(reader: TestClient) -> None:
    body = reader.get("/talent-teams/talent_team:叶志镇院士团队/links").json()
    assert body["team"]["name"] == "叶志镇院士团队" and body["links"]
    assert all(link["hops"] <= 2 for link in body["links"])
    assert reader.get("/talent-teams/talent_team:不存在/links").status_code == 404


def test_industries_and_the_eyewear_chain(reader: TestClient) -> None:
    listed = reader.get("/industries").json()
    names = [i["industry"]["name"] for i in listed]
    assert {"眼镜", "智能锁具", "生命健康", "智能装备"} <= set(names)
    chain = reader.get("/industries/industry:眼镜/chain").json()
    orders = [s["order"] for s in chain["segments"]]
    assert len(orders) >= 3 and orders == sorted(orders)  # upstream → downstream
    assert chain["gaps"] or chain["weak"]
    assert reader.get("/industries/industry:不存在/chain").status_code == 404
    assert reader.get("/industries/region:温州市/chain").status_code == 404
