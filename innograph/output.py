"""Printing results: JSON for scripts, rich tables for people."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .figures import Figure

console = Console()
errors = Console(stderr=True)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                caption: str | None = None, *, markup: bool = True) -> None:
    """A table; ``caption`` is printed under it, across the whole width (what the figures
    mean). ``markup=False``: cells are plain text (a name with ``[…]`` in it stays as is)."""
    table = Table()
    for column in columns:
        table.add_column(column, overflow="fold")  # long Chinese names wrap, never cut
    for row in rows:
        cells = ("" if v is None else str(v) for v in row)
        table.add_row(*(cells if markup else map(Text, cells)))
    # title and caption across the console's width (as a table's they would be squeezed
    # into the table's own, a few columns for a narrow table)
    _print_wrapped(title, markup)
    console.print(table)
    if caption:
        _print_wrapped(caption, markup)


def print_figure(figure: Figure, rows: Iterable[Sequence[Any]], *, note: str = "",
                 **fields: object) -> None:
    """``figure`` (:mod:`innograph.figures`) filled in with ``fields``: headers in Chinese
    over English, the caption saying what the figures mean, then ``note``. Cells are plain
    text."""
    columns = [f"{zh.format(**fields)}\n{en.format(**fields)}" for zh, en in figure.columns]
    caption = figure.caption.format(**fields) + (f"\n{note}" if note else "")
    print_table(figure.title.format(**fields), columns, rows, caption, markup=False)


def _print_wrapped(text: str, markup: bool) -> None:
    for line in text.splitlines():
        for part in wrap(line, console.width):
            console.print(part, markup=markup, soft_wrap=True)


#: a run of Latin letters, digits and ASCII signs (kept whole), or any single other character
_TOKEN = re.compile(r"[\x21-\x7e]+|\s+|.")
#: punctuation that never starts a line (it takes the character before it along)
_CLOSING = set("，。；：、）》」』！？,.;:)")
#: and that never ends one
_OPENING = set("（《「『(")


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between Chinese characters or at
    spaces (rich breaks only at spaces, so a Chinese sentence jumped whole to the next line
    and left the first one nearly empty). A word wider than a line is cut.

    >>> wrap("密度 = 组内实际联系数 ÷ 成员两两之间可能的联系数", 20)
    ['密度 = 组内实际联系', '数 ÷ 成员两两之间可', '能的联系数']
    >>> wrap("一二三四五。六七", 10)  # no line starts with 。
    ['一二三四', '五。六七']
    >>> wrap("一二三（四）；五", 10)
    ['一二三', '（四）；五']
    >>> wrap("拼音（pinyin）、首字母", 14)  # a word moves down whole
    ['拼音', '（pinyin）、首', '字母']
    >>> wrap("see analyze centrality", 12)
    ['see analyze', 'centrality']
    """
    lines: list[str] = []
    line: list[str] = []  # the tokens of the line being filled
    for token in _TOKEN.findall(text):
        while cell_len("".join(line) + token) > width and (
                "".join(line).strip() or cell_len(token) > width):
            if "".join(line).strip():
                carried = _carried(line, token[0] in _CLOSING)
                lines.append("".join(line[:len(line) - len(carried)]).rstrip())
                line = carried
            else:  # a token wider than a whole line: cut it
                cut = max(1, len(token) * width // max(cell_len(token), 1))
                while cell_len(token[:cut]) > width and cut > 1:
                    cut -= 1
                lines.append(token[:cut])
                token = token[cut:]
        if line or not token.isspace():
            line.append(token)
    if "".join(line).strip() or not lines:
        lines.append("".join(line).rstrip())
    return lines


def _carried(line: list[str], closing: bool) -> list[str]:
    """The tokens at the end of ``line`` that move down when it breaks: before a closing
    mark, the trailing marks and the token before them; and any opening mark left at the
    end (never the whole line)."""
    end = len(line)
    if closing:
        end -= 1
        while end > 0 and line[end] in _CLOSING:
            end -= 1
    while end > 0 and line[end - 1] in _OPENING:
        end -= 1
    return line[end:] if end > 0 else []
