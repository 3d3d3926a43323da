"""The bounds every table reader checks early: file and unzipped size, rows, columns, a
field's length, sheets and JSON depth (raise them in settings for bigger files)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.settings import Settings


@dataclass(frozen=True)
class ReadLimits:
    """Bounds every table reader checks early (raise them in settings for bigger files)."""

    max_file_bytes: int = 200 << 20
    max_decompressed_bytes: int = 1 << 30   # XLSX/XLS after unzipping
    max_rows: int = 2_000_000               # per sheet
    max_columns: int = 500
    max_field_chars: int = 10_000
    max_sheets: int = 100
    max_json_depth: int = 64


DEFAULT_LIMITS = ReadLimits()


def limits_from(settings: Settings) -> ReadLimits:
    """The table readers' limits from innograph's settings."""
    return ReadLimits(max_file_bytes=settings.max_file_mb << 20,
                      max_decompressed_bytes=settings.max_decompressed_mb << 20,
                      max_rows=settings.max_rows, max_field_chars=settings.max_field_chars)
