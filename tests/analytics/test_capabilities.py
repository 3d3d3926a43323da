"""The discipline → industry table: every row names a discipline of the official catalogue
and an industry (and segment) of the sample; a bad row names its file and line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.analytics.capabilities import (
    TABLE,
    DisciplineLink,
    capabilities,
    discipline_links,
    split_disciplines,
)
from schema import InvalidInput

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "data" / "reference" / "catalogues" / "学科目录_2022.csv"
SAMPLE = {row["name"]: row["type"] for row in
          csv.DictReader((ROOT / "data" / "wenzhou" / "entities.csv").open(encoding="utf-8"))}
DISCIPLINES = {row["一级学科"] for row in csv.DictReader(CATALOGUE.open(encoding="utf-8"))}


def test_the_catalogue_is_the_2022_list_of_first_level_disciplines() -> None:
    assert len(DISCIPLINES) == 117 and {"光学工程", "材料科学与工程"} <= DISCIPLINES


@pytest.mark.parametrize("link", discipline_links(), ids=lambda link: f"line{link.line}")
def test_each_row_names_a_real_discipline_industry_and_segment(link: DisciplineLink) -> None:
    assert link.discipline in DISCIPLINES
    assert SAMPLE.get(link.industry) == "industry"
    assert not link.segment or SAMPLE.get(link.segment) == "chain_segment"


def test_a_university_is_matched_to_the_segment_its_disciplines_serve() -> None:
    found = capabilities({"disciplines": "化学；光学工程；材料科学与工程"})
    assert ("光学工程", "眼镜·镜片与光学材料") in {(c.discipline, c.segment) for c in found}
    assert all(c.why for c in found)
    assert capabilities({}) == [] and capabilities({"disciplines": "哲学"}) == []


def test_self_defined_marks_and_separators_are_read() -> None:
    assert split_disciplines("临床医学（自定）、 药学;药学") == ["临床医学", "药学"]


def test_a_bad_row_names_its_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "links.csv"
    bad.write_text("discipline,industry,segment,why\n光学工程,眼镜,鞋革·鞋材,原因\n",
                   encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"line 2.*not a segment of '眼镜'"):
        discipline_links(bad)
    bad.write_text("discipline,industry\n光学工程,眼镜\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="the columns must be"):
        discipline_links(bad)
    assert TABLE.is_file()
