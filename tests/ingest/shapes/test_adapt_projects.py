"""Signed-project lists: one partnership per pair of parties."""

from __future__ import annotations

from pathlib import Path

from .builders import all_records, one, workbook


def test_projects_of_one_pair_are_aggregated(tmp_path: Path) -> None:
    rows = [["2023年校地合作签约项目"],
            ["序号", "项目名称", "甲方", "乙方", "签约时间", "投资金额"],
            ["1", "激光加工联合实验室", "温州甲科技有限公司", "温州大学", "2023-05-20", "500万元"],
            ["2", "光学镜片研发", "温州甲科技有限公司", "温州大学", "2021-11-02", "-"],
            ["3", "智能制造中心", "温州乙电气有限公司", "浙江大学", "2022年3月", "1亿元"]]
    source = one(workbook(tmp_path / "签约.xlsx", {"Sheet1": rows}))
    assert source.explanation.shape == "projects"
    first, second = all_records(source.relations)
    assert (first["source"], first["target"], first["relation"]) == (
        "enterprise:温州甲科技有限公司", "institute:温州大学", "partnership")
    assert first["title"] == "激光加工联合实验室；光学镜片研发"
    assert (first["year"], first["projects"], first["amount"]) == ("2021", "2", "500万元")
    assert first["_row"] == "3"
    assert (second["year"], second["projects"]) == ("2022", "1")


def test_both_parties_in_one_cell(tmp_path: Path) -> None:
    rows = [["序号", "项目名称", "签约双方", "签约时间"],
            ["1", "联合研究院", "温州甲科技有限公司、温州大学", "2022-01-01"],
            ["2", "不完整", "温州甲科技有限公司", "2022-01-01"]]
    source = one(workbook(tmp_path / "p.xlsx", {"Sheet1": rows}))
    (link,) = all_records(source.relations)
    assert (link["source"], link["target"]) == ("enterprise:温州甲科技有限公司",
                                                "institute:温州大学")
    (reject,) = source.rejects
    assert (reject.row, reject.column) == (3, "签约双方") and "found 1" in reject.reason
