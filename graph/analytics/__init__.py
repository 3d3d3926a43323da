"""Analytics over the collaboration graph: density, centrality, communities, partner
recommendation, talent-team links and industry-chain gaps.

Start from a projection of a store, then call the functions of each family::

    from graph.analytics import project, density_by, centrality, Recommender
    p = project(store)                          # cached per store version
    density_by(p, "industry")                   # GroupDensity per industry
    c = centrality(p); c.top("pagerank", 10)    # RankedEntity list
    Recommender(p, c.scores["pagerank"]).recommend("institute:浙江大学温州研究院")

Every result has ``to_json()``; ``docs/analytics.md`` defines every figure.
"""

from .catalog import Catalog, EntityInfo, SegmentInfo, build_catalog
from .centrality import (
    Centrality,
    CentralityMeasure,
    MissingDependency,
    RankedEntity,
    centrality,
    pagerank,
)
from .chains import ChainReport, Member, SegmentReport, chain_report
from .communities import Broker, Communities, Community, brokers, detect_communities
from .density import (
    BetweenDensity,
    DensityMatrix,
    GroupDensity,
    YearDensity,
    density_between,
    density_by,
    density_matrix,
    density_over_time,
    group_density,
)
from .ego import EgoFigures, ego_figures
from .evidence import Reach, ResourceSpread
from .explain import ChainFit, Explanation, PathStep
from .groups import Group, GroupBy, group_of_ids, groups_by
from .projection import (
    ACTOR_TYPES,
    COLLABORATION,
    TIE_STRENGTH,
    Projection,
    ProjectionFilter,
    build_projection,
    paused_gc,
    project,
    projection_from_tables,
    strength_of,
    tie_strength,
)
from .recommend import PARTNER_TYPES, Recommendation, Recommender, ScoreWeights
from .results import EntityRef, JsonResult
from .talent import (
    HOST_TYPES,
    BridgingTeam,
    HostLink,
    TeamLinks,
    TeamPair,
    bridging_teams,
    team_links,
    team_pairs,
)
from .writeback import score_table, write_back

__all__ = [
    "ACTOR_TYPES", "COLLABORATION", "HOST_TYPES", "PARTNER_TYPES", "TIE_STRENGTH",
    "BetweenDensity", "BridgingTeam", "Broker", "Catalog", "Centrality", "CentralityMeasure",
    "ChainFit", "ChainReport", "Communities", "Community", "DensityMatrix", "EgoFigures",
    "EntityInfo", "EntityRef", "Explanation", "Group", "GroupBy", "GroupDensity", "HostLink",
    "JsonResult", "Member", "MissingDependency", "PathStep", "Projection", "ProjectionFilter",
    "RankedEntity", "Reach", "Recommendation", "Recommender", "ResourceSpread", "ScoreWeights",
    "SegmentInfo", "SegmentReport", "TeamLinks", "TeamPair", "YearDensity", "bridging_teams",
    "brokers",
    "build_catalog", "build_projection", "centrality", "chain_report", "density_between",
    "density_by", "density_matrix", "density_over_time", "detect_communities", "ego_figures",
    "group_density", "group_of_ids", "groups_by", "pagerank", "paused_gc", "project",
    "projection_from_tables", "score_table", "strength_of", "team_links", "team_pairs",
    "tie_strength", "write_back",
]
