"""Mapping profiles: checked when loaded, round-tripped from a detection, and obeyed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.shapes.profile import load_profile, profile_from
from schema import InvalidInput

from .builders import all_records, one, records, workbook

ODD = [["瓯海区孵化载体一览"], ["编号", "载体", "片区", "管理方"],
       ["1", "甲空间", "娄桥", "温州甲科技有限公司"]]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_profile_overrides_detection(tmp_path: Path) -> None:
    book = workbook(tmp_path / "odd.xlsx", {"Sheet1": ODD})
    profile = load_profile(write(tmp_path, """
shape: government_list
header_row: 2
entity_type: incubator
columns:
  编号: ignored
  载体: name
  片区: {context: region}
  管理方: {relation: affiliated_with, target_type: enterprise}
"""))
    source = one(book, profile=profile)
    ex = source.explanation
    assert ex.header_row == 2 and ex.header_reason == "given by the mapping profile"
    assert ex.entity_type == "incubator"
    (row,) = records(source.entities[0])
    assert (row["name"], row["type"]) == ("甲空间", "incubator")
    assert "编号" not in source.entities[0].headers.values()
    links = {(r["relation"], r["target"]) for r in all_records(source.relations)}
    assert links == {("located_in", "region:娄桥"),
                     ("affiliated_with", "enterprise:温州甲科技有限公司")}


@pytest.mark.parametrize(("spec", "needle"), [
    ("{relation: owns}", "unknown relation 'owns'"),
    ("{relation: located_in, target_type: planet}", "unknown entity type 'planet'"),
    ("boss", "unknown role 'boss'"),
    ("{context: galaxy}", "unknown context 'galaxy'"),
    ("{property: level, relation: leads}", "exactly one role"),
])
def test_bad_column_specs_name_the_column(tmp_path: Path, spec: str, needle: str) -> None:
    path = write(tmp_path, f"columns:\n  管理方: {spec}\n")
    with pytest.raises(InvalidInput) as caught:
        load_profile(path)
    assert caught.value.what == f"{path} column 管理方"
    assert needle in caught.value.reason


def test_bad_top_level_values(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown shape"):
        load_profile(write(tmp_path, "shape: poem\n"))
    with pytest.raises(InvalidInput, match="row number"):
        load_profile(write(tmp_path, "header_row: zero\n"))
    with pytest.raises(InvalidInput, match="unknown key"):
        load_profile(write(tmp_path, "colums: {}\n"))


def test_detected_mapping_round_trips(tmp_path: Path) -> None:
    rows = [["温州市科技企业孵化器名单"], ["序号", "孵化器名称", "所在地区", "运营主体", "微信号"],
            ["1", "甲孵化器", "瓯海区", "温州大学", "abc"]]
    book = workbook(tmp_path / "t.xlsx", {"孵化器": rows})
    detected = one(book)
    text = profile_from(detected.explanation)
    assert "sheet: 孵化器" in text and "header_row: 2" in text
    profile = load_profile(write(tmp_path, text))
    assert profile.sheet == "孵化器" and profile.entity_type == "incubator"
    again = one(book, profile=profile)
    assert all_records(again.relations) == all_records(detected.relations)
    assert records(again.entities[0]) == records(detected.entities[0])
