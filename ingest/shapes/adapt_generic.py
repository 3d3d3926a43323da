"""Tidy tables (canonical headers) whose header is not in row 1, or named by a profile.

A tidy table in row 1 goes through :func:`ingest.readers.read_tables` (its fast path
matters for big loads). The same table under a title row, or mapped by a profile, is read
here from its grid: every column keeps the canonical name the plain loader would give it.
"""

from __future__ import annotations

from .adapt import TableBuilder, open_sheet
from .detect import Detection
from .limits import DEFAULT_LIMITS, ReadLimits
from .loader_headers import canonical_header
from .model import ColumnMapping, ShapedSource


def canonical_column(mapping: ColumnMapping) -> str:
    """The canonical column a tidy table's column is (a profile's mapping wins)."""
    if mapping.role == "canonical" or (mapping.role == "property" and mapping.target):
        return mapping.target
    if mapping.role in ("name", "type", "aliases"):
        return mapping.role
    return canonical_header(mapping.header)


def adapt_generic(detection: Detection, limits: ReadLimits = DEFAULT_LIMITS,
                  entity_type: str | None = None) -> ShapedSource:
    """The rows under the header as one canonical entity or relation table."""
    columns = [(m, canonical_column(m)) for m in detection.columns if m.role != "ignored"]
    names = [c for _, c in columns]
    is_relation = "source" in names and "target" in names
    if is_relation and "relation" not in names and "type" in names:
        columns = [(m, "relation" if c == "type" else c) for m, c in columns]
    key = next((m for m, c in columns if c in ("source", "name")), None)
    sheet = open_sheet(detection, key, limits)
    builder = TableBuilder(sheet.source, sheet.hint, {c: m.header for m, c in columns})
    for row in sheet.rows:
        values = {c: row.at(m) for m, c in columns}
        if entity_type and not is_relation and not values.get("type"):
            values["type"] = entity_type
        builder.add(row.number, values)
    if not is_relation:
        sheet.explanation.entity_type = entity_type
        sheet.explanation.type_reason = (f"given explicitly ({entity_type})" if entity_type
                                         else "per row from the type column, else the sheet "
                                              "name")
    if is_relation:
        sheet.relations[""] = builder
    else:
        sheet.entities.append(builder)
    return sheet.finish()
