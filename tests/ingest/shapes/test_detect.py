"""Shape detection: the header row, what each column means, and which shape wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.shapes.detect import SHAPE_RULES, UNKNOWN_REASON, detect
from ingest.shapes.grid import Grid
from ingest.shapes.list_type import TITLE_EXAMPLES, type_from_title
from ingest.shapes.read import shape_file
from schema import UnreadableFile

from .builders import one, workbook


def grid(rows: list[list[str]], sheet: str | None = None) -> Grid:
    return Grid("t.xlsx#" + (sheet or "Sheet1"), "t.xlsx", sheet or "Sheet1", rows,
                list(range(1, len(rows) + 1)))


ISSUE_14 = [
    ["2023年瓯海区科技型企业名单"],
    ["序号", "企业名称", "所在地区", "备注"],
    ["", "瓯海区（3家）"],
    ["1", "温州甲科技有限公司", "瓯海区", ""],
    ["注：排名不分先后"],
]


def test_issue_14_list_is_a_government_list() -> None:
    found = detect(grid(ISSUE_14))
    assert found.shape == "government_list"
    assert found.header_row == 2 and found.header_index == 1
    assert found.title == "2023年瓯海区科技型企业名单"
    roles = {m.header: m.role for m in found.columns}
    assert roles["企业名称"] == "name"
    assert roles["所在地区"] == "relation"
    located = next(m for m in found.columns if m.header == "所在地区")
    assert (located.target, located.target_type) == ("located_in", "region")


def test_unknown_header_is_kept_as_a_text_property() -> None:
    found = detect(grid([["序号", "企业名称", "联络员手机"], ["1", "温州甲科技有限公司", "138"]]))
    extra = next(m for m in found.columns if m.header == "联络员手机")
    assert (extra.role, extra.target, extra.reason) == ("property", "联络员手机", UNKNOWN_REASON)
    assert extra.column == 2


def test_tidy_table_in_row_1_is_generic() -> None:
    assert detect(grid([["名称", "类型"], ["温州大学", "institute"]])).shape == \
        "generic_entities"
    assert detect(grid([["source", "target", "relation"], ["a", "b", "located_in"]])).shape \
        == "generic_relations"


def test_tidy_table_under_a_title_is_not_generic_entities() -> None:
    found = detect(grid([["2023年名单"], ["名称", "类型"], ["温州大学", "institute"]]))
    assert found.shape == "government_list" and found.header_row == 2


def test_shareholders_win_over_the_name_column() -> None:
    found = detect(grid([["企业名称", "股东名称", "持股比例"],
                         ["温州甲科技有限公司", "温州乙投资有限公司", "51%"]]))
    assert found.shape == "registry_shareholders"
    assert "股东名称" in found.shape_reason


def test_registry_export_without_a_name_column_is_refused() -> None:
    rows = [["统一社会信用代码", "法定代表人", "注册资本", "成立日期", "登记状态"],
            ["91330304MA2AB12345", "张三", "100万元", "2019-05-20", "存续"]]
    with pytest.raises(UnreadableFile) as caught:
        detect(grid(rows))
    message = str(caught.value)
    assert "looks like a registry_companies" in message
    assert "企业名称" in message and "columns found: 统一社会信用代码" in message


def test_patents_without_a_number_column_are_refused() -> None:
    rows = [["专利名称", "申请(专利权)人", "申请日"], ["一种阀门", "温州大学", "2020-01-02"]]
    with pytest.raises(UnreadableFile, match=r"looks like a patents .* no number column"):
        detect(grid(rows))


def test_no_header_in_the_first_rows_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "prose.xlsx", {"说明": [["本表为说明"], ["没有表头的一行"]]})
    with pytest.raises(UnreadableFile, match="no row reads as a header in the first 30 rows"):
        one(path)


def test_rules_are_tried_in_the_documented_order() -> None:
    assert [r.shape for r in SHAPE_RULES] == [
        "generic_relations", "generic_entities", "patents", "registry_investments",
        "registry_shareholders", "registry_companies", "projects", "government_list"]
    assert all(r.example for r in SHAPE_RULES)


@pytest.mark.parametrize(("title", "expected"), TITLE_EXAMPLES)
def test_title_words_name_the_type(title: str, expected: str | None) -> None:
    assert type_from_title(title) == expected


def test_tidy_csv_takes_the_plain_reader(tmp_path: Path) -> None:
    path = tmp_path / "enterprise.csv"
    path.write_text("名称,别名,成立年份\n温州甲科技有限公司,甲科技,2019\n", encoding="utf-8")
    source = one(path)
    ex = source.explanation
    assert (ex.shape, ex.header_row, ex.entity_type) == ("generic_entities", 1, "enterprise")
    (table,) = source.entities
    assert table.columns == ["name", "aliases", "founded_year"]
    assert table.headers == {"name": "名称", "aliases": "别名", "founded_year": "成立年份"}
    assert table.row_numbers == [2]


def test_json_always_takes_the_plain_reader(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    path.write_text('{"entities": [{"name": "温州大学", "type": "institute"}], '
                    '"relations": [{"source": "a", "target": "b", "relation": "located_in"}]}',
                    encoding="utf-8")
    entities, relations = shape_file(path)
    assert entities.explanation.shape == "generic_entities" and len(entities.entities) == 1
    assert relations.explanation.shape == "generic_relations"
    assert relations.relations[0].columns == ["source", "target", "relation"]


def test_relation_table_under_a_title(tmp_path: Path) -> None:
    path = workbook(tmp_path / "r.xlsx", {"Sheet1": [
        ["合作关系表"], ["源", "目标", "关系", "年份"],
        ["温州大学", "瓯海区", "located_in", "2021"]]})
    source = one(path)
    assert source.explanation.shape == "generic_relations"
    assert source.explanation.header_row == 2
    (table,) = source.relations
    assert table.columns == ["source", "target", "relation", "year"]
    assert table.headers["source"] == "源" and table.row_numbers == [3]


def test_long_sheet_is_read_in_full_after_the_preview(tmp_path: Path) -> None:
    rows = [["温州市科技型企业名单"], ["序号", "企业名称"]]
    rows += [[str(i), f"温州{i}号科技有限公司"] for i in range(1, 121)]
    source = one(workbook(tmp_path / "long.xlsx", {"Sheet1": rows}))
    assert len(source.entities[0]) == 120 and source.explanation.data_rows == 120


def test_an_investment_export_is_not_read_as_shareholders() -> None:
    # 持股比例 marks shareholder exports too; 被投资企业名称 is the more specific marker
    rows = [["企业名称", "被投资企业名称", "持股比例", "认缴出资额"],
            ["浙江华联机械股份有限公司", "温州华联精密有限公司", "60.00%", "600万元"]]
    assert detect(grid(rows)).shape == "registry_investments"
