"""Response models of the HTTP API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class HealthOut(BaseModel):
    status: str = Field(examples=["ok"])
    store_type: str = Field(examples=["embedded"])
    store_reachable: bool
    entities: int
    relations: int
    entities_by_type: dict[str, int]
    relations_by_type: dict[str, int]
    detail: str | None = Field(None, description="why the store is unreachable")


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


class EntityBrief(BaseModel):
    id: str = Field(examples=["institute:浙江大学温州研究院"])
    name: str = Field(examples=["浙江大学温州研究院"])
    type: str = Field(examples=["institute"])
    type_label: str = Field(examples=["科研机构"])


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
    paths: list[PathOut]


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
