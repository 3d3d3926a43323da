"""What the CLI's tables say: for each figure a title, its columns (中文 and English) and the
line under it saying what the numbers mean — data, printed by
:func:`innograph.output.print_figure`.

Titles and captions are format strings filled by the command (``{top}``, ``{measure}`` …).

>>> FIGURES["centrality"].columns[0]
('排名', '#')
>>> sorted(MEASURES) == ["betweenness", "degree", "pagerank", "weighted_degree"]
True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One table: ``title`` and ``caption`` are format strings; ``columns`` pairs a Chinese
    header with its English one (shown on two lines, so narrow columns wrap at the break)."""

    title: str
    columns: tuple[tuple[str, str], ...]
    caption: str


#: groups smaller than this have a density that says little (2 members: 0 or 1)
MEANINGFUL_GROUP = 3

#: the kinds of group ``analyze density --by/--columns`` takes, in Chinese
GROUP_WORDS = {"region": "区域", "park": "园区", "industry": "产业", "segment": "产业链环节",
               "type": "类型", "community": "社群"}

#: each centrality measure: its Chinese name and what it says about an actor
MEASURES = {
    "degree": ("度", "直接合作伙伴的数量"),
    "weighted_degree": ("加权度", "合作强度之和（合作次数、共同专利越多越高）"),
    "pagerank": ("PageRank", "与本身重要的机构合作越多越高（各机构之和为 1）"),
    "betweenness": ("介数", "处在其他机构之间最短联系路径上的比例：桥梁作用（0–1）"),
}

#: how betweenness was computed (``CentralityResult.betweenness_method``)
BETWEENNESS_METHODS = {"exact": "介数为精确计算",
                       "sampled": "介数由 {sources} 个抽样起点估计"}

#: by ``--mode``: what a cell of the density matrix is, and whether a cell of few members
#: is marked (``within``: a group like any other; ``between``: pairs across two groups)
MATRIX_MODES = {
    "between": ("两组之间", "密度 = 两组成员之间的实际联系数 ÷ 可能的联系数；成员 = 行组成员数 × "
                "列组成员数", False),
    "within": ("两组交集之内", "密度 = 同属两组的成员之间的实际联系数 ÷ 可能的联系数；成员 = 同属"
               "两组的成员数", True),
}

SMALL_GROUPS = f"* 成员少于 {MEANINGFUL_GROUP} 个的分组，密度意义不大（两个成员只能是 0 或 1）。"

FIGURES: dict[str, Figure] = {
    "density": Figure(
        "合作密度（按{group}）/ collaboration density by {by}",
        (("分组", "group"), ("成员", "members"), ("联系", "ties"), ("密度", "density"),
         ("加权", "weighted"), ("聚类", "clustering"), ("孤立", "isolated")),
        "密度 = 组内实际联系数 ÷ 成员两两之间可能的联系数（0–1）；加权密度按合作强度"
        "（合作次数、共同专利）计；聚类 = 成员的伙伴之间彼此也有联系的平均比例；孤立 = "
        "组内没有任何联系的成员数。"),
    "density_matrix": Figure(
        "{row_word} × {column_word}：{mode_word}的合作密度 / {mode} density, {by} × {columns}",
        (("{row_word}", "{by}"), ("{column_word}", "{columns}"), ("成员", "members"),
         ("联系", "ties"), ("密度", "density")),
        "{mode_caption}。只列有联系的 {shown} 个组合，另有 {empty} 个组合没有联系。"),
    "density_over_time": Figure(
        "{group}：逐年累计的合作密度 / ties dated up to each year",
        (("年份", "year"), ("联系", "ties"), ("密度", "density")),
        "只计该年及以前有年份的联系（无年份的联系不计入）；密度定义同上表。"),
    "centrality": Figure(
        "按{measure_word}排名前 {top} / top {top} by {measure}",
        (("排名", "#"), ("名称", "name"), ("类型", "type"), ("{measure_word}", "{measure}")),
        "{measure_word}：{measure_meaning}。{method}。"),
    "communities": Figure(
        "{count} 个合作社区，模块度 {modularity} / communities (Louvain)",
        (("编号", "#"), ("成员数", "size"), ("标签", "label"), ("主要成员", "first members")),
        "社区 = 内部合作比对外合作更密的一群机构（Louvain 算法，固定随机种子）；模块度"
        "（0–1）越高，社区划分越清楚；标签 = 社区中最多的产业·区域（未标注 = 成员没有"
        "产业）；主要成员按合作伙伴数排列，最多列 4 个。"),
    "brokers": Figure(
        "中间人 / brokers",
        (("名称", "name"), ("所属社区", "community"), ("连到社区", "reaches"),
         ("参与系数", "participation"), ("介数", "betweenness")),
        "中间人 = 把不同社区联系起来的机构：连到社区 = 其伙伴分布的社区数；参与系数"
        "（0–1）越高，伙伴越均匀地分布在多个社区；介数见 analyze centrality。"),
    "recommend": Figure(
        "{name}的本地合作候选 / partners in the district",
        (("排名", "#"), ("候选", "candidate"), ("类型", "type"), ("得分", "score"),
         ("原因", "reason")),
        "得分（0–1）用于排序：模型按共同伙伴、联系路径、活跃度、类型与地点估计合作的可能"
        "性，不是概率预测；原因列出推动得分的因素。"),
    "recommend_external": Figure(
        "区外候选：{asked} / beyond the district",
        (("排名", "#"), ("机构", "organisation"), ("省份", "province"), ("得分", "score"),
         ("原因", "reason")),
        "区外候选来自全国参考名录（ingest --reference）：学科对口该环节或产业的机构；得分"
        "（0–1）用于排序；（未知：…）是名录里缺少、无法核对的信息。"),
    "team_hosts": Figure(
        "{team}：{hops} 跳以内的依托单位 / hosts within {hops} hops",
        (("跳数", "hops"), ("名称", "name"), ("类型", "type"), ("路径", "path")),
        "依托单位 = 团队经合作、隶属、孵化等关系联系到的机构；跳数 = 中间经过的关系数，"
        "路径列出经过的机构。"),
    "team_pairs": Figure(
        "通过共同依托单位相连的人才团队 / teams linked through shared hosts",
        (("团队", "team"), ("团队", "team"), ("共同依托单位", "shared hosts")),
        "两个团队依托同一机构（科研机构、企业、孵化载体等），可经它对接合作。"),
    "team_bridges": Figure(
        "跨产业的人才团队 / teams bridging industries",
        (("团队", "team"), ("涉及产业", "industries")),
        "团队的依托单位分属多个产业：可把这些产业联系起来。"),
    "chain": Figure(
        "{industry}产业链（上游 → 下游）/ chain of {industry}",
        (("序号", "#"), ("环节", "segment"), ("阶段", "stage"), ("状态", "status"),
         ("本地成员", "members")),
        "缺失 = 本地没有成员的环节；薄弱 = 成员不多于 {few} 个的环节；两者的补链候选见"
        "下表。"),
    "chain_candidates": Figure(
        "补链候选 / candidates for the gaps",
        (("环节", "segment"), ("候选", "candidate"), ("范围", "scope"), ("理由", "reason")),
        "本地候选按图谱证据（经共同伙伴与该环节成员的联系）和先验（同环节、同产业、"
        "地位）排序，理由写明依据；区外候选来自全国参考名录。"),
    # the commands of innograph/cli.py
    "search": Figure(
        "搜索“{query}” / search",
        (("得分", "score"), ("名称", "name"), ("类型", "type"), ("匹配", "matched on"),
         ("编号", "id")),
        "得分（0–1）越高越接近；匹配 = 命中的是名称（name）、别名（alias）、拼音（pinyin）、"
        "首字母（initials）还是近似写法（fuzzy）。"),
    "stats": Figure(
        "{entities} 个实体，{relations} 条关系 / entities and relations",
        (("类型", "type"), ("数量", "count")),
        "先列各类实体，再列各类关系；内容哈希（content hash）只随图谱内容变化：两个存储的"
        "哈希相同，内容就相同。"),
    "neighbors": Figure(
        "{name}：{depth} 跳以内的 {count} 个邻居 / neighbours within {depth} hop(s){truncated}",
        (("起点", "source"), ("关系", "relation"), ("终点", "target"), ("属性", "properties")),
        "每行一条关系，由起点指向终点；邻居超过 --limit 时只列出一部分（标为 truncated）。"),
    "sources": Figure(
        "来源 sources（{count}）",
        (("来源", "source"), ("类别", "kind"), ("行", "row"), ("内容", "states")),
        "这个实体的每条记录出自哪个文件（或文档、接口写入）的哪一行，以及它陈述的值。"),
}
