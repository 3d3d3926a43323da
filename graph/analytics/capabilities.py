"""What an organisation can do for an industry, from the disciplines it is known for.

A university of the reference layer has no ties in the district's graph; what links it to a
local industry chain is its strength: a 双一流 discipline (``disciplines`` property, e.g.
``光学工程；材料科学与工程``) that the table ``data/discipline_industries.csv`` maps to an
industry and, where the chain has one, a segment (光学工程 → 眼镜 · 眼镜·镜片与光学材料), with
the reason in words. The table is data: edit it (or pass your own copy) for another region;
``tests/analytics/test_capabilities.py`` checks every row against the discipline catalogue
(``data/reference/catalogues/学科目录_2022.csv``) and the sample's industries and segments.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from schema import InvalidInput

TABLE = Path(__file__).resolve().parent / "data" / "discipline_industries.csv"
COLUMNS = ("discipline", "industry", "segment", "why")
#: how a list of disciplines is written in one cell (；, ;, 、, ，, |, line breaks)
_SEPARATORS = re.compile(r"[；;、，,|\n]+")
#: a 2017 self-defined discipline is marked （自定）; it is matched by its name alone
_MARKS = re.compile(r"[（(]自定[)）]$")


@dataclass(frozen=True)
class DisciplineLink:
    """One row of the table: a discipline serves an industry (and maybe one segment)."""

    discipline: str
    industry: str
    segment: str
    why: str
    line: int


@dataclass(frozen=True)
class Capability:
    """An organisation's discipline that serves an industry or segment, and why."""

    discipline: str
    industry: str
    segment: str
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"discipline": self.discipline, "industry": self.industry,
                "segment": self.segment or None, "why": self.why}


@cache
def discipline_links(path: Path = TABLE) -> tuple[DisciplineLink, ...]:
    """Every row of the table, checked (a bad row names the file and line)."""
    links = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise InvalidInput(str(path), f"the columns must be {', '.join(COLUMNS)}")
        for line, row in enumerate(reader, start=2):
            cells = {k: (row.get(k) or "").strip() for k in COLUMNS}
            for needed in ("discipline", "industry", "why"):
                if not cells[needed]:
                    raise InvalidInput(f"{path}, line {line}", f"{needed} is empty")
            if cells["segment"] and not cells["segment"].startswith(cells["industry"] + "·"):
                raise InvalidInput(f"{path}, line {line}", f"segment {cells['segment']!r} is "
                                   f"not a segment of {cells['industry']!r} (name it 产业·环节)")
            links.append(DisciplineLink(**cells, line=line))
    return tuple(links)


def split_disciplines(text: str | None) -> list[str]:
    """The disciplines written in one cell, in order, each once.

    >>> split_disciplines("光学工程；材料科学与工程、临床医学（自定）；光学工程")
    ['光学工程', '材料科学与工程', '临床医学']
    >>> split_disciplines(None)
    []
    """
    found = (_MARKS.sub("", part.strip()) for part in _SEPARATORS.split(text or ""))
    return list(dict.fromkeys(d for d in found if d))


def capabilities(props: Mapping[str, Any], path: Path = TABLE) -> list[Capability]:
    """What the disciplines in an entity's ``disciplines`` property serve.

    >>> [(c.industry, c.segment) for c in capabilities({"disciplines": "光学工程"})][:1]
    [('眼镜', '眼镜·镜片与光学材料')]
    """
    return serving(split_disciplines(props.get("disciplines")), path)


def serving(disciplines: Iterable[str], path: Path = TABLE) -> list[Capability]:
    """The table's rows for these disciplines, in the disciplines' order."""
    by_discipline = _by_discipline(path)
    return [Capability(d, link.industry, link.segment, link.why)
            for d in disciplines for link in by_discipline.get(d, ())]


@cache
def _by_discipline(path: Path) -> dict[str, tuple[DisciplineLink, ...]]:
    """The table's rows by discipline (indexed once: a pool asks for every organisation)."""
    grouped: dict[str, list[DisciplineLink]] = {}
    for link in discipline_links(path):
        grouped.setdefault(link.discipline, []).append(link)
    return {d: tuple(links) for d, links in grouped.items()}
