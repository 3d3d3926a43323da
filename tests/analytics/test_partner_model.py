"""The learned partner ranker: its features against brute force, its trees' effects adding
up, and explanations that say exactly the features that drove each score."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from graph.analytics import (
    PARTNER_TYPES,
    Projection,
    ProjectionFilter,
    Recommender,
    build_projection,
    pagerank,
    project,
)
from graph.analytics.evidence import ResourceSpread
from graph.analytics.explain import (
    MIN_EFFECT,
    QUERY_LEVEL,
    STRUCTURAL,
    learned_reasons,
    path_phrase,
)
from graph.analytics.partner_features import (
    FEATURES,
    HALF_LIFE,
    RECENT_YEARS,
    PartnerIndex,
    sparse_pagerank,
)
from graph.analytics.partner_model import PartnerModel, Tree, pool_of
from graph.analytics.projection import projection_from_tables
from graph.analytics.recommend import SHIPPED_MODEL
from graph.store import open_store
from graph.store.base import GraphStore
from ingest.loader import load_paths
from schema import EntityType, RelationType
from tests.analytics.conftest import random_records
from tests.conftest import entity, relation
from tests.fixtures.bureau.build import build_all

F = {name: i for i, name in enumerate(FEATURES)}
ROOT = Path(__file__).resolve().parents[2]


def test_features_agree_with_brute_force(random_graph: Projection) -> None:
    g, catalog = random_graph.graph, random_graph.catalog
    index = PartnerIndex(random_graph)
    spread = ResourceSpread(random_graph)
    latest = max(y for _, _, ys in g.edges(data="years") for y in ys if y is not None)
    for u in sorted(g)[:6]:
        cands = [v for v in sorted(g) if v != u and not g.has_edge(u, v)]
        rows = index.features([u], index.positions(cands)).values
        reach = spread.reach({u})
        partners = set(g.adj[u])
        for v, row in zip(cands, rows, strict=True):
            shared = partners & set(g.adj[v])
            assert row[F["resource"]] == pytest.approx(reach.two.get(v, 0.0))
            assert row[F["three_step"]] == pytest.approx(reach.three.get(v, 0.0))
            assert row[F["shared"]] == len(shared)
            recent = {z for z in g.adj[v] if _first(g, v, z) is not None
                      and _first(g, v, z) > latest - RECENT_YEARS}  # type: ignore[operator]
            assert row[F["shared_recent"]] == len(recent & partners)
            assert row[F["degree"]] == g.degree(v)
            assert row[F["activity"]] == len(recent)
            kind = catalog.info(v).type
            assert row[F["type_share"]] == pytest.approx(
                sum(catalog.info(z).type is kind for z in partners) / len(partners))
            mine, theirs = catalog.regions_of.get(u, set()), catalog.regions_of.get(v, set())
            union = mine | theirs
            assert row[F["region"]] == pytest.approx(len(mine & theirs) / len(union)
                                                     if union else 0.0)
            home = catalog.home_region.get(v)
            assert row[F["region_share"]] == pytest.approx(
                sum(home in catalog.regions_of.get(z, set()) for z in partners)
                / len(partners) if home else 0.0)
            assert row[F["query_degree"]] == len(partners)


def test_history_features_agree_with_brute_force(random_graph: Projection) -> None:
    # on a graph without histories each dated tie is one observation in its year
    g = random_graph.graph
    index = PartnerIndex(random_graph)
    latest = max(y for _, _, ys in g.edges(data="years") for y in ys if y is not None)

    def seen(a: str, b: str) -> list[int]:
        return [y for y in g.edges[a, b]["years"] if y is not None]

    def w(a: str, b: str) -> float:  # recency-decayed shared observations
        return sum(0.5 ** ((latest - y) / HALF_LIFE) for y in seen(a, b)) \
            if g.has_edge(a, b) else 0.0

    def strength(z: str) -> float:
        return sum(w(z, x) for x in g.adj[z])

    for u in sorted(g)[:4]:
        cands = [v for v in sorted(g) if v != u and not g.has_edge(u, v)]
        rows = index.features([u], index.positions(cands)).values
        partners = set(g.adj[u])
        core = {z for z in partners if len(seen(u, z)) >= 2}
        for v, row in zip(cands, rows, strict=True):
            shared = partners & set(g.adj[v])
            assert row[F["shared_strength"]] == pytest.approx(sum(w(u, z) * w(z, v)
                                                                  for z in shared))
            assert row[F["resource_strength"]] == pytest.approx(
                sum(w(u, z) * w(z, v) / strength(z) for z in shared))
            assert row[F["shared_repeat"]] == len(core & set(g.adj[v]))
            assert row[F["repeat_rate"]] == pytest.approx(
                sum(len(seen(v, z)) >= 2 for z in g.adj[v]) / max(g.degree(v), 1))
            assert row[F["formation"]] == pytest.approx(
                sum((_first(g, v, z) or 0) >= latest - 1 for z in g.adj[v])
                / max(g.degree(v), 1))
            assert row[F["projects_recent"]] == sum(seen(v, z).count(latest)
                                                    for z in g.adj[v])


def test_history_features_read_a_ties_years_up_to_the_graphs_last(embedded: GraphStore,
                                                                   tmp_path: Path) -> None:
    # a pair seen in 2015, 2017 and twice in 2019: the graph up to 2017 keeps the tie and
    # its 2015 and 2017 years, never the later ones (no leak from the answers' years)
    (tmp_path / "entities.csv").write_text(
        "id,name,type\ninstitute:甲,甲,institute\nenterprise:乙,乙,enterprise\n"
        "enterprise:丙,丙,enterprise\n", encoding="utf-8")
    (tmp_path / "relations.csv").write_text(
        "source,target,relation,years\ninstitute:甲,enterprise:乙,partnership,2015;2017\n"
        "institute:甲,enterprise:乙,partnership,2019:2\n"
        "enterprise:乙,enterprise:丙,partnership,2017\n", encoding="utf-8")
    assert load_paths(embedded, [tmp_path]).rejected == 0
    past = project(embedded, ProjectionFilter(year_to=2017))
    ties = past.ties
    seen = {(past.nodes[ties.u[ties.tie_edge[t]]], past.nodes[ties.v[ties.tie_edge[t]]], y, c)
            for t, y, c in zip(ties.obs_tie, ties.obs_year, ties.obs_count, strict=True)}
    assert seen == {("enterprise:乙", "institute:甲", 2015, 1),
                    ("enterprise:乙", "institute:甲", 2017, 1),
                    ("enterprise:丙", "enterprise:乙", 2017, 1)}
    everything = project(embedded).ties
    assert sorted(zip(everything.obs_year.tolist(), everything.obs_count.tolist(),
                      strict=True)) == [
        (2015, 1), (2017, 1), (2017, 1), (2019, 2)]
    index = PartnerIndex(past)
    row = index.features(["institute:甲"], index.positions(["enterprise:丙"])).row(0)
    # 甲–乙: 2015 (age 2) and 2017 (age 0); 乙–丙: 2017
    assert row["shared_strength"] == pytest.approx((0.25 + 1.0) * 1.0)
    assert row["shared_repeat"] == 1.0  # 乙 works with 甲 again


def test_a_history_stored_before_validation_is_read_or_skipped(embedded: GraphStore) -> None:
    # ``years`` was a free text column before it was a property: what reads as years
    # counts (a bare year once), a history that does not read falls back to the tie's
    # year, and the projection never fails
    a, b, c = (entity(EntityType.enterprise, n) for n in ("甲", "乙", "丙"))
    embedded.upsert([a, b, c], [
        relation(RelationType.partnership, a, b, year=2016, years="2016;2018:2"),
        relation(RelationType.partnership, b, c, year=2017, years="soon;17"),
        relation(RelationType.partnership, a, c, year=2019, years="2019;19;2020:")])
    ties = project(embedded).ties
    assert sorted(zip(ties.obs_year.tolist(), ties.obs_count.tolist(), strict=True)) == [
        (2016, 1), (2017, 1), (2018, 2), (2019, 1)]


def _first(g: nx.Graph[str], a: str, b: str) -> int | None:
    dated = [y for y in g.edges[a, b]["years"] if y is not None]
    return min(dated) if dated else None


def test_tree_effects_add_up_to_the_logit() -> None:
    model = PartnerModel.shipped()
    rng = np.random.default_rng(5)
    rows = np.abs(rng.normal(size=(200, len(FEATURES)))) * rng.choice(
        [0.01, 1, 10, 100], size=(200, len(FEATURES)))
    logits, effects = model.explain(rows)
    assert logits == pytest.approx(model.logits(rows))
    assert logits == pytest.approx(model.average + effects.sum(axis=1))
    again = PartnerModel.from_json(json.loads(json.dumps(model.to_json())))
    assert again.logits(rows) == pytest.approx(logits)


def test_a_hand_built_tree_walks_and_attributes() -> None:
    # root: shared ≤ 0.5 → leaf −1, else degree ≤ 10 → leaf 0.5 / leaf 2
    tree = Tree(np.array([F["shared"], 0, F["degree"], 0, 0]), np.array([0.5, 0, 10, 0, 0]),
                np.array([1, -1, 3, -1, -1]), np.array([2, -1, 4, -1, -1]),
                np.array([0.0, -1.0, 1.0, 0.5, 2.0]))
    model = PartnerModel(0.25, (tree,))
    rows = np.zeros((3, len(FEATURES)))
    rows[1, F["shared"]], rows[2, F["shared"]], rows[2, F["degree"]] = 2, 3, 50
    logits, effects = model.explain(rows)
    assert logits.tolist() == [-0.75, 0.75, 2.25]
    assert effects[:, F["shared"]].tolist() == [-1.0, 1.0, 1.0]
    assert effects[:, F["degree"]].tolist() == [0.0, -0.5, 1.0]


def test_learned_explanations_say_the_features_that_drove_the_score(
        wenzhou: Projection) -> None:
    rec = Recommender(wenzhou, pagerank(wenzhou), model=SHIPPED_MODEL)
    assert rec.model is not None
    actors = sorted(v for v in wenzhou.graph if wenzhou.graph.degree(v) >= 2)[:25]
    said = 0
    for source in actors:
        found = rec.recommend(source, 5)
        assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
        for r in found:
            parts = r.parts
            effects = {f: parts[f"effect_{f}"] for f in FEATURES}
            # the effects add up to the logit the score comes from
            assert parts["logit"] == pytest.approx(parts["average"] + sum(effects.values()))
            assert r.score == pytest.approx(rec.score(parts))
            # every reason is a feature that raised the score, with its value and effect
            reasons = {x.feature: x for x in r.explanation.reasons}
            assert reasons.keys() == {f for f, e in effects.items()
                                      if e >= MIN_EFFECT and f not in QUERY_LEVEL}
            for feature, reason in reasons.items():
                assert reason.effect == parts[f"effect_{feature}"]
                assert reason.value == parts[feature]
            efforts = [x.effect for x in r.explanation.reasons]
            assert efforts == sorted(efforts, reverse=True)
            # the sentence says the strongest non-structural reasons, and the connecting
            # path only when graph evidence is among the reasons
            text = r.explanation.text
            others = [x for x in r.explanation.reasons if x.feature not in STRUCTURAL]
            for reason in others[:3]:
                assert reason.text in text
                said += 1
            if any(f in STRUCTURAL for f in reasons):
                assert path_phrase(r.explanation.path) in text
            else:
                assert "相连" not in text and "共同合作方" not in text
    assert said > 0


def test_every_feature_that_can_be_a_reason_has_words(wenzhou: Projection) -> None:
    source, candidate = sorted(v for v in wenzhou.graph if wenzhou.graph.degree(v) >= 2)[:2]
    parts = {f: 3.0 for f in FEATURES} | {f"effect_{f}": 1.0 for f in FEATURES}
    reasons = learned_reasons(wenzhou.catalog, source, candidate, parts)
    assert {r.feature for r in reasons} == set(FEATURES) - QUERY_LEVEL
    for reason in reasons:
        assert reason.text and reason.text != reason.feature
        assert not any("a" <= c.lower() <= "z" for c in reason.text), reason.text  # Chinese
    said = {r.feature: r.text for r in reasons}
    assert "3" in said["projects_recent"] and "3" in said["shared_repeat"]


def test_features_in_the_parts_are_the_models_inputs(wenzhou: Projection) -> None:
    rec = Recommender(wenzhou, {}, model=SHIPPED_MODEL)
    assert rec.model is not None and rec.index is not None
    source = "enterprise:华联机械"
    for r in rec.recommend(source, 5):
        row = np.array([[r.parts[f] for f in FEATURES]])
        assert rec.model.logits(row)[0] == pytest.approx(r.parts["logit"])
        recomputed = rec.index.features([source], rec.index.positions([r.entity.id]))
        assert recomputed.values[0] == pytest.approx(row[0])


def test_scores_agree_with_recommend_and_pair_score(random_graph: Projection) -> None:
    rec = Recommender(random_graph, pagerank(random_graph), model=SHIPPED_MODEL)
    source = sorted(random_graph.graph)[0]
    found = rec.recommend(source, 10)
    partner = next(iter(random_graph.graph.adj[source]))
    ids = [r.entity.id for r in found] + [partner]
    scores = rec.scores(source, ids)
    for r in found:
        assert scores[r.entity.id] == pytest.approx(r.score)
        assert rec.pair_score(source, r.entity.id) == pytest.approx(r.score)
    assert 0 < scores[partner] < 1  # an existing partner can be scored (evaluation)
    # the pool (most graph evidence) comes first, then the rest
    pools = [r.parts["pool"] for r in found]
    assert pools == sorted(pools, reverse=True)


def test_pool_is_the_most_shared_partners_then_resource() -> None:
    values = np.zeros((5, len(FEATURES)))
    values[:, F["shared"]] = [1, 3, 3, 0, 2]
    values[:, F["resource"]] = [9, 0.1, 0.5, 9, 0]
    assert pool_of(values, 3).tolist() == [2, 1, 4]
    assert pool_of(values, 5).tolist() == [2, 1, 4, 0]  # no shared partner: never in it


def test_segments_keep_the_hand_score(wenzhou: Projection) -> None:
    rec = Recommender(wenzhou, pagerank(wenzhou), model=SHIPPED_MODEL)
    hand = Recommender(wenzhou, pagerank(wenzhou))
    segment = sorted(wenzhou.catalog.segments)[0]
    learned, before = rec.recommend(segment, 5), hand.recommend(segment, 5)
    assert [r.entity.id for r in learned] == [r.entity.id for r in before]
    assert all("logit" not in r.parts for r in learned)


def test_every_actor_of_the_sample_gets_learned_partners_without_an_error(
        wenzhou: Projection) -> None:
    kinds = {wenzhou.catalog.info(v).type for v in wenzhou.graph}
    rec = Recommender(wenzhou, sparse_pagerank(wenzhou), model=SHIPPED_MODEL,
                      candidate_types=kinds)
    for source in sorted(wenzhou.graph):
        for r in rec.recommend(source, 3):
            assert r.explanation.text.endswith("。")


def test_sparse_pagerank_is_networkx_pagerank(random_graph: Projection) -> None:
    ours = sparse_pagerank(random_graph)
    theirs = nx.pagerank(random_graph.graph, weight="weight", tol=1e-12, max_iter=1000)
    assert max(abs(ours[v] - theirs[v]) for v in theirs) < 1e-8
    assert list(pairwise(sorted(ours)))  # every actor has a rank


@pytest.mark.parametrize("source", ["random", "wenzhou"])
def test_ranking_from_the_arrays_is_ranking_from_the_graph(
        source: str, wenzhou_store: GraphStore) -> None:
    """The recommender on a projection's arrays (no NetworkX graph built, as the API's
    first request) gives what it gives on the NetworkX graph: features, ranks, scores,
    explanations and tie labels."""
    def fresh() -> Projection:
        if source == "random":
            return build_projection(*random_records())
        return projection_from_tables(wenzhou_store.entities_table(),
                                      wenzhou_store.relations_table())

    native, other = fresh(), fresh()
    wrapped = Projection(other.graph, other.catalog)  # the graph's edge attributes only
    kinds = {native.catalog.info(v).type for v in native.nodes}
    ranks = sparse_pagerank(native)
    on_arrays = Recommender(native, ranks, model=SHIPPED_MODEL, candidate_types=kinds)
    on_graph = Recommender(wrapped, ranks, model=SHIPPED_MODEL, candidate_types=kinds)
    a, b = on_arrays.index, on_graph.index
    assert a is not None and b is not None
    assert a.latest_year == b.latest_year
    assert np.array_equal(a.activity, b.activity) and np.array_equal(a.recency, b.recency)
    assert (a.recent != b.recent).nnz == 0
    sources = [v for v in sorted(native.nodes) if native.catalog.info(v).type in kinds][:40]
    labels = 0
    for u in sources:
        ours, theirs = on_arrays.recommend(u, 5), on_graph.recommend(u, 5)
        assert [r.entity.id for r in ours] == [r.entity.id for r in theirs]
        assert [r.score for r in ours] == pytest.approx([r.score for r in theirs])
        assert [r.explanation for r in ours] == [r.explanation for r in theirs]
        labels += sum(1 for r in ours for step in r.explanation.path if step.tie)
    assert labels > 20  # the tie labels were compared, not only empty paths
    assert not native.has_graph  # ranked and explained without building it


def test_the_learned_ranker_on_bureau_data_and_the_reference_layer(
        tmp_path: Path) -> None:
    """The sample, a bureau's own lists and patent exports (through the ingestors) and the
    national reference layer in one store: every local actor gets learned partners
    without an error, never a reference-only organisation, and every reason is a
    feature that raised the score. The graph has few dated ties and no years for most, so
    activity and recency hardly vary: the ranking rests on the structure and the types."""
    files = build_all(tmp_path / "bureau")
    with open_store(tmp_path / "store") as store:
        load_paths(store, [ROOT / "data" / "wenzhou"])
        load_paths(store, [files[name] for name in (
            "gov_list_merged_title.xlsx", "registry_companies.xlsx", "patents_a.xlsx",
            "patents_b.csv")])
        load_paths(store, [ROOT / "data" / "reference"], origin="reference")
        projection = project(store)
    external = projection.catalog.external
    assert len(external) > 2000
    rec = Recommender(projection, sparse_pagerank(projection), model=SHIPPED_MODEL)
    assert "co_applicant" in projection.ties.type_names  # the patent exports are ties
    asked = found = 0
    for source in sorted(projection.nodes):
        if projection.catalog.info(source).type not in PARTNER_TYPES or source in external:
            continue
        for r in rec.recommend(source, 3):
            assert r.entity.id not in external
            assert r.explanation.text.endswith("。")
            assert all(r.parts[f"effect_{x.feature}"] >= MIN_EFFECT
                       for x in r.explanation.reasons)
            found += 1
        asked += 1
    assert asked > 50 and found > 2 * asked
    assert not projection.has_graph
