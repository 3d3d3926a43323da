"""Cell texts as government lists and registry exports write them.

Every rule here is a small data table with examples; the examples are doctests and the
tests in ``tests/ingest/shapes/test_cells.py`` are generated from the same tables, so a new
rule comes with its evidence. Nothing here guesses: a text that matches no rule gives
``None`` (for values) or stays as written (for cleaning).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.shapes.limits import ReadLimits

# Characters str.strip() does not remove but exports leave around a value: zero-width
# space/joiners, word joiner, and the byte-order mark of a concatenated file.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# (written, cleaned): the cleaning rules, each shown once.
CLEAN_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("  瓯海区 ", "瓯海区"),                                  # ASCII spaces
    ("\u3000温州市\u3000", "温州市"),                          # full-width space U+3000
    ("\xa0鹿城区\xa0", "鹿城区"),                              # NBSP from web pages
    ("\ufeff序号", "序号"),                                    # BOM on the first cell
    ('="91330304MA2AXXXX"', "91330304MA2AXXXX"),               # registry export wrapping
    ('="含""引号"""', '含"引号"'),                             # doubled quotes inside it
    ("'0123", "0123"),                                         # apostrophe text marker
    ("'91330304MA2AXXXX", "91330304MA2AXXXX"),
    ("'s Gravenhage", "'s Gravenhage"),                        # prose keeps its apostrophe
    ("\t330304\u200b", "330304"),                              # tab prefix, zero-width space
)

# Texts that mean "no value" in Chinese lists (compared after NFKC and casefold, so the
# full-width forms －, ／, （空） are covered too).
EMPTY_MARKERS: tuple[str, ...] = (
    "-", "--", "---", "—", "——", "–", "/", "//", "\\", "…", "...",
    "无", "暂无", "空", "（空）", "(空)", "不详", "未知",
    "N/A", "n/a", "NA", "null", "NULL", "None", "nan", "#N/A",
)
_EMPTY_KEYS = frozenset(unicodedata.normalize("NFKC", m).casefold() for m in EMPTY_MARKERS)

_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-/]*")


def clean_cell(text: str) -> str:
    """The value of a cell as a person means it: without surrounding whitespace (incl.
    U+3000 and NBSP), a leading BOM, the ``="…"`` wrapping registry exports use to keep
    codes as text, or a leading apostrophe text marker in front of a code.

    >>> all(clean_cell(written) == cleaned for written, cleaned in CLEAN_EXAMPLES)
    True
    >>> clean_cell('="91330304MA2AXXXX"')
    '91330304MA2AXXXX'
    """
    text = text.strip().strip(_INVISIBLE).strip()
    if len(text) >= 3 and text.startswith('="') and text.endswith('"'):
        text = text[2:-1].replace('""', '"').strip()
    elif text.startswith("'") and _CODE.fullmatch(text[1:]):
        text = text[1:]
    return text


def is_empty(text: str) -> bool:
    """Whether a (cleaned or raw) cell says nothing: blank, or a marker like ``-``, ``无``.

    >>> [is_empty(t) for t in ("", " ", "-", "－", "无", "（空）", "N/A", "null", "0", "瓯海区")]
    [True, True, True, True, True, True, True, True, False, False]
    """
    text = clean_cell(text)
    return not text or unicodedata.normalize("NFKC", text).casefold() in _EMPTY_KEYS


# (written, reason contains) — what cell_problem rejects. None: accepted.
PROBLEM_EXAMPLES: tuple[tuple[str, str | None], ...] = (
    ("温州\x00科技", "NUL"),
    ("温州\x07科技", "control character U+0007"),
    ("温州\ufeff科技", "U+FEFF"),
    ("第一行\n第二行\t制表符", None),
    ("温州科技有限公司", None),
)


def cell_problem(text: str, limits: ReadLimits | None = None) -> str | None:
    """Why a cell must be rejected, or ``None``: a NUL or another C0 control character
    (tab, newline and carriage return are text), a U+FEFF inside the text (two files
    concatenated), more characters than ``limits.max_field_chars``.

    >>> [cell_problem(t) is None for t, _ in PROBLEM_EXAMPLES]
    [False, False, False, True, True]
    >>> from ingest.shapes.limits import ReadLimits
    >>> cell_problem("x" * 11, ReadLimits(max_field_chars=10))
    'the cell has 11 characters, more than the limit of 10 (raise INNOGRAPH_MAX_FIELD_CHARS)'
    """
    if limits is None:
        from ingest.shapes.limits import DEFAULT_LIMITS

        limits = DEFAULT_LIMITS
    if len(text) > limits.max_field_chars:
        return field_too_long(len(text), limits.max_field_chars)
    for ch in text:
        if ch < " " and ch not in "\t\n\r":
            if ch == "\x00":
                return "the cell contains a NUL character (binary content)"
            return f"the cell contains the control character U+{ord(ch):04X}"
        if ch == "\ufeff":
            return ("the cell contains a byte-order mark (U+FEFF) inside its text "
                    "(were two files joined?)")
    return None


def field_too_long(length: int, limit: int) -> str:
    """The message for a cell over ``max_field_chars`` (shared with the grid readers)."""
    return (f"the cell has {length} characters, more than the limit of {limit} "
            "(raise INNOGRAPH_MAX_FIELD_CHARS)")


# --- years -------------------------------------------------------------------------------

WRITTEN_YEARS = (1800, 2100)   # a written year outside this is not a year of this domain
SERIAL_YEARS = (1900, 2100)    # an Excel serial is only believed inside this
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"

# (name, pattern with groups y, m, d; examples (text, year)). Matched after NFKC and with
# inner spaces removed, against the whole text.
YEAR_RULES: tuple[tuple[str, re.Pattern[str], tuple[tuple[str, int | None], ...]], ...] = (
    ("ISO date or datetime",
     re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME),
     (("2023-08-15", 2023), ("2023-8-5", 2023), ("2023-08-15T10:30:00", 2023),
      ("2023-08-15 10:30", 2023), ("2023-08-15T10:30:00+08:00", 2023),
      ("2023-13-01", None), ("2023-02-30", None))),
    ("slashed date", re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})(?:/(?P<d>\d{1,2}))?" + _TIME),
     (("2023/8/15", 2023), ("2023/08", 2023), ("2023/8/15 9:00", 2023))),
    ("dotted date", re.compile(r"(?P<y>\d{4})\.(?P<m>\d{1,2})(?:\.(?P<d>\d{1,2}))?"),
     (("2023.8", 2023), ("2023.08.15", 2023), ("2023.0", None))),
    ("Chinese date",
     re.compile(r"(?P<y>\d{4})年(?:度|(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号])?)?"),
     (("2023年8月15日", 2023), ("2023年8月", 2023), ("2023年", 2023), ("2023年度", 2023),
      ("2023年 8月 15日", 2023), ("２０２３年８月", 2023))),
    ("compact date", re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
     (("20230815", 2023), ("20231315", None))),
    ("year", re.compile(r"(?P<y>\d{4})"),
     (("2023", 2023), ("1897", 1897), ("0123", None), ("9999", None))),
)

# Texts year_of refuses whatever the flags.
NOT_YEARS: tuple[str, ...] = ("", "-", "去年", "2023-2024", "23年", "8月15日", "abc", "45153.5x")

SERIAL_EXAMPLES: tuple[tuple[str, int | None], ...] = (
    ("45153", 2023), ("45153.5", 2023), ("36526", 2000), ("10000", 1927),
    ("99999", None), ("123", None),
)


def year_of(text: str, *, serial_ok: bool = False) -> int | None:
    """The year a date cell names, or ``None`` when it names none (no guessing).

    ``serial_ok`` also reads five-digit Excel serial day numbers (``45153`` is 2023-08-15),
    which only a date column may hold; only years 1900–2100 are believed.

    >>> [year_of(t) for t in ("2023-08-15", "2023/8/15", "2023年8月15日", "2023.8", "20230815")]
    [2023, 2023, 2023, 2023, 2023]
    >>> year_of("45153"), year_of("45153", serial_ok=True)
    (None, 2023)
    >>> year_of("去年") is None
    True
    """
    text = unicodedata.normalize("NFKC", clean_cell(text))
    if "年" in text:
        text = re.sub(r"\s+", "", text)  # "2023年 8月": spaces only split Chinese dates
    for _name, pattern, _examples in YEAR_RULES:
        match = pattern.fullmatch(text)
        if match:
            return _checked_year(match.groupdict())
    if serial_ok and re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        year = (_EXCEL_EPOCH + dt.timedelta(days=int(float(text)))).year
        return year if SERIAL_YEARS[0] <= year <= SERIAL_YEARS[1] else None
    return None


def _checked_year(parts: dict[str, str | None]) -> int | None:
    year = int(parts["y"] or 0)
    if not WRITTEN_YEARS[0] <= year <= WRITTEN_YEARS[1]:
        return None
    month, day = parts.get("m"), parts.get("d")
    if month is not None and not 1 <= int(month) <= 12:
        return None
    if month is not None and day is not None:
        try:
            dt.date(year, int(month), int(day))
        except ValueError:
            return None
    return year


# --- percentages --------------------------------------------------------------------------

# (written, value): percentages are taken as written, "0.51" stays 0.51 (no guessing that
# it meant 51 %).
PERCENT_EXAMPLES: tuple[tuple[str, float | None], ...] = (
    ("51%", 51.0), ("51.00%", 51.0), ("51", 51.0), ("0.5%", 0.5), ("0.51", 0.51),
    ("５１％", 51.0), ("51 %", 51.0), ("100.0000%", 100.0), ("-", None), ("", None),
    ("约51%", None), ("51%以上", None), ("abc", None), ("1e5", None),
)

_PERCENT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)%?")


def percent_of(text: str) -> float | None:
    """The number of a percentage cell as written (``51%`` and ``51`` are both 51.0).

    >>> all(percent_of(t) == v for t, v in PERCENT_EXAMPLES)
    True
    """
    if is_empty(text):
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean_cell(text)))
    if not _PERCENT.fullmatch(text):
        return None
    return float(text.rstrip("%"))


# --- amounts ------------------------------------------------------------------------------

# (cell, header, value): a bare number takes the unit its header names, so 1200 under
# 投资额（万元） is kept as 1200万元, not as a number whose unit was lost; thousands
# separators go. A cell that writes its own unit (5亿元) stays as written.
AMOUNT_EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("1200", "投资额（万元）", "1200万元"), ("1,500", "投资额(万元)", "1500万元"),
    ("4488", "认缴出资额(万元)", "4488万元"), ("5亿元", "总投资（万元）", "5亿元"),
    ("1,500", "投资额", "1500"), ("800万元", "合同金额", "800万元"), ("12.5", "金额(亿元)", "12.5亿元"),
    ("-", "投资额（万元）", ""),
)

_UNIT = re.compile(r"\((万元|亿元|元|万美元|美元)\)$")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def amount_text(cell: str, header: str) -> str:
    """An amount as written, with the unit of its header when the cell is a bare number.

    >>> all(amount_text(c, h) == v for c, h, v in AMOUNT_EXAMPLES)
    True
    """
    if is_empty(cell):
        return ""
    text = unicodedata.normalize("NFKC", clean_cell(cell)).strip()
    if not _GROUPED.fullmatch(text):
        return clean_cell(cell)
    unit = _UNIT.search(re.sub(r"\s+", "", unicodedata.normalize("NFKC", header)))
    return text.replace(",", "") + (unit.group(1) if unit else "")
