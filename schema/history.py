"""A tie's history: every year a relation was observed, and how many times.

A partnership is one relation per pair, but a pair may work together many times — two
organisations sharing three projects, started 2015, 2017 and 2017, are tied more strongly
and more recently than a pair that shared one in 2015. The history is kept as the relation
property ``years``, in one canonical text form (a patent pair's ``years`` uses the same):

    ``"2015:1;2017:2"`` — year ``:`` observations, ascending, ``;``-separated.

Input may repeat a year instead of counting it (``"2015;2017;2017"``) and separate with
``;``, ``,``, ``、`` or spaces. Merging (:func:`merge_histories`): the rows of one source
add up (each row is one observation), two sources stating the same year count it once
(per year the larger count: a second source adds years, never duplicates them).

>>> years_text(parse_years("2017; 2015，2017"))
'2015:1;2017:2'
>>> merge_histories([("a.csv", {2015: 1}), ("a.csv", {2017: 1}), ("b.csv", {2015: 1})])
{2015: 1, 2017: 1}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["HISTORY_RELATIONS", "MAX_YEARS", "history_of", "merge_histories", "parse_years",
           "years_text"]

#: relation types that keep a history when several rows or sources state one pair
#: (values of ``schema.RelationType``; a patent pair derives its own from its patents)
HISTORY_RELATIONS = frozenset({"partnership"})
#: bounds of one history: distinct years, and observations a year
MAX_YEARS = 300
MAX_COUNT = 1_000_000
_FIRST, _LAST = 1800, 2100
_SEPARATORS = re.compile(r"[;,，、\s]+")


def parse_years(text: str) -> dict[int, int]:
    """Year → observations from ``"2015;2017:2"`` (raises ``ValueError`` saying why)."""
    found: dict[int, int] = {}
    for part in _SEPARATORS.split(str(text).strip()):
        if not part:
            continue
        year_text, _, count_text = part.partition(":")
        if not year_text.isdigit() or (count_text and not count_text.isdigit()):
            raise ValueError(f"{part!r} is not a year (e.g. 2019) or year:count (2019:2)")
        year, count = int(year_text), int(count_text or 1)
        if not _FIRST <= year <= _LAST:
            raise ValueError(f"year {year} is outside {_FIRST}–{_LAST}")
        if not 1 <= count <= MAX_COUNT:
            raise ValueError(f"count {count} of {year} is outside 1–{MAX_COUNT}")
        found[year] = min(found.get(year, 0) + count, MAX_COUNT)
    if len(found) > MAX_YEARS:
        raise ValueError(f"{len(found)} distinct years; at most {MAX_YEARS}")
    return found


def years_text(history: Mapping[int, int]) -> str:
    """The canonical text of a history (``""`` for none)."""
    return ";".join(f"{year}:{count}" for year, count in sorted(history.items()))


def history_of(props: Mapping[str, object]) -> dict[int, int]:
    """The history one statement gives: its ``years``, else its ``year`` once, else none.

    >>> history_of({"year": 2019}), history_of({"years": "2015:2", "year": 2015})
    ({2019: 1}, {2015: 2})
    """
    if props.get("years"):
        try:
            return parse_years(str(props["years"]))
        except ValueError:
            return {}  # stored before validation existed: states no history
    year = props.get("year")
    return {year: 1} if isinstance(year, int) and not isinstance(year, bool) else {}


def merge_histories(statements: Iterable[tuple[str, Mapping[int, int]]]) -> dict[int, int]:
    """One history from (source, history) statements: summed within a source, the larger
    count across sources."""
    by_source: dict[str, dict[int, int]] = {}
    for source, history in statements:
        mine = by_source.setdefault(source, {})
        for year, count in history.items():
            mine[year] = min(mine.get(year, 0) + count, MAX_COUNT)
    merged: dict[int, int] = {}
    for history in by_source.values():
        for year, count in history.items():
            merged[year] = max(merged.get(year, 0), count)
    return merged
