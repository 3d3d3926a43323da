"""The ranker's graph evidence: weighted resource allocation over two and three ties, worked
out by hand on a small graph and cross-checked against NetworkX on a random one."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analytics import Projection, Recommender, ScoreWeights, build_projection
from graph.analytics.catalog import Catalog
from graph.analytics.evidence import ResourceSpread
from schema import EntityType, InvalidInput, RelationType
from tests.conftest import entity, relation

E, R = EntityType, RelationType
U, Z1, Z2 = "enterprise:甲公司", "institute:乙研究院", "platform:丙平台"
A, X, B, D, Y, LONE = ("enterprise:丁公司", "enterprise:戊公司", "enterprise:己公司",
                       "enterprise:庚公司", "enterprise:辛公司", "enterprise:壬公司")


@pytest.fixture
def hand() -> Projection:
    """甲 works with 乙研究院 (共建, strength 3) and 丙平台 (合作, 1). Strengths s: 乙 10
    (4 ties), 丙 3 (3 ties), 己 2. By hand, r₂ = Σ r₁(z)·w(z, v)/s(z) with r₁ = 甲's tie:

    - 辛: 3·3/10 + 1·1/3 = 1.2333 (through both)
    - 丁: 3·3/10 = 0.9 (共建 through 乙)
    - 己: 1·1/3 = 0.3333 (合作 through 丙) — plain RA would put 己 (1/3) above 丁 (1/4)
    - 戊: 3·1/10 = 0.3
    - 庚: no shared partner; r₃ = r₂(己)·w(己, 庚)/s(己) = 0.3333·1/2 = 0.1667
    """
    u, z1, z2 = entity(E.enterprise, "甲公司"), entity(E.institute, "乙研究院"), \
        entity(E.platform, "丙平台")
    a, x, b, d, y, lone = (entity(E.enterprise, name) for name in (
        "丁公司", "戊公司", "己公司", "庚公司", "辛公司", "壬公司"))
    ties = [(u, z1, "共建"), (u, z2, "合作"), (z1, a, "共建"), (z1, x, "合作"),
            (z2, b, "合作"), (b, d, "合作"), (y, z1, "共建"), (y, z2, "合作")]
    return build_projection([u, z1, z2, a, x, b, d, y, lone],
                            [relation(R.partnership, s, t, kind=k) for s, t, k in ties])


def test_weighted_resource_allocation_by_hand(hand: Projection) -> None:
    rec = Recommender(hand, {})  # equal standing: the prior is 0 for every candidate
    two = {v: rec.parts(U, v)["two_step"] for v in (Y, A, B, X)}
    assert two == pytest.approx({Y: 0.9 + 1 / 3, A: 0.9, B: 1 / 3, X: 0.3})
    assert rec.parts(U, D)["two_step"] == 0
    assert rec.parts(U, D)["three_step"] == pytest.approx(1 / 6)
    assert rec.parts(U, D)["graph"] == pytest.approx(0.3 * 1 / 6)  # ε = 0.3
    # evidence alone orders them: tie strength puts 丁 (共建) above 己 (合作)
    assert [r.entity.id for r in rec.recommend(U, 10)] == [Y, A, B, X, D]


def test_a_three_tie_path_counts_less_than_a_shared_partner(hand: Projection) -> None:
    rec = Recommender(hand, {})
    through_three, weakest_shared, nothing = (rec.parts(U, v) for v in (D, X, LONE))
    assert 0 == nothing["graph"] < through_three["graph"] < weakest_shared["graph"]
    assert rec.score(nothing) < rec.score(through_three) < rec.score(weakest_shared)
    assert rec.score(nothing) > 0  # the floor: the prior can still rank it
    assert LONE not in {r.entity.id for r in rec.recommend(U, 10)}  # not reached, no prior


def test_partners_and_the_query_are_excluded(hand: Projection) -> None:
    found = {r.entity.id for r in Recommender(hand, {}).recommend(U, 10)}
    assert not found & {U, Z1, Z2}


def test_the_explanation_names_the_evidence(hand: Projection) -> None:
    found = {r.entity.id: r for r in Recommender(hand, {}).recommend(U, 10)}
    both = found[Y].explanation
    # shared partners by their share of the evidence (0.9 through 乙, 0.33 through 丙),
    # not by their number of ties (丙 has fewer)
    assert [z.id for z in both.shared_partners] == [Z1, Z2]
    assert [s.entity.id for s in both.path] == [U, Z1, Y]
    assert both.text == "与甲公司经乙研究院共建关系相连，共同合作方2家（乙研究院、丙平台）。"
    far = found[D].explanation
    assert far.shared_partner_count == 0
    assert [s.entity.id for s in far.path] == [U, Z2, B, D]
    assert far.text == "与甲公司经丙平台—己公司相连（3步：合作、合作、合作）。"


def test_prior_ranks_candidates_without_evidence_and_breaks_ties() -> None:
    industry = entity(E.industry, "眼镜")
    lens = entity(E.chain_segment, "眼镜·镜片", order=1)
    q, hub = entity(E.enterprise, "甲光学"), entity(E.institute, "研究院")
    same, other = entity(E.enterprise, "乙光学"), entity(E.enterprise, "丙公司")
    bare = entity(E.enterprise, "丁光学")  # same segment, no tie at all
    p = build_projection([industry, lens, q, hub, same, other, bare], [
        relation(R.part_of, lens, industry),
        *(relation(R.in_segment, v, lens) for v in (q, same, bare)),
        *(relation(R.partnership, hub, v, kind="合作") for v in (q, same, other))])
    rec = Recommender(p, {})
    assert rec.parts(q.id, same.id)["graph"] == rec.parts(q.id, other.id)["graph"] > 0
    found = [r.entity.name for r in rec.recommend(q.id, 3)]
    assert found[0] == "乙光学"  # same evidence as 丙公司, and the same segment
    assert set(found) == {"乙光学", "丙公司", "丁光学"}  # 丁光学 on its prior alone


def test_matches_networkx_resource_allocation_when_every_tie_counts_one() -> None:
    g: nx.Graph[str] = nx.relabel_nodes(nx.gnm_random_graph(120, 300, seed=11), str)
    nx.set_edge_attributes(g, 1.0, "weight")
    spread = ResourceSpread(Projection(g, Catalog()))
    for u in sorted(g)[:15]:
        reach = spread.reach({u})
        pairs = [(u, v) for v in g if v != u and not g.has_edge(u, v)]
        expected = {v: ra for _, v, ra in nx.resource_allocation_index(g, pairs) if ra}
        assert reach.two.keys() - set(g.adj[u]) == expected.keys()
        assert {v: reach.two[v] for v in expected} == pytest.approx(expected)


def test_three_ties_by_brute_force_on_a_weighted_graph(random_graph: Projection) -> None:
    g = random_graph.graph
    spread = ResourceSpread(random_graph)
    s = {z: sum(w for _, _, w in g.edges(z, data="weight")) for z in g}
    for u in sorted(g)[:5]:
        three: dict[str, float] = {}
        for a in g.adj[u]:
            for b in g.adj[a]:
                if b == u:
                    continue
                for v in g.adj[b]:
                    if v != u:
                        three[v] = three.get(v, 0.0) + (g.edges[u, a]["weight"]
                                                        * g.edges[a, b]["weight"] / s[a]
                                                        * g.edges[b, v]["weight"] / s[b])
        assert spread.reach({u}).three == pytest.approx(three)


def test_weights_that_cannot_work_are_refused(hand: Projection) -> None:
    with pytest.raises(InvalidInput, match="floor"):
        Recommender(hand, {}, ScoreWeights(floor=0))
    with pytest.raises(InvalidInput, match="boost"):
        Recommender(hand, {}, ScoreWeights(boost=-1))
    with pytest.raises(InvalidInput, match="all 0"):
        Recommender(hand, {}, ScoreWeights(chain=0, industry=0, standing=0))
