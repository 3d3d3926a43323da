"""The entry point: a table file in, canonical tables and their explanation out.

Each sheet is previewed (its first rows) to detect its shape. A tidy table — canonical
headers in row 1, nothing shape-specific — is then read by the existing fast reader
(:func:`ingest.readers.read_tables`, pyarrow for big CSVs), exactly as before shapes
existed; any other sheet is read in full as a grid and turned into canonical tables by its
shape's adapter (:data:`ADAPTERS`). JSON and JSON Lines have no sheets or title rows and
always take the tidy path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from schema import UnreadableFile

from ..columns import entity_type_from
from ..readers import TABLE_SUFFIXES, Table, check_header, columns_table, read_tables
from .adapt_generic import adapt_generic
from .adapt_lists import adapt_list
from .adapt_patents import adapt_patents
from .adapt_projects import adapt_projects
from .adapt_registry import adapt_companies, adapt_investments, adapt_shareholders
from .detect import Detection, detect
from .grid import WORKBOOK_SUFFIXES, Grid, read_grids
from .limits import DEFAULT_LIMITS, ReadLimits
from .loader_headers import canonical_header
from .model import ColumnMapping, Explanation, ShapedSource
from .profile import Profile

Adapter = Callable[[Detection, ReadLimits, str | None], ShapedSource]

#: shape → the adapter that turns its rows into canonical tables
ADAPTERS: dict[str, Adapter] = {
    "generic_relations": adapt_generic,
    "generic_entities": adapt_generic,
    "patents": adapt_patents,
    "registry_shareholders": adapt_shareholders,
    "registry_investments": adapt_investments,
    "registry_companies": adapt_companies,
    "projects": adapt_projects,
    "government_list": adapt_list,
}
GENERIC = frozenset({"generic_relations", "generic_entities"})
RECORD_SUFFIXES = (".json", ".jsonl", ".ndjson")
PREVIEW_ROWS = 50
TIDY_REASON = "row 1: a tidy table, its headers are the loader's columns"


def shape_file(path: Path, *, entity_type: str | None = None, profile: Profile | None = None,
               limits: ReadLimits = DEFAULT_LIMITS) -> list[ShapedSource]:
    """The canonical tables of every sheet of ``path``, in sheet order; raise
    :class:`schema.UnreadableFile` naming the sheet and what is missing."""
    if path.suffix.lower() in RECORD_SUFFIXES:
        return [tidy_source(t, "JSON: the object keys are the columns", entity_type)
                for t in read_tables(path, limits.max_file_bytes)]
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _workbook(path, entity_type, profile, limits)
    plans: list[tuple[str, Detection | None]] = []   # (grid source, detection or tidy)
    for preview in read_grids(path, limits, max_rows=PREVIEW_ROWS):
        if not any(preview.rows):
            continue  # an empty sheet is no table
        applied = profile if profile and profile.applies_to(preview.sheet) else None
        detection = _detect(preview, applied)
        tidy = (applied is None and detection.shape in GENERIC and detection.header_row == 1
                and path.suffix.lower() in TABLE_SUFFIXES)  # the fast reader's formats
        plans.append((preview.source, None if tidy else detection))
    if not plans:
        raise UnreadableFile(str(path), "no sheet holds any rows")
    done: dict[str, ShapedSource] = {}
    if any(d is None for _, d in plans):
        tidy_sources = {s for s, d in plans if d is None}
        for table in read_tables(path, limits.max_file_bytes):
            if table.source in tidy_sources:
                done[table.source] = tidy_source(table, TIDY_REASON, entity_type)
    if any(d is not None for _, d in plans):
        wanted = {s: d for s, d in plans if d is not None}
        for grid in read_grids(path, limits):
            preview_detection = wanted.get(grid.source)
            if preview_detection is not None:
                done[grid.source] = _adapt(grid, preview_detection, profile, entity_type,
                                           limits)
    return [done[s] for s, _ in plans if s in done]


def _workbook(path: Path, entity_type: str | None, profile: Profile | None,
              limits: ReadLimits) -> list[ShapedSource]:
    """A workbook's sheets, each parsed once: calamine parses a whole sheet to show its
    first rows, so a separate preview would parse every sheet twice (measured: detection
    was 6 % of a 100k-row load), and a tidy sheet is built from the same grid."""
    shaped: list[ShapedSource] = []
    for grid in read_grids(path, limits):
        if not any(grid.rows):
            continue  # an empty sheet is no table
        applied = profile if profile and profile.applies_to(grid.sheet) else None
        detection = _detect(grid, applied)
        if applied is None and detection.shape in GENERIC and detection.header_row == 1:
            shaped.append(tidy_source(_tidy_table(grid), TIDY_REASON, entity_type))
        else:
            shaped.append(_adapt(grid, detection, profile, entity_type, limits))
    if not shaped:
        raise UnreadableFile(str(path), "no sheet holds any rows")
    return shaped


def _tidy_table(grid: Grid) -> Table:
    """A sheet whose row 1 is innograph's own header, as the tidy reader's table."""
    header, *rows = grid.rows
    columns = [c.strip() for c in header]
    check_header(grid.source, columns)
    kept = [(r, n) for r, n in zip(rows, grid.numbers[1:], strict=True) if any(r)]
    return columns_table(grid.source, grid.sheet or Path(grid.file).stem, columns,
                         [r for r, _ in kept], [n for _, n in kept])


def _detect(grid: Grid, profile: Profile | None) -> Detection:
    if profile is None:
        return detect(grid)
    return detect(grid, header_row=profile.header_row, overrides=profile.columns,
                  shape=profile.shape)


def _adapt(grid: Grid, preview: Detection, profile: Profile | None, entity_type: str | None,
           limits: ReadLimits) -> ShapedSource:
    """The full sheet through its shape's adapter. The preview's detection holds: the
    preview is the sheet's first rows, so the header row and title are the same."""
    applied = profile if profile and profile.applies_to(grid.sheet) else None
    detection = Detection(grid, preview.shape, preview.shape_reason, preview.header_index,
                          preview.header_row, preview.header_reason, preview.columns,
                          preview.title, preview.marks)
    chosen = entity_type or (applied.entity_type if applied else None)
    return ADAPTERS[detection.shape](detection, limits, chosen)


def tidy_source(table: Table, header_reason: str, entity_type: str | None) -> ShapedSource:
    """A tidy table with canonical column names, as the plain loader reads it."""
    mapping = {c: canonical_header(c) for c in table.columns}
    canon = list(mapping.values())
    duplicated = sorted({c for c in canon if canon.count(c) > 1})
    if duplicated:
        raise UnreadableFile(table.source, f"several columns mean {', '.join(duplicated)}")
    is_relation = "source" in canon and "target" in canon
    if is_relation and "relation" not in canon and "type" in canon:
        mapping = {h: ("relation" if c == "type" else c) for h, c in mapping.items()}
    if not is_relation and "name" not in canon:
        raise UnreadableFile(table.source, "not an entity table (needs a name column) nor a "
                             "relation table (needs source and target columns); columns: "
                             + ", ".join(table.columns))
    columns = [ColumnMapping(h, i, "canonical", c, reason="the loader's own column")
               for i, (h, c) in enumerate(mapping.items())]
    table.rename(mapping)
    table.headers = {c: h for h, c in mapping.items()}
    explanation = Explanation(table.source, "generic_relations" if is_relation
                              else "generic_entities", "canonical headers in row 1",
                              1, header_reason, columns, data_rows=len(table))
    if is_relation:
        return ShapedSource(explanation, relations=[table])
    _entity_type(table, explanation, entity_type)
    return ShapedSource(explanation, entities=[table])


def _entity_type(table: Table, explanation: Explanation, entity_type: str | None) -> None:
    """Fill empty type cells with an explicit type; explain where types come from."""
    hinted = entity_type_from(table.hint)
    if entity_type:
        cells = table.data.get("type") or [""] * len(table)
        table.data["type"] = [c or entity_type for c in cells]
        if "type" not in table.columns:
            table.columns.append("type")
        explanation.entity_type = entity_type
        explanation.type_reason = f"given explicitly ({entity_type})"
    elif "type" in table.columns:
        explanation.type_reason = "per row from the type column" + (
            f"; empty cells: the sheet name {table.hint!r}" if hinted else "")
    elif hinted:
        explanation.entity_type = hinted.value
        explanation.type_reason = f"the sheet name {table.hint!r} names {hinted.value} entities"
    else:
        explanation.type_reason = "none: give a type column or --type"
