"""Find the header row by reading it, not by offset.

Government lists put a title (often one merged cell), a date or a disclaimer, and blank
rows above the header; registry exports sometimes two header rows. The header is the row
whose cells are most often known header vocabulary. The vocabulary itself is not here:
the caller passes ``entry_of`` (header text → vocabulary entry or ``None``), so this
module only decides *which row*, and says why in words a person can check.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from ingest.shapes.cells import clean_cell, is_empty
from ingest.shapes.grid import Grid
from ingest.shapes.row_kinds import note_rule

# (as written, normalised): what header matching ignores.
HEADER_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("企业名称", "企业名称"),
    (" 企业名称： ", "企业名称"),        # trailing full-width colon
    ("企业名称:", "企业名称"),
    ("企业名称*", "企业名称"),           # required-field marker after …
    ("*企业名称", "企业名称"),           # … or before the name
    ("企业\n名称", "企业名称"),          # wrapped header cell
    ("企 业 名 称", "企业名称"),         # spaced out to fill a wide column
    ("注册资本（万元）", "注册资本(万元)"),  # NFKC: full-width brackets
    ("ＩＰＣ分类号", "IPC分类号"),       # NFKC: full-width Latin
)

_STRIP_END = ":*"
NAME_ROLES = ("name", "canonical:name")   # after NFKC, "：" is ":"


def normalize_header(text: str) -> str:
    """A header cell as matched against the vocabulary.

    >>> all(normalize_header(w) == n for w, n in HEADER_EXAMPLES)
    True
    """
    text = unicodedata.normalize("NFKC", clean_cell(text))
    text = re.sub(r"\s+", "", text)
    return text.strip(_STRIP_END)


@dataclass(frozen=True)
class HeaderFound:
    """The header row, where a person sees it, and why it was chosen."""

    index: int                  # into grid.rows
    row: int                    # the row number a person sees
    reason: str
    known: tuple[str, ...] = ()  # the known header cells, as written
    cells: int = 0               # non-empty cells in the row


def _default_is_name(entry: object) -> bool:
    """Whether a vocabulary entry is the name column: its ``role`` (or the entry itself,
    so a plain mapping header → role works too) is ``name`` or ``canonical:name``."""
    role = entry if isinstance(entry, str) else getattr(entry, "role", None)
    return role in NAME_ROLES


def find_header(grid: Grid, entry_of: Callable[[str], object | None], max_scan: int = 30,
                is_name: Callable[[object], bool] = _default_is_name) -> HeaderFound | None:
    """The best header among the first ``max_scan`` non-empty rows, or ``None``.

    A row qualifies with at least two non-empty cells (a title, one merged cell, never
    does; nor does a note or disclaimer line) and at least two known headers, or one known
    header that is the name column. The best has the most known cells, then the largest
    share of known cells, then comes first.

    >>> g = Grid("t.csv", "t.csv", None,
    ...          [["2024年科技型中小企业名单"], [], ["序号", "企业名称", "地区", "备注"],
    ...           ["1", "甲公司", "瓯海区"]], [1, 2, 3, 4])
    >>> vocabulary = {"序号": "index", "企业名称": "name", "地区": "region"}
    >>> found = find_header(g, vocabulary.get)
    >>> found.row, found.reason
    (3, 'row 3: 3 of 4 cells are known headers (序号, 企业名称, 地区)')
    """
    best: tuple[tuple[int, float, int], HeaderFound] | None = None
    scanned = 0
    for index, cells in enumerate(grid.rows):
        texts = [c for c in cells if not is_empty(c)]
        if not texts:
            continue
        scanned += 1
        if scanned > max_scan:
            break
        if note_rule(texts[0]) is not None:
            continue
        known: list[str] = []
        names = 0
        for text in texts:
            entry = entry_of(normalize_header(text))
            if entry is not None:
                known.append(text)
                names += is_name(entry)
        # two known headers; or the name column alone (a one-column list: 企业名称 / 名称),
        # but a lone cell that is not a name header is a title
        if len(known) < 2 and not (len(known) == 1 and names):
            continue
        share = len(known) / len(texts)
        key = (len(known), share, -index)
        if best is None or key > best[0]:
            row = grid.numbers[index]
            reason = (f"row {row}: {len(known)} of {len(texts)} cells are known headers "
                      f"({', '.join(known)})"
                      + (", the name column" if len(known) == 1 else ""))
            best = (key, HeaderFound(index, row, reason, tuple(known), len(texts)))
    return best[1] if best else None
