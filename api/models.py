"""Response models of the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, Field


class HealthOut(BaseModel):
    status: str = Field(examples=["ok"])
    store_type: str = Field(examples=["embedded"])
    store_reachable: bool
    entities: int
    relations: int
    entities_by_type: dict[str, int]
    relations_by_type: dict[str, int]


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
