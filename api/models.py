"""Request and response models of the HTTP API, all in one place (routes only import).

Sections: health and errors; search; entities, relations and paths; analytics, chains and
recommendations; writes (bodies in, load reports out); the review queue.

Fields that take a value from a closed vocabulary are enums (``EntityType``,
``RelationType``, ``PartnershipKind``, ``PartnershipStatus``, the queue's
``CandidateKind`` and ``CandidateStatus``), so OpenAPI lists the allowed values and a wrong
one is a 422 naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from graph.analytics import EntityRef, GroupDensity, RankedEntity, Recommendation
from graph.analytics.external import ExternalCandidate
from ingest.columns import entity_type_from, relation_type_from
from ingest.documents.queue import CandidateKind, CandidateStatus
from ingest.documents.review import QUOTE_MAX
from ingest.shapes.cells import clean_cell, is_empty
from schema import EntityType, RelationType
from schema.types import PartnershipKind, PartnershipStatus


# -- health and errors ---------------------------------------------------------------------
class HealthOut(BaseModel):
    status: str = Field(examples=["ok"])
    store_type: str = Field(examples=["embedded"])
    store_reachable: bool
    entities: int
    relations: int
    entities_by_type: dict[str, int]
    relations_by_type: dict[str, int]
    writing: bool = Field(False, description=(
        "a write (a load) is under way, in this server or another process: the counts are "
        "those every read sees now, the graph before it, until it commits"))
    detail: str | None = Field(None, description=(
        "why the store is unreachable, or (中文) that a load is being written"))


# -- search --------------------------------------------------------------------------------
class SearchItem(BaseModel):
    id: str = Field(examples=["institute:浙江大学温州研究院"])
    name: str = Field(examples=["浙江大学温州研究院"])
    type: str = Field(examples=["institute"])
    type_label: str = Field(examples=["科研机构"])
    score: float = Field(examples=[0.95])
    matched_on: str = Field(examples=["alias"], description="name | alias | pinyin | initials | fuzzy")
    matched_text: str = Field(examples=["浙大温州研究院"])


class SearchOut(BaseModel):
    query: str = Field(examples=["浙大温州研究院"])
    items: list[SearchItem]


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    parameter: str | None = None


# -- entities, relations, paths ------------------------------------------------------------
class EntityBrief(BaseModel):
    id: str = Field(examples=["institute:浙江大学温州研究院"])
    name: str = Field(examples=["浙江大学温州研究院"])
    type: str = Field(examples=["institute"])
    type_label: str = Field(examples=["科研机构"])
    layer: Literal["local", "reference"] = Field(
        "local", description="local：本地（区内）来源所述；reference：只见于全国参考名录（区外机构）")


class EntityOut(EntityBrief):
    name_raw: str = Field("", description="名称原文 (as written in the source)")
    aliases: list[str] = Field(default_factory=list, examples=[["浙大温州研究院"]])
    props: dict[str, Any] = Field(default_factory=dict, examples=[{"level": "省级"}])
    provenance: dict[str, str] = Field(default_factory=dict,
                                       examples=[{"doc": "wz-2021", "section": "二/(一)"}])
    ingest: dict[str, Any] = Field(default_factory=dict, description="which load wrote it")
    scores: dict[str, float] = Field(default_factory=dict, description="analytics write-back")


class EntityDetailOut(EntityOut):
    """One entity with what each source stated and where sources disagree."""

    sources: list[dict[str, Any]] = Field(default_factory=list, description=(
        "来源: what each source (file#sheet, document, api) stated, with its row and run"))
    conflicts: list[dict[str, Any]] = Field(default_factory=list, description=(
        "冲突: fields whose sources disagree: the value shown and every value stated"))


class EntityPage(BaseModel):
    items: list[EntityOut]
    next_cursor: str | None = Field(None, description="pass as `cursor` for the next page")


class RelationOut(BaseModel):
    id: str = Field(examples=["rel:0f3c…"])
    type: str = Field(examples=["partnership"])
    type_label: str = Field(examples=["合作"])
    source: str
    target: str
    props: dict[str, Any] = Field(default_factory=dict, examples=[{"kind": "共建", "year": 2021}])
    provenance: dict[str, str] = Field(default_factory=dict)


class GraphOut(BaseModel):
    nodes: list[EntityBrief]
    edges: list[RelationOut]


class NeighborhoodOut(GraphOut):
    center: str
    depth: int
    truncated: bool = Field(description="more entities were in reach than returned")


class Hop(BaseModel):
    source: EntityBrief
    target: EntityBrief
    relation: RelationOut
    forward: bool = Field(description="the relation points from this hop's source to target")
    text: str = Field(examples=["华联机械 —合作(共建, 2021)→ 浙江大学温州研究院"])


class PathOut(BaseModel):
    hops: list[Hop]


class PathsOut(BaseModel):
    source: EntityBrief
    target: EntityBrief
    kind: Literal["ties", "shared_context", "none"] = Field(
        description="ties：经由合作、隶属、投资等实际关系相连；shared_context：只是同在一地、一个产业或环节；"
                    "none：没有找到")
    note: str = Field(description="这组路径意味着什么，或为什么没有路径（中文）")
    paths: list[PathOut]


# -- analytics, chains, recommendations ----------------------------------------------------
class DensityOut(BaseModel):
    by: str = Field(examples=["industry"])
    groups: list[GroupDensity]


class CentralityOut(BaseModel):
    measure: str = Field(examples=["pagerank"])
    betweenness_method: str = Field(description="exact, or sampled for large graphs")
    betweenness_sources: int = Field(description="source nodes used for betweenness")
    seed: int
    nodes: int
    items: list[RankedEntity]


class CommunityOut(BaseModel):
    id: int
    size: int
    label: str = Field(examples=["眼镜·瓯海区"])
    industry: str | None
    industry_share: float
    region: str | None
    region_share: float
    members: list[EntityRef] = Field(description="largest degree first, at most max_members")


class CommunitiesOut(BaseModel):
    modularity: float
    resolution: float
    seed: int
    count: int
    communities: list[CommunityOut]


class IndustryOut(BaseModel):
    industry: EntityRef
    segments: int = Field(description="chain segments defined for it")
    members: int = Field(description="actors working in it (directly or via a segment)")


class RecommendationsOut(BaseModel):
    entity: EntityRef
    scope: Literal["local", "external", "all"] = "local"
    items: list[Recommendation] = Field(description="本地候选（图谱中的合作网络）")
    why_empty: str = Field("", description="没有本地候选时：图谱缺少什么（合作、产业或环节）")
    external: list[ExternalCandidate] = Field(
        default_factory=list, description="区外候选（全国参考名录），各附可读的理由与未知之处")
    external_asked: list[str] = Field(default_factory=list,
                                      description="为哪些产业、环节找区外候选")
    note: str = Field("", description="没有区外候选时的说明")


# -- writes --------------------------------------------------------------------------------
def _as_loaded(word: Callable[[str], Enum | None]) -> BeforeValidator:
    """Read a body field as the loader reads the same cell of a file, so a body accepts
    what an upload does: blank or a marker (``-``, ``无``, ``null``) is no value; a word
    ``word`` knows (a value, its Chinese label, a synonym) is its enum member; anything
    else is left for the enum to refuse, naming its allowed values."""

    def read(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if is_empty(value):
            return None
        found = word(clean_cell(value))
        return value if found is None else found

    return BeforeValidator(read)


def _member_of(enum: type[Enum]) -> Callable[[str], Enum | None]:
    def member(text: str) -> Enum | None:
        try:
            return enum(text)
        except ValueError:
            return None

    return member


# optional: the validator runs before the union, so a blank cell can become None
LoadedEntityType = Annotated[EntityType | None, _as_loaded(entity_type_from)]
LoadedRelationType = Annotated[RelationType | None, _as_loaded(relation_type_from)]
LoadedKind = Annotated[PartnershipKind | None, _as_loaded(_member_of(PartnershipKind))]
LoadedStatus = Annotated[PartnershipStatus | None, _as_loaded(_member_of(PartnershipStatus))]


class EntityIn(BaseModel):
    """One entity row, as in an entities file; other fields are properties (level,
    founded_year, credit_code …) or provenance (source_doc, source_section, source_span)."""

    model_config = ConfigDict(extra="allow")
    name: str = Field(min_length=1, max_length=300, examples=["温州眼镜产业创新服务综合体"])
    type: LoadedEntityType = Field(
        None, examples=["platform"],
        description="实体类型 (its Chinese label, e.g. 创新平台, is accepted too); without it "
                    "the row is rejected")
    id: str | None = Field(None, max_length=300)
    aliases: str | list[str] | None = Field(None, examples=["眼镜综合体"])


class RelationIn(BaseModel):
    """One relation row; source and target by id, name or alias; other fields (year,
    role …) are properties or provenance."""

    model_config = ConfigDict(extra="allow")
    source: str = Field(min_length=1, max_length=300, examples=["华联机械"])
    target: str = Field(min_length=1, max_length=300, examples=["浙江大学温州研究院"])
    relation: LoadedRelationType = Field(
        None, examples=["partnership"],
        description="关系类型 (its Chinese label, e.g. 合作, is accepted too)")
    kind: LoadedKind = Field(None, examples=["技术合作"], description="合作方式 (partnership only)")
    status: LoadedStatus = Field(None, examples=["签约"], description="进展 (partnership only)")


class RejectOut(BaseModel):
    file: str
    row: int
    column: str
    value: str
    reason: str


class LoadOut(BaseModel):
    run_id: str
    files: list[str]
    rows_read: int
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]
    rejected: int
    rejects: list[RejectOut]
    extra_columns: dict[str, list[str]] = Field(default_factory=dict)
    seconds: float
    dry_run: bool = Field(False, description="试运行: nothing was written")
    sources: list[dict[str, Any]] = Field(default_factory=list, description=(
        "how each sheet was read: shape, header row, each column's mapping, the type and "
        "why, rows that are not data (title, group, note, blank)"))
    merge: dict[str, Any] = Field(default_factory=dict, description=(
        "records merged with other sources', claims withdrawn by a corrected file, records "
        "deleted because no source states them any more"))
    resolved: dict[str, str] = Field(default_factory=dict, description=(
        "incoming ids resolved to entities already in the graph, and why"))
    review_candidates: list[dict[str, Any]] = Field(default_factory=list, description=(
        "likely matches loaded apart and proposed for review (GET /review?kind=match)"))


class DeletedOut(BaseModel):
    deleted: int


class IngestOut(BaseModel):
    tables: LoadOut | None = Field(None, description="what the table files did")
    documents: dict[str, Any] | None = Field(
        None, description="documents read into the review queue (candidates, not yet graph)")


# -- the review queue ----------------------------------------------------------------------
def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class CandidateOut(BaseModel):
    id: str = Field(examples=["c:6c4a5e4d29d3fd6a"])
    doc_id: str
    kind: CandidateKind = Field(examples=["relation"])
    status: CandidateStatus = Field(examples=["pending"])
    confidence: float
    section: str = Field(examples=["二/(二)"])
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    evidence: str
    data: dict[str, Any]
    note: str | None = None
    graph_id: str | None = None
    created_at: str
    updated_at: str


class CandidateList(BaseModel):
    counts: dict[str, int]
    items: list[CandidateOut]


class Decision(BaseModel):
    id: str
    status: CandidateStatus
    graph_id: str | None = None
    created: bool | None = None
    entities_created: list[str] = Field(default_factory=list)
    merged_from: str | None = Field(None, description="match: the entity merged into graph_id "
                                    "(now deleted)")
    relations_moved: int | None = Field(None, description="match: relations moved to graph_id")
    relations_combined: int | None = Field(None, description="match: moved relations that "
                                           "joined one graph_id already had")
    relations_dropped: list[str] = Field(default_factory=list, description="match: relations "
                                         "between the two, dropped (they would join one entity "
                                         "to itself)")


class EditIn(BaseModel):
    """Fields to change; entity: canonical, type; relation: relation, kind, status, year."""

    model_config = ConfigDict(extra="forbid")
    canonical: str | None = Field(None, min_length=1, max_length=200)
    type: EntityType | None = None
    relation: RelationType | None = None
    kind: Annotated[PartnershipKind, BeforeValidator(_stripped)] | None = Field(
        None, description="合作方式 (partnership)")
    status: Annotated[PartnershipStatus, BeforeValidator(_stripped)] | None = Field(
        None, description="进展 (partnership)")
    year: int | None = Field(None, ge=1800, le=2100)


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(None, max_length=500)


class AddRelationIn(BaseModel):
    """A relation the extractor missed, as a reviewer read it in a document."""

    model_config = ConfigDict(extra="forbid")
    doc: str = Field(min_length=1, max_length=200, description="文档 id (GET /review/documents)",
                     examples=["ningbo-2023"])
    source: str = Field(min_length=1, max_length=300, examples=["甬江实验室"], description=(
        "起点：图谱实体的 id、名称或别名，或该文档某个候选实体的名称"))
    target: str = Field(min_length=1, max_length=300, examples=["宁波大学"],
                        description="终点（同上）")
    relation: RelationType = Field(examples=["partnership"])
    kind: Annotated[PartnershipKind, BeforeValidator(_stripped)] | None = Field(
        None, description="合作方式 (partnership)")
    status: Annotated[PartnershipStatus, BeforeValidator(_stripped)] | None = Field(
        None, description="进展 (partnership)")
    year: int | None = Field(None, ge=1800, le=2100)
    quote: str | None = Field(None, max_length=QUOTE_MAX, description=(
        "原文：文档中说出这条关系的句子，随关系的出处保存"))
    section: str | None = Field(None, max_length=200, description="章节", examples=["一/(一)"])


class ReviewDocument(BaseModel):
    doc: str = Field(description="文档 id（或表格匹配候选的来源文件）")
    counts: dict[str, int] = Field(description="各审核状态的候选项数")


class ReviewDocuments(BaseModel):
    items: list[ReviewDocument]


# -- the viewer's words ----------------------------------------------------------------------
class LabelsOut(BaseModel):
    properties: dict[str, str] = Field(description="属性键 → 中文（来自表头词表）",
                                       examples=[{"credit_code": "统一社会信用代码"}])
    provenance: dict[str, str] = Field(examples=[{"source_doc": "来源文件"}])
    evidence: dict[str, str] = Field(examples=[{"report": "报告原文"}])
    types: dict[str, str] = Field(examples=[{"institute": "科研机构"}])
    relations: dict[str, str] = Field(examples=[{"partnership": "合作"}])
