"""Raw grids: every row of a sheet or CSV file as cleaned cell texts, with its row number.

Nothing here knows where the header is: government lists open with titles, blank rows and
merged cells, so a grid keeps every row with the number a person sees and leaves the
reading to ``header_row`` and ``row_kinds``.

Limits are checked before data is materialised, so a hostile or broken file costs little:
the file size first; for zip-based workbooks (XLSX/XLSM/ODS) the members' declared
uncompressed sizes before calamine opens the file; a sheet's used range before its rows
are turned into Python values; each cell's length as it is read. Every error is
:class:`schema.UnreadableFile` naming the file and, where there is one, the sheet, row and
column; a limit error names the setting that raises it.

CSV/TSV files are streamed line by line (UTF-8, UTF-8 with BOM, GB18030), so a preview
(``max_rows``) reads only the lines it needs. Workbooks are read with ``python_calamine``
(XLSX, XLSM, XLS, ODS); calamine parses a sheet in Rust when it is opened, so a preview of
a workbook saves the conversion of the remaining rows, not their parsing — the
decompressed-size limit is what bounds that.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ingest.shapes.cells import clean_cell, field_too_long
from ingest.shapes.limits import DEFAULT_LIMITS, ReadLimits
from schema import UnreadableFile

TEXT_SUFFIXES = (".csv", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
GRID_SUFFIXES = TEXT_SUFFIXES + WORKBOOK_SUFFIXES

# The setting that raises each limit (named in the error so a user knows what to change).
LIMIT_SETTINGS: dict[str, str] = {
    "max_file_bytes": "INNOGRAPH_MAX_FILE_MB",
    "max_decompressed_bytes": "INNOGRAPH_MAX_DECOMPRESSED_MB",
    "max_rows": "INNOGRAPH_MAX_ROWS",
    "max_field_chars": "INNOGRAPH_MAX_FIELD_CHARS",
}

_HEAD_BYTES = 64 << 10   # sniffed for NUL bytes, BOM and encoding


@dataclass
class Grid:
    """One sheet or CSV file, row by row, before any header is known.

    ``rows[i]`` are the cleaned texts of the cells (see ``cells.clean_cell``), trailing empty
    cells removed; ``numbers[i]`` is the row number a person sees (spreadsheet row, CSV
    line where the record starts). Rows that are entirely empty are kept (as ``[]``) so
    that blank-row accounting is exact; empty rows after the last non-empty one are not
    rows anyone sees and are dropped.
    """

    source: str          # "path" for CSV, "path#sheet" for workbooks
    file: str            # the path as given
    sheet: str | None    # sheet name, None for CSV
    rows: list[list[str]]
    numbers: list[int]
    encoding: str = ""   # "utf-8", "utf-8-sig" or "gb18030" for text files
    complete: bool = True  # False when ``max_rows`` stopped the reading early


def read_grids(path: Path, limits: ReadLimits = DEFAULT_LIMITS,
               max_rows: int | None = None) -> Iterator[Grid]:
    """The grids in one CSV/TSV/XLSX/XLSM/XLS/ODS file; raise ``schema.UnreadableFile`` with
    the reason (naming the sheet and row where there is one).

    ``max_rows`` reads only the first rows of each grid: a cheap preview for detection.
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise UnreadableFile(name, "no such file")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile(name, "file is empty")
    if size > limits.max_file_bytes:
        raise UnreadableFile(name, _over("the file is", _bytes(size), "max_file_bytes",
                                         _bytes(limits.max_file_bytes)))
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        yield _read_text(path, "\t" if suffix == ".tsv" else ",", limits, max_rows)
    elif suffix in WORKBOOK_SUFFIXES:
        yield from _read_workbook(path, limits, max_rows)
    else:
        raise UnreadableFile(name, f"unsupported file type {suffix or '(none)'}; "
                                   f"tables are {', '.join(GRID_SUFFIXES)}")


# --- messages -----------------------------------------------------------------------------

def _bytes(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB" if n >= 1 << 20 else f"{n} bytes"


def _over(what: str, amount: str, limit: str, allowed: str) -> str:
    """``"<what> <amount>, more than the limit of <allowed> (raise SETTING)"``."""
    return f"{what} {amount}, more than the limit of {allowed}{_hint(limit)}"


def _hint(limit: str) -> str:
    setting = LIMIT_SETTINGS.get(limit)
    return f" (raise {setting})" if setting else f" (the {limit} limit)"


def column_letter(index: int) -> str:
    """The spreadsheet name of a 0-based column.

    >>> [column_letter(i) for i in (0, 25, 26, 701, 702)]
    ['A', 'Z', 'AA', 'ZZ', 'AAA']
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _drop_trailing_blank(rows: list[list[str]], numbers: list[int]) -> None:
    while rows and not rows[-1]:
        rows.pop()
        numbers.pop()


# --- CSV / TSV ----------------------------------------------------------------------------

class _Undecodable(Exception):
    """A line that is not text in the encoding being tried."""

    def __init__(self, line: int) -> None:
        self.line = line
        super().__init__(line)


def _read_text(path: Path, delimiter: str, limits: ReadLimits, max_rows: int | None) -> Grid:
    with path.open("rb") as f:
        head = f.read(_HEAD_BYTES)
    if b"\x00" in head:
        raise UnreadableFile(str(path), "binary content (NUL bytes), not a text table")
    if head.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    else:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            encodings = ("utf-8", "gb18030")
        except UnicodeDecodeError:
            encodings = ("gb18030",)
    failed = 0
    for encoding in encodings:
        try:
            return _parse_text(path, delimiter, encoding, limits, max_rows)
        except _Undecodable as e:
            failed = e.line
    if encodings == ("utf-8-sig",):
        raise UnreadableFile(str(path), f"the file starts with a UTF-8 byte-order mark but line "
                                        f"{failed} is not UTF-8 (GB18030 text saved with a "
                                        "stray BOM?); save it again as UTF-8")
    raise UnreadableFile(str(path), f"line {failed} is neither UTF-8 nor GB18030 text")


def _decoded_lines(lines: Iterable[bytes], encoding: str) -> Iterator[str]:
    """Decode line by line (``\\n`` never occurs inside a UTF-8 or GB18030 character), so a
    decoding error names its line and a NUL byte anywhere is caught."""
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    for number, raw in enumerate(lines, start=1):
        if number == 1 and encoding == "utf-8-sig":
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if b"\x00" in raw:
            raise _Binary(number)
        try:
            yield raw.decode(codec)
        except UnicodeDecodeError:
            raise _Undecodable(number) from None


def _byte_lines(f: BinaryIO) -> Iterator[bytes]:
    """Lines ending in LF (and CRLF); a file whose head has CR but no LF (classic Mac
    line ends) is split on CR instead."""
    head = f.read(_HEAD_BYTES)
    f.seek(0)
    if b"\n" in head or b"\r" not in head:
        yield from f
        return
    parts = f.read().split(b"\r")
    for part in parts[:-1]:
        yield part + b"\r"
    if parts[-1]:
        yield parts[-1]


class _Binary(Exception):
    def __init__(self, line: int) -> None:
        self.line = line
        super().__init__(line)


def _parse_text(path: Path, delimiter: str, encoding: str, limits: ReadLimits,
                max_rows: int | None) -> Grid:
    name = str(path)
    if limits.max_field_chars >= csv.field_size_limit():
        csv.field_size_limit(limits.max_field_chars + 1)  # only ever raised, never lowered
    rows: list[list[str]] = []
    numbers: list[int] = []
    complete = True
    with path.open("rb") as f:
        reader = csv.reader(_decoded_lines(_byte_lines(f), encoding), delimiter=delimiter,
                            strict=True)
        while True:
            if max_rows is not None and len(rows) >= max_rows:
                complete = False
                break
            start = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                break
            except _Binary as e:
                raise UnreadableFile(name, f"binary content: line {e.line} has a NUL byte, "
                                           "not a text table") from None
            except csv.Error as e:
                raise UnreadableFile(name, _csv_problem(str(e), start, reader.line_num,
                                                        limits)) from None
            if len(rows) >= limits.max_rows:
                raise UnreadableFile(name, f"the file has more rows than the limit of "
                                           f"{limits.max_rows}{_hint('max_rows')}")
            if len(values) > limits.max_columns:
                raise UnreadableFile(name, _over(f"line {start} has", f"{len(values)} fields",
                                                 "max_columns", f"{limits.max_columns}"))
            for column, value in enumerate(values, start=1):
                if len(value) > limits.max_field_chars:
                    raise UnreadableFile(name, f"line {start}, field {column}: " + field_too_long(
                        len(value), limits.max_field_chars))
            rows.append(_trim([clean_cell(v) for v in values]))
            numbers.append(start)
    _drop_trailing_blank(rows, numbers)
    if not rows:
        raise UnreadableFile(name, "the file is empty (no cell has a value)")
    return Grid(name, name, None, rows, numbers, encoding=encoding, complete=complete)


def _csv_problem(message: str, start: int, line: int, limits: ReadLimits) -> str:
    if "unexpected end of data" in message:
        return (f"line {start}: a quoted field in the record starting on this line is never "
                "closed (an unmatched \"), so the rest of the file would be one cell")
    if "field larger than field limit" in message:
        return f"line {start}: " + _over("a field has", "too many characters",
                                         "max_field_chars", f"{limits.max_field_chars}")
    if "expected after" in message:
        return (f"line {line}: a quoted field is followed by more text ({message}); is a "
                f"quote inside a quoted field not doubled? (record starting on line {start})")
    return f"line {line}: not a readable CSV record ({message})"


# --- workbooks ----------------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


def _sniff(path: Path) -> str:
    """What the file really is ("zip", "ole", "html", "other"): government sites often
    serve an HTML table or an XLSX under a ``.xls`` name."""
    with path.open("rb") as f:
        head = f.read(512)
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    text = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if text.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        return "html"
    return "other"


def _check_unpacked_size(path: Path, limits: ReadLimits) -> None:
    """Refuse a zip whose members unpack to more than the limit (a zip bomb, or just a very
    large workbook), from the central directory alone — before anything is decompressed."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as e:
        raise UnreadableFile(str(path), f"not a readable workbook (damaged zip: {e})") from None
    if total > limits.max_decompressed_bytes:
        raise UnreadableFile(str(path), _over("the workbook unpacks to", _bytes(total),
                                              "max_decompressed_bytes",
                                              _bytes(limits.max_decompressed_bytes)))


def _open_book(path: Path, kind: str) -> Any:
    import python_calamine

    name = str(path)
    expected = "ole" if path.suffix.lower() == ".xls" else "zip"
    try:
        if kind == expected:
            return python_calamine.CalamineWorkbook.from_path(name)
        with path.open("rb") as f:  # mislabelled (an XLSX named .xls): let calamine sniff
            return python_calamine.CalamineWorkbook.from_filelike(f)
    except python_calamine.PasswordError:
        raise UnreadableFile(name, "the workbook is password-protected") from None
    except (python_calamine.CalamineError, OSError, ValueError) as e:
        raise UnreadableFile(name, f"not a readable workbook ({e})") from None


def _read_workbook(path: Path, limits: ReadLimits, max_rows: int | None) -> Iterator[Grid]:
    import python_calamine

    name = str(path)
    kind = _sniff(path)
    if kind == "html":
        raise UnreadableFile(name, "this is a web page (HTML) saved under a spreadsheet name, "
                                   "not a workbook; open it in Excel and save it as .xlsx")
    if kind == "other":
        raise UnreadableFile(name, "not a workbook (neither an XLSX/ODS zip nor an XLS file)")
    if kind == "zip":
        _check_unpacked_size(path, limits)
    book = _open_book(path, kind)
    try:
        sheets = [m.name for m in book.sheets_metadata
                  if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        if len(book.sheets_metadata) > limits.max_sheets:
            raise UnreadableFile(name, _over("the workbook has", f"{len(book.sheets_metadata)} "
                                             "sheets", "max_sheets", f"{limits.max_sheets}"))
        found = False
        for sheet_name in sheets:
            grid = _read_sheet(path, book, sheet_name, limits, max_rows)
            if grid is not None:
                found = True
                yield grid
        if not found:
            raise UnreadableFile(name, "every sheet of the workbook is empty")
    finally:
        book.close()


def _read_sheet(path: Path, book: Any, sheet_name: str, limits: ReadLimits,
                max_rows: int | None) -> Grid | None:
    import python_calamine

    name = str(path)
    try:
        sheet = book.get_sheet_by_name(sheet_name)
    except python_calamine.CalamineError as e:
        raise UnreadableFile(name, f"sheet {sheet_name!r} cannot be read ({e})") from None
    end = sheet.end
    if end is None:
        return None
    height, width = end[0] + 1, end[1] + 1   # rows from A1: numbers are what Excel shows
    if height > limits.max_rows:
        raise UnreadableFile(name, _over(f"sheet {sheet_name!r} has", f"{height} rows",
                                         "max_rows", f"{limits.max_rows}"))
    if width > limits.max_columns:
        raise UnreadableFile(name, _over(f"sheet {sheet_name!r} has", f"{width} columns",
                                         "max_columns", f"{limits.max_columns}"))
    rows: list[list[str]] = []
    numbers: list[int] = []
    values = sheet.to_python(skip_empty_area=False, nrows=max_rows)
    for number, cells in enumerate(values, start=1):
        texts = []
        for column, value in enumerate(cells):
            text = cell_text(value)
            if len(text) > limits.max_field_chars:
                raise UnreadableFile(name, f"sheet {sheet_name!r}, row {number}, column "
                                           f"{column_letter(column)}: "
                                           + field_too_long(len(text), limits.max_field_chars))
            texts.append(clean_cell(text))
        rows.append(_trim(texts))
        numbers.append(number)
    _drop_trailing_blank(rows, numbers)
    if not rows:
        return None
    complete = max_rows is None or height <= max_rows
    return Grid(f"{path}#{sheet_name}", name, sheet_name, rows, numbers, complete=complete)


def cell_text(value: object) -> str:
    """A workbook value as the text a person sees: ``2021`` not ``2021.0``, dates as ISO.

    >>> [cell_text(v) for v in (2021, 2021.0, 0.1 + 0.2, 51.5, True, None, "甲")]
    ['2021', '2021', '0.3', '51.5', 'TRUE', '', '甲']
    >>> cell_text(dt.date(2023, 8, 15)), cell_text(dt.datetime(2023, 8, 15))
    ('2023-08-15', '2023-08-15')
    >>> cell_text(dt.datetime(2023, 8, 15, 10, 30))
    '2023-08-15 10:30:00'
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")   # the 15 significant digits Excel shows
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
