"""Search and resolution: Chinese, Traditional, pinyin, initials, short forms, slips."""

from __future__ import annotations

import pytest

from graph.search import SearchIndex
from graph.store.base import NameRow
from schema import AmbiguousName, EntityNotFound, EntityType, InvalidInput

E = EntityType
ROWS = [
    NameRow("institute:浙江大学温州研究院", E.institute, "浙江大学温州研究院", ("浙大温州研究院",)),
    NameRow("institute:中国科学院大学温州研究院", E.institute, "中国科学院大学温州研究院",
            ("国科大温州研究院", "国科温州研究院")),
    NameRow("institute:温州医科大学", E.institute, "温州医科大学", ("温医大",)),
    NameRow("incubator:中国眼谷", E.incubator, "中国眼谷", ("眼谷",)),
    NameRow("industry:眼镜", E.industry, "眼镜", ()),
    NameRow("person:李校堃", E.person, "李校堃", ("李校菊",)),
    NameRow("region:乐清市", E.region, "乐清市", ()),
    NameRow("enterprise:华联机械", E.enterprise, "华联机械", ()),
    NameRow("enterprise:华联", E.enterprise, "华联", ("华联机械公司",)),
    NameRow("region:瓯海区", E.region, "瓯海区", ("X区",)),
    NameRow("government:瓯海区科学技术局", E.government, "瓯海区科学技术局", ("X区",)),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(ROWS)


def top(index: SearchIndex, query: str, **kw: object) -> tuple[str, str]:
    hit = index.search(query, **kw)[0]  # type: ignore[arg-type]
    return hit.name, hit.matched_on


@pytest.mark.parametrize(("query", "name", "matched_on"), [
    ("浙江大学温州研究院", "浙江大学温州研究院", "name"),
    ("浙大温州研究院", "浙江大学温州研究院", "alias"),
    ("國科大溫州研究院", "中国科学院大学温州研究院", "alias"),  # Traditional input
    ("眼谷", "中国眼谷", "alias"),
    ("yangu", "中国眼谷", "pinyin"),
    ("zgyg", "中国眼谷", "initials"),
    ("YueQing", "乐清市", "pinyin"),  # phrase-aware reading of 乐清
    ("wyd", "温州医科大学", "initials"),
    ("浙大", "浙江大学温州研究院", "alias"),  # prefix of the alias
    ("浙大温研", "浙江大学温州研究院", "abbreviation"),
    ("李校菊", "李校堃", "alias"),  # the OCR slip is a known alias
    ("李校坤", "李校堃", "fuzzy"),  # an unknown slip still finds the person
])
def test_finds(index: SearchIndex, query: str, name: str, matched_on: str) -> None:
    assert top(index, query) == (name, matched_on)


def test_exact_name_ranks_before_longer_names(index: SearchIndex) -> None:
    names = [h.name for h in index.search("华联")]
    assert names[:2] == ["华联", "华联机械"]


def test_type_filter_and_limit(index: SearchIndex) -> None:
    assert [h.name for h in index.search("眼", entity_type=E.industry)] == ["眼镜"]
    assert len(index.search("温州", limit=2)) == 2
    with pytest.raises(InvalidInput, match="limit"):
        index.search("温州", limit=0)
    assert index.search("（ ）") == []  # nothing left to match: no hits, not an error
    with pytest.raises(InvalidInput, match="at most"):
        index.search("温" * 101)


def test_resolve_by_id_name_alias(index: SearchIndex) -> None:
    assert index.resolve("institute:温州医科大学").name == "温州医科大学"
    assert index.resolve("溫州醫科大學").name == "温州医科大学"
    assert index.resolve("国科温州研究院").name == "中国科学院大学温州研究院"
    assert index.resolve("X区", entity_type=E.region).name == "瓯海区"
    with pytest.raises(AmbiguousName, match="2 entities"):
        index.resolve("X区")
    with pytest.raises(EntityNotFound):
        index.resolve("不存在的机构")
