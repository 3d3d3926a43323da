"""Signed-project lists (签约项目): partnerships between the parties that signed.

Each row is a project signed by 甲方 and 乙方 (or by 签约双方 in one cell). The graph holds
the partnership, not the project: the projects of one pair of parties are aggregated into
one partnership from 甲方 to 乙方 with the earliest signing year, the project titles
(joined by ``；``), the amounts as written, and how many projects there were.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .adapt import DataRow, Sheet, open_sheet, organisation_type, split_names
from .cells import amount_text, year_of
from .detect import Detection
from .limits import DEFAULT_LIMITS, ReadLimits
from .model import ShapedSource

#: the partnership status of parties a signing date is given for
SIGNED = "签约"


@dataclass
class Signed:
    """The projects one pair of parties signed, and the row where the pair first showed."""

    first_row: int
    titles: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    count: int = 0

    def props(self) -> dict[str, str]:
        props = {"title": "；".join(dict.fromkeys(self.titles)),
                 "amount": "；".join(self.amounts), "projects": str(self.count),
                 "year": str(min(self.years)) if self.years else ""}
        return {k: v for k, v in props.items() if v}


def _parties(sheet: Sheet, row: DataRow) -> tuple[str, str] | None:
    """甲方 and 乙方 of a row; ``None`` (after rejecting the row if it is malformed)."""
    a, b = row.at(sheet.find("party_a")), row.at(sheet.find("party_b"))
    both = sheet.find("parties")
    if (not a or not b) and both is not None and row.at(both):
        names = split_names(row.at(both), "与")
        if len(names) != 2:
            sheet.reject(row, both.header, row.at(both), f"parties: expected the two parties "
                         f"who signed, separated by 、 or ；, found {len(names)}")
            return None
        a, b = names
    return (a, b) if a and b else None


def _year(sheet: Sheet, row: DataRow) -> tuple[bool, int | None]:
    column = sheet.find("signed_date")
    text = row.at(column)
    if column is None or not text:
        return True, None
    year = year_of(text, serial_ok=True)
    if year is None:
        sheet.reject(row, column.header, text, "year: not a year or a date (e.g. 2023-05-20)")
        return False, None
    return True, year


def adapt_projects(detection: Detection, limits: ReadLimits = DEFAULT_LIMITS,
                   entity_type: str | None = None) -> ShapedSource:
    """One partnership per pair of parties, aggregated over the sheet's projects."""
    del entity_type  # parties are typed one by one, by their legal form
    key = next((m for role in ("party_a", "parties") for m in detection.columns
                if m.role == role), None)
    sheet = open_sheet(detection, key, limits)
    sheet.explanation.type_reason = "each party by its legal form (…有限公司, …大学)"
    first, second = sheet.find("party_a", "parties"), sheet.find("party_b", "parties")
    headers = {"source": first.header if first else "", "target": second.header if second
               else ""}
    signed: dict[tuple[str, str], Signed] = {}
    for row in sheet.rows:
        parties = _parties(sheet, row)
        usable, year = _year(sheet, row) if parties else (False, None)
        if parties is None or not usable:
            continue
        refs = tuple(sheet.mention(name, organisation_type(name), row.number, header)
                     for name, header in zip(parties, headers.values(), strict=True))
        entry = signed.setdefault((refs[0], refs[1]), Signed(row.number))
        entry.count += 1
        entry.titles += [t for t in [row.at(sheet.find("project_name"))] if t]
        amount = sheet.find("amount")
        entry.amounts += [t for t in [amount_text(row.at(amount), amount.header if amount
                                                  else "")] if t]
        entry.years += [year] if year else []
    builder = sheet.builder(headers["source"], headers)
    # a signing date column says each row's parties signed (PartnershipStatus 签约)
    status = {"status": SIGNED} if sheet.find("signed_date") else {}
    for (a, b), entry in signed.items():
        builder.add(entry.first_row, {"source": a, "target": b, "relation": "partnership"}
                    | status | entry.props())
    return sheet.finish()
