"""Registry exports (企查查, 天眼查, 启信宝 style): companies, shareholders, investments.

A company export is a list of enterprises, read like a government list but typed by the
registry (enterprise, unless the credit code's registration authority says otherwise). A
shareholder export lists who holds a company — the company named in a 企业名称 column or
only in the title row — and an outward-investment export lists what a company holds.
Both become invests_in relations with the share (a number), the amount (as written) and
the year of the subscription. Natural-person shareholders are not entities here: they are
counted in the warnings and listed as skipped rows.
"""

from __future__ import annotations

import re

from schema import UnreadableFile

from .adapt import DataRow, Sheet, open_sheet, organisation_type
from .adapt_entity import entity_values
from .adapt_lists import adapt_rows, detection_name
from .cells import amount_text, percent_of, year_of
from .codes import type_from_credit_code
from .detect import Detection
from .limits import DEFAULT_LIMITS, ReadLimits
from .model import ColumnMapping, ShapedSource, SkippedRow

#: (word in a 股东类型 cell, what the shareholder is; "person" is not loaded)
SHAREHOLDER_KINDS: tuple[tuple[str, str], ...] = (
    ("自然人", "person"), ("个人", "person"),
    ("合伙企业", "enterprise"), ("企业法人", "enterprise"), ("法人股东", "enterprise"),
    ("机关", "government"), ("事业单位", "institute"), ("基金", "fund"),
)
#: a name of two to four Chinese characters without a legal form reads as a person's
PERSON_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}")
#: words around the company's name in a shareholder export's title row
TITLE_NOISE = re.compile(r"股东信息|股东名单|股东|[-—:：\s]+")
TITLE_HEADER = "(标题行)"
#: punctuation that ends or splits a sentence; a company's name has none
SENTENCE = re.compile(r"[，。；！？,;!?]")


def adapt_companies(detection: Detection, limits: ReadLimits = DEFAULT_LIMITS,
                    entity_type: str | None = None) -> ShapedSource:
    """A company export: one enterprise per row, located in its most specific region."""
    def typer(values: dict[str, str], _cell: str) -> tuple[str | None, str]:
        if entity_type:
            return entity_type, ""
        by_code = type_from_credit_code(values.get("credit_code", ""))
        return (by_code[0] if by_code else "enterprise"), ""

    reason = (f"given explicitly ({entity_type})" if entity_type else
              "a registry export lists enterprises; per row, a credit code whose "
              "registration authority says otherwise wins")
    return adapt_rows(detection, limits, typer, entity_type or "enterprise", reason)


def shareholder_type(name: str, kind_cell: str) -> str | None:
    """What a shareholder is: its legal form, its 股东类型 cell, or a person's name."""
    by_name = organisation_type(name)
    if by_name:
        return by_name
    for word, value in SHAREHOLDER_KINDS:
        if word in kind_cell:
            return value
    return "person" if PERSON_NAME.fullmatch(name) else None


def _share(text: str) -> str:
    value = percent_of(text)
    return text if value is None else f"{value:g}"


def _holding(sheet: Sheet, row: DataRow) -> dict[str, str] | None:
    """share, amount, year of a holding; ``None`` after rejecting an unreadable date."""
    share = row.at(sheet.find("share_ratio"))
    amount_column = next((c for c in (sheet.find("subscribed_amount"),
                                      sheet.find("paid_amount")) if row.at(c)), None)
    amount = amount_text(row.at(amount_column), amount_column.header if amount_column else "")
    date_column = sheet.find("subscribed_date")
    date = row.at(date_column)
    props = {"share": _share(share) if share else "", "amount": amount}
    if date:
        year = year_of(date, serial_ok=True)
        if year is None or date_column is None:
            sheet.reject(row, date_column.header if date_column else "", date,
                         "year: not a year or a date (e.g. 2019-05-20)")
            return None
        props["year"] = str(year)
    return {k: v for k, v in props.items() if v}


def _persons(sheet: Sheet, rows: list[tuple[int, str]], what: str) -> None:
    if not rows:
        return
    sheet.explanation.skipped.extend(SkippedRow(n, "person", name) for n, name in rows)
    shown = ", ".join(str(n) for n, _ in rows[:20]) + (" …" if len(rows) > 20 else "")
    sheet.warn(f"{len(rows)} natural-person {what} not loaded (people are not entities "
               f"here): rows {shown}")


def adapt_shareholders(detection: Detection, limits: ReadLimits = DEFAULT_LIMITS,
                       entity_type: str | None = None) -> ShapedSource:
    """A shareholder export: every organisation shareholder invests_in the company."""
    holder = detection_column(detection, "shareholder_name")
    sheet = open_sheet(detection, holder, limits)
    company_column = detection_name(detection)
    title_company = TITLE_NOISE.sub("", detection.title)
    if SENTENCE.search(title_company):
        title_company = ""  # a sentence (a disclaimer, a notice) names no company
    if company_column is None and not title_company:
        share = "" if sheet.find("share_ratio") else " (nor a 持股比例 column)"
        raise UnreadableFile(sheet.source, "looks like a registry_shareholders (markers "
                             f"{holder.header if holder else '股东名称'}) but has no company "
                             "to attach the shareholders to: no 企业名称 column and no title "
                             f"row naming it{share}; columns found: "
                             + ", ".join(m.header for m in detection.columns))
    sheet.explanation.entity_type = entity_type or "enterprise"
    sheet.explanation.type_reason = "the company holding the shares: " + (
        f"the {company_column.header} column" if company_column else
        f"the title row ({title_company})")
    kind_column = sheet.find("shareholder_type")
    persons: list[tuple[int, str]] = []
    for row in sheet.rows:
        name = row.at(holder)
        company = row.at(company_column) if company_column else title_company
        if not name or not company:
            continue
        holder_type = shareholder_type(name, row.at(kind_column))
        if holder_type == "person":
            persons.append((row.number, name))
            continue
        props = _holding(sheet, row)
        if props is None:
            continue
        company_type = entity_type or organisation_type(company) or "enterprise"
        target = sheet.mention(company, company_type, row.number,
                               company_column.header if company_column else TITLE_HEADER)
        source = sheet.mention(name, holder_type, row.number, holder.header if holder else "")
        builder = sheet.builder(holder.header if holder else "", {
            "source": holder.header if holder else "",
            "target": company_column.header if company_column else TITLE_HEADER})
        builder.add(row.number, {"source": source, "target": target, "relation": "invests_in"}
                    | props)
    _persons(sheet, persons, "shareholders")
    return sheet.finish()


def detection_column(detection: Detection, role: str) -> ColumnMapping | None:
    return next((m for m in detection.columns if m.role == role), None)


def adapt_investments(detection: Detection, limits: ReadLimits = DEFAULT_LIMITS,
                      entity_type: str | None = None) -> ShapedSource:
    """An outward-investment export: the company (企业名称) invests_in each investee, whose
    成立日期 and 登记状态 become the investee's properties."""
    investee_column = detection_column(detection, "investee_name")
    investor_column = detection_column(detection, "investor_name") or detection_name(detection)
    sheet = open_sheet(detection, investee_column, limits)
    sheet.explanation.entity_type = entity_type or "enterprise"
    sheet.explanation.type_reason = (f"the investor: the {investor_column.header} column"
                                     if investor_column else "")
    headers = {"source": investor_column.header if investor_column else "",
               "target": investee_column.header if investee_column else ""}
    for row in sheet.rows:
        investor, investee = row.at(investor_column), row.at(investee_column)
        values = entity_values(sheet, row)
        if values is None or not investor or not investee:
            continue
        props = _holding(sheet, row)
        if props is None:
            continue
        investee_props = {k: v for k, v in values.items()
                          if k not in ("id", "name", "type", "aliases", "credit_code")}
        investor_type = entity_type or organisation_type(investor) or "enterprise"
        investee_type = (investee_column.target_type if investee_column else "") \
            or organisation_type(investee)
        source = sheet.mention(investor, investor_type, row.number, headers["source"])
        target = sheet.mention(investee, investee_type, row.number, headers["target"],
                               investee_props)
        sheet.builder(headers["target"], headers).add(
            row.number, {"source": source, "target": target, "relation": "invests_in"} | props)
    return sheet.finish()
