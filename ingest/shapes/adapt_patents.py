"""Patent exports: organisations that apply for patents together (co_applicant).

A patent export has one patent per row and its applicants in one cell (split on ;，、).
The graph does not hold patents; it holds what they say about cooperation: every pair of
distinct organisation applicants of a patent gets one co_applicant relation per sheet,
aggregated over the sheet's patents — how many (``weight``, each patent counted once
even when the export repeats its row), which (``patents``: ``NUMBER@YEAR``), when
(``years``, ``year``). Each applicant is in_industry (role research) of the industries its
patents' IPC main classes map to (``data/ipc_industries.csv``), with how many patents say
so. Natural-person applicants are not entities here; they are counted in the warnings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from schema.claims import distinct_patents, patent_key

from .adapt import DataRow, Sheet, open_sheet, organisation_type
from .adapt_registry import PERSON_NAME
from .cells import year_of
from .codes import industry_for_ipc
from .detect import Detection
from .limits import DEFAULT_LIMITS, ReadLimits
from .model import ColumnMapping, ShapedSource

#: separators between applicants in one cell
APPLICANT_SEPARATORS = re.compile(r"[;；,，、]")
#: applicant columns, the fullest list first
APPLICANT_ROLES = ("applicants", "current_owner", "first_applicant")


def application_key(text: str) -> str:
    """An application number as one spelling: without the ``CN`` prefix, the dot before
    the check digit and spaces (exports write CN202210234567.X and 202210234567.X).

    >>> application_key("CN 202210234567.X") == application_key("202210234567X")
    True
    """
    key = re.sub(r"[\s.]", "", text).upper()
    return key[2:] if key.startswith("CN") else key


def split_applicants(text: str) -> list[str]:
    """The applicants in one cell, each once, in order.

    >>> split_applicants("温州大学; 浙江大学，温州大学、张三")
    ['温州大学', '浙江大学', '张三']
    """
    return list(dict.fromkeys(p.strip() for p in APPLICANT_SEPARATORS.split(text) if p.strip()))


@dataclass
class Pair:
    """The patents two organisations applied for together, and where the pair first showed."""

    first_row: int
    #: application (its 申请号, else its publication number without kind code) →
    #: (publication number, year)
    patents: dict[str, tuple[str, int | None]] = field(default_factory=dict)

    def props(self) -> dict[str, str]:
        listed = distinct_patents(f"{n}@{y}" if y else n for n, y in self.patents.values())
        years = Counter(y for _, y in self.patents.values() if y)
        props = {"weight": str(len(listed)), "patents": ";".join(listed),
                 "years": ";".join(f"{y}:{c}" for y, c in sorted(years.items()))}
        if years:
            props["year"] = str(max(years))
        return {k: v for k, v in props.items() if v}


def _year(sheet: Sheet, row: DataRow) -> tuple[bool, int | None]:
    """(usable, application year — else publication year) of a patent row."""
    for role in ("application_date", "publication_date"):
        column = sheet.find(role)
        text = row.at(column)
        if column is None or not text:
            continue
        year = year_of(text, serial_ok=True)
        if year is None:
            sheet.reject(row, column.header, text,
                         "year: not a year or a date (e.g. 2019-05-20)")
            return False, None
        return True, year
    return True, None


def adapt_patents(detection: Detection, limits: ReadLimits = DEFAULT_LIMITS,
                  entity_type: str | None = None) -> ShapedSource:
    """co_applicant relations between the organisation applicants of each patent."""
    del entity_type  # applicants are typed one by one, by their legal form
    applicants = next((m for role in APPLICANT_ROLES for m in detection.columns
                       if m.role == role), None)
    sheet = open_sheet(detection, applicants, limits)
    sheet.explanation.type_reason = "each applicant by its legal form (…有限公司, …大学)"
    number_columns = [sheet.find("publication_number"), sheet.find("application_number")]
    application_column = sheet.find("application_number")
    ipc_column = _ipc_column(detection)
    pairs: dict[tuple[str, str], Pair] = {}
    fields: dict[tuple[str, str], Pair] = {}  # (applicant, industry) -> its patents
    persons: list[int] = []
    for row in sheet.rows:
        number = next((row.at(c) for c in number_columns if row.at(c)), "")
        usable, year = _year(sheet, row)
        if not usable or not number:
            continue
        application = application_key(row.at(application_column)) or patent_key(number)
        refs = _organisations(sheet, row, applicants, persons)
        for a, b in combinations(sorted(set(refs)), 2):
            pair = pairs.setdefault((a, b), Pair(row.number))
            pair.patents.setdefault(application, (number, year))
        industry = _industry(sheet, row, ipc_column)
        for ref in set(refs) if industry is not None else ():
            field_ = fields.setdefault((ref, str(industry)), Pair(row.number))
            field_.patents.setdefault(application, (number, year))
    header = applicants.header if applicants else ""
    if ipc_column is not None:
        by_field = sheet.builder(ipc_column.header,
                                 {"source": header, "target": ipc_column.header})
        for (ref, industry), found in fields.items():
            # an applicant works in the industries its patents' IPC main classes map to
            # (ingest/shapes/data/ipc_industries.csv); how many patents say so
            by_field.add(found.first_row, {"source": ref, "target": industry,
                                           "relation": "in_industry", "role": "research",
                                           "patents_in_field": str(len(found.patents))})
    builder = sheet.builder(header, {"source": header, "target": header})
    for (a, b), pair in pairs.items():
        builder.add(pair.first_row, {"source": a, "target": b, "relation": "co_applicant"}
                    | pair.props())
    if persons:
        rows = sorted(set(persons))
        shown = ", ".join(map(str, rows[:20])) + (" …" if len(rows) > 20 else "")
        sheet.warn(f"{len(persons)} natural-person applicants not loaded (people are not "
                   f"entities here): rows {shown}")
    return sheet.finish()


def _ipc_column(detection: Detection) -> ColumnMapping | None:
    """The IPC main-class column (else an IPC column: its first code is the main one)."""
    for target in ("ipc_main", "ipc"):
        for mapping in detection.columns:
            if mapping.role == "industry_code" and mapping.target == target:
                return mapping
    return None


def _industry(sheet: Sheet, row: DataRow, column: ColumnMapping | None) -> str | None:
    """How relations refer to the industry a row's IPC class maps to (None: no mapping)."""
    text = row.at(column)
    match = industry_for_ipc(text) if text and column is not None else None
    if match is None or match.industry is None or column is None:
        return None
    return sheet.mention(match.industry, "industry", row.number, column.header)


def _organisations(sheet: Sheet, row: DataRow, column: ColumnMapping | None,
                   persons: list[int]) -> list[str]:
    """How relations refer to the row's organisation applicants (mentioned when typed)."""
    refs = []
    for name in split_applicants(row.at(column)):
        found = organisation_type(name)
        if (found is None and PERSON_NAME.fullmatch(name)) or found == "person":
            persons.append(row.number)
            continue
        refs.append(sheet.mention(name, found, row.number, column.header if column else ""))
    return refs
