"""Cell rules, generated from the example tables in ``ingest.shapes.cells``."""

from __future__ import annotations

import pytest

from ingest.shapes.cells import (
    CLEAN_EXAMPLES,
    EMPTY_MARKERS,
    NOT_YEARS,
    PERCENT_EXAMPLES,
    PROBLEM_EXAMPLES,
    SERIAL_EXAMPLES,
    YEAR_RULES,
    cell_problem,
    clean_cell,
    is_empty,
    percent_of,
    year_of,
)
from ingest.shapes.limits import ReadLimits


@pytest.mark.parametrize(("written", "cleaned"), CLEAN_EXAMPLES)
def test_clean_cell(written: str, cleaned: str) -> None:
    assert clean_cell(written) == cleaned


def test_clean_cell_keeps_inner_text() -> None:
    assert clean_cell("温州 甲 公司") == "温州 甲 公司"
    assert clean_cell('="') == '="'          # too short to be the wrapping
    assert clean_cell("'") == "'"


@pytest.mark.parametrize("marker", EMPTY_MARKERS)
def test_empty_markers(marker: str) -> None:
    assert is_empty(marker)
    assert is_empty(f" {marker}\u3000")


@pytest.mark.parametrize("text", ["０", "0", "无锡", "空港新区", "NAN公司", "/a"])
def test_not_empty(text: str) -> None:
    assert not is_empty(text)


def test_full_width_markers() -> None:
    assert is_empty("－") and is_empty("／") and is_empty("（空）") and is_empty("Ｎ／Ａ")


@pytest.mark.parametrize(("text", "reason"), PROBLEM_EXAMPLES)
def test_cell_problem(text: str, reason: str | None) -> None:
    problem = cell_problem(text)
    if reason is None:
        assert problem is None
    else:
        assert problem is not None and reason in problem


def test_cell_problem_length_names_the_setting() -> None:
    limits = ReadLimits(max_field_chars=5)
    assert cell_problem("12345", limits) is None
    problem = cell_problem("123456", limits)
    assert problem is not None and "INNOGRAPH_MAX_FIELD_CHARS" in problem and "6" in problem


def test_leading_bom_is_cleaned_not_rejected() -> None:
    assert cell_problem(clean_cell("\ufeff序号")) is None


YEAR_EXAMPLES = [(text, year) for _name, _pattern, examples in YEAR_RULES
                 for text, year in examples]


@pytest.mark.parametrize(("text", "year"), YEAR_EXAMPLES)
def test_year_rules(text: str, year: int | None) -> None:
    assert year_of(text) == year
    assert year_of(text, serial_ok=True) == year   # serials never change a written date


@pytest.mark.parametrize("text", NOT_YEARS)
def test_not_years(text: str) -> None:
    assert year_of(text) is None
    assert year_of(text, serial_ok=True) is None


@pytest.mark.parametrize(("text", "year"), SERIAL_EXAMPLES)
def test_excel_serials(text: str, year: int | None) -> None:
    assert year_of(text, serial_ok=True) == year
    assert year_of(text) is None


def test_serial_is_2023_08_15() -> None:
    # 45153 is the day Excel shows as 2023-08-15
    assert year_of("45153", serial_ok=True) == 2023
    assert year_of("45292", serial_ok=True) == 2024   # 2024-01-01
    assert year_of("45291", serial_ok=True) == 2023   # 2023-12-31


def test_year_of_cleans_first() -> None:
    assert year_of(' ="2023-08-15" ') == 2023
    assert year_of("\u30002023年8月15日\u3000") == 2023


@pytest.mark.parametrize(("text", "value"), PERCENT_EXAMPLES)
def test_percent(text: str, value: float | None) -> None:
    assert percent_of(text) == value
