"""innograph.notebook: the helpers the research notebooks rely on, against the Wenzhou sample."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager

from graph.analytics import Projection, Recommender, centrality, chain_report, team_links
from graph.store import GraphStore, open_store
from innograph.notebook import (
    CJK_FONTS,
    OUTPUT_VARIABLE,
    actors_frame,
    gap_table,
    inline_page,
    output_folder,
    path_subgraph,
    sample_store,
    show_subgraph,
    to_frame,
    use_chinese_font,
)
from schema import Entity, EntityType, InvalidInput, UnreadableFile

EYEWEAR_GAP = "chain_segment:眼镜·镜片与光学材料"


@pytest.fixture(scope="module")
def recommender(sample: Projection) -> Recommender:
    return Recommender(sample, centrality(sample).scores["pagerank"])


def test_sample_store_holds_the_whole_sample_and_reloads_unchanged(
        notebook_store: GraphStore, tmp_path: Path) -> None:
    stats = notebook_store.stats()
    assert (stats.entities, stats.relations) == (201, 411)
    again = sample_store(tmp_path / "again")
    try:
        assert again.stats().content_hash == stats.content_hash
    finally:
        again.close()
    reopened = sample_store(tmp_path / "again")  # an existing store is upserted, not doubled
    try:
        assert reopened.stats().content_hash == stats.content_hash
    finally:
        reopened.close()


def test_sample_store_uses_the_environment_folder(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNOGRAPH_NOTEBOOK_STORE", str(tmp_path / "from-env"))
    sample_store().close()
    assert (tmp_path / "from-env").exists()


def test_a_researchers_own_store_is_used_as_it_is(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """INNOGRAPH_NOTEBOOK_STORE pointing at one's own graph must not get the sample added."""
    own = tmp_path / "mine"
    with open_store(own) as store:
        store.upsert([Entity("enterprise:我的企业", EntityType.enterprise, "我的企业")])
    monkeypatch.setenv("INNOGRAPH_NOTEBOOK_STORE", str(own))
    opened = sample_store()
    try:
        assert opened.stats().entities == 1
    finally:
        opened.close()


def test_sample_store_refuses_missing_data_and_rejected_rows(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="sample data not found"):
        sample_store(tmp_path / "s1", data=tmp_path / "nowhere")
    data = tmp_path / "bad"
    data.mkdir()
    (data / "entities.csv").write_text("name,type\n甲公司,enterprise\n乙,spaceship\n",
                                       encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"entities\.csv row 3 column type"):
        sample_store(tmp_path / "s2", data=data)


def test_output_folder_from_argument_environment_or_temp(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert output_folder(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    assert (tmp_path / "a" / "b").is_dir()
    monkeypatch.setenv(OUTPUT_VARIABLE, str(tmp_path / "env"))
    assert output_folder() == tmp_path / "env"
    monkeypatch.delenv(OUTPUT_VARIABLE)
    made = output_folder()
    assert made.is_dir() and not str(made).startswith(str(Path(__file__).parents[2]))


def test_actors_frame_lists_actors_and_filters_by_region(sample: Projection) -> None:
    everyone = actors_frame(sample)
    assert len(everyone) == sample.graph.number_of_nodes()
    assert list(everyone.columns) == ["id", "名称", "类型", "区域", "产业", "合作方"]
    wenzhou = actors_frame(sample, region="region:温州市")
    assert 0 < len(wenzhou) < len(everyone)
    # headquartered in 广州市 (its first region) but brought into 瓯海区: local
    firm = wenzhou[wenzhou["名称"] == "威凯检测技术有限公司"].iloc[0]
    assert firm["区域"] == "广州市" and "智能锁具" in firm["产业"]
    with pytest.raises(InvalidInput, match="region"):
        actors_frame(sample, region="industry:眼镜")


def test_to_frame_of_centrality_is_one_row_per_actor_by_pagerank(sample: Projection) -> None:
    frame = to_frame(centrality(sample))
    assert len(frame) == sample.graph.number_of_nodes()
    assert list(frame.columns) == ["entity", "entity.type", "degree", "weighted_degree",
                                   "pagerank", "betweenness"]
    assert frame["pagerank"].is_monotonic_decreasing


def test_to_frame_of_recommendations_flattens_parts_and_paths(
        sample: Projection, recommender: Recommender) -> None:
    found = recommender.recommend("enterprise:威凯检测技术有限公司", 5)
    frame = to_frame(found)
    assert list(frame["rank"]) == [r.rank for r in found]
    assert list(frame["entity"]) == [r.entity.name for r in found]
    assert {"parts.graph", "parts.chain", "explanation.text", "explanation.path"} <= set(
        frame.columns)
    with_path = [i for i, r in enumerate(found) if len(r.explanation.path) > 1]
    assert with_path, "the sample gives the firm at least one connected candidate"
    row = with_path[0]
    path = found[row].explanation.path
    text = frame.loc[row, "explanation.path"]
    assert text.startswith(path[0].entity.name) and text.endswith(path[-1].entity.name)
    assert text.count("→") == len(path) - 1 and f" —{path[0].tie}→ " in text


def test_to_frame_of_chain_report_and_team_links(sample: Projection,
                                                 recommender: Recommender) -> None:
    report = chain_report(sample, "industry:眼镜", recommender, candidates=2)
    frame = to_frame(report)
    assert list(frame["segment"]) == [s.segment.name for s in report.segments]
    assert frame.loc[0, "status"] == "缺失" and frame.loc[0, "members"] == ""
    links = to_frame(team_links(sample, "talent_team:叶志镇院士团队", hops=1))
    assert links.loc[0, "entity"] == "浙江大学温州研究院"
    assert links.loc[0, "path"] == "叶志镇院士团队 —依托→ 浙江大学温州研究院"


def test_gap_table_has_a_row_per_candidate_of_each_gap(sample: Projection,
                                                       recommender: Recommender) -> None:
    report = chain_report(sample, "industry:眼镜", recommender, candidates=2)
    table = gap_table([report])
    flagged = [s for s in report.segments if s.status]
    assert len(table) == sum(max(len(s.candidates), 1) for s in flagged)
    assert set(table["状态"]) <= {"缺失", "薄弱"} and (table["产业"] == "眼镜").all()
    assert table["推荐理由"].str.len().gt(0).all()
    bare = gap_table([chain_report(sample, "industry:眼镜", recommender, candidates=0)])
    assert len(bare) == len(flagged) and (bare["推荐理由"] == "图谱中暂无候选").all()


def test_path_subgraph_holds_path_entities_and_extras(
        notebook_store: GraphStore, recommender: Recommender) -> None:
    found = recommender.recommend("enterprise:威凯检测技术有限公司", 5)
    graph = path_subgraph(notebook_store, [r.explanation.path for r in found],
                          also=[EYEWEAR_GAP])
    ids = {n.id for n in graph.nodes}
    assert {s.entity.id for r in found for s in r.explanation.path} | {EYEWEAR_GAP} == ids
    assert graph.edges and all(e.source in ids and e.target in ids for e in graph.edges)
    with pytest.raises(InvalidInput, match="paths"):
        path_subgraph(notebook_store, [])


def test_show_subgraph_is_an_offline_escaped_iframe(notebook_store: GraphStore) -> None:
    shown = show_subgraph(notebook_store.neighborhood("institute:瓯江实验室"), "<b>瓯江</b>",
                          height=300)
    assert shown.data.startswith("<div><iframe srcdoc=\"")
    assert 'sandbox="allow-scripts"' in shown.data and "height:300px" in shown.data
    assert "<b>" not in shown.data and "&amp;lt;b&amp;gt;瓯江" in shown.data  # escaped twice
    assert "vis.Network" in shown.data and "src=&quot;http" not in shown.data
    with pytest.raises(InvalidInput, match="height"):
        inline_page("<p>x</p>", height=50)


def _cjk_fonts_on_disk() -> list[str]:
    """The candidate fonts installed on this machine, whatever matplotlib's cache says."""
    families = {font_manager.get_font(path).family_name for path in font_manager.findSystemFonts()
                if path.lower().endswith((".ttf", ".ttc", ".otf"))}
    return [name for name in CJK_FONTS if name in families]


def test_use_chinese_font_picks_an_installed_font_or_says_why_not() -> None:
    before = list(matplotlib.rcParams["font.sans-serif"])
    try:
        note = use_chinese_font(candidates=("No Such Font 无此字体",))
        assert note.startswith("注意：未找到中文字体") and "fonts-noto-cjk" in note
        assert matplotlib.rcParams["font.sans-serif"] == before
        available = _cjk_fonts_on_disk()
        if not available:
            pytest.skip("no CJK font installed here (fonts-noto-cjk or fonts-wqy-microhei)")
        assert use_chinese_font() == f"中文字体：{available[0]}"
        assert matplotlib.rcParams["font.sans-serif"][0] == available[0]
    finally:
        matplotlib.rcParams["font.sans-serif"] = before


def test_a_font_installed_after_matplotlibs_cache_is_found_on_disk() -> None:
    """The cache lists fonts known when it was built; a CJK font installed later is looked
    up on disk instead of being reported missing."""
    manager = font_manager.fontManager
    cached = list(manager.ttflist)
    before = list(matplotlib.rcParams["font.sans-serif"])
    on_disk = _cjk_fonts_on_disk()
    if not on_disk:
        pytest.skip("no CJK font installed here (fonts-noto-cjk or fonts-wqy-microhei)")
    try:
        manager.ttflist = [f for f in cached if f.name not in CJK_FONTS]  # a stale cache
        assert use_chinese_font() == f"中文字体：{on_disk[0]}"
    finally:
        manager.ttflist = cached
        matplotlib.rcParams["font.sans-serif"] = before
