"""The header vocabulary of real Chinese tables, read from a data table.

``data/headers.csv`` says, for each header spelling seen in government lists, registry
exports (企查查 / 天眼查 style), patent exports and signing lists, what the column means:
its *role* (a name, a property, a relation to another entity, a part of a place, an
industry code, a shareholder or patent field …), the *target* of that role (a property
name, a relation type, a region level, a code system), the entity type at the far end,
the direction of a relation, and the *shapes* of table the header is a marker of.

The table is read once, on first use (nothing happens at import time). A user may pass
their own copy (``path=``); a bad row is an error naming the file and line.

>>> header_entry("企业名称：").target_type
'enterprise'
>>> header_entry("公开（公告）号").role
'publication_number'
>>> header_key(" 认缴出资额\\n(万元) * ")
'认缴出资额(万元)'
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from ingest.columns import ENTITY_CORE, PROVENANCE, RELATION_CORE, RELATION_PROPS
from schema import EntityType, RelationType, UnreadableFile

DATA_DIR = Path(__file__).resolve().parent / "data"
HEADERS_CSV = DATA_DIR / "headers.csv"
HEADER_COLUMNS = ("header", "role", "target", "target_type", "direction", "shapes", "example")

#: roles whose target is named by the role itself (no target column needed)
PLAIN_ROLES = frozenset({
    "name", "type", "aliases", "ignored",
    # registry shareholders and outward investments
    "shareholder_name", "shareholder_type", "share_ratio", "subscribed_amount",
    "subscribed_date", "paid_amount", "investee_name", "investor_name",
    # patents
    "publication_number", "application_number", "application_date", "publication_date",
    "applicants", "applicant_address", "inventors", "current_owner", "first_applicant",
    "patent_title", "patent_type", "legal_status",
    # projects and signed agreements
    "party_a", "party_b", "parties", "signed_date", "project_name", "project_content",
    "amount",
})
#: roles with a target: a canonical column, a property, a relation, a region level, a code
TARGET_ROLES = frozenset({"canonical", "property", "relation", "region_part", "industry_code"})
ROLES: frozenset[str] = PLAIN_ROLES | TARGET_ROLES

#: shapes a header can be a marker of (``government_list`` is the default, with no markers)
SHAPES = frozenset({"government_list", "registry_companies", "registry_shareholders",
                    "registry_investments", "patents", "projects"})
CANONICAL_COLUMNS = frozenset(ENTITY_CORE + RELATION_CORE + PROVENANCE + RELATION_PROPS)
REGION_PARTS = frozenset({"province", "city", "district"})
INDUSTRY_CODES = frozenset({"gb_section", "gb_division", "gb_group", "gb_class",
                            "ipc_main", "ipc"})
#: relation types the detector may emit beyond :class:`schema.RelationType`
EXTRA_RELATIONS = frozenset({"co_applicant"})
RELATION_TARGETS = frozenset(r.value for r in RelationType) | EXTRA_RELATIONS
ENTITY_TYPES = frozenset(t.value for t in EntityType)
DIRECTIONS = frozenset({"out", "in"})

_TRAILING_MARKS = ":*"
_WHITESPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})
_TRAILING_GROUP = re.compile(r"^(.+?)\([^()]{1,8}\)$")   # a unit: (万元), (%), (亿元)


@dataclass(frozen=True)
class HeaderEntry:
    """What one header spelling means (one row of headers.csv)."""

    header: str
    role: str
    target: str
    target_type: str
    direction: str
    shapes: frozenset[str]
    example: str

    @property
    def reason(self) -> str:
        """The vocabulary entry in words, for an explanation."""
        what = self.role + (f" {self.target}" if self.target else "")
        if self.target_type:
            what += f" → {self.target_type}"
        if self.direction:
            what += f" ({self.direction})"
        return f"header {self.header!r} in the vocabulary: {what}"


def header_key(text: str) -> str:
    """The key two header spellings share when they mean the same column.

    NFKC (full-width → half-width, so （） become ()), other brackets as (), no whitespace
    or line breaks anywhere, no trailing colon or required-field asterisk, case-folded.

    >>> header_key("公开（公告）号") == header_key("公开(公告)号")
    True
    >>> header_key("*企业名称：")
    '企业名称'
    >>> header_key("IPC 主分类")
    'ipc主分类'
    """
    key = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    key = _WHITESPACE.sub("", key)
    key = key.rstrip(_TRAILING_MARKS).lstrip("*")
    return key.casefold()


def read_data_table(path: Path, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of one of the shape tables as (line number, stripped cells).

    UTF-8 with or without a byte-order mark (a copy saved by Excel has one); the first row
    must name at least ``columns``; blank rows are skipped. Raise
    :class:`schema.UnreadableFile` naming the file when it cannot be read.
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UnreadableFile(str(path), exc.strerror or str(exc)) from exc
    with handle:
        try:
            reader = csv.DictReader(handle)
            present = [c.strip() for c in reader.fieldnames or ()]
            missing = [c for c in columns if c not in present]
            if missing:
                raise UnreadableFile(f"{path}, line 1",
                                     f"missing column(s) {', '.join(missing)}; "
                                     f"a table here needs {', '.join(columns)}")
            reader.fieldnames = present
            for row in reader:
                cells = {c: (row.get(c) or "").strip() for c in columns}
                if any(cells.values()):
                    yield reader.line_num, cells
        except UnicodeDecodeError as exc:
            raise UnreadableFile(str(path), f"not UTF-8 text ({exc.reason})") from exc
        except csv.Error as exc:
            raise UnreadableFile(str(path), f"not a readable CSV table ({exc})") from exc


def table_error(path: Path, line: int, reason: str) -> UnreadableFile:
    """The error for one bad row of a shape table."""
    return UnreadableFile(f"{path}, line {line}", reason)


def _entry(path: Path, line: int, cells: dict[str, str]) -> HeaderEntry:
    def bad(reason: str) -> UnreadableFile:
        return table_error(path, line, f"header {cells['header']!r}: {reason}")

    role, target, target_type = cells["role"], cells["target"], cells["target_type"]
    direction = cells["direction"]
    shapes = frozenset(cells["shapes"].split())
    if not cells["header"]:
        raise table_error(path, line, "the header cell is empty")
    if role not in ROLES:
        raise bad(f"unknown role {role!r} (known: {', '.join(sorted(ROLES))})")
    if role in TARGET_ROLES and not target:
        raise bad(f"role {role} needs a target")
    if role in PLAIN_ROLES and target:
        raise bad(f"role {role} takes no target (found {target!r})")
    if role == "canonical" and target not in CANONICAL_COLUMNS:
        raise bad(f"{target!r} is not a canonical column "
                  f"(known: {', '.join(sorted(CANONICAL_COLUMNS))})")
    if role == "relation" and target not in RELATION_TARGETS:
        raise bad(f"{target!r} is not a relation type "
                  f"(known: {', '.join(sorted(RELATION_TARGETS))})")
    if role == "region_part" and target not in REGION_PARTS:
        raise bad(f"{target!r} is not a region level ({', '.join(sorted(REGION_PARTS))})")
    if role == "industry_code" and target not in INDUSTRY_CODES:
        raise bad(f"{target!r} is not a code system ({', '.join(sorted(INDUSTRY_CODES))})")
    if role == "property" and not re.fullmatch(r"[a-z][a-z0-9_]*", target):
        raise bad(f"property name {target!r} must be snake_case")
    if target_type and target_type not in ENTITY_TYPES:
        raise bad(f"{target_type!r} is not an entity type "
                  f"(known: {', '.join(sorted(ENTITY_TYPES))})")
    if target_type and role not in ("name", "relation"):
        raise bad(f"target_type applies only to roles name and relation, not {role}")
    if role == "relation" and direction not in DIRECTIONS:
        raise bad(f"a relation needs direction out or in (found {direction!r})")
    if role != "relation" and direction:
        raise bad(f"direction applies only to role relation, not {role}")
    unknown = shapes - SHAPES
    if unknown:
        raise bad(f"unknown shape(s) {', '.join(sorted(unknown))} "
                  f"(known: {', '.join(sorted(SHAPES))})")
    return HeaderEntry(cells["header"], role, target, target_type, direction, shapes,
                       cells["example"])


@cache
def _load(path: Path) -> Mapping[str, HeaderEntry]:
    entries: dict[str, HeaderEntry] = {}
    lines: dict[str, int] = {}
    for line, cells in read_data_table(path, HEADER_COLUMNS):
        entry = _entry(path, line, cells)
        key = header_key(entry.header)
        if key in entries:
            raise table_error(path, line, f"header {entry.header!r} is already on line "
                                          f"{lines[key]} (spellings that differ only in "
                                          "width, brackets, spaces or case are one header)")
        entries[key] = entry
        lines[key] = line
    return MappingProxyType(entries)


def _path(path: str | Path | None) -> Path:
    return HEADERS_CSV if path is None else Path(path)


def vocabulary(path: str | Path | None = None) -> Mapping[str, HeaderEntry]:
    """Every entry by its :func:`header_key` (read-only)."""
    return _load(_path(path))


def entries(path: str | Path | None = None) -> list[HeaderEntry]:
    """Every entry in table order."""
    return list(vocabulary(path).values())


def header_entry(text: str, path: str | Path | None = None) -> HeaderEntry | None:
    """The vocabulary entry a header matches, or ``None``.

    A header not in the table is tried once more without a trailing bracketed unit, so
    ``总投资（亿元）`` reads as ``总投资``.

    >>> header_entry("总投资（亿元）").role
    'amount'
    >>> header_entry("奇怪的列") is None
    True
    """
    table = vocabulary(path)
    key = header_key(text)
    found = table.get(key)
    if found is None and (unit := _TRAILING_GROUP.match(key)):
        found = table.get(unit.group(1))
    return found


def markers(shape: str, path: str | Path | None = None) -> list[HeaderEntry]:
    """The entries that mark a shape (e.g. ``patents``)."""
    return [e for e in vocabulary(path).values() if shape in e.shapes]


def column_labels(path: str | Path | None = None) -> dict[str, str]:
    """Each canonical column and property, in the first Chinese spelling the vocabulary lists
    for it (what exports write as headers and the viewer shows as labels).

    >>> labels = column_labels()
    >>> labels["name"], labels["credit_code"], labels["disciplines"]
    ('实体名称', '统一社会信用代码', '双一流建设学科')
    """
    labels: dict[str, str] = {}
    for entry in entries(path):
        if entry.role in ("canonical", "property") and entry.target and _CJK.search(entry.header):
            labels.setdefault(entry.target, entry.header)
    return labels
