"""Which shape a sheet has, read from its header row.

The header row is found by reading (``header_row.find_header`` with the vocabulary), each
header cell is mapped to a :class:`ColumnMapping`, and the shape is the first rule of
:data:`SHAPE_RULES` whose markers the headers carry. The rules are a table, tried in order,
because a sheet can carry markers of several shapes (a shareholder export also has a
企业名称 column): the more specific shape wins, and a government list is whatever is left
with a name column. A sheet that carries a shape's markers but lacks a column that shape
cannot do without is refused with both named, rather than read as something else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from schema import UnreadableFile

from ..columns import ENTITY_CORE, RELATION_CORE
from .grid import Grid
from .header_row import find_header, normalize_header
from .loader_headers import canonical_header
from .model import ColumnMapping
from .row_kinds import above_header_note
from .vocabulary import HeaderEntry, header_entry

#: the canonical targets a tidy table shares with the existing loader
NAME_ROLES = ("name", "canonical:name")
CORE = frozenset(ENTITY_CORE) | frozenset(RELATION_CORE)
UNKNOWN_REASON = "not in the vocabulary: kept as a text property"


@dataclass(frozen=True)
class ShapeRule:
    """One shape: the roles that mark it, the roles it cannot do without, an example.

    A marker or a requirement is a role (``name``), a canonical column
    (``canonical:source``) or several joined by ``+`` (all needed). Besides its markers, a
    shape is marked by every header whose vocabulary entry lists it in ``shapes``.
    ``required`` is a list of (alternatives, what to ask for) groups. A header that marks
    several shapes (认缴出资额: shareholders and investments) decides none of them.
    """

    shape: str
    markers: tuple[str, ...]
    required: tuple[tuple[tuple[str, ...], str], ...]
    example: str
    tidy: bool = False  # only a table whose every column the plain loader understands


_NAME_REQUIRED = (NAME_ROLES, "name column such as 企业名称 / 单位名称 / 名称")

SHAPE_RULES: tuple[ShapeRule, ...] = (
    ShapeRule("generic_relations", ("canonical:source+canonical:target",),
              ((("canonical:source+canonical:target",), "source and target columns"),),
              "source, target, relation, year"),
    ShapeRule("generic_entities", ("canonical:name",), (_NAME_REQUIRED,),
              "名称, 类型, 别名, 成立年份 (in row 1)", tidy=True),
    ShapeRule("patents", ("publication_number", "application_number", "applicants"),
              ((("applicants", "first_applicant", "current_owner"),
                "applicant column such as 申请人 / 专利权人"),
               (("publication_number", "application_number"),
                "number column such as 公开(公告)号 / 申请号")),
              "序号, 申请号, 申请日, 公开(公告)号, 申请(专利权)人, IPC主分类号"),
    # before shareholders: an investment export carries 持股比例 too (a shareholder marker),
    # while 被投资企业名称 belongs to investments alone
    ShapeRule("registry_investments", ("investee_name",),
              ((("investee_name",), "investee column such as 被投资企业名称"),
               (("investor_name", *NAME_ROLES), "investor name column such as 企业名称")),
              "企业名称, 被投资企业名称, 投资比例, 认缴出资额, 成立日期, 登记状态"),
    ShapeRule("registry_shareholders", ("shareholder_name",),
              ((("shareholder_name",), "shareholder column such as 股东名称"),),
              "股东名称, 股东类型, 持股比例, 认缴出资额, 认缴出资日期"),
    ShapeRule("registry_companies", (), (_NAME_REQUIRED,),
              "企业名称, 统一社会信用代码, 法定代表人, 注册资本, 成立日期, 登记状态, 所属区县, "
              "国标行业大类"),
    ShapeRule("projects", ("party_a", "party_b", "parties"),
              ((("party_a+party_b", "parties"), "甲方 and 乙方 columns, or 签约双方"),),
              "序号, 项目名称, 甲方, 乙方, 签约时间, 投资金额"),
    ShapeRule("government_list", ("*",), (_NAME_REQUIRED,),
              "序号, 企业名称, 所在地区, 级别, 认定年份"),
)


@dataclass
class Detection:
    """A sheet's header, column meanings and shape (what the adapters read from)."""

    grid: Grid
    shape: str
    shape_reason: str
    header_index: int            # into grid.rows
    header_row: int              # as a person sees it
    header_reason: str
    columns: list[ColumnMapping]
    title: str = ""              # the text of the rows above the header
    marks: dict[str, list[str]] = field(default_factory=dict)


def column_mapping(header: str, column: int, entry: HeaderEntry | None) -> ColumnMapping:
    """What a header means: its vocabulary entry, or a text property named as written."""
    if entry is None:
        return ColumnMapping(header, column, "property", header, "", UNKNOWN_REASON)
    reason = f"vocabulary: {entry.header}" + (f" (e.g. {entry.example})" if entry.example else "")
    return ColumnMapping(header, column, entry.role, entry.target, entry.target_type, reason,
                         entry.direction or "out")


def role_keys(mapping: ColumnMapping) -> tuple[str, ...]:
    """The keys a rule can name a column by: its role, and ``canonical:<column>`` when the
    plain loader reads the header as one of its core columns (名称 → name, 源 → source)."""
    keys = [mapping.target] if mapping.role == "canonical" else [mapping.role]
    canonical = mapping.target if mapping.role == "canonical" else canonical_header(
        mapping.header)
    if canonical in CORE:
        keys.append(f"canonical:{canonical}")
    return tuple(keys)


def _present(columns: list[ColumnMapping]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for mapping in columns:
        for key in role_keys(mapping):
            found[key].append(mapping.header)
    return found


def _has(present: dict[str, list[str]], key: str) -> list[str]:
    parts = key.split("+")
    if all(present.get(p) for p in parts):
        return [h for p in parts for h in present[p]]
    return []


def _generic_ok(mapping: ColumnMapping, entry: HeaderEntry | None) -> bool:
    """Whether the plain loader reads this column the same way shape detection would:
    unknown to the vocabulary, or meaning the loader's own column (名称 → name)."""
    if entry is None:
        return True
    if entry.shapes:
        return False
    loader_column = canonical_header(mapping.header)
    return mapping.role == "canonical" or loader_column in (mapping.role, mapping.target)


def choose_shape(columns: list[ColumnMapping], entries: list[HeaderEntry | None],
                 header_row: int, source: str) -> tuple[str, str, dict[str, list[str]]]:
    """The shape of a sheet with these columns: (shape, reason, markers found per shape)."""
    present = _present(columns)
    marks: dict[str, list[str]] = defaultdict(list)
    for mapping, entry in zip(columns, entries, strict=True):
        if entry and len(entry.shapes) == 1:  # 认缴出资额 marks two shapes: decides neither
            marks[next(iter(entry.shapes))].append(mapping.header)
    tidy = header_row == 1 and all(_generic_ok(m, e) for m, e in zip(columns, entries,
                                                                       strict=True))
    for rule in SHAPE_RULES:
        if rule.tidy and not tidy:
            continue
        found = list(marks.get(rule.shape, []))
        for marker in rule.markers:
            found += [] if marker == "*" else _has(present, marker)
        if not found and "*" not in rule.markers:
            continue
        shown = " / ".join(dict.fromkeys(found)) or "no other shape's columns"
        for alternatives, wanted in rule.required:
            if not any(_has(present, a) for a in alternatives):
                raise UnreadableFile(source, f"looks like a {rule.shape} (markers {shown}) but "
                                     f"has no {wanted}; columns found: "
                                     + ", ".join(m.header for m in columns))
        return rule.shape, f"{rule.shape}: marked by {shown}", dict(marks)
    raise AssertionError("the last rule matches every sheet")  # pragma: no cover


def title_text(grid: Grid, header_index: int) -> str:
    """The words above the header (a merged title row, a subtitle), joined by spaces;
    notes there (a disclaimer, 导出时间, 检索式) are no part of the title."""
    return " ".join(c for row in grid.rows[:header_index] if not above_header_note(row)
                    for c in row if c).strip()


NO_HEADER = ("no row reads as a header in the first 30 rows; expected a name column such as "
             "企业名称 / 单位名称 / 名称")


def detect(grid: Grid, *, header_row: int | None = None,
           overrides: dict[str, ColumnMapping] | None = None,
           shape: str | None = None) -> Detection:
    """The header, column meanings and shape of ``grid``.

    ``header_row``, ``overrides`` (header as written → mapping) and ``shape`` come from a
    mapping profile and win over what the vocabulary would say.
    """
    if header_row is not None:
        if header_row not in grid.numbers:
            raise UnreadableFile(grid.source, f"the profile's header row {header_row} is not "
                                              "in the sheet")
        index, reason = grid.numbers.index(header_row), "given by the mapping profile"
    else:
        found = find_header(grid, header_entry, max_scan=30)
        if found is None:
            raise UnreadableFile(grid.source, NO_HEADER)
        index, header_row, reason = found.index, found.row, found.reason
    columns, entries = [], []
    for position, text in enumerate(grid.rows[index]):
        if not text:
            continue
        entry = header_entry(normalize_header(text))
        mapping = column_mapping(text, position, entry)
        if overrides and text in overrides:
            mapping = replace(overrides[text], column=position)
            entry = None if mapping.role == "property" else entry
        columns.append(mapping)
        entries.append(entry)
    if shape is not None:
        the_shape, shape_reason = shape, "given by the mapping profile"
        marks: dict[str, list[str]] = {}
    else:
        the_shape, shape_reason, marks = choose_shape(columns, entries, header_row, grid.source)
    return Detection(grid, the_shape, shape_reason, index, header_row, reason, columns,
                     title_text(grid, index), marks)
