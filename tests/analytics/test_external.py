"""External candidates: organisations of the reference layer whose disciplines serve a
segment or an industry; every stated reason is checked against the data it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.analytics.capabilities import serving, split_disciplines
from graph.analytics.external import ReferencePool, levels_of, province_of
from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from schema import Entity, EntityType, Relation, RelationType, relation_id

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    opened = open_store(tmp_path_factory.mktemp("external") / "store")
    load_paths(opened, [ROOT / "data" / "wenzhou"])
    load_paths(opened, [ROOT / "data" / "reference"], origin="reference")
    # a local firm that already works with a reference university
    firm = opened.get("enterprise:浙江华联机械有限公司") or Entity(
        "enterprise:温州某鞋业有限公司", EntityType.enterprise, "温州某鞋业有限公司")
    scut = "institute:华南理工大学"
    opened.upsert([firm], [Relation(relation_id(firm.id, RelationType.partnership, scut),
                                    RelationType.partnership, firm.id, scut)])
    return opened


@pytest.fixture(scope="module")
def pool(store: GraphStore) -> ReferencePool:
    return ReferencePool(store)


def test_only_organisations_outside_the_district_are_proposed(store: GraphStore,
                                                              pool: ReferencePool) -> None:
    found = pool.for_segment("眼镜·镜片与光学材料", "眼镜", limit=20)
    assert len(found) == 20
    for candidate in found:
        entity = store.get(candidate.entity.id)
        assert entity is not None and entity.layer == "reference"
    assert "浙江大学" not in {c.entity.name for c in found}  # the sample's own: local
    assert pool.home_province == "浙江省"


@pytest.mark.parametrize(("segment", "industry"), [
    ("眼镜·镜片与光学材料", "眼镜"), ("生命健康·基础研究与新药发现", "生命健康"),
    ("智能锁具·电子模组与芯片", "智能锁具"), (None, "鞋革"), (None, "北斗导航")])
def test_every_reason_is_true_of_the_data(store: GraphStore, pool: ReferencePool,
                                          segment: str | None, industry: str) -> None:
    found = (pool.for_segment(segment, industry, limit=30) if segment
             else pool.for_industry(industry, limit=30))
    assert found
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)
    for candidate in found:
        entity = store.get(candidate.entity.id)
        assert entity is not None
        stated = split_disciplines(str(entity.props.get("disciplines")))
        table = {(c.discipline, c.industry, c.segment) for c in serving(stated)}
        for capability in candidate.capabilities:
            assert capability["discipline"] in stated
            assert (capability["discipline"], capability["industry"],
                    capability["segment"] or "") in table
            assert capability["industry"] == industry
        if candidate.fit == "segment" and segment:
            assert all(c["segment"] == segment for c in candidate.capabilities)
        assert candidate.levels == levels_of(entity)
        assert candidate.province == province_of(entity)
        assert candidate.same_province == (candidate.province == "浙江省")
        hood = {n.id for n in store.neighborhood(entity.id, depth=1, max_nodes=500).nodes}
        assert {t.id for t in candidate.ties} <= hood
        assert ("图谱中尚无与本地机构的合作记录" in candidate.unknown) == (not candidate.ties)
        assert len(candidate.reasons) == (len(candidate.capabilities) + bool(candidate.levels)
                                          + candidate.same_province + bool(candidate.ties))


def test_a_tie_to_the_district_is_a_reason_and_counts(pool: ReferencePool) -> None:
    found = {c.entity.name: c for c in pool.for_industry("鞋革", limit=10)}
    scut = found["华南理工大学"]
    assert scut.ties and any(r.startswith("已与本地的") for r in scut.reasons)
    assert next(iter(found)) == "华南理工大学"


def test_a_segment_match_ranks_above_an_industry_only_match(pool: ReferencePool) -> None:
    found = pool.for_segment("眼镜·镜片与光学材料", "眼镜", limit=100)
    fits = [c.fit for c in found]
    assert "segment" in fits
    assert fits.index("segment") < (fits.index("industry") if "industry" in fits else 100)
    assert pool.for_segment("眼镜·镜片与光学材料", "眼镜", limit=0) == []


def test_an_actor_is_matched_through_its_segments_and_industries(store: GraphStore) -> None:
    from graph.analytics.external import external_for

    institute = external_for(store, "institute:中国科学院大学温州研究院", limit=5)
    assert institute.asked and institute.items
    assert "生命健康·生物材料与原料" in institute.asked
    segment = external_for(store, "chain_segment:眼镜·镜片与光学材料", limit=3)
    assert segment.asked == ["眼镜·镜片与光学材料"] and len(segment.items) == 3
    place = external_for(store, "region:瓯海区")
    assert place.items == [] and "可改问" in place.note


def test_local_recommendations_leave_the_reference_layer_out(store: GraphStore) -> None:
    """With 2,919 reference universities loaded, the local ranking still proposes only
    organisations the district's own sources state; the reference ones are external's."""
    from graph.analytics import Recommender, pagerank, project

    projection = project(store)
    assert "institute:北京大学" in projection.catalog.external
    assert "institute:浙江大学" not in projection.catalog.external  # the sample states it
    recommender = Recommender(projection, pagerank(projection))
    for query in ("institute:浙江大学温州研究院", "chain_segment:眼镜·镜片与光学材料",
                  "enterprise:华联机械"):
        found = recommender.recommend(query, 20)
        assert found and not {r.entity.id for r in found} & projection.catalog.external
