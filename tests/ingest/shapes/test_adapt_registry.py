"""Registry exports: companies, shareholders (title-row company, natural persons) and
outward investments."""

from __future__ import annotations

from pathlib import Path

import pytest

from schema import UnreadableFile
from schema.ids import credit_code_check_char

from .builders import all_records, csv_file, loader_rejects, one, records, workbook


def code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


FIRM = code("91330304MA2AB1234")


def test_company_export(tmp_path: Path) -> None:
    rows = [["企业名称", "统一社会信用代码", "法定代表人", "注册资本", "成立日期", "登记状态",
             "所属省份", "所属城市", "所属区县", "国标行业门类", "国标行业大类"],
            ["温州甲电气有限公司", f'="{FIRM}"', "张三", "1000万元人民币", "2019-05-20", "存续",
             "浙江省", "温州市", "瓯海区", "制造业", "电气机械和器材制造业"],
            ["温州乙科技有限公司", "-", "李四", "-", "2008/3/1", "在业", "浙江省", "温州市", "-",
             "-", "-"]]
    source = one(csv_file(tmp_path / "export.csv", rows))
    ex = source.explanation
    assert ex.shape == "registry_companies" and ex.entity_type == "enterprise"
    first, second = records(source.entities[0])
    assert first["credit_code"] == FIRM and first["founded_year"] == "2019"
    assert first["legal_representative"] == "张三"
    assert first["gb_industry"].startswith("C38")
    assert second["founded_year"] == "2008" and second["gb_industry"] == ""
    assert loader_rejects(source.entities) == []
    links = all_records(source.relations)
    located = [(r["source"], r["target"]) for r in links if r["relation"] == "located_in"]
    assert located == [(FIRM, "region:瓯海区"), ("enterprise:温州乙科技有限公司", "region:温州市")]
    industries = [r for r in links if r["relation"] == "in_industry"]
    assert [r["source"] for r in industries] == [FIRM]


def test_unreadable_founding_date_rejects_the_row(tmp_path: Path) -> None:
    rows = [["企业名称", "成立日期", "登记状态"], ["温州甲科技有限公司", "去年", "存续"]]
    source = one(csv_file(tmp_path / "export.csv", rows))
    (reject,) = source.rejects
    assert (reject.row, reject.column, reject.value) == (2, "成立日期", "去年")
    assert source.entities == []


def test_shareholders_of_the_company_in_the_title(tmp_path: Path) -> None:
    rows = [["温州甲科技有限公司-股东信息"],
            ["序号", "股东名称", "股东类型", "持股比例", "认缴出资额", "认缴出资日期"],
            ["1", "温州乙投资有限公司", "企业法人", "51.00%", "510万元", "2021-06-30"],
            ["2", "张三", "自然人股东", "49%", "490万元", "2021-06-30"],
            ["3", "温州市瓯海区财政局", "机关法人", "-", "-", "-"]]
    source = one(workbook(tmp_path / "股东.xlsx", {"股东信息": rows}))
    ex = source.explanation
    assert ex.shape == "registry_shareholders" and "温州甲科技有限公司" in ex.type_reason
    links = all_records(source.relations)
    assert [(r["source"], r["target"], r["relation"]) for r in links] == [
        ("enterprise:温州乙投资有限公司", "enterprise:温州甲科技有限公司", "invests_in"),
        ("government:温州市瓯海区财政局", "enterprise:温州甲科技有限公司", "invests_in")]
    assert (links[0]["share"], links[0]["amount"], links[0]["year"]) == ("51", "510万元", "2021")
    assert links[1].get("share", "") == ""
    assert [(s.row, s.kind, s.text) for s in ex.skipped if s.kind == "person"] == [
        (4, "person", "张三")]
    assert any("1 natural-person shareholders" in w and "rows 4" in w for w in ex.warnings)
    assert {(m["name"], m["type"]) for m in all_records(source.mentions)} == {
        ("温州甲科技有限公司", "enterprise"), ("温州乙投资有限公司", "enterprise"),
        ("温州市瓯海区财政局", "government")}


def test_shareholders_without_a_company_are_refused(tmp_path: Path) -> None:
    rows = [["股东名称", "持股比例"], ["温州乙投资有限公司", "51%"]]
    with pytest.raises(UnreadableFile, match="no company to attach"):
        one(csv_file(tmp_path / "h.csv", rows))


def test_outward_investments(tmp_path: Path) -> None:
    rows = [["企业名称", "被投资企业名称", "投资比例", "认缴出资额", "成立日期", "登记状态"],
            ["温州甲科技有限公司", "温州丙新材料有限公司", "30%", "300万元", "2020-01-15", "存续"],
            ["温州甲科技有限公司", "温州丁贸易有限公司", "100%", "-", "2018-07-01", "注销"]]
    source = one(csv_file(tmp_path / "对外投资.csv", rows))
    assert source.explanation.shape == "registry_investments"
    links = all_records(source.relations)
    assert [(r["source"], r["target"], r.get("share", "")) for r in links] == [
        ("enterprise:温州甲科技有限公司", "enterprise:温州丙新材料有限公司", "30"),
        ("enterprise:温州甲科技有限公司", "enterprise:温州丁贸易有限公司", "100")]
    investees = {m["name"]: m for m in all_records(source.mentions)}
    assert investees["温州丙新材料有限公司"]["founded_year"] == "2020"
    assert investees["温州丁贸易有限公司"]["registration_status"] == "注销"
