"""The column vocabulary of tabular input, in English and Chinese.

Headers and type values are matched case-insensitively after normalisation,
so ``名称``, ``Name`` and ``name`` all mean the entity's name, and ``企业``,
``Enterprise`` and ``enterprise`` all mean the enterprise type.
"""

from __future__ import annotations

from functools import cache

from schema import EntityType, RelationType, normalise_name
from schema.types import ENTITY_LABELS, RELATION_LABELS

ENTITY_CORE = ("id", "name", "type", "aliases")
RELATION_CORE = ("source", "target", "relation")
PROVENANCE = ("source_doc", "source_section", "source_span", "evidence", "note")
RELATION_PROPS = ("kind", "status", "year", "years", "role")

_HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "实体编号", "entity_id"),
    "name": ("名称", "名字", "实体名称", "entity_name"),
    "type": ("类型", "实体类型", "entity_type"),
    "aliases": ("别名", "简称", "alias"),
    "credit_code": ("统一社会信用代码", "信用代码", "uscc"),
    "subtype": ("细分类型", "子类型"),
    "description": ("简介", "描述"),
    "level": ("级别",),
    "founded_year": ("成立年份",),
    "leader": ("带头人", "负责人"),
    "source": ("源", "起点", "主体", "from", "source_id"),
    "target": ("目标", "终点", "客体", "to", "target_id"),
    "relation": ("关系", "关系类型", "type_of_relation", "rel", "relation_type"),
    "kind": ("合作方式", "方式"),
    "status": ("状态", "进展"),
    "year": ("年份",),
    "years": ("各年份", "合作年份", "历年"),
    "role": ("角色",),
    "source_doc": ("来源文档",),
    "source_section": ("来源章节",),
    "source_span": ("来源位置",),
    "evidence": ("依据",),
    "note": ("备注",),
}
#: the loader's own spellings of its columns (more in ``ingest/shapes/data/headers.csv``,
#: see :func:`ingest.shapes.loader_headers.canonical_header`)
LOADER_HEADERS = {syn.casefold(): canon for canon, syns in _HEADER_SYNONYMS.items()
            for syn in (canon, *syns)}

_ENTITY_TYPE_WORDS = {t.value: t for t in EntityType} | {
    label: t for t, label in ENTITY_LABELS.items()} | {
    "研究院": EntityType.institute, "高校": EntityType.institute, "实验室": EntityType.institute,
    "科研院所": EntityType.institute, "人才团队": EntityType.talent_team,
    "团队": EntityType.talent_team, "人才": EntityType.person, "孵化器": EntityType.incubator,
    "基金": EntityType.fund, "平台": EntityType.platform, "产业链环节": EntityType.chain_segment,
    "环节": EntityType.chain_segment, "地区": EntityType.region, "政府": EntityType.government,
    "entities": None, "entity": None,
}
_RELATION_WORDS = {r.value: r for r in RelationType} | {
    label: r for r, label in RELATION_LABELS.items()} | {"relations": None, "relation": None}


@cache
def entity_type_from(word: str) -> EntityType | None:
    """An entity type from its value, Chinese label or a common synonym; ``None`` if unknown."""
    key = normalise_name(word).casefold()
    return _ENTITY_TYPE_WORDS.get(key)


@cache
def relation_type_from(word: str) -> RelationType | None:
    """A relation type from its value or Chinese label; ``None`` if unknown."""
    key = normalise_name(word).casefold()
    return _RELATION_WORDS.get(key)


def allowed_entity_types() -> str:
    return ", ".join(t.value for t in EntityType)


def allowed_relation_types() -> str:
    return ", ".join(r.value for r in RelationType)
