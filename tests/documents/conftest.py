"""Paragraphs written for these tests (not from the corpus): other cities, same genre."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store.base import NameRow
from ingest.documents.gazetteer import Gazetteer
from schema import EntityType

SIMPLIFIED = (
    "宁波市科技局2023年工作总结。一、主要成效(一)平台建设提速。"
    "甬江实验室与宁波材料技术研究所签订战略合作协议,双方共建新材料中试基地。"
    "宁波中车新能源科技有限公司入驻宁波高新区。"
    "(二)人才团队集聚。引进张伟教授带领的海洋智能装备研究团队。"
    "二、2024年计划。一是推进平台建设。2O24年,宁波大学和东方电气集团联合申报重点研发项目。"
)
TRADITIONAL = (
    "合肥市科技局工作報告。一、主要成效(一)創新平臺建設。"
    "中國科學技術大學與合肥高新技術產業開發區管理委員會簽訂戰略合作協議。"
    "安徽量子計算有限公司入駐合肥創新產業園。"
)


@pytest.fixture
def gazetteer() -> Gazetteer:
    """A small graph of another city: names, a short form and a slipped name."""
    E = EntityType
    return Gazetteer([
        NameRow("institute:甬江实验室", E.institute, "甬江实验室", ("甬江lab",)),
        NameRow("institute:中国科学院宁波材料技术与工程研究所", E.institute,
                "中国科学院宁波材料技术与工程研究所", ("宁波材料技术研究所", "宁波材料所")),
        NameRow("person:张伟", E.person, "张伟", ("张玮",)),
    ])


@pytest.fixture
def simplified_file(tmp_path: Path) -> Path:
    path = tmp_path / "ningbo-2023.txt"
    path.write_text(SIMPLIFIED, encoding="utf-8")
    return path
