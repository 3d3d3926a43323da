"""Typed properties per entity and relation type (pydantic models).

Each model lists the optional properties a type may carry beyond id, name,
type and aliases. Columns that no model names are kept as text properties
(reported by the loader), never dropped.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import InvalidInput
from .history import parse_years, years_text
from .ids import validate_credit_code
from .types import (
    ChainRole,
    ChainStage,
    EntityType,
    Evidence,
    PartnershipKind,
    PartnershipStatus,
    RelationType,
)

Year = Annotated[int, Field(ge=1800, le=2100)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class _Props(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class EntityProps(_Props):
    """Properties every entity type may have."""

    subtype: Text | None = Field(None, description="细分类型, e.g. 新型研发机构, 众创空间")
    description: Text | None = Field(None, description="简介 (own words)")
    level: Text | None = Field(None, description="级别: 国家级 / 省级 / 市级 / 区级")
    founded_year: Year | None = None
    website: Text | None = None


class EnterpriseProps(EntityProps):
    credit_code: str | None = Field(None, description="统一社会信用代码 (GB 32100-2015)")

    @field_validator("credit_code")
    @classmethod
    def _valid_code(cls, value: str | None) -> str | None:
        return validate_credit_code(value) if value else None


class TalentTeamProps(EntityProps):
    leader: Text | None = Field(None, description="带头人")
    field: Text | None = Field(None, description="领域")


class PersonProps(EntityProps):
    title: Text | None = Field(None, description="称号, e.g. 院士")


class ChainSegmentProps(EntityProps):
    stage: ChainStage | None = Field(None, description="上游 / 中游 / 下游")
    order: Annotated[int, Field(ge=1, le=50)] | None = Field(
        None, description="position from upstream (1) to downstream")


class FundProps(EntityProps):
    size: Text | None = Field(None, description="规模 (as written, e.g. 10亿元)")


ENTITY_PROPS: dict[EntityType, type[EntityProps]] = {t: EntityProps for t in EntityType} | {
    EntityType.enterprise: EnterpriseProps,
    EntityType.talent_team: TalentTeamProps,
    EntityType.person: PersonProps,
    EntityType.chain_segment: ChainSegmentProps,
    EntityType.fund: FundProps,
}


class RelationProps(_Props):
    """Properties of a relation; which ones apply depends on its type."""

    kind: PartnershipKind | None = Field(None, description="合作方式 (partnership)")
    status: PartnershipStatus | None = Field(None, description="进展 (partnership)")
    year: Year | None = None
    years: str | None = Field(None, max_length=4000, description=(
        "各年份: every year the tie was observed, as year:count (2015:1;2017:2); "
        "input may repeat years (2015;2017;2017)"))
    role: ChainRole | None = Field(None, description="角色 (in_industry / in_segment)")

    @field_validator("years")
    @classmethod
    def _history(cls, value: str | None) -> str | None:
        return years_text(parse_years(value)) or None if value else None

    @model_validator(mode="after")
    def _first_year(self) -> RelationProps:
        # a history without a stated year is dated by its first year (what the graph's
        # year filters mean: when the tie was first seen)
        if self.years and self.year is None:
            object.__setattr__(self, "year", min(parse_years(self.years)))
        return self


_RELATION_ONLY: dict[str, frozenset[RelationType]] = {
    "kind": frozenset({RelationType.partnership}),
    "status": frozenset({RelationType.partnership}),
    "years": frozenset({RelationType.partnership, RelationType.co_applicant}),
    "role": frozenset({RelationType.in_industry, RelationType.in_segment}),
}


class Provenance(_Props):
    """Where a fact comes from: the cited source, not the ingest run."""

    source_doc: Text | None = None
    source_section: Text | None = None
    source_span: str | None = Field(None, description="start-end character offsets")
    evidence: Evidence | None = None
    note: Text | None = None

    @field_validator("source_span")
    @classmethod
    def _span(cls, value: str | None) -> str | None:
        if not value:
            return None
        start, sep, end = value.partition("-")
        if not (sep and start.strip().isdigit() and end.strip().isdigit()):
            raise ValueError("must be 'start-end' with two whole numbers")
        if int(start) >= int(end):
            raise ValueError("start must be before end")
        return f"{int(start)}-{int(end)}"


def validation_reasons(error: ValidationError) -> list[tuple[str, str]]:
    """(field, reason) pairs from a pydantic error, in words a row's author can act on."""
    out = []
    for item in error.errors():
        field = ".".join(str(p) for p in item["loc"]) or "?"
        message = str(item["msg"]).removeprefix("Value error, ")
        out.append((field, message))
    return out


def build_entity_props(entity_type: EntityType, values: dict[str, Any]) -> EntityProps:
    """Validate the known properties of an entity type (raises pydantic's ValidationError)."""
    return ENTITY_PROPS[entity_type].model_validate(values)


def build_relation_props(relation: RelationType, values: dict[str, Any]) -> RelationProps:
    """Validate relation properties and check that each applies to this relation type."""
    props = RelationProps.model_validate(values)
    for name, allowed in _RELATION_ONLY.items():
        if getattr(props, name) is not None and relation not in allowed:
            kinds = ", ".join(sorted(r.value for r in allowed))
            raise InvalidInput(name, f"applies only to {kinds}, not {relation.value}")
    return props
