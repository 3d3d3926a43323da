"""Issue 17: the CLI explains its figures. At 80 columns every table of ``innograph analyze``
has Chinese headers over English ones and a line under it saying what the figures mean;
long names wrap, never cut; the density matrix says how many members each cell covers;
one-member communities are summed up, not listed as 未标注; ``--json`` is unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from graph.analytics import ProjectionFilter, detect_communities, groups_by, project
from graph.store import open_store
from ingest.loader import load_paths
from innograph.cli import app
from innograph.figures import FIGURES
from tests.conftest import SAMPLE

WIDTH = 80


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("figures") / "store"
    with open_store(path) as opened:
        load_paths(opened, [SAMPLE])
    yield path


def shown(store: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--store", str(store), "analyze", *args],
                                env={"COLUMNS": str(WIDTH)})
    assert result.exit_code == 0, result.output
    text: str = result.stdout
    too_wide = [line for line in text.splitlines() if cell_len(line) > WIDTH]
    assert not too_wide, too_wide[:3]
    return text


def tables(text: str) -> list[list[list[str]]]:
    """The body rows of each table printed, as lists of cells (a wrapped row is several)."""
    found: list[list[list[str]]] = []
    for line in text.splitlines():
        if line.startswith("┡"):
            found.append([])
        elif line.startswith("│") and found:
            found[-1].append([cell.strip() for cell in line.split("│")[1:-1]])
    return found


def column(rows: list[list[str]], index: int) -> str:
    """A column's text, its wrapped lines joined: a wrapped name reads whole here."""
    return "".join(row[index] for row in rows)


def headers(text: str) -> list[str]:
    """Each header line's cells, joined per line (Chinese on the first, English under it)."""
    return [" ".join(c.strip() for c in line.split("┃")[1:-1]) for line in text.splitlines()
            if line.startswith("┃")]


@pytest.mark.parametrize(("args", "figure", "chinese"), [
    (("centrality", "--top", "5"), "centrality", "排名 名称 类型 PageRank"),
    (("centrality", "--measure", "betweenness"), "centrality", "排名 名称 类型 介数"),
    (("communities", "--brokers", "3"), "communities", "编号 成员数 标签 主要成员"),
    (("communities", "--brokers", "3"), "brokers", "名称 所属社区 连到社区 参与系数 介数"),
    (("recommend", "华联机械", "--top", "3"), "recommend", "排名 候选 类型 得分 原因"),
    (("chain", "眼镜"), "chain", "序号 环节 阶段 状态 本地成员"),
    (("chain", "眼镜"), "chain_candidates", "环节 候选 范围 理由"),
    (("talent",), "team_pairs", "团队 团队 共同依托单位"),
    (("talent",), "team_bridges", "团队 涉及产业"),
    (("talent", "叶志镇院士团队"), "team_hosts", "跳数 名称 类型 路径"),
    (("density", "--by", "industry", "--columns", "region"), "density_matrix",
     "产业 区域 成员 联系 密度"),
])
def test_every_table_has_chinese_headers_and_says_what_it_means(
        store: Path, args: tuple[str, ...], figure: str, chinese: str) -> None:
    text = shown(store, *args)
    lines = headers(text)
    assert chinese in lines
    english = " ".join(en for _, en in FIGURES[figure].columns)
    if "{" not in english:
        assert english in lines
    caption = FIGURES[figure].caption
    first = caption[:caption.find("{")] if "{" in caption else caption
    assert first[:12] in text.replace("\n", "")  # the line saying what the figure means


def test_centrality_says_what_its_measure_means(store: Path) -> None:
    text = shown(store, "centrality", "--measure", "betweenness")
    # the title spans the console, not the narrow table (where it was cut into 3 lines)
    assert "按介数排名前 10 / top 10 by betweenness" in [line.strip() for line in
                                                      text.splitlines()]
    text = text.replace("\n", "")
    assert "介数：处在其他机构之间最短联系路径上的比例" in text and "介数为精确计算" in text


def test_long_names_wrap_and_are_never_cut(store: Path) -> None:
    hosts = tables(shown(store, "recommend", "华联机械", "--top", "3"))[0]
    asked = CliRunner().invoke(app, ["--store", str(store), "analyze", "recommend", "华联机械",
                                     "--top", "3", "--json"])
    names = [r["entity"]["name"] for r in json.loads(asked.stdout)["recommendations"]]
    long_names = [n for n in names if len(n) >= 12]  # wider than the name column
    assert long_names, names
    for name in long_names:
        assert name in column(hosts, 1)  # whole, read down the column
        assert not any(name in row[1] for row in hosts)  # it did wrap
    members = column(tables(shown(store, "communities", "--brokers", "0"))[0], 3)
    assert "中国科学院大学温州研究院" in members
    bridges = tables(shown(store, "talent"))[1]
    assert "再生医学材料和医疗器械装备研究团队" in column(bridges, 0)


def test_captions_wrap_between_chinese_characters(store: Path) -> None:
    """rich broke captions only at spaces: a Chinese clause jumped whole to the next line,
    leaving short lines such as '密度 = 组内实际联系数 ÷'."""
    text = shown(store, "density", "--by", "industry")
    start = text.index("密度 = 组内")
    caption = text[start:].splitlines()
    assert cell_len(caption[0]) >= WIDTH - 2 and cell_len(caption[1]) >= WIDTH - 2
    assert not any(line[:1] in "，。；：、）" for line in caption)


def test_one_member_communities_are_summed_up(store: Path) -> None:
    text = shown(store, "communities", "--brokers", "0", "--top", "100")
    rows = [row for row in tables(text)[0] if row[0]]
    assert rows and all(int(row[1]) > 1 for row in rows)
    with open_store(store, read_only=True) as opened:
        p = project(opened, ProjectionFilter())
    found = detect_communities(p)
    alone = [c for c in found.communities if c.size == 1]
    assert len(rows) == len(found.communities) - len(alone)
    isolated = sum(1 for c in alone if not p.graph.degree(c.members[0]))
    assert f"另有 {len(alone)} 个单成员社区（其中 {isolated} 个机构没有任何合作联系）" \
        in text.replace("\n", "")


@pytest.mark.parametrize("mode", ["within", "between"])
def test_the_density_matrix_says_how_many_members_each_cell_covers(
        store: Path, mode: str) -> None:
    text = shown(store, "density", "--by", "industry", "--columns", "region", "--mode", mode)
    rows = [row for row in tables(text)[1] if row[0]]
    with open_store(store, read_only=True) as opened:
        p = project(opened, ProjectionFilter())
    industries = {g.label: g.members for g in groups_by(p, "industry") if len(g.members) > 1}
    regions = {g.label: g.members for g in groups_by(p, "region") if len(g.members) > 1}
    for industry, region, members, ties, density in rows:
        a, b = industries[industry], regions[region]
        assert members == (f"{len(a & b)}" if mode == "within" else f"{len(a)} × {len(b)}")
        assert int(ties) > 0  # only cells with ties are listed; the caption counts the rest
        assert density.endswith("*") == (mode == "within" and len(a & b) < 3)
    listed = len(rows)
    assert f"只列有联系的 {listed} 个组合，另有 {len(industries) * len(regions) - listed} 个" \
        in text.replace("\n", "")


@pytest.mark.parametrize(("args", "keys"), [
    (("density", "--by", "industry", "--columns", "region"),
     {"by", "undated_dropped", "groups", "matrix", "over_time"}),
    (("communities", "--brokers", "2"), {"modularity", "communities", "brokers"}),
    (("recommend", "华联机械", "--top", "2"), {"query", "name", "scope", "recommendations"}),
    (("centrality", "--top", "3"), {"measure", "ranking"}),
])
def test_json_output_is_unchanged(store: Path, args: tuple[str, ...], keys: set[str]) -> None:
    result = CliRunner().invoke(app, ["--store", str(store), "analyze", *args, "--json"],
                                env={"COLUMNS": str(WIDTH)})
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert keys <= set(out)
    if "matrix" in out:
        assert set(out["matrix"]) == {"mode", "rows", "columns", "cells", "ties"}
    if "communities" in out:  # every community, the one-member ones too
        assert any(c["size"] == 1 for c in out["communities"])


def shown_top(store: Path, *args: str) -> str:
    """A command outside ``analyze`` at 80 columns; no line wider."""
    result = CliRunner().invoke(app, ["--store", str(store), *args], env={"COLUMNS": str(WIDTH)})
    assert result.exit_code == 0, result.output
    too_wide = [line for line in result.stdout.splitlines() if cell_len(line) > WIDTH]
    assert not too_wide, too_wide[:3]
    return str(result.stdout)


@pytest.mark.parametrize(("figure", "args"), [
    ("search", ("search", "温州大学")),
    ("stats", ("stats",)),
    ("neighbors", ("neighbors", "浙江大学温州研究院")),
    ("sources", ("show", "浙江大学温州研究院")),
])
def test_the_other_tables_explain_themselves(store: Path, figure: str, args: tuple[str, ...],
                                             ) -> None:
    text = shown_top(store, *args)
    flat = text.replace("\n", "")
    for chinese, _ in FIGURES[figure].columns:
        assert chinese in text
    # the caption's first words, however the console wrapped it
    assert FIGURES[figure].caption[:12] in flat
