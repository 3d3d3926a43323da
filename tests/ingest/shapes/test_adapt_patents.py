"""Patent exports: co_applicant pairs aggregated over the sheet."""

from __future__ import annotations

from pathlib import Path

from ingest.shapes.adapt_patents import split_applicants
from ingest.shapes.read import shape_file

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
    # co-applications; the in_industry of each applicant (from IPC) is tested below
    links = [r for r in all_records(source.relations) if r["relation"] == "co_applicant"]
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
    names = {m["name"] for m in all_records(source.mentions) if m["type"] != "industry"}
    assert names == {"温州大学", "温州甲科技有限公司", "温州乙光学有限公司"}


def test_applicants_split_on_every_separator() -> None:
    assert split_applicants("甲公司;乙公司；丙公司,丁公司，戊公司、甲公司") == [
        "甲公司", "乙公司", "丙公司", "丁公司", "戊公司"]


def test_applicants_are_in_the_industry_their_ipc_main_class_maps_to(tmp_path: Path) -> None:
    """IPC main groups map to industries through ingest/shapes/data/ipc_industries.csv."""
    from ingest.shapes.codes import industry_for_ipc

    mapped = industry_for_ipc("G02C 7/02")
    assert mapped is not None and mapped.industry
    path = tmp_path / "patents.csv"
    path.write_text("公开(公告)号,申请号,申请日,申请人,IPC主分类\n"
                    "CN112345678A,202010123456.7,2020-03-01,温州甲光学有限公司;温州大学,G02C 7/02\n"
                    "CN112345679A,202010123457.5,2021-03-01,温州甲光学有限公司,G02C 7/04\n",
                    encoding="utf-8")
    (shaped,) = shape_file(path)
    fields = [t for t in shaped.relations if "in_industry" in t.data.get("relation", [])]
    assert fields, "no in_industry table"
    rows = list(zip(fields[0].data["source"], fields[0].data["target"],
                    fields[0].data["patents_in_field"], strict=True))
    firm = next(r for r in rows if "温州甲光学" in r[0])
    assert firm[1].endswith(mapped.industry) and firm[2] == "2"
