"""Reading routes: entities, neighbourhoods, paths — over the Wenzhou sample."""

from __future__ import annotations

from fastapi.testclient import TestClient

ZJU = "institute:浙江大学温州研究院"


def test_entities_page_by_cursor_and_filter_by_type(reader: TestClient) -> None:
    first = reader.get("/entities", params={"limit": 50}).json()
    assert len(first["items"]) == 50 and first["next_cursor"] == first["items"][-1]["id"]
    seen = [e["id"] for e in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = reader.get("/entities", params={"limit": 50, "cursor": cursor}).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
    health = reader.get("/health").json()
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == health["entities"]
    parks = reader.get("/entities", params={"type": "park", "limit": 500}).json()["items"]
    assert parks and {e["type"] for e in parks} == {"park"}
    assert len(parks) == health["entities_by_type"]["park"]


def test_one_entity_has_properties_aliases_and_provenance(reader: TestClient) -> None:
    body = reader.get(f"/entities/{ZJU}").json()
    assert body["name"] == "浙江大学温州研究院" and body["type_label"]
    assert "浙大温州研究院" in body["aliases"]
    assert body["provenance"]["source_doc"] and body["provenance"]["source_span"]


def test_unknown_entity_is_a_404_problem(reader: TestClient) -> None:
    response = reader.get("/entities/institute:不存在的研究院")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "不存在的研究院" in response.json()["detail"]


def test_neighborhood_depth_filters_and_truncation(reader: TestClient) -> None:
    one = reader.get(f"/entities/{ZJU}/neighborhood").json()
    ids = {n["id"] for n in one["nodes"]}
    assert ZJU in ids and len(ids) > 3 and not one["truncated"]
    assert all(e["source"] in ids and e["target"] in ids for e in one["edges"])
    two = reader.get(f"/entities/{ZJU}/neighborhood", params={"depth": 2}).json()
    assert ids < {n["id"] for n in two["nodes"]}
    small = reader.get(f"/entities/{ZJU}/neighborhood", params={"depth": 2, "limit": 5}).json()
    assert len(small["nodes"]) == 5 and small["truncated"]
    typed = reader.get(f"/entities/{ZJU}/neighborhood",
                       params=[("types", "enterprise"), ("types", "talent_team")]).json()
    assert {n["type"] for n in typed["nodes"] if n["id"] != ZJU} <= {"enterprise", "talent_team"}


def test_neighborhood_caps_are_422s(reader: TestClient) -> None:
    for params, parameter in (({"depth": 4}, "depth"), ({"limit": 501}, "limit"),
                              ({"types": "planet"}, "types"), ({"relations": "x"}, "relations")):
        response = reader.get(f"/entities/{ZJU}/neighborhood", params=params)
        assert response.status_code == 422 and response.json()["parameter"] == parameter


def test_paths_by_name_with_each_hop_in_words(reader: TestClient) -> None:
    body = reader.get("/paths", params={"source": "浙大温州研究院", "target": "温州市"}).json()
    assert body["source"]["id"] == ZJU and body["target"]["id"] == "region:温州市"
    assert body["paths"]
    first = body["paths"][0]["hops"]
    assert first[0]["source"]["id"] == ZJU and first[-1]["target"]["id"] == "region:温州市"
    assert all("—" in hop["text"] for hop in first)
    assert all(hop["relation"]["provenance"] for hop in first)  # each hop cites its source


def test_paths_prefer_real_ties_and_say_what_they_are(reader: TestClient) -> None:
    body = reader.get("/paths", params={"source": "浙大温州研究院", "target": "温州医科大学"}).json()
    assert body["kind"] == "ties" and "实际关系" in body["note"]
    assert all(hop["relation"]["type"] not in ("located_in", "in_industry", "in_segment")
               for path in body["paths"] for hop in path["hops"])
    placed = reader.get("/paths", params={"source": "浙大温州研究院", "target": "温州市",
                                          "relations": ["located_in", "part_of"]}).json()
    assert placed["kind"] == "shared_context" and "没有实际合作关系" in placed["note"]


def test_paths_errors(reader: TestClient) -> None:
    assert reader.get("/paths", params={"source": "没有这个", "target": "温州市"}).status_code == 404
    response = reader.get("/paths", params={"source": "温州市", "target": "瓯海区",
                                            "max_hops": 9})
    assert response.status_code == 422 and response.json()["parameter"] == "max_hops"


def test_entities_in_a_region_and_an_industry(reader: TestClient) -> None:
    ouhai = reader.get("/entities", params={"region": "region:瓯海区", "limit": 500}).json()
    ids = {e["id"] for e in ouhai["items"]}
    assert "institute:浙江大学温州研究院" in ids
    wenzhou = reader.get("/entities", params={"region": "region:温州市", "limit": 500}).json()
    assert ids <= {e["id"] for e in wenzhou["items"]}  # a district's members are the city's
    glasses = reader.get("/entities", params={"industry": "industry:眼镜", "type": "platform",
                                              "limit": 2}).json()
    assert len(glasses["items"]) == 2 and glasses["next_cursor"]
    assert {e["type"] for e in glasses["items"]} == {"platform"}
    rest = reader.get("/entities", params={"industry": "industry:眼镜", "type": "platform",
                                           "cursor": glasses["next_cursor"]}).json()
    assert rest["items"] and rest["items"][0]["id"] > glasses["next_cursor"]
    assert reader.get("/entities", params={"region": "industry:眼镜"}).status_code == 404
