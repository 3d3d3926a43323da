"""Header-row finding: titles, disclaimers and blank rows above the header never win."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from ingest.shapes.grid import Grid, read_grids
from ingest.shapes.header_row import HEADER_EXAMPLES, find_header, normalize_header


@dataclass(frozen=True)
class Entry:
    role: str


VOCABULARY = {
    "序号": Entry("index"), "企业名称": Entry("name"), "单位名称": Entry("name"),
    "所在地区": Entry("region"), "所属产业": Entry("industry"), "认定年份": Entry("year"),
    "统一社会信用代码": Entry("code"), "注册资本(万元)": Entry("capital"),
}


def entry_of(text: str) -> object | None:
    return VOCABULARY.get(text)


def grid_of(*rows: list[str]) -> Grid:
    return Grid("t.csv", "t.csv", None, [list(r) for r in rows], list(range(1, len(rows) + 1)))


@pytest.mark.parametrize(("written", "normalised"), HEADER_EXAMPLES)
def test_normalize_header(written: str, normalised: str) -> None:
    assert normalize_header(written) == normalised


def test_header_below_title_and_blank_rows() -> None:
    grid = grid_of(["2024年瓯海区科技型中小企业名单"], [], ["序号", "企业名称", "所在地区",
                   "所属产业", "备注"], ["1", "温州甲科技有限公司", "瓯海区", "生命健康"])
    found = find_header(grid, entry_of)
    assert found is not None
    assert (found.index, found.row) == (2, 3)
    assert found.reason == ("row 3: 4 of 5 cells are known headers "
                            "(序号, 企业名称, 所在地区, 所属产业)")
    assert found.known == ("序号", "企业名称", "所在地区", "所属产业") and found.cells == 5


def test_title_made_of_header_words_never_wins() -> None:
    # one cell, even a known header, is a title
    grid = grid_of(["企业名称"], ["序号", "企业名称"], ["1", "甲"])
    found = find_header(grid, entry_of)
    assert found is not None and found.row == 2


def test_disclaimer_never_wins() -> None:
    grid = grid_of(["注：企业名称、所在地区以营业执照为准", "企业名称", "所在地区"],
                   ["序号", "企业名称", "所在地区"], ["1", "甲", "瓯海区"])
    found = find_header(grid, entry_of)
    assert found is not None and found.row == 2


def test_one_known_name_column_is_enough() -> None:
    grid = grid_of(["名单"], ["编号", "企业名称", "地址"], ["A1", "甲", "x路"])
    found = find_header(grid, entry_of)
    assert found is not None and found.row == 2
    assert "1 of 3 cells" in found.reason and "name column" in found.reason


def test_one_known_cell_that_is_not_a_name_is_not_enough() -> None:
    assert find_header(grid_of(["编号", "所在地区", "地址"], ["1", "瓯海区", "x"]),
                       entry_of) is None


def test_string_roles_work_as_entries() -> None:
    roles = {"企业名称": "name"}
    found = find_header(grid_of(["编号", "企业名称"], ["1", "甲"]), roles.get)
    assert found is not None and found.row == 1


def test_the_fuller_of_two_header_rows_wins() -> None:
    grid = grid_of(["基本信息", "", "认定信息", ""],
                   ["序号", "企业名称", "认定年份", "统一社会信用代码"],
                   ["1", "甲", "2023", "91330304MA2AXXXX"])
    found = find_header(grid, entry_of)
    assert found is not None and found.row == 2


def test_header_cells_are_normalised() -> None:
    grid = grid_of(["序 号", "企业\n名称：", "注册资本（万元）*"], ["1", "甲", "100"])
    found = find_header(grid, entry_of)
    assert found is not None and found.known == ("序 号", "企业\n名称：", "注册资本（万元）*")


def test_max_scan_counts_non_empty_rows() -> None:
    rows = [["说明文字"]] * 3 + [[]] * 10 + [["序号", "企业名称"]]
    assert find_header(grid_of(*rows), entry_of, max_scan=4) is not None
    assert find_header(grid_of(*rows), entry_of, max_scan=3) is None


def test_row_number_is_what_a_person_sees(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A2"] = "2024年瓯海区科技型中小企业名单"
    sheet.merge_cells("A2:D2")
    sheet["A3"] = "单位：万元"
    for column, text in enumerate(["序号", "企业名称", "所在地区", "注册资本（万元）"], start=1):
        sheet.cell(row=5, column=column, value=text)
    sheet.append([1, "温州甲科技有限公司", "瓯海区", 100])
    book.save(tmp_path / "list.xlsx")
    (grid,) = read_grids(tmp_path / "list.xlsx")
    found = find_header(grid, entry_of)
    assert found is not None and found.row == 5 and grid.rows[found.index][0] == "序号"
    assert found.reason.startswith("row 5: 4 of 4 cells")
