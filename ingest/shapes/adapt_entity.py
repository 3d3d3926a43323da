"""A row's own entity: its property cells, and where it is and what industry it is in.

Shared by government lists and registry company exports: both describe one organisation
per row. Property columns become canonical property columns (the vocabulary's targets);
the region columns of a registry export (所属省份/所属城市/所属区县) give one located_in to the
most specific of them; a national-standard industry column gives the ``gb_industry``
label and an in_industry to the industry it maps to.
"""

from __future__ import annotations

from collections.abc import Callable

from .adapt import DataRow, Sheet, TableBuilder, entity_ref
from .cells import year_of
from .codes import industry_for_gb
from .model import ColumnMapping

#: canonical columns a row's entity takes from ``canonical`` columns as they are
ENTITY_CANONICAL = ("id", "name", "type", "aliases")
#: the most specific region column first (region_part targets)
REGION_ORDER = ("district", "city", "province")
#: the national-standard industry columns, most useful first (大类, then 中类, then 门类)
GB_ORDER = ("gb_division", "gb_group", "gb_class", "gb_section")


def _year(text: str) -> str | None:
    year = year_of(text, serial_ok=True)
    return None if year is None else str(year)


#: property → how a cell becomes its value, and why a cell it cannot read rejects the row
#: (``""``: the property is not checked by the schema, an unreadable cell stays as written)
PROPERTY_READERS: dict[str, tuple[Callable[[str], str | None], str]] = {
    "founded_year": (_year, "founded_year: not a year or a date (e.g. 2019, 2019-05-20)"),
    "certified_year": (_year, ""),   # 认定时间 2021-12-30 → 2021
}


def property_column(mapping: ColumnMapping) -> str | None:
    """The canonical entity column a mapped column fills, or ``None`` (not a property)."""
    if mapping.role == "canonical":
        return mapping.target
    if mapping.role in ("name", "type"):
        return mapping.role
    if mapping.role in ("property", "aliases"):
        return mapping.target or mapping.role
    if mapping.role == "industry_code" and mapping.target.startswith("ipc"):
        return "ipc"
    return None


def entity_values(sheet: Sheet, row: DataRow) -> dict[str, str] | None:
    """The row's canonical entity cells (``name``, ``aliases``, properties); ``None`` after
    rejecting the row for an unreadable value."""
    values: dict[str, str] = {}
    for mapping in sheet.detection.columns:
        column = property_column(mapping)
        text = row.at(mapping)
        if column is None or column == "type" or not text:
            continue
        reader = PROPERTY_READERS.get(column)
        if reader:
            read = reader[0](text)
            if read is None and reader[1]:
                sheet.reject(row, mapping.header, text, reader[1])
                return None
            text = read or text
        values[column] = f"{values[column]}；{text}" if values.get(column) else text
    return values


def entity_headers(sheet: Sheet) -> dict[str, str]:
    """Canonical entity column → the header as written."""
    headers: dict[str, str] = {}
    for mapping in sheet.detection.columns:
        column = property_column(mapping)
        if column:
            headers.setdefault(column, mapping.header)
    gb = _gb_column(sheet)
    if gb:
        headers["gb_industry"] = gb.header
    return headers


def entities_builder(sheet: Sheet) -> TableBuilder:
    builder = TableBuilder(sheet.source, sheet.hint, entity_headers(sheet))
    type_column = sheet.find("type", "canonical:type")
    if type_column:
        builder.headers["type"] = type_column.header
    name_column = sheet.name_column()
    if name_column:  # a reject of the name (missing) names the column as written
        builder.headers.setdefault("name", name_column.header)
    sheet.entities.append(builder)
    return builder


def row_ref(values: dict[str, str], type_value: str | None) -> str:
    """How relations refer to the row's entity: the id given, or the computed one."""
    return values.get("id") or entity_ref(type_value, values.get("name", ""),
                                          values.get("credit_code", ""))


def _gb_column(sheet: Sheet) -> ColumnMapping | None:
    for target in GB_ORDER:
        for mapping in sheet.detection.columns:
            if mapping.role == "industry_code" and mapping.target == target:
                return mapping
    return None


def _gb_filled(sheet: Sheet, row: DataRow) -> ColumnMapping | None:
    """The most useful industry-code column this row fills (大类 before 门类)."""
    for target in GB_ORDER:
        for mapping in sheet.detection.columns:
            if mapping.role == "industry_code" and mapping.target == target and row.at(mapping):
                return mapping
    return None


def gb_industry(sheet: Sheet, row: DataRow, values: dict[str, str], ref: str) -> None:
    """``gb_industry`` (``C38 电气机械和器材制造业``) and in_industry when the code maps."""
    mapping = _gb_filled(sheet, row)
    text = row.at(mapping)
    if mapping is None or not text:
        return
    match = industry_for_gb(text)
    if match is None:
        values["gb_industry"] = text
        return
    label = match.label if match.label.startswith(match.code) else f"{match.code} {match.label}"
    values["gb_industry"] = label
    if match.industry:
        relate(sheet, row, mapping.header, ref, "in_industry", match.industry, "industry",
               {"source": sheet.name_header()})


def located_in(sheet: Sheet, row: DataRow, ref: str) -> None:
    """One located_in, to the most specific region column of the row that is filled."""
    for target in REGION_ORDER:
        for mapping in sheet.detection.columns:
            text = row.at(mapping)
            if mapping.role == "region_part" and mapping.target == target and text:
                relate(sheet, row, mapping.header, ref, "located_in", text, "region",
                       {"source": sheet.name_header()})
                return


def relate(sheet: Sheet, row: DataRow, header: str, ref: str, relation: str, far: str,
           far_type: str | None, headers: dict[str, str], *, inward: bool = False,
           props: dict[str, str] | None = None) -> None:
    """A relation between the row's entity (``ref``) and a far end named in a cell of the
    column ``header``; the far end is mentioned when its type is known."""
    far_ref = sheet.mention(far, far_type, row.number, header)
    source, target = (far_ref, ref) if inward else (ref, far_ref)
    ends = {"source": headers.get("source", ""), "target": header}
    if inward:
        ends = {"source": header, "target": headers.get("source", "")}
    builder = sheet.builder(f"{header}\x1f{relation}", ends)
    builder.add(row.number, {"source": source, "target": target, "relation": relation}
                | (props or {}))
