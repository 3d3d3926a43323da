"""Small realistic files for the shape tests: workbooks with merged title rows, CSVs in
the encodings bureaus use, and a check that canonical tables pass the loader's rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from ingest.readers import Table
from ingest.rows import Reject, entity_context, entity_row
from ingest.shapes.model import ShapedSource
from ingest.shapes.read import shape_file


def workbook(path: Path, sheets: dict[str, list[list[Any]]],
             merged_title: bool = True) -> Path:
    """A workbook; a first row with one text cell is merged across the header's width,
    as bureaus write titles."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        width = max(len(r) for r in rows)
        if merged_title and len(rows[0]) == 1 and width > 1:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    book.save(path)
    return path


def csv_file(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    text = "\n".join(",".join(cells) for cells in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def one(path: Path, **kwargs: Any) -> ShapedSource:
    (source,) = shape_file(path, **kwargs)
    return source


def records(table: Table) -> list[dict[str, str]]:
    """The table's rows as dicts (with ``_row``, the row a person sees)."""
    return [{c: table.data[c][i] for c in table.columns} | {"_row": str(table.row_numbers[i])}
            for i in range(len(table))]


def all_records(tables: list[Table]) -> list[dict[str, str]]:
    return [r for t in tables for r in records(t)]


def loader_rejects(tables: list[Table]) -> list[Reject]:
    """What the loader's row path rejects in entity tables (none for good input)."""
    out = []
    for table in tables:
        ctx = entity_context(table, "run-test")
        for index in range(len(table)):
            row = entity_row(ctx, index, None)
            if isinstance(row, Reject):
                out.append(row)
    return out
