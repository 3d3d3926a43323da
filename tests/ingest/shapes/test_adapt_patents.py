"""Patent exports: co_applicant pairs aggregated over the sheet."""

from __future__ import annotations

from pathlib import Path

from ingest.shapes.adapt_patents import split_applicants

from .builders import all_records, csv_file, one

HEADER = ["序号", "公开(公告)号", "申请号", "申请日", "申请(专利权)人", "IPC主分类号"]


def test_co_applicants_are_aggregated(tmp_path: Path) -> None:
    rows = [HEADER,
            ["1", "CN111A", "CN2019101", "2019-03-01", "温州大学;温州甲科技有限公司", "G02C7/02"],
            ["2", "CN111A", "CN2019101", "2019-03-01", "温州大学;温州甲科技有限公司", "G02C7/02"],
            ["3", "-", "CN2021202", "2021-05-06", "温州甲科技有限公司；温州大学；张三", "H01S3/00"],
            ["4", "CN333A", "CN2019303", "2019-09-09", "温州大学、温州乙光学有限公司", "G02B1/00"],
            ["5", "CN444A", "CN2020404", "2020-01-01", "温州大学", "G02B1/00"]]
    source = one(csv_file(tmp_path / "专利.csv", rows))
    ex = source.explanation
    assert ex.shape == "patents" and ex.header_row == 1
    links = all_records(source.relations)
    assert len(links) == 2
    pair = next(r for r in links if "温州甲" in r["source"] + r["target"])
    assert sorted([pair["source"], pair["target"]]) == [pair["source"], pair["target"]]
    assert pair["relation"] == "co_applicant"
    assert pair["weight"] == "2"   # the repeated row 3 is the same patent
    assert pair["patents"] == "CN111A@2019;CN2021202@2021"
    assert pair["years"] == "2019:1;2021:1" and pair["year"] == "2021"
    assert pair["_row"] == "2"
    other = next(r for r in links if r is not pair)
    assert (other["weight"], other["year"], other["_row"]) == ("1", "2019", "5")
    assert any("natural-person applicants" in w and "rows 4" in w for w in ex.warnings)
    names = {m["name"] for m in all_records(source.mentions)}
    assert names == {"温州大学", "温州甲科技有限公司", "温州乙光学有限公司"}


def test_applicants_split_on_every_separator() -> None:
    assert split_applicants("甲公司;乙公司；丙公司,丁公司，戊公司、甲公司") == [
        "甲公司", "乙公司", "丙公司", "丁公司", "戊公司"]
