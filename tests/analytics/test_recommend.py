"""Partner recommendation: ranking evidence, exclusions, and the sentence a promoter reads."""

from __future__ import annotations

import pytest

from graph.analytics import Projection, Recommender, build_projection, pagerank
from graph.store import GraphStore
from schema import EntityNotFound, EntityType, InvalidInput, RelationType
from tests.conftest import entity, relation

E, R = EntityType, RelationType


@pytest.fixture
def glasses() -> Projection:
    """Two lens firms joined through a co-built institute; a frame firm downstream; an
    unrelated firm that already partners the query."""
    industry = entity(E.industry, "眼镜")
    lens = entity(E.chain_segment, "眼镜·镜片", order=1, stage="upstream")
    frame = entity(E.chain_segment, "眼镜·镜架", order=2, stage="midstream")
    a, c = entity(E.enterprise, "甲光学"), entity(E.enterprise, "丙光学")
    hub = entity(E.institute, "浙江大学温州研究院")
    maker = entity(E.enterprise, "丁眼镜")
    old = entity(E.enterprise, "戊公司")
    far = entity(E.enterprise, "己公司")
    rels = [relation(R.part_of, lens, industry), relation(R.part_of, frame, industry),
            relation(R.supplies, lens, frame),
            relation(R.in_segment, a, lens, role="producer"),
            relation(R.in_segment, c, lens, role="producer"),
            relation(R.in_segment, maker, frame, role="producer"),
            relation(R.partnership, a, hub, kind="共建"), relation(R.partnership, hub, c, kind="共建"),
            relation(R.partnership, a, old, kind="合作"), relation(R.partnership, old, far)]
    return build_projection([industry, lens, frame, a, c, hub, maker, old, far], rels)


def test_the_promoters_sentence(glasses: Projection) -> None:
    rec = Recommender(glasses, pagerank(glasses))
    found = rec.recommend("enterprise:甲光学", 5)
    assert found[0].entity.name == "丙光学"
    assert found[0].explanation.text == "与甲光学同属眼镜产业链镜片环节，经浙江大学温州研究院共建关系相连。"
    assert [s.entity.name for s in found[0].explanation.path] == [
        "甲光学", "浙江大学温州研究院", "丙光学"]
    assert found[0].explanation.shared_partner_count == 1
    downstream = next(r for r in found if r.entity.name == "丁眼镜")
    assert downstream.explanation.chain is not None
    assert downstream.explanation.chain.relation == "downstream"
    assert "下游（镜架环节）" in downstream.explanation.text
    assert "<" not in found[0].to_json()["explanation"]["text"]


def test_existing_partners_and_the_query_are_never_recommended(glasses: Projection) -> None:
    rec = Recommender(glasses, pagerank(glasses))
    names = {r.entity.name for r in rec.recommend("enterprise:甲光学", 10)}
    assert not names & {"甲光学", "浙江大学温州研究院", "戊公司"}
    assert "己公司" in names  # a partner's partner


def test_graph_evidence_outranks_no_evidence(glasses: Projection) -> None:
    rec = Recommender(glasses, {})
    with_evidence = rec.parts("enterprise:甲光学", "enterprise:丙光学")
    without = rec.parts("enterprise:甲光学", "enterprise:丁眼镜")
    assert with_evidence["graph"] > 0 == without["graph"]
    assert with_evidence["chain"] == 1.0 and without["chain"] == 0.6
    assert rec.pair_score("enterprise:甲光学", "enterprise:丙光学") > rec.pair_score(
        "enterprise:甲光学", "enterprise:丁眼镜")


def test_a_segment_as_query_stands_for_its_members(glasses: Projection) -> None:
    rec = Recommender(glasses, pagerank(glasses))
    found = rec.recommend("chain_segment:眼镜·镜架", 5)
    names = [r.entity.name for r in found]
    assert "丁眼镜" not in names  # already a member
    assert {"甲光学", "丙光学"} <= set(names)
    lens = next(r for r in found if r.entity.name == "甲光学")
    assert lens.explanation.text.startswith("为眼镜产业链镜架环节的上游（镜片环节）")


def test_bad_queries(glasses: Projection) -> None:
    rec = Recommender(glasses, {})
    with pytest.raises(EntityNotFound):
        rec.recommend("enterprise:不存在")
    with pytest.raises(InvalidInput, match="眼镜是产业，不是机构"):
        rec.recommend("industry:眼镜")
    with pytest.raises(InvalidInput, match="n"):
        rec.recommend("enterprise:甲光学", 0)


def test_sample_recommendations_carry_chinese_reasons(wenzhou: Projection) -> None:
    rec = Recommender(wenzhou, pagerank(wenzhou))
    found = rec.recommend("enterprise:华联机械", 5)
    assert len(found) == 5
    partners = set(wenzhou.graph.adj["enterprise:华联机械"])
    for r in found:
        assert r.entity.id not in partners
        assert r.explanation.text.endswith("。") and "华联机械" in r.explanation.text
        assert 0 <= r.score <= 1
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)


def test_a_segment_gets_its_members_partners_as_candidates(glasses: Projection) -> None:
    rec = Recommender(glasses, pagerank(glasses))
    found = {r.entity.name: r for r in rec.recommend("chain_segment:眼镜·镜片", 10)}
    assert not {"甲光学", "丙光学"} & set(found)  # members
    hub = found["浙江大学温州研究院"]  # partner of both members, not in the segment
    assert hub.explanation.shared_partner_count == 2 and hub.parts["graph"] > 0
    assert hub.explanation.text == "已与眼镜·镜片环节2家成员合作（丙光学、甲光学）。"


def test_every_chain_segment_of_the_sample_gets_partners_without_a_crash(
        wenzhou_store: GraphStore) -> None:
    """Found by bench/api_mixed_load: partners for a chain segment whose candidates share
    only its industry failed with an AssertionError (explain._segment_query_phrase)."""
    from graph.analytics import project

    p = project(wenzhou_store)
    rec = Recommender(p, pagerank(p))
    segments = [e.id for e in wenzhou_store.iter_entities()
                if e.type is EntityType.chain_segment]
    assert segments
    for segment in segments:
        for found in rec.recommend(segment, 20):
            assert found.explanation  # every candidate explained


@pytest.mark.parametrize("learned", [False, True])
def test_an_empty_answer_says_what_the_graph_lacks(wenzhou: Projection, learned: bool) -> None:
    """Every actor of the sample: recommendations, or a Chinese reason naming the actor
    and what is missing — never an empty list without a word."""
    from graph.analytics.recommend import SHIPPED_MODEL, WHY_NONE

    rec = Recommender(wenzhou, pagerank(wenzhou), model=SHIPPED_MODEL if learned else None)
    empty = 0
    for actor in wenzhou.nodes:
        why = rec.why_none(actor)
        assert bool(rec.recommend(actor, 10)) is (why == ""), actor
        if why:
            empty += 1
            assert wenzhou.catalog.name(actor) in why and why.endswith("。")
    assert empty > 0
    assert rec.why_none("incubator:温州国家大学科技园") == WHY_NONE["no_ties"].format(
        name="温州国家大学科技园", partners=0)
    assert rec.why_none("enterprise:中国长城科技集团股份有限公司") == WHY_NONE[
        "partners_alone"].format(name="中国长城科技集团股份有限公司", partners=1)


def test_candidates_of_other_types_are_named_as_the_reason(glasses: Projection) -> None:
    from graph.analytics.recommend import WHY_NONE

    rec = Recommender(glasses, pagerank(glasses), candidate_types={E.talent_team})
    assert rec.recommend("enterprise:甲光学", 10) == []
    assert rec.why_none("enterprise:甲光学") == WHY_NONE["types"].format(name="甲光学",
                                                                      partners=2)
