"""Readers for tabular input: CSV (UTF-8, UTF-8 with BOM, GB18030), XLSX, JSON, JSON Lines.

Each reader yields :class:`Table` objects: the rows of one sheet or file as
strings, with the row number a person would see (a spreadsheet's row, a JSON
Lines file's line, a JSON array's 1-based position).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from schema import UnreadableFile

from .arrow_cells import ArrowCells, RowRange, as_list

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".json", ".jsonl", ".ndjson")
_ENCODINGS = ("utf-8-sig", "gb18030")


class Table:
    """One file or sheet, column by column (large loads work on whole columns).

    ``hint`` is the file or sheet name, which may name a type; ``row_numbers[i]`` is the
    number a person sees for row ``i`` (spreadsheet row, JSON Lines line, array position).
    A big CSV keeps its cells as pyarrow arrays (:class:`ArrowCells`): read them with
    :meth:`cells` or a batch at a time (:meth:`rows`); :attr:`data` turns them into lists.
    """

    def __init__(self, source: str, hint: str, columns: list[str],
                 data: Mapping[str, Sequence[str]], row_numbers: Sequence[int],
                 headers: dict[str, str] | None = None, origin: str = "table") -> None:
        self.source = source
        self.hint = hint
        self.columns = columns
        self._cells: dict[str, Sequence[str]] = dict(data)
        self.row_numbers = row_numbers
        #: canonical column -> the header as the file wrote it (rejects name what the user sees)
        self.headers: dict[str, str] = headers if headers is not None else {}
        #: the kind of source (``schema.claims.KIND_RANK``): decides precedence when merging
        self.origin = origin

    def __len__(self) -> int:
        return len(self.row_numbers)

    def __repr__(self) -> str:
        return f"Table({self.source!r}, {len(self)} rows, columns={self.columns!r})"

    @property
    def data(self) -> dict[str, list[str]]:
        """The cells as lists, by column (a compact table becomes a list-backed one: whoever
        edits cells gets lists)."""
        for name, cells in self._cells.items():
            if not isinstance(cells, list):
                self._cells[name] = as_list(cells)
        return cast(dict[str, list[str]], self._cells)

    @data.setter
    def data(self, value: Mapping[str, Sequence[str]]) -> None:
        self._cells = dict(value)

    def has(self, name: str) -> bool:
        """Whether the table has the column ``name``."""
        return name in self._cells

    def cells(self, name: str) -> Sequence[str]:
        """A column's cells as stored (a list, or a compact :class:`ArrowCells`)."""
        return self._cells[name]

    def column(self, name: str) -> Sequence[str]:
        """A column's cells, or empty strings where the table has no such column."""
        return self._cells.get(name) or [""] * len(self)

    def rows(self, start: int, stop: int, *, lists: bool = False) -> Table:
        """Rows ``start`` to ``stop`` as a table of their own (compact cells stay compact,
        unless ``lists``: then every column is a Python list of just these rows)."""
        def part(cells: Sequence[str]) -> Sequence[str]:
            piece = cells[start:stop]
            return as_list(piece) if lists else piece

        return Table(self.source, self.hint, list(self.columns),
                     {name: part(cells) for name, cells in self._cells.items()},
                     self.row_numbers[start:stop], self.headers, self.origin)

    def with_cells(self, changed: Mapping[str, Sequence[str]]) -> Table:
        """The same rows with the columns in ``changed`` replaced."""
        return Table(self.source, self.hint, list(self.columns), {**self._cells, **changed},
                     self.row_numbers, self.headers, self.origin)

    def rename(self, mapping: dict[str, str]) -> None:
        """Rename columns (``mapping`` old → new)."""
        self.columns = [mapping.get(c, c) for c in self.columns]
        self._cells = {mapping.get(c, c): v for c, v in self._cells.items()}


def columns_table(source: str, hint: str, columns: list[str], rows: list[list[str]],
                  numbers: list[int]) -> Table:
    """A table from rows of cells (padded or cut to the header's width)."""
    width = len(columns)
    padded = [r if len(r) == width else (r + [""] * width)[:width] for r in rows]
    cells = list(zip(*padded, strict=True)) if padded else [() for _ in columns]
    data = {c: list(values) for c, values in zip(columns, cells, strict=True) if c}
    return Table(source, hint, [c for c in columns if c], data, numbers)


def read_tables(path: Path, max_file_bytes: int | None = None) -> Iterator[Table]:
    """Tables in one file, chosen by suffix; raise :class:`UnreadableFile` with the reason
    (a file over ``max_file_bytes`` before anything is read)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UnreadableFile(str(path), "no such file")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile(str(path), "file is empty")
    if max_file_bytes is not None and size > max_file_bytes:
        raise UnreadableFile(str(path), f"the file has {size >> 20} MiB, more than the limit "
                             f"of {max_file_bytes >> 20} MiB (raise INNOGRAPH_MAX_FILE_MB)")
    if suffix in (".csv", ".tsv"):
        yield _read_csv(path, "\t" if suffix == ".tsv" else ",")
    elif suffix == ".xlsx":
        yield from _read_xlsx(path)
    elif suffix == ".json":
        yield from _read_json(path)
    elif suffix in (".jsonl", ".ndjson"):
        yield _read_jsonl(path)
    else:
        raise UnreadableFile(str(path), f"unsupported file type {suffix or '(none)'}; "
                                        f"tables are {', '.join(TABLE_SUFFIXES)}")


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data:
        raise UnreadableFile(str(path), "binary content, not a text table")
    if data.startswith(codecs.BOM_UTF8):
        try:  # a BOM says UTF-8: GB18030 behind a stray BOM must not become 锘縤d
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableFile(str(path), "starts with a UTF-8 byte-order mark but the text "
                                 "after it is not UTF-8 (GB18030 with a stray BOM?); save "
                                 "it again as UTF-8") from None
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(str(path), "not UTF-8 or GB18030 text")


def _clean_header(name: Any) -> str:
    return str(name if name is not None else "").strip().lstrip("\ufeff")


def _read_csv(path: Path, delimiter: str) -> Table:
    text = _decode(path)
    # strict: an unclosed quote is an error, not the rest of the file swallowed into one cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise UnreadableFile(str(path), "file is empty") from None
    except csv.Error as e:
        raise UnreadableFile(str(path), f"not a readable CSV table: {e}") from e
    columns = [_clean_header(h) for h in header]
    check_header(path, columns)
    fast = _read_csv_columns(path, text, delimiter, header)
    if fast is not None:
        return fast
    rows: list[list[str]] = []
    numbers: list[int] = []
    width = len(columns)
    started = reader.line_num + 1  # where the record being read began
    try:
        for values in reader:
            cells = [v.strip() for v in values]
            first, started = started, reader.line_num + 1
            if not any(cells):
                continue
            if len(cells) > width and any(cells[width:]):
                raise UnreadableFile(str(path), f"row {first} has {len(cells)} "
                                                f"fields but the header has {width}")
            rows.append(cells)
            numbers.append(first)
    except csv.Error as e:
        if "unexpected end of data" in str(e):
            raise UnreadableFile(str(path), f"line {started}: a quoted field opened in this "
                                 "record is never closed") from e
        raise UnreadableFile(str(path), f"line {started}: {e}") from e
    return columns_table(str(path), path.stem, columns, rows, numbers)


def _read_csv_columns(path: Path, text: str, delimiter: str, header: list[str]) -> Table | None:
    """Parse a well-formed CSV with pyarrow (ten times faster than the csv module); the
    table's cells stay pyarrow arrays.

    Returns ``None`` for anything irregular — a blank line, a ragged row, a newline inside
    a quoted cell — which the csv module then reads with exact line numbers.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    try:
        table = pacsv.read_csv(
            pa.BufferReader(text.encode()),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=False,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), null_values=[],
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None
    trimmed = [pc.utf8_trim_whitespace(column) for column in table.columns]
    if trimmed and table.num_rows:
        empty = pc.equal(trimmed[0], "")
        for column in trimmed[1:]:
            empty = pc.and_(empty, pc.equal(column, ""))
        if pc.any(empty).as_py():
            return None  # a row of empty cells: the csv module skips it
    # the cells stay in pyarrow's compact form: the loader turns a bounded batch at a time
    # into Python objects (a 5M-row file as lists took ~3 GB, issue 16)
    data: dict[str, Sequence[str]] = {
        _clean_header(raw): ArrowCells(column)
        for raw, column in zip(header, trimmed, strict=True) if _clean_header(raw)}
    return Table(str(path), path.stem, list(data), data, RowRange(2, table.num_rows + 2))


def check_header(path: Path | str, columns: list[str]) -> None:
    if not any(columns):
        raise UnreadableFile(str(path), "no header row")
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        raise UnreadableFile(str(path), f"duplicate column(s) {', '.join(duplicates)}")


def _read_xlsx(path: Path) -> Iterator[Table]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a bad file
        raise UnreadableFile(str(path), f"not a readable XLSX workbook ({type(e).__name__})") from e
    try:
        for sheet in book.worksheets:
            cells = sheet.iter_rows(values_only=True)
            header = next(cells, None)
            if header is None or not any(h is not None for h in header):
                continue  # an empty sheet is no table
            columns = [_clean_header(h) for h in header]
            source = f"{path}#{sheet.title}"
            check_header(source, columns)
            rows, numbers = [], []
            for number, values in enumerate(cells, start=2):
                texts = ["" if v is None else _cell_text(v) for v in values]
                if any(texts):
                    rows.append(texts)
                    numbers.append(number)
            yield columns_table(source, sheet.title, columns, rows, numbers)
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 2021 as 2021.0
    return str(value).strip()


def _records_table(path: Path, hint: str, records: list[Any], numbers: list[int]) -> Table:
    columns: dict[str, None] = {}
    for number, record in zip(numbers, records, strict=True):
        if not isinstance(record, dict):
            raise UnreadableFile(str(path), f"item {number} is not an object")
        columns.update(dict.fromkeys(str(k).strip() for k in record))
    names = [c for c in columns if c]
    rows = [[_json_text(record.get(c)) for c in names] for record in records]
    return columns_table(str(path), hint, names, rows, numbers)


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(_json_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def _read_json(path: Path) -> Iterator[Table]:
    try:
        data = json.loads(_decode(path))
    except json.JSONDecodeError as e:
        raise UnreadableFile(str(path), f"invalid JSON at line {e.lineno}: {e.msg}") from e
    except RecursionError:
        raise UnreadableFile(str(path), "JSON nested too deeply to be a table (a table is a "
                             "list of objects of text and numbers)") from None
    if isinstance(data, list):
        yield _records_table(path, path.stem, data, list(range(1, len(data) + 1)))
        return
    lists = {k: v for k, v in data.items() if isinstance(v, list)} if isinstance(data, dict) else {}
    if not lists or set(lists) - {"entities", "relations"}:
        raise UnreadableFile(str(path), "JSON must be a list of objects, or an object with "
                                        "the lists `entities` and/or `relations`")
    for key, records in lists.items():
        table = _records_table(path, key, records, list(range(1, len(records) + 1)))
        table.source = f"{path}#{key}"
        yield table


def _read_jsonl(path: Path) -> Table:
    records, numbers = [], []
    for number, line in enumerate(_decode(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise UnreadableFile(str(path), f"line {number} is not JSON: {e.msg}") from e
        except RecursionError:
            raise UnreadableFile(str(path), f"line {number}: JSON nested too deeply to be "
                                 "a row") from None
        numbers.append(number)
    return _records_table(path, path.stem, records, numbers)
