"""Raw grid readers: encodings, CSV damage, workbook cells, and every limit."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwt

from ingest.shapes.grid import Grid, read_grids
from ingest.shapes.limits import ReadLimits
from schema import UnreadableFile

LIST_ROWS = [
    ["序号", "企业名称", "所在地区"],
    ["1", "温州甲科技有限公司", "瓯海区"],
    ["2", "温州乙科技有限公司", "鹿城区"],
]


def grids(path: Path, **kwargs: Any) -> list[Grid]:
    return list(read_grids(path, **kwargs))


def only(path: Path, **kwargs: Any) -> Grid:
    (grid,) = grids(path, **kwargs)
    return grid


def refused(path: Path, *needles: str, **kwargs: Any) -> str:
    with pytest.raises(UnreadableFile) as caught:
        grids(path, **kwargs)
    message = str(caught.value)
    for needle in needles:
        assert needle in message, message
    return message


def write_csv(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- CSV encodings --------------------------------------------------------------------------

CSV_TEXT = "序号,企业名称,所在地区\n1,温州甲科技有限公司,瓯海区\n2,温州乙科技有限公司,鹿城区\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    grid = only(write_csv(tmp_path, CSV_TEXT, encoding))
    assert grid.rows == LIST_ROWS
    assert grid.numbers == [1, 2, 3]
    assert grid.sheet is None and grid.source == grid.file == str(tmp_path / "t.csv")
    assert grid.encoding == encoding
    assert grid.rows[0][0] == "序号"     # never "\ufeff序号" nor "锘縤d"-like garbage


def test_gb18030_late_in_a_long_ascii_file(tmp_path: Path) -> None:
    text = "id,name\n" + "".join(f"{i},company{i}\n" for i in range(8000)) + "9,温州甲公司\n"
    grid = only(write_csv(tmp_path, text, "gb18030"))
    assert grid.encoding == "gb18030"
    assert grid.rows[-1] == ["9", "温州甲公司"]


def test_bom_then_gb18030_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CSV_TEXT.encode("gb18030"))
    message = refused(path, "byte-order mark", "GB18030", "line 1")
    assert "锘" not in message


def test_neither_utf8_nor_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("名称\n".encode() + b"\x80\x80\xff\n")
    refused(path, "neither UTF-8 nor GB18030")


def test_tsv(tmp_path: Path) -> None:
    path = write_csv(tmp_path, CSV_TEXT.replace(",", "\t"), name="t.tsv")
    assert only(path).rows == LIST_ROWS


# --- CSV rows and damage --------------------------------------------------------------------

def test_row_numbers_are_record_start_lines(tmp_path: Path) -> None:
    text = ('2024年瓯海区科技型中小企业名单,,\n'
            ',,\n'
            '\n'
            '序号,企业名称,备注\n'
            '1,温州甲科技有限公司,"第一行\n第二行"\n'
            '2,="91330304MA2AXXXX",\'0123\u3000\n'
            '\n\n')
    grid = only(write_csv(tmp_path, text))
    assert grid.numbers == [1, 2, 3, 4, 5, 7]
    assert grid.rows == [["2024年瓯海区科技型中小企业名单"], [], [],
                         ["序号", "企业名称", "备注"],
                         ["1", "温州甲科技有限公司", "第一行\n第二行"],
                         ["2", "91330304MA2AXXXX", "0123"]]


def test_line_ends(tmp_path: Path) -> None:
    crlf = only(write_csv(tmp_path, 'a,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n', name="crlf.csv"))
    assert crlf.rows == [["a", "b"], ["1", "x\r\ny"], [], ["2", "z"]]
    assert crlf.numbers == [1, 2, 4, 5]
    cr = only(write_csv(tmp_path, 'a,b\r1,"x\ry"\r\r2,z\r', name="cr.csv"))
    assert cr.rows == [["a", "b"], ["1", "x\ry"], [], ["2", "z"]]
    assert cr.numbers == [1, 2, 4, 5]


def test_unclosed_quote_names_the_line_where_it_began(tmp_path: Path) -> None:
    text = 'a,b\n1,x\n2,"never closed\n3,y\n4,z\n'
    message = refused(write_csv(tmp_path, text), "line 3", "never closed")
    assert "line 5" not in message


def test_text_after_closing_quote(tmp_path: Path) -> None:
    refused(write_csv(tmp_path, 'a,b\n1,"x"y\n'), "line 2", "quote")


@pytest.mark.parametrize("position", ["head", "tail"])
def test_nul_bytes_are_binary(tmp_path: Path, position: str) -> None:
    body = "a,b\n" + "1,x\n" * (30000 if position == "tail" else 1)
    path = tmp_path / "t.csv"
    path.write_bytes(body.encode() + b"2,\x00\x01\n")
    refused(path, "binary content")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n", b",,\n , \n"])
def test_empty_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    refused(path, "empty")


def test_missing_and_unsupported(tmp_path: Path) -> None:
    refused(tmp_path / "none.csv", "no such file")
    path = tmp_path / "t.txt"
    path.write_text("x")
    refused(path, "unsupported file type .txt")


def test_preview_reads_only_the_first_rows(tmp_path: Path) -> None:
    # the damage after row 3 is never reached by a preview
    text = CSV_TEXT + '3,"unclosed\n' + "4,x\n" * 10
    path = write_csv(tmp_path, text)
    grid = only(path, max_rows=3)
    assert grid.rows == LIST_ROWS and not grid.complete
    refused(path, "never closed")
    assert only(write_csv(tmp_path, CSV_TEXT), max_rows=10).complete


# --- CSV limits ------------------------------------------------------------------------------

def test_csv_file_size_limit(tmp_path: Path) -> None:
    path = write_csv(tmp_path, CSV_TEXT)
    refused(path, "INNOGRAPH_MAX_FILE_MB", "bytes", limits=ReadLimits(max_file_bytes=20))


def test_csv_row_limit(tmp_path: Path) -> None:
    path = write_csv(tmp_path, CSV_TEXT)
    assert len(only(path, limits=ReadLimits(max_rows=3)).rows) == 3
    refused(path, "INNOGRAPH_MAX_ROWS", "2", limits=ReadLimits(max_rows=2))


def test_csv_column_limit(tmp_path: Path) -> None:
    refused(write_csv(tmp_path, CSV_TEXT), "line 1", "3 fields", "max_columns",
            limits=ReadLimits(max_columns=2))


def test_csv_field_limit(tmp_path: Path) -> None:
    refused(write_csv(tmp_path, CSV_TEXT), "line 2, field 2", "INNOGRAPH_MAX_FIELD_CHARS",
            limits=ReadLimits(max_field_chars=5))


def test_csv_field_beyond_the_csv_module_limit(tmp_path: Path) -> None:
    text = "a,b\n1," + "x" * 200_000 + "\n"
    refused(write_csv(tmp_path, text), "line 2", "INNOGRAPH_MAX_FIELD_CHARS")
    big = ReadLimits(max_field_chars=300_000)
    assert len(only(write_csv(tmp_path, text), limits=big).rows[1][1]) == 200_000


# --- workbooks -------------------------------------------------------------------------------

def government_list(path: Path, extra_sheets: int = 0) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名单"
    sheet["A1"] = "2024年瓯海区科技型中小企业名单"
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "企业名称", "认定日期", "注册资本", "是否上市"])  # row 3 after blank
    sheet.insert_rows(2)
    sheet.append([1, "温州甲科技有限公司", dt.date(2023, 8, 15), 2021.0, True])
    sheet.append([2, " 温州乙科技有限公司\u3000", dt.datetime(2023, 8, 15, 10, 30), 51.5, False])
    sheet.append([])
    sheet.append([3, None, 45153, None, None])
    sheet["B7"].value = '="91330304MA2AXXXX"'
    sheet["B7"].data_type = "s"   # text as written, not a formula
    book.create_sheet("空白")
    for i in range(extra_sheets):
        book.create_sheet(f"表{i}")["A1"] = i
    book.save(path)
    return path


def test_xlsx_cells(tmp_path: Path) -> None:
    grid = only(government_list(tmp_path / "list.xlsx"))
    assert grid.sheet == "名单" and grid.source.endswith("list.xlsx#名单")
    assert grid.numbers == [1, 2, 3, 4, 5, 6, 7]
    assert grid.rows == [
        ["2024年瓯海区科技型中小企业名单"],       # merged title: top-left value only
        [],
        ["序号", "企业名称", "认定日期", "注册资本", "是否上市"],
        ["1", "温州甲科技有限公司", "2023-08-15", "2021", "TRUE"],
        ["2", "温州乙科技有限公司", "2023-08-15 10:30:00", "51.5", "FALSE"],
        [],
        ["3", "91330304MA2AXXXX", "45153"],
    ]


def test_xlsm_and_mislabelled_xls(tmp_path: Path) -> None:
    path = government_list(tmp_path / "list.xlsx")
    for name in ("list.xlsm", "list.xls"):     # an XLSX served under a .xls name
        shutil.copy(path, tmp_path / name)
        assert only(tmp_path / name).rows == only(path).rows


def test_sheet_positions_start_at_a1(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["C4"] = "企业名称"
    sheet["C5"] = "温州甲科技有限公司"
    book.save(tmp_path / "t.xlsx")
    grid = only(tmp_path / "t.xlsx")
    assert grid.numbers == [1, 2, 3, 4, 5]
    assert grid.rows[3] == ["", "", "企业名称"]


def test_xls(tmp_path: Path) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("名单")
    sheet.write(0, 0, "2024年名单")
    sheet.write(2, 0, "序号")
    sheet.write(2, 1, "企业名称")
    sheet.write(2, 2, "成立日期")
    sheet.write(3, 0, 1.0)
    sheet.write(3, 1, "温州甲科技有限公司")
    sheet.write(3, 2, dt.date(2023, 8, 15), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    sheet.write(4, 0, 2.5)
    book.add_sheet("空")
    book.save(str(tmp_path / "t.xls"))
    grid = only(tmp_path / "t.xls")
    assert grid.sheet == "名单"
    assert grid.rows == [["2024年名单"], [], ["序号", "企业名称", "成立日期"],
                         ["1", "温州甲科技有限公司", "2023-08-15"], ["2.5"]]
    assert grid.numbers == [1, 2, 3, 4, 5]


def test_workbook_preview(tmp_path: Path) -> None:
    grid = only(government_list(tmp_path / "list.xlsx"), max_rows=3)
    assert grid.numbers == [1, 2, 3] and not grid.complete


def test_every_sheet_empty(tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "t.xlsx")
    refused(tmp_path / "t.xlsx", "every sheet")


def test_html_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "t.xls"
    path.write_text("<html><body><table><tr><td>企业名称</td></tr></table></body></html>")
    refused(path, "HTML")


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_text("企业名称\n甲")
    refused(path, "not a workbook")


def test_damaged_zip(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    refused(path, "damaged zip")


# --- workbook limits -------------------------------------------------------------------------

def zip_bomb(path: Path, rows: int = 3000) -> Path:
    """Many rows of the same long text: compresses to almost nothing."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    text = "温州甲科技有限公司" * 20
    for _ in range(rows):
        sheet.append([text, text, text])
    book.save(path)
    return path


def test_zip_bomb_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    path = zip_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 200_000

    class Untouchable:
        @classmethod
        def from_path(cls, *args: object) -> None:
            raise AssertionError("calamine opened the file")

        from_filelike = from_path

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Untouchable)
    refused(path, "unpacks to", "INNOGRAPH_MAX_DECOMPRESSED_MB",
            limits=ReadLimits(max_decompressed_bytes=1 << 20))


def test_workbook_file_size_limit(tmp_path: Path) -> None:
    refused(government_list(tmp_path / "t.xlsx"), "INNOGRAPH_MAX_FILE_MB",
            limits=ReadLimits(max_file_bytes=1000))


def test_sheet_row_limit(tmp_path: Path) -> None:
    path = government_list(tmp_path / "t.xlsx")
    assert only(path, limits=ReadLimits(max_rows=7))
    refused(path, "sheet '名单'", "7 rows", "INNOGRAPH_MAX_ROWS", limits=ReadLimits(max_rows=6))


def test_sheet_column_limit(tmp_path: Path) -> None:
    refused(government_list(tmp_path / "t.xlsx"), "sheet '名单'", "5 columns", "max_columns",
            limits=ReadLimits(max_columns=4))


def test_sheet_count_limit(tmp_path: Path) -> None:
    path = government_list(tmp_path / "t.xlsx", extra_sheets=3)
    assert len(grids(path, limits=ReadLimits(max_sheets=5))) == 4
    refused(path, "5 sheets", "max_sheets", limits=ReadLimits(max_sheets=4))


def test_workbook_field_limit_names_sheet_row_column(tmp_path: Path) -> None:
    refused(government_list(tmp_path / "t.xlsx"), "sheet '名单', row 1, column A", "17",
            "INNOGRAPH_MAX_FIELD_CHARS", limits=ReadLimits(max_field_chars=16))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "企业名称"
    sheet["C4"] = "x" * 30
    book.save(tmp_path / "long.xlsx")
    refused(tmp_path / "long.xlsx", "row 4, column C", "30 characters",
            limits=ReadLimits(max_field_chars=29))


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="名单">
<table:table-row><table:table-cell office:value-type="string"><text:p>企业名称</text:p>
</table:table-cell><table:table-cell office:value-type="string"><text:p>成立年份</text:p>
</table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>温州甲科技有限公司</text:p>
</table:table-cell><table:table-cell office:value-type="float" office:value="2021">
<text:p>2021</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""

ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
<manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def test_ods(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "t.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("content.xml", ODS_CONTENT)
    grid = only(path)
    assert grid.sheet == "名单"
    assert grid.rows == [["企业名称", "成立年份"], ["温州甲科技有限公司", "2021"]]
    refused(path, "INNOGRAPH_MAX_DECOMPRESSED_MB", limits=ReadLimits(max_decompressed_bytes=100))
