"""Entity and relation types: the closed vocabulary of the graph.

Labels and relationship types that reach a query are taken only from these
enums, never from request text.
"""

from __future__ import annotations

from enum import StrEnum


class EntityType(StrEnum):
    """Kinds of node. Values are the snake-case names used in files and JSON."""

    institute = "institute"
    enterprise = "enterprise"
    talent_team = "talent_team"
    person = "person"
    incubator = "incubator"
    fund = "fund"
    platform = "platform"
    park = "park"
    industry = "industry"
    chain_segment = "chain_segment"
    region = "region"
    government = "government"

    @property
    def label(self) -> str:
        """Chinese display name."""
        return ENTITY_LABELS[self]

    @property
    def neo4j_label(self) -> str:
        """Neo4j label, e.g. ``TalentTeam``."""
        return "".join(part.capitalize() for part in self.value.split("_"))


ENTITY_LABELS: dict[EntityType, str] = {
    EntityType.institute: "科研机构",
    EntityType.enterprise: "企业",
    EntityType.talent_team: "人才团队",
    EntityType.person: "人物",
    EntityType.incubator: "孵化载体",
    EntityType.fund: "基金与金融产品",
    EntityType.platform: "创新平台",
    EntityType.park: "园区",
    EntityType.industry: "产业",
    EntityType.chain_segment: "产业链环节",
    EntityType.region: "区域",
    EntityType.government: "政府部门",
}


class RelationType(StrEnum):
    """Kinds of edge. Values are the snake-case names used in files and JSON."""

    partnership = "partnership"
    located_in = "located_in"
    part_of = "part_of"
    affiliated_with = "affiliated_with"
    leads = "leads"
    incubated_at = "incubated_at"
    invests_in = "invests_in"
    sub_fund_of = "sub_fund_of"
    in_industry = "in_industry"
    in_segment = "in_segment"
    supplies = "supplies"
    supports = "supports"
    co_applicant = "co_applicant"

    @property
    def label(self) -> str:
        """Chinese display name."""
        return RELATION_LABELS[self]

    @property
    def neo4j_type(self) -> str:
        """Neo4j relationship type, e.g. ``IN_SEGMENT``."""
        return self.value.upper()


RELATION_LABELS: dict[RelationType, str] = {
    RelationType.partnership: "合作",
    RelationType.located_in: "位于",
    RelationType.part_of: "隶属于",
    RelationType.affiliated_with: "依托",
    RelationType.leads: "领衔",
    RelationType.incubated_at: "入驻孵化",
    RelationType.invests_in: "投资",
    RelationType.sub_fund_of: "子基金",
    RelationType.in_industry: "所属产业",
    RelationType.in_segment: "所属环节",
    RelationType.supplies: "供给下游",
    RelationType.supports: "支持",
    RelationType.co_applicant: "共同申请专利",
}


class PartnershipKind(StrEnum):
    """How two organisations cooperate."""

    campus_local = "校地合作"
    co_build = "共建"
    strategic = "战略合作"
    joint_application = "联合申报"
    innovation_consortium = "创新联合体"
    technical = "技术合作"
    general = "合作"


class PartnershipStatus(StrEnum):
    """Where a partnership stands, in its usual order."""

    signed = "签约"
    building = "建设中"
    landed = "落地"
    producing = "投产"
    operating = "运营"


class ChainRole(StrEnum):
    """What an entity does in an industry or chain segment."""

    producer = "producer"
    research = "research"
    service = "service"
    finance = "finance"


class ChainStage(StrEnum):
    """Position of a chain segment."""

    upstream = "upstream"
    midstream = "midstream"
    downstream = "downstream"


class Evidence(StrEnum):
    """How a row's fact is known."""

    report = "report"
    inference = "inference"
    domain_knowledge = "domain_knowledge"
    user = "user"
