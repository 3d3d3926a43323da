"""What shape detection hands to the loader: canonical tables plus the explanation.

The canonical tables are :class:`ingest.readers.Table` objects whose columns use the
canonical vocabulary of :mod:`ingest.columns` (``id``, ``name``, ``type``, ``aliases``,
property names, provenance names; for relations ``source``, ``target``, ``relation``,
``kind``, ``status``, ``year``, ``role`` and extra properties). Their ``row_numbers`` are the
rows a person sees in the original sheet, and ``headers`` (canonical column → the header
as written) lets a reject name the column as the user wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.readers import Table
from ingest.rows import Reject


@dataclass(frozen=True)
class ColumnMapping:
    """What one column of the source means."""

    header: str              # as written in the file
    column: int              # 0-based position in the sheet
    role: str                # "name", "type", "aliases", "property", "relation", "context",
                             # "ignored", and the shape-specific roles (see vocabulary)
    target: str = ""         # property name, or relation type, or context kind
    target_type: str = ""    # entity type at the other end of a relation column
    reason: str = ""         # why (the vocabulary entry that matched, or the profile)
    direction: str = "out"   # a relation column: "out" row → cell, "in" cell → row

    def to_json(self) -> dict[str, Any]:
        return {"header": self.header, "column": self.column + 1, "role": self.role,
                "target": self.target, "target_type": self.target_type, "reason": self.reason,
                "direction": self.direction}


@dataclass(frozen=True)
class SkippedRow:
    """A row that is not data: a title, group, note or blank row, or the header itself."""

    row: int                 # as a person sees it
    kind: str                # "title", "header", "group", "note", "blank", "person"
    text: str                # what it said (shortened)

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "kind": self.kind, "text": self.text}


@dataclass
class Explanation:
    """Why a sheet was read the way it was (``innograph ingest --dry-run`` prints it)."""

    source: str
    shape: str                              # e.g. "government_list", "registry_companies"
    shape_reason: str
    header_row: int                         # as a person sees it (1-based)
    header_reason: str
    columns: list[ColumnMapping] = field(default_factory=list)
    entity_type: str | None = None
    type_reason: str = ""
    skipped: list[SkippedRow] = field(default_factory=list)
    data_rows: int = 0
    #: things the reader did not load and says so (e.g. a natural-person applicant)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "shape": self.shape, "shape_reason": self.shape_reason,
                "header_row": self.header_row, "header_reason": self.header_reason,
                "columns": [c.to_json() for c in self.columns],
                "entity_type": self.entity_type, "type_reason": self.type_reason,
                "data_rows": self.data_rows, "warnings": self.warnings,
                "skipped": [s.to_json() for s in self.skipped]}


@dataclass
class ShapedSource:
    """One sheet (or CSV file) read into canonical tables."""

    explanation: Explanation
    entities: list[Table] = field(default_factory=list)
    relations: list[Table] = field(default_factory=list)
    #: entities named only as the far end of a relation (a region, an industry, a partner):
    #: created when nothing in the load or the store resolves them, otherwise left as they are
    mentions: list[Table] = field(default_factory=list)
    #: data rows the reader itself refused (a cell with a NUL byte, an unreadable date …)
    rejects: list[Reject] = field(default_factory=list)
