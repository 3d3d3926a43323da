"""Government lists: one organisation per row, grouped, with columns that name others.

A bureau's list (序号, 企业名称, 所在地区, 级别, 运营主体 …) gives each row's entity, its
properties, and relations from its relation columns (the vocabulary's ``relation`` role:
所在地区 → located_in a region, 运营主体 → affiliated_with the operator, 带头人 → a person
who leads the row's team). Group rows (瓯海区（3家）, 国家级) give context to the rows under
them, read per :data:`CONTEXT_EFFECTS`. The row's type is decided by ``list_type``.
"""

from __future__ import annotations

from collections.abc import Callable

from .adapt import (
    GROUP_HEADER,
    TYPE_VALUES,
    DataRow,
    Sheet,
    open_sheet,
    organisation_type,
    split_names,
)
from .adapt_entity import (
    entities_builder,
    entity_values,
    gb_industry,
    located_in,
    relate,
    row_ref,
)
from .detect import Detection
from .limits import DEFAULT_LIMITS, ReadLimits
from .list_type import row_type, sheet_type
from .model import ColumnMapping, ShapedSource

#: (word in a partnership column's header, the partnership kind it means)
RELATION_KINDS: tuple[tuple[str, str], ...] = (
    ("共建", "共建"),          # 共建单位
    ("联合申报", "联合申报"),  # 联合申报单位
    ("联合体", "创新联合体"),  # 创新联合体成员单位
    ("合作", "合作"),          # 合作单位
)

#: group context → (what it becomes, relation or property, far-end type)
CONTEXT_EFFECTS: dict[str, tuple[str, str, str]] = {
    "region": ("relation", "located_in", "region"),      # 瓯海区（3家）
    "industry": ("relation", "in_industry", "industry"),  # 一、数字经济
    "level": ("property", "level", ""),                   # 国家级
    "batch": ("property", "batch", ""),                   # 第一批
}

#: relations whose cell names one far end even with separators in it (浙江省/温州市)
SINGLE_TARGET = frozenset({"located_in"})


def kind_of(mapping: ColumnMapping) -> dict[str, str]:
    """The partnership kind a partnership column's header names (共建单位 → 共建)."""
    if mapping.target != "partnership":
        return {}
    for word, kind in RELATION_KINDS:
        if word in mapping.header:
            return {"kind": kind}
    return {}


#: a row's type: (its canonical cells, its type cell) → (type value, reason it has none)
RowTyper = Callable[[dict[str, str], str], tuple[str | None, str]]


def adapt_list(detection: Detection, limits: ReadLimits = DEFAULT_LIMITS,
               entity_type: str | None = None) -> ShapedSource:
    """The canonical tables of a government list (types decided by ``list_type``)."""
    decision = sheet_type(detection, entity_type)
    return adapt_rows(detection, limits, lambda values, cell: row_type(
        decision, values.get("name", ""), cell), decision.value, decision.reason)


def adapt_rows(detection: Detection, limits: ReadLimits, typer: RowTyper,
               sheet_type_value: str | None, type_reason: str) -> ShapedSource:
    """The canonical tables of a sheet with one organisation per row."""
    sheet = open_sheet(detection, detection_name(detection), limits)
    sheet.explanation.entity_type = sheet_type_value
    sheet.explanation.type_reason = type_reason
    builder = entities_builder(sheet)
    type_column = sheet.find("type", "canonical:type")
    for row in sheet.rows:
        values = entity_values(sheet, row)
        if values is None:
            continue
        name = values.get("name", "")
        type_value, problem = typer(values, row.at(type_column)) if name else (None, "")
        if problem:
            sheet.reject(row, sheet.name_header(), name, problem)
            continue
        for context, text in row.context.items():
            effect = CONTEXT_EFFECTS.get(context)
            if effect and effect[0] == "property":
                values.setdefault(effect[1], text)
        ref = row_ref(values, type_value)
        if name:
            gb_industry(sheet, row, values, ref)
        builder.add(row.number, values | {"type": type_value or ""})
        if name and type_value in TYPE_VALUES:
            _relations(sheet, row, ref)
    return sheet.finish()


def detection_name(detection: Detection) -> ColumnMapping | None:
    return next((m for m in detection.columns if m.role == "name"
                 or (m.role == "canonical" and m.target == "name")), None)


def _relations(sheet: Sheet, row: DataRow, ref: str) -> None:
    """The row's relations: relation columns, region columns, then group context for
    what the columns left open."""
    ends = {"source": sheet.name_header()}
    done: set[str] = set()
    for mapping in sheet.detection.columns:
        text = row.at(mapping)
        if mapping.role != "relation" or not text:
            continue
        fars = [text] if mapping.target in SINGLE_TARGET else split_names(text)
        for far in fars:
            far_type = mapping.target_type or organisation_type(far)
            relate(sheet, row, mapping.header, ref, mapping.target, far, far_type, ends,
                   inward=mapping.direction == "in", props=kind_of(mapping))
        done.add(mapping.target)
    if "located_in" not in done and any(m.role == "region_part" and row.at(m)
                                        for m in sheet.detection.columns):
        located_in(sheet, row, ref)
        done.add("located_in")
    for context, text in row.context.items():
        kind, relation, far_type = CONTEXT_EFFECTS.get(context, ("", "", ""))
        if kind == "relation" and relation not in done:
            relate(sheet, row, GROUP_HEADER, ref, relation, text, far_type, ends)
