"""Government lists: title rows, group rows, notes, empty markers, types and relations."""

from __future__ import annotations

from pathlib import Path

from ingest.shapes.read import shape_file
from schema.ids import credit_code_check_char

from .builders import all_records, csv_file, loader_rejects, one, records, workbook

CODE = "91330304MA2AB1234"
CODE = CODE + credit_code_check_char(CODE)

ISSUE_14 = [
    ["2023年瓯海区科技型企业名单"],
    ["序号", "企业名称", "统一社会信用代码", "所在地区", "成立日期"],
    ["瓯海区（2家）"],
    ["1", "温州甲科技有限公司", CODE, "-", "2019-05-20"],
    ["2", "温州乙科技有限公司", "/", "", "无"],
    ["鹿城区（1家）"],
    ["3", "温州丙电气股份有限公司", "", "鹿城区", "2015"],
    ["注：排名不分先后"],
]


def test_issue_14_list_loads(tmp_path: Path) -> None:
    source = one(workbook(tmp_path / "名单.xlsx", {"Sheet1": ISSUE_14}))
    ex = source.explanation
    assert ex.shape == "government_list" and ex.header_row == 2
    assert ex.entity_type == "enterprise" and "name column 企业名称" in ex.type_reason
    assert [(s.row, s.kind) for s in ex.skipped] == [
        (1, "title"), (2, "header"), (3, "group"), (6, "group"), (8, "note")]
    assert ex.data_rows == 3
    (entities,) = source.entities
    rows = records(entities)
    assert [r["name"] for r in rows] == ["温州甲科技有限公司", "温州乙科技有限公司",
                                         "温州丙电气股份有限公司"]
    assert [r["_row"] for r in rows] == ["4", "5", "7"]
    assert rows[0]["credit_code"] == CODE and rows[1]["credit_code"] == ""
    assert [r["founded_year"] for r in rows] == ["2019", "", "2015"]
    assert {r["type"] for r in rows} == {"enterprise"}
    assert entities.headers["name"] == "企业名称"
    assert entities.headers["credit_code"] == "统一社会信用代码"
    assert entities.hint == "Sheet1"
    assert loader_rejects(source.entities) == []
    located = {(r["source"], r["target"]) for r in all_records(source.relations)
               if r["relation"] == "located_in"}
    assert located == {(CODE, "region:瓯海区"), ("enterprise:温州乙科技有限公司", "region:瓯海区"),
                       ("enterprise:温州丙电气股份有限公司", "region:鹿城区")}
    mentions = all_records(source.mentions)
    assert {(m["name"], m["type"]) for m in mentions} == {("瓯海区", "region"),
                                                          ("鹿城区", "region")}
    assert source.rejects == []


def test_gb18030_csv_with_a_title_line(tmp_path: Path) -> None:
    rows = [["温州市科技企业孵化器名单"], ["序号", "孵化器名称", "运营主体", "级别"],
            ["1", "温州市大学科技园", "温州大学", "国家级"]]
    source = one(csv_file(tmp_path / "list.csv", rows, "gb18030"))
    assert source.explanation.entity_type == "incubator"
    (row,) = records(source.entities[0])
    assert (row["name"], row["type"], row["level"]) == ("温州市大学科技园", "incubator", "国家级")
    (link,) = all_records(source.relations)
    assert (link["source"], link["relation"], link["target"]) == (
        "incubator:温州市大学科技园", "affiliated_with", "institute:温州大学")
    assert source.relations[0].headers == {"source": "孵化器名称", "target": "运营主体"}


def test_a_cell_with_a_control_character_rejects_its_row(tmp_path: Path) -> None:
    rows = [["序号", "企业名称", "所在地区"], ["1", "温州甲\x07科技有限公司", "瓯海区"],
            ["2", "温州乙科技有限公司", "瓯海区"]]
    path = csv_file(tmp_path / "企业名单.csv", rows)
    source = one(path)
    (reject,) = source.rejects
    assert (reject.file, reject.row, reject.column) == (str(path), 2, "企业名称")
    assert "U+0007" in reject.reason
    assert [r["name"] for r in records(source.entities[0])] == ["温州乙科技有限公司"]


def test_type_order_explicit_then_type_column_then_legal_form(tmp_path: Path) -> None:
    rows = [["序号", "名称", "类型", "所在地区"],
            ["1", "温州大学", "", "鹿城区"],
            ["2", "瓯海眼镜小镇", "园区", ""],
            ["3", "星火燎原", "", ""]]
    path = workbook(tmp_path / "t.xlsx", {"Sheet1": [["各类主体汇总"], *rows]})
    source = one(path)
    assert "类型 column" in source.explanation.type_reason
    kept = records(source.entities[0])
    assert [(r["name"], r["type"]) for r in kept] == [("温州大学", "institute"),
                                                      ("瓯海眼镜小镇", "park")]
    (reject,) = source.rejects
    assert (reject.row, reject.column, reject.value) == (5, "名称", "星火燎原")
    assert reject.reason.startswith("type: cannot tell") and "--type" in reject.reason
    forced = one(path, entity_type="platform")
    assert {r["type"] for r in records(forced.entities[0])} == {"platform"}
    assert forced.explanation.type_reason.startswith("given explicitly")


def test_leader_and_co_builders(tmp_path: Path) -> None:
    rows = [["温州市人才团队名单"], ["序号", "团队名称", "带头人", "共建单位"],
            ["1", "智能装备创新团队", "张三", "温州大学、浙江大学；温州医科大学"]]
    source = one(workbook(tmp_path / "t.xlsx", {"团队": rows}))
    links = all_records(source.relations)
    leads = [r for r in links if r["relation"] == "leads"]
    assert [(r["source"], r["target"]) for r in leads] == [
        ("person:张三", "talent_team:智能装备创新团队")]
    partners = [r for r in links if r["relation"] == "partnership"]
    assert sorted(r["target"] for r in partners) == [
        "institute:浙江大学", "institute:温州医科大学", "institute:温州大学"]
    assert {r["kind"] for r in partners} == {"共建"}


def test_group_rows_give_level_and_industry(tmp_path: Path) -> None:
    rows = [["企业技术中心名单"], ["序号", "单位名称"], ["国家级"], ["1", "甲中心"],
            ["一、数字经济"], ["2", "乙中心"]]
    source = one(workbook(tmp_path / "t.xlsx", {"Sheet1": rows}))
    kept = records(source.entities[0])
    assert [(r["name"], r["type"], r.get("level", "")) for r in kept] == [
        ("甲中心", "platform", "国家级"), ("乙中心", "platform", "国家级")]
    industry = [r for r in all_records(source.relations) if r["relation"] == "in_industry"]
    assert [(r["source"], r["target"], r["_row"]) for r in industry] == [
        ("platform:乙中心", "industry:数字经济", "6")]


def test_several_sheets_each_explained(tmp_path: Path) -> None:
    path = workbook(tmp_path / "t.xlsx", {
        "孵化器": [["序号", "孵化器名称"], ["1", "甲孵化器"]],
        "enterprise": [["名称", "别名"], ["温州甲科技有限公司", "甲科技"]]})
    lists, tidy = shape_file(path)
    assert lists.explanation.shape == "government_list"
    assert lists.explanation.entity_type == "incubator"
    assert tidy.explanation.shape == "generic_entities"
    assert tidy.explanation.entity_type == "enterprise"
    assert tidy.entities[0].headers == {"name": "名称", "aliases": "别名"}
