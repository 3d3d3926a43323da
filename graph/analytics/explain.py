"""Explanations a promoter can read: why a candidate is recommended, in Chinese.

Built only from entity names and relation labels, as plain text (never HTML): for example
``与甲公司同属眼镜产业链镜片与光学材料环节，经浙江大学温州研究院共建关系相连。``
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import networkx as nx

from schema import EntityType, RelationType

from .catalog import Catalog
from .evidence import Reach, ResourceSpread
from .results import EntityRef, JsonResult

__all__ = [
    "MIN_EFFECT",
    "QUERY_LEVEL",
    "STRUCTURAL",
    "ChainFit",
    "Explanation",
    "PathStep",
    "Reason",
    "chain_phrase",
    "explanation",
    "label_of",
    "learned_reasons",
    "path_phrase",
    "tie_label",
]

#: the features that are graph evidence (said as shared partners and a connecting path)
STRUCTURAL = frozenset({"resource", "shared", "three_step", "shared_strength",
                        "resource_strength", "three_strength"})
#: features of the query alone (the same for all its candidates): never a reason
QUERY_LEVEL = frozenset({"query_degree", "query_activity"})
#: a feature is a reason when its effect on the logit is at least this
MIN_EFFECT = 0.05
#: at most this many reasons besides the graph evidence go into the sentence
MAX_SAID = 3


@dataclass(frozen=True)
class ChainFit(JsonResult):
    """How a candidate sits in an industry chain relative to the query.

    ``relation``: ``same_segment``, ``upstream`` (the candidate's segment supplies the
    query's), ``downstream``, ``same_chain`` or ``same_industry``.
    """

    relation: str
    industry: str
    query_segment: str | None
    candidate_segment: str | None
    query_is_segment: bool = False


@dataclass(frozen=True)
class PathStep(JsonResult):
    """One node of a connecting path and the tie (its label) to the next node."""

    entity: EntityRef
    tie: str | None


@dataclass(frozen=True)
class Reason(JsonResult):
    """One feature that raised the learned score: its name, value, effect on the logit
    (``effect_<feature>`` of the parts) and the words for it."""

    feature: str
    value: float
    effect: float
    text: str


@dataclass(frozen=True)
class Explanation(JsonResult):
    """The evidence behind a recommendation, and the sentence that says it. ``reasons``
    (learned score only): every feature whose effect raised the score by at least
    :data:`MIN_EFFECT`, largest first."""

    text: str
    shared_partners: list[EntityRef]
    shared_partner_count: int
    path: list[PathStep]
    chain: ChainFit | None
    reasons: list[Reason] = field(default_factory=list)


def tie_label(graph: nx.Graph[str], u: str, v: str) -> str:
    """The label of the strongest tie between two actors: its partnership kind (共建 …) or
    its relation type's Chinese name (依托, 投资 …).

    Parameters
    ----------
    graph : networkx.Graph
        A projection's graph (edges carry ``kinds`` and ``types``).
    u, v : str
        Two tied actors.

    Returns
    -------
    str

    >>> g = nx.Graph(); g.add_edge("a", "b", kinds=("合作", "共建"), types=("partnership",))
    >>> tie_label(g, "a", "b")
    '共建'
    """
    data = graph.edges[u, v]
    return label_of(data["kinds"], data["types"])


def label_of(kinds: Collection[str], types: Collection[str]) -> str:
    """The label of the strongest of a pair's ties, from their partnership ``kinds`` and
    relation ``types`` (:func:`tie_label`).

    >>> label_of(("合作", "共建"), ("partnership",)), label_of((), ("leads",))
    ('共建', '领衔')
    """
    if kinds:
        return str(max(kinds, key=lambda k: (_KIND_ORDER.get(k, 0), k)))
    return RelationType(next(iter(types))).label


_KIND_ORDER = {"共建": 6, "创新联合体": 5, "联合申报": 4, "技术合作": 3, "战略合作": 3,
               "校地合作": 3, "合作": 1}


def chain_phrase(catalog: Catalog, query_name: str, fit: ChainFit) -> str:
    """The chain part of an explanation.

    Parameters
    ----------
    catalog : Catalog
    query_name : str
        The name the sentence uses for the query.
    fit : ChainFit
        How the candidate sits in the chain relative to the query.

    Returns
    -------
    str

    >>> from graph.analytics.catalog import Catalog, SegmentInfo
    >>> c = Catalog()
    >>> c.segments["s"] = SegmentInfo("s", "眼镜·镜片", "industry:眼镜", "upstream", 1)
    >>> from graph.analytics.catalog import EntityInfo
    >>> from schema import EntityType
    >>> c.entities["industry:眼镜"] = EntityInfo("industry:眼镜", "眼镜", EntityType.industry)
    >>> chain_phrase(c, "甲公司", ChainFit("same_segment", "industry:眼镜", "s", "s"))
    '与甲公司同属眼镜产业链镜片环节'
    """
    industry = catalog.name(fit.industry)
    if fit.query_is_segment:
        return _segment_query_phrase(catalog, fit)

    def segment(key: str | None) -> str:
        return catalog.segments[key].short_name if key else ""

    if fit.relation == "same_segment":
        return f"与{query_name}同属{industry}产业链{segment(fit.query_segment)}环节"
    if fit.relation in ("upstream", "downstream"):
        side = "上游" if fit.relation == "upstream" else "下游"
        return (f"处于{query_name}所在{industry}产业链{segment(fit.query_segment)}环节的"
                f"{side}（{segment(fit.candidate_segment)}环节）")
    if fit.relation == "same_chain":
        return f"与{query_name}同在{industry}产业链（{segment(fit.candidate_segment)}环节）"
    return f"与{query_name}同属{industry}产业"


def _segment_query_phrase(catalog: Catalog, fit: ChainFit) -> str:
    """Chain phrase when the query is a segment: ``为镜片环节的下游（镜架环节）``."""
    industry = catalog.name(fit.industry)
    assert fit.query_segment is not None
    mine = catalog.segments[fit.query_segment].short_name
    theirs = catalog.segments[fit.candidate_segment].short_name if fit.candidate_segment \
        else ""
    if fit.relation == "upstream":
        return f"为{industry}产业链{mine}环节的上游（{theirs}环节）"
    if fit.relation == "downstream":
        return f"为{industry}产业链{mine}环节的下游（{theirs}环节）"
    if fit.relation == "same_chain":
        return f"同在{industry}产业链（{theirs}环节）"
    return f"属{industry}产业"


def path_phrase(path: list[PathStep]) -> str:
    """The connection part of an explanation, from a path query → … → candidate.

    Parameters
    ----------
    path : list of PathStep
        From the query to the candidate.

    Returns
    -------
    str

    >>> from graph.analytics.results import EntityRef
    >>> def step(name, tie):
    ...     return PathStep(EntityRef(name, name, "institute", "科研机构"), tie)
    >>> path_phrase([step("甲", "共建"), step("乙", "共建"), step("丙", None)])
    '经乙共建关系相连'
    >>> path_phrase([step("甲", "共建"), step("乙", "依托"), step("丙", None)])
    '经乙相连（共建、依托）'
    """
    if len(path) < 2:
        return "合作网络中尚无连接路径"
    middle = [step.entity.name for step in path[1:-1]]
    ties = [step.tie or "" for step in path[:-1]]
    if not middle:
        return f"已有{ties[0]}关系"
    if len(middle) == 1:
        if len(set(ties)) == 1:
            return f"经{middle[0]}{ties[0]}关系相连"
        return f"经{middle[0]}相连（{'、'.join(ties)}）"
    return f"经{'—'.join(middle)}相连（{len(ties)}步：{'、'.join(ties)}）"


def learned_reasons(catalog: Catalog, source: str, candidate: str,
                    parts: Mapping[str, float]) -> list[Reason]:
    """The features whose effects (``effect_<feature>`` in ``parts``) raised the learned
    score by at least :data:`MIN_EFFECT`, largest effect first, each with its words."""
    query_name = catalog.name(source)
    mine, theirs = catalog.info(source).type, catalog.info(candidate).type
    found = []
    for key, effect in parts.items():
        if not key.startswith("effect_") or effect < MIN_EFFECT:
            continue
        feature = key.removeprefix("effect_")
        if feature in QUERY_LEVEL:
            continue
        value = parts[feature]
        found.append(Reason(feature, value, effect, _reason_text(
            catalog, feature, value, query_name, source, candidate, mine, theirs)))
    return sorted(found, key=lambda r: (-r.effect, r.feature))


def _reason_text(catalog: Catalog, feature: str, value: float, query_name: str, source: str,
                 candidate: str, mine: EntityType, theirs: EntityType) -> str:
    if feature == "resource":
        return f"共同合作方分量重（资源分配指数{value:.2f}）"
    if feature == "shared":
        return f"共同合作方{value:.0f}家"
    if feature == "shared_recent":
        return f"其中{value:.0f}家是最近一年才与之合作的"
    if feature == "three_step":
        return f"经三步合作链相连（{value:.3f}）"
    if feature == "degree":
        return f"合作方众多（{value:.0f}家）"
    if feature == "activity":
        return f"最近一年新增合作{value:.0f}项"
    if feature == "recency":
        return "最近一年仍有新合作" if value < 1 else f"{value:.0f}年前仍有新合作"
    if feature == "type_affinity":
        return f"{mine.label}与{theirs.label}在网络中合作多于随机"
    if feature == "type_share":
        return f"{query_name}的合作方中{value:.0%}为{theirs.label}"
    shared = sorted(catalog.regions_of.get(source, set())
                    & catalog.regions_of.get(candidate, set()))
    home = catalog.home_region.get(candidate)
    if feature == "region":
        where = home if home in shared else (shared[0] if shared else None)
        return f"与{query_name}同在{catalog.name(where)}" if where else \
            f"与{query_name}不在同一地区（跨地区合作）"
    if feature == "region_share":
        where_name = catalog.name(home) if home else "未知地区"
        return f"{query_name}的合作方中{value:.0%}位于{where_name}"
    if feature in _HISTORY_WORDS:
        return _HISTORY_WORDS[feature].format(value=value, query=query_name)
    return feature


#: words for the features of the ties' history (partner_features: every year a tie was
#: seen, how often); ``{query}`` is the query's name
_HISTORY_WORDS = {
    "shared_strength": "与共同合作方近年合作频密（按合作次数和年份加权{value:.2f}）",
    "resource_strength": "共同合作方近期合作分量重（按合作次数和年份加权的资源分配指数{value:.2f}）",
    "three_strength": "经三步近期合作链相连（{value:.3f}）",
    "shared_repeat": "与{query}多次合作的伙伴中有{value:.0f}家也与之合作",
    "repeat_rate": "其合作方中{value:.0%}与之多次合作",
    "formation": "最近两年新增的合作方占其合作方{value:.0%}",
    "projects_recent": "最近一年合作{value:.0f}次",
}


def explanation(spread: ResourceSpread, catalog: Catalog, source: str, own: Collection[str],
                reach: Reach, candidate: str, fit: ChainFit | None,
                reasons: list[Reason] | None = None) -> Explanation:
    """Why ``candidate`` is recommended for ``source`` (an actor, or a segment whose members
    are ``own``), from the same evidence as its score.

    The shared partners are the candidate's partners that hold resource from the query,
    largest share of the candidate's evidence first (for a segment, the members it already
    works with come first); the path is the one that carries most of the evidence
    (:meth:`ResourceSpread.path`), or a direct tie to a member.

    With ``reasons`` (a learned score, :func:`learned_reasons`), the sentence says the
    connection only when a structural feature is among the reasons, and then the other
    reasons (up to :data:`MAX_SAID`), largest effect first.

    Parameters
    ----------
    spread : ResourceSpread
    catalog : Catalog
    source : str
        The query (an actor or a segment id).
    own : collection of str
        The query's members (itself, for an actor).
    reach : Reach
        Resource spread from the query.
    candidate : str
    fit : ChainFit or None
    reasons : list of Reason, optional
        The features that drove a learned score (:func:`learned_reasons`).

    Returns
    -------
    Explanation
        The evidence and the Chinese sentence; examples in
        ``tests/analytics/test_recommend_evidence.py`` and :class:`~.recommend.Recommender`.
    """
    adj = spread.neighbours(candidate)
    tied = sorted((m for m in own if m in adj and m != source),
                  key=lambda m: (-adj[m], m))  # only for a segment: its members
    via = [z for z, _ in spread.shared(reach, candidate)]
    steps = [tied[0], candidate] if tied else spread.path(own, reach, candidate)
    path = [PathStep(catalog.info(v).ref(),
                     label_of(*spread.tie(v, steps[i + 1])) if i + 1 < len(steps) else None)
            for i, v in enumerate(steps)]
    query_name = catalog.name(source)
    if tied:  # the candidate already works with some members
        who = "其中" if fit else f"{query_name}环节"
        pieces = [f"已与{who}{len(tied)}家成员合作（{_names(catalog, tied)}）"]
    else:
        if source in catalog.segments:  # "与眼镜·镜片环节成员经…相连"
            query_name += "环节成员"
        connection = path_phrase(path)
        pieces = [connection] if fit else [f"与{query_name}{connection}"]
    if reasons is not None and not tied:
        structural = any(r.feature in STRUCTURAL for r in reasons)
        connection = path_phrase(path) if fit else f"与{query_name}{path_phrase(path)}"
        pieces = [connection] if structural else []
        if structural and len(via) > 1:
            pieces.append(f"共同合作方{len(via)}家（{_names(catalog, via)}）")
        pieces += [r.text for r in reasons if r.feature not in STRUCTURAL][:MAX_SAID]
        if fit:
            pieces.insert(0, chain_phrase(catalog, query_name, fit))
        if not pieces:
            pieces = [f"与{query_name}的各项特征均接近一般候选（按模型综合排序）"]
        shared = tied + via
        return Explanation("，".join(pieces) + "。",
                           [catalog.info(z).ref() for z in shared[:10]], len(shared), path,
                           fit, reasons)
    if fit:
        pieces.insert(0, chain_phrase(catalog, query_name, fit))
    if len(via) > 1 or (via and tied):
        pieces.append(f"共同合作方{len(via)}家（{_names(catalog, via)}）")
    shared = tied + via
    return Explanation("，".join(pieces) + "。", [catalog.info(z).ref() for z in shared[:10]],
                       len(shared), path, fit, reasons or [])


def _names(catalog: Catalog, ids: list[str]) -> str:
    return "、".join(catalog.name(z) for z in ids[:3]) + ("等" if len(ids) > 3 else "")
