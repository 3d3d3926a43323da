"""`innograph analyze …` as a real process: --json shapes, write-back, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.store import open_store
from tests.conftest import SAMPLE


def run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INNOGRAPH_REJECTS_DIR": str(store.parent / "rejects")}
    return subprocess.run([sys.executable, "-m", "innograph", "--store", str(store), *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("analyze") / "store"
    result = run(path, "ingest", str(SAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    return path


def analyze(store: Path, *args: str) -> dict[str, object]:
    result = run(store, "analyze", *args, "--json")
    assert result.returncode == 0, result.stderr
    found: dict[str, object] = json.loads(result.stdout)
    return found


def test_density_with_matrix(store: Path) -> None:
    out = analyze(store, "density", "--by", "industry", "--columns", "region", "--mode", "within")
    groups = out["groups"]
    assert isinstance(groups, list) and groups[0]["label"] == "生命健康"
    matrix = out["matrix"]
    assert isinstance(matrix, dict) and matrix["mode"] == "within"


def test_recommend_and_chain(store: Path) -> None:
    out = analyze(store, "recommend", "华联机械", "--top", "3")
    recs = out["recommendations"]
    assert isinstance(recs, list) and len(recs) == 3
    assert "华联机械" in recs[0]["explanation"]["text"]
    chain = analyze(store, "chain", "眼镜")
    assert chain["industry"]["name"] == "眼镜" and chain["gaps"]  # type: ignore[index]


def test_recommend_with_nothing_to_go_on_says_why(store: Path) -> None:
    out = analyze(store, "recommend", "温州国家大学科技园")
    assert out["recommendations"] == [] and "还没有合作关系" in str(out["why_empty"])
    table = run(store, "analyze", "recommend", "温州国家大学科技园")
    assert table.returncode == 0 and "还没有合作关系" in table.stdout.replace("\n", "")
    assert analyze(store, "recommend", "华联机械", "--top", "1")["why_empty"] == ""


def test_talent_and_communities(store: Path) -> None:
    team = analyze(store, "talent", "叶志镇院士团队", "--hops", "2")
    assert team["links"]
    both = analyze(store, "talent")
    assert both["pairs"] and both["bridging"]
    found = analyze(store, "communities", "--brokers", "3")
    assert 0 < float(found["modularity"]) < 1 and len(found["brokers"]) == 3  # type: ignore[arg-type]


def test_scores_are_written_back(store: Path) -> None:
    out = analyze(store, "scores")
    assert out["scores"] == ["betweenness", "collab_score", "community", "degree",
                             "ego_density", "pagerank", "weighted_degree"]
    with open_store(store, read_only=True) as opened:
        stored = opened.read_scores(["institute:瓯江实验室"])
    assert stored["institute:瓯江实验室"]["degree"] > 0


def test_errors_are_one_line(store: Path) -> None:
    result = run(store, "analyze", "recommend", "不存在的机构")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    result = run(store, "analyze", "density", "--by", "colour")
    assert result.returncode == 2 and "colour" in result.stderr
    result = run(store, "analyze", "chain", "瓯海区")
    assert result.returncode != 0


def test_density_by_community_over_time(store: Path) -> None:
    out = analyze(store, "density", "--by", "community", "--min-members", "5", "--over-time")
    groups, series = out["groups"], out["over_time"]
    assert isinstance(groups, list) and isinstance(series, dict) and len(series) == len(groups)
    years = {y["year"] for s in series.values() for y in s}
    assert 2022 in years


def test_density_explains_its_figures_in_chinese(store: Path) -> None:
    """Chinese headers, a line saying what each figure means, and groups too small for a
    meaningful density (fewer than three members) marked."""
    shown = run(store, "analyze", "density", "--by", "industry")
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    assert "合作密度（按产业）" in text and "密度 =" in text and "孤立 =" in text
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in text.splitlines()
            if line.startswith("│")]
    marked = {row[0]: row[3].endswith("*") for row in rows if len(row) == 7}
    members = {row[0]: int(row[1]) for row in rows if len(row) == 7}
    assert marked and all(marked[g] == (members[g] < 3) for g in marked)
    assert any(members[g] < 3 for g in members)
    assert "成员少于 3 个的分组，密度意义不大" in text
