"""What every shape adapter shares: the data rows of a detected sheet, and table builders.

An adapter reads :class:`Sheet.rows` — the data rows below the header, cleaned, with the
context the group rows above them gave (瓯海区（3家） → region 瓯海区), rows with an unusable
cell already rejected — and fills canonical tables: entities, relations (one table per
source column, so a reject names the column as written), and mentions (the far ends of
relations: regions, industries, partners). Ids of endpoints are computed here exactly as
the loader computes them, so a relation names its row's entity even without a store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schema import EntityType, InvalidCreditCode, entity_id, normalise_name

from ..readers import Table
from ..rows import Reject
from .cells import cell_problem, is_empty
from .codes import type_from_name
from .detect import Detection
from .limits import DEFAULT_LIMITS, ReadLimits
from .model import ColumnMapping, Explanation, ShapedSource, SkippedRow
from .row_kinds import above_header_note, classify

TYPE_VALUES = frozenset(t.value for t in EntityType)
#: separators of several names in one cell (共建单位: 温州大学、浙江大学)
NAME_SEPARATORS = ("、", "，", ",", ";", "；", "/", "\n")
GROUP_HEADER = "(分组行)"


def split_names(text: str, pair_word: str = "") -> list[str]:
    """Several names in one cell; ``pair_word`` (与) also splits a cell that holds exactly
    two names joined by it and nothing else.

    >>> split_names("温州大学、浙江大学；温州医科大学")
    ['温州大学', '浙江大学', '温州医科大学']
    >>> split_names("温州医科大学与瓯海区人民政府", "与")
    ['温州医科大学', '瓯海区人民政府']
    """
    for separator in NAME_SEPARATORS[1:]:
        text = text.replace(separator, NAME_SEPARATORS[0])
    names = [part.strip() for part in text.split(NAME_SEPARATORS[0]) if not is_empty(part)]
    if len(names) == 1 and pair_word and names[0].count(pair_word) == 1:
        names = [part.strip() for part in names[0].split(pair_word) if part.strip()]
    return names


def entity_ref(type_value: str | None, name: str, credit_code: str = "") -> str:
    """How a relation names an entity: its id when its type is known (computed as the
    loader does; an invalid credit code is left out, the entity row then is rejected and
    so is the relation), otherwise the name as written, for the loader to resolve."""
    if type_value not in TYPE_VALUES:
        return name
    entity_type = EntityType(type_value)
    try:
        return entity_id(entity_type, normalise_name(name), credit_code or None)
    except InvalidCreditCode:
        return entity_id(entity_type, normalise_name(name))


def organisation_type(name: str) -> str | None:
    """An organisation's type from its legal form (…有限公司, …大学), or ``None``."""
    found = type_from_name(name)
    return found[0] if found else None


def shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TableBuilder:
    """A canonical table filled row by row; a column first seen late is back-filled."""

    def __init__(self, source: str, hint: str, headers: dict[str, str] | None = None) -> None:
        self.source, self.hint = source, hint
        self.headers = dict(headers or {})
        self.data: dict[str, list[str]] = {}
        self.numbers: list[int] = []

    def add(self, number: int, values: dict[str, str]) -> None:
        for column in values:
            if column not in self.data:
                self.data[column] = [""] * len(self.numbers)
        for column, cells in self.data.items():
            cells.append(values.get(column, ""))
        self.numbers.append(number)

    def __len__(self) -> int:
        return len(self.numbers)

    def table(self) -> Table:
        # the name's header stays even when no row filled it: "name missing" names it
        headers = {c: h for c, h in self.headers.items() if c in self.data or c == "name"}
        return Table(self.source, self.hint, list(self.data), self.data, self.numbers, headers)


@dataclass
class Mention:
    """A far end as first named: the row and column, the name as written, and the
    properties the sheet gives it (an investee's 成立日期)."""

    row: int
    name: str
    header: str
    props: dict[str, str] = field(default_factory=dict)


@dataclass
class DataRow:
    """One data row: cleaned cells (empty markers as ``""``) and its group context."""

    number: int
    cells: list[str]
    context: dict[str, str]

    def at(self, mapping: ColumnMapping | None) -> str:
        if mapping is None or mapping.column >= len(self.cells):
            return ""
        return self.cells[mapping.column]


@dataclass
class Sheet:
    """A detected sheet being adapted, and everything the adapter produces from it."""

    detection: Detection
    explanation: Explanation
    rows: list[DataRow] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    entities: list[TableBuilder] = field(default_factory=list)
    relations: dict[str, TableBuilder] = field(default_factory=dict)
    mentioned: dict[tuple[str, str], Mention] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return self.detection.grid.source

    @property
    def hint(self) -> str:
        grid = self.detection.grid
        return grid.sheet if grid.sheet is not None else Path(grid.file).stem

    def find(self, *roles: str) -> ColumnMapping | None:
        """The first column with one of ``roles`` (a role, or ``canonical:<column>``)."""
        for role in roles:
            for mapping in self.detection.columns:
                kind, _, target = role.partition(":")
                if (mapping.role == kind and not target) or (
                        kind == "canonical" and mapping.role == "canonical"
                        and mapping.target == target):
                    return mapping
        return None

    def name_column(self) -> ColumnMapping | None:
        return self.find("name", "canonical:name")

    def name_header(self) -> str:
        mapping = self.name_column()
        return mapping.header if mapping else ""

    def builder(self, key: str, headers: dict[str, str]) -> TableBuilder:
        """The relation table for ``key`` (usually the source column's header)."""
        if key not in self.relations:
            self.relations[key] = TableBuilder(self.source, self.hint, headers)
        return self.relations[key]

    def reject(self, row: DataRow, header: str, value: str, reason: str) -> None:
        self.rejects.append(Reject(self.source, row.number, header, value, reason))

    def warn(self, message: str) -> None:
        self.explanation.warnings.append(message)

    def mention(self, name: str, type_value: str | None, number: int, header: str,
                props: dict[str, str] | None = None) -> str:
        """Note a far end named in a cell; return how a relation refers to it."""
        if type_value not in TYPE_VALUES:
            return name
        key = (type_value, normalise_name(name))
        known = self.mentioned.setdefault(key, Mention(number, name, header)).props
        for prop, value in (props or {}).items():
            if value and not known.get(prop):
                known[prop] = value
        return entity_ref(type_value, name)

    def finish(self) -> ShapedSource:
        """The canonical tables and the explanation."""
        mentions = TableBuilder(self.source, self.hint, {})
        for (type_value, _), seen in self.mentioned.items():
            mentions.headers.setdefault("name", seen.header)
            mentions.add(seen.row, {"name": seen.name, "type": type_value} | seen.props)
        self.explanation.data_rows = len(self.rows)
        return ShapedSource(
            self.explanation,
            entities=[b.table() for b in self.entities if len(b)],
            relations=[b.table() for b in self.relations.values() if len(b)],
            mentions=[mentions.table()] if len(mentions) else [],
            rejects=self.rejects)


def explanation_of(detection: Detection) -> Explanation:
    return Explanation(detection.grid.source, detection.shape, detection.shape_reason,
                       detection.header_row, detection.header_reason, list(detection.columns))


def open_sheet(detection: Detection, key: ColumnMapping | None,
               limits: ReadLimits = DEFAULT_LIMITS) -> Sheet:
    """The data rows of a detected sheet; title, header, group, note and blank rows go to
    the explanation's skipped rows, and a row with an unusable cell to the rejects.

    ``key`` is the column whose emptiness tells a group or note row from data (the name).
    """
    sheet = Sheet(detection, explanation_of(detection))
    grid, skipped = detection.grid, sheet.explanation.skipped
    for number, cells in zip(grid.numbers[: detection.header_index],
                             grid.rows[: detection.header_index], strict=True):
        text = " ".join(c for c in cells if c)
        above = "blank" if not text else "note" if above_header_note(cells) else "title"
        skipped.append(SkippedRow(number, above, shortened(text)))
    skipped.append(SkippedRow(detection.header_row, "header",
                              shortened(" ".join(c for c in grid.rows[detection.header_index]
                                                 if c))))
    width = len(grid.rows[detection.header_index])
    context: dict[str, str] = {}
    # a profile can say a column gives the context a group row would (片区 → region)
    context_columns = [m for m in detection.columns if m.role == "context"]
    body = zip(grid.numbers[detection.header_index + 1:],
               grid.rows[detection.header_index + 1:], strict=True)
    for number, cells in body:
        kind = classify(cells, width, key.column if key else 0)
        if kind.kind != "data":
            # a total row (合计 | 5家) is a note; the explanation names it as a total
            shown = "total" if kind.rule == "total" else kind.kind
            skipped.append(SkippedRow(number, shown, shortened(" ".join(c for c in cells
                                                                       if c))))
            if kind.kind == "group" and kind.context:
                context[kind.context] = kind.text
            continue
        row = DataRow(number, [], dict(context))
        if _usable(sheet, row, cells, limits):
            row.context |= {m.target: row.at(m) for m in context_columns if row.at(m)}
            sheet.rows.append(row)
    return sheet


def _usable(sheet: Sheet, row: DataRow, cells: list[str], limits: ReadLimits) -> bool:
    headers = {m.column: m.header for m in sheet.detection.columns}
    cleaned: list[str] = []
    for position, text in enumerate(cells):
        problem = cell_problem(text, limits)
        if problem:
            sheet.reject(row, headers.get(position, f"column {position + 1}"), text, problem)
            return False
        cleaned.append("" if is_empty(text) else text)
    width = max(headers, default=-1) + 1
    row.cells = cleaned + [""] * max(0, width - len(cleaned))
    return True


def props_json(values: dict[str, Any]) -> dict[str, str]:
    """Property cells as the canonical tables hold them: text, empty ones left out."""
    return {k: str(v) for k, v in values.items() if v not in (None, "")}
