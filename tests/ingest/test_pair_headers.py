"""Relation tables as bureaus head them: 单位A/单位B, 合作方一/合作方二, 甲方/乙方. Shape
detection and the plain loader read a header the same way, because the loader takes every
canonical spelling of the header vocabulary (``ingest/shapes/data/headers.csv``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import GraphStore
from ingest.loader import load_paths
from ingest.shapes.loader_headers import canonical_header
from ingest.shapes.vocabulary import vocabulary
from schema import RelationType
from tests.conftest import SAMPLE

PAIR = ("温州大学", "上海大学温州研究院")


def test_every_canonical_spelling_of_the_vocabulary_is_the_loaders_too() -> None:
    canonical = {e.header: e.target for e in vocabulary().values() if e.role == "canonical"}
    assert {h: canonical_header(h) for h in canonical} == canonical
    assert canonical_header("单位A") == "source" and canonical_header("合作方二") == "target"


def _partnerships(store: GraphStore) -> set[frozenset[str]]:
    ties = [r for r in store.iter_relations() if r.type is RelationType.partnership]
    names = {e.id: e.name for e in store.iter_entities()}
    return {frozenset((names[r.source], names[r.target])) for r in ties}


@pytest.mark.parametrize("source, target", [("单位A", "单位B"), ("单位一", "单位二"),
                                            ("合作方A", "合作方B"), ("机构A", "机构B")])
def test_a_relation_table_headed_by_pair_words_loads(embedded: GraphStore, tmp_path: Path,
                                                     source: str, target: str) -> None:
    load_paths(embedded, [SAMPLE])
    assert frozenset(PAIR) not in _partnerships(embedded)
    table = tmp_path / "合作清单.csv"
    table.write_text(f"{source},{target},关系类型\n{PAIR[0]},{PAIR[1]},partnership\n",
                     encoding="utf-8")
    report = load_paths(embedded, [table])
    assert report.created["relations"] == 1 and report.rejected == 0
    assert frozenset(PAIR) in _partnerships(embedded)


def test_a_signing_list_headed_jia_fang_yi_fang_loads(embedded: GraphStore,
                                                      tmp_path: Path) -> None:
    table = tmp_path / "签约项目.csv"
    table.write_text("甲方,乙方,合作内容,签约时间\n"
                     "温州市瓯海区人民政府,中国科学院大学,共建温州研究院,2021-06-18\n",
                     encoding="utf-8")
    report = load_paths(embedded, [table])
    assert report.created == {"entities": 2, "relations": 1} and report.rejected == 0
