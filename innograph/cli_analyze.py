"""``innograph analyze …``: density, centrality, communities, recommendations, talent, chains.

Each command projects the store (``graph.analytics.project``), computes, prints a table or
``--json``, and with ``--write`` stores its scores on the entities (``write_scores``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from schema import EntityType

from .context import store_for
from .figures import (
    BETWEENNESS_METHODS,
    FIGURES,
    GROUP_WORDS,
    MEANINGFUL_GROUP,
    MEASURES,
    SMALL_GROUPS,
)


class Scope(StrEnum):
    """Where partner candidates come from (``analyze recommend --scope``)."""

    local = "local"
    external = "external"
    all = "all"


if TYPE_CHECKING:
    from graph.analytics import Projection, ProjectionFilter
    from graph.store import GraphStore

analyze = typer.Typer(help="Analytics: density, centrality, communities, partner "
                           "recommendation, talent links, chain gaps.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]

#: chain stages in Chinese (``analyze chain``)
STAGES = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
RegionOpt = Annotated[str | None, typer.Option(help="Only actors located in this region.")]
IndustryOpt = Annotated[str | None, typer.Option(help="Only actors of this industry.")]
YearFrom = Annotated[int | None, typer.Option(help="Only ties dated from this year.")]
YearTo = Annotated[int | None, typer.Option(help="Only ties dated up to this year.")]
WriteOpt = Annotated[bool, typer.Option("--write", help="Store the scores on the entities.")]
SourcesOpt = Annotated[int | None, typer.Option(
    min=1, help="Betweenness sample size (default: exact up to 5000 actors, else 64 sampled "
                "sources).")]


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(analyze, name="analyze")


def analysis_progress(enabled: bool) -> AbstractContextManager[None]:
    """Phases on stderr while an analysis runs, silent under ``--json``
    (:func:`innograph.progress.analysis_progress`, imported when a command runs)."""
    from .progress import analysis_progress as shown

    return shown(enabled)


def _resolve(store: GraphStore, ref: str, kind: EntityType | None = None) -> str:
    """The id ``ref`` names: an id as it is (one lookup), else a name or alias through the
    search index (building that index costs 30 s and 2 GiB at a million entities)."""
    from graph.saved_indexes import search_index

    found = store.get(ref) if ":" in ref else None
    if found is not None and (kind is None or found.type is kind):
        return found.id
    return search_index(store).resolve(ref, entity_type=kind).id


def _filter(store: GraphStore, region: str | None, industry: str | None, year_from: int | None,
            year_to: int | None) -> ProjectionFilter:
    from graph.analytics import ProjectionFilter

    return ProjectionFilter(
        region=_resolve(store, region, EntityType.region) if region else None,
        industry=_resolve(store, industry, EntityType.industry) if industry else None,
        year_from=year_from, year_to=year_to)


def _projection(store: GraphStore, region: str | None = None, industry: str | None = None,
                year_from: int | None = None, year_to: int | None = None, *,
                steps: tuple[str, ...] = (), sources: int | None = None) -> Projection:
    """The projection, after checking that reading it and running ``steps`` on it fit the
    memory and time budget (``graph.analytics.budget``: refused with exit code 2 if not)."""
    from graph.analytics import project
    from graph.analytics.budget import plan
    from graph.analytics.centrality import DEFAULT_BETWEENNESS_SAMPLE

    chosen = _filter(store, region, industry, year_from, year_to)
    plan(store, chosen, steps, sources=sources or DEFAULT_BETWEENNESS_SAMPLE)
    return project(store, chosen)


def _write(store: GraphStore, table: dict[str, dict[str, float]]) -> int:
    from graph.analytics import write_back

    from .output import errors

    written = write_back(store, table)
    errors.print(f"wrote scores of {written} entities", markup=False)
    return written


@analyze.command()
def density(
    by: Annotated[str, typer.Option(
        help="region, park, industry, segment, type or community.")] = "industry",
    min_members: Annotated[int, typer.Option(min=1, help="Skip smaller groups.")] = 2,
    columns: Annotated[str | None, typer.Option(
        help="Also a matrix: --by groups × these groups (e.g. --by industry --columns region).")
    ] = None,
    mode: Annotated[str, typer.Option(help="Matrix cells: 'between' groups or 'within' both."
                                      )] = "between",
    over_time: Annotated[bool, typer.Option(
        "--over-time", help="Also each group's density counting ties up to each year.")] = False,
    region: RegionOpt = None, industry: IndustryOpt = None,
    year_from: YearFrom = None, year_to: YearTo = None, json_out: JsonOpt = False,
) -> None:
    """Collaboration density, weighted density, clustering and isolated members per group."""
    from graph.analytics import (
        density_by,
        density_matrix,
        density_over_time,
        detect_communities,
        group_density,
        groups_by,
    )

    from .density_tables import flagged, matrix_members, print_matrix
    from .output import console, print_figure, print_json

    steps = ("density", *(("communities",) if by == "community" else ()),
             *(("graph",) if over_time or (columns and mode == "between") else ()))
    with store_for(read_only=True) as store, analysis_progress(not json_out):
        p = _projection(store, region, industry, year_from, year_to, steps=steps)
        groups = detect_communities(p).groups() if by == "community" else groups_by(p, by)
        groups = [g for g in groups if len(g.members) >= min_members]
        rows = density_by(p, by, min_members) if by != "community" else [
            group_density(p, g) for g in groups]
        matrix = density_matrix(p, by, columns, mode, min_members) if columns else None
        covered = matrix_members(p, by, columns, mode, min_members) if columns else []
        series = {f"{g.label} ({g.key})": density_over_time(p, g)
                  for g in groups} if over_time else {}
    if json_out:
        print_json({"by": by, "undated_dropped": p.undated_dropped,
                    "groups": [r.to_json() for r in rows],
                    "matrix": matrix.to_json() if matrix else None,
                    "over_time": {label: [y.to_json() for y in years]
                                  for label, years in series.items()} or None})
        return
    small = [r for r in rows if r.members < MEANINGFUL_GROUP]
    print_figure(FIGURES["density"],
                 [(r.label, r.members, r.ties, flagged(r.density, r.members),
                   f"{r.weighted_density:.4f}", f"{r.average_clustering:.3f}", r.isolated)
                  for r in rows], note=SMALL_GROUPS if small else "",
                 group=GROUP_WORDS.get(by, by), by=by)
    if matrix and columns:
        print_matrix(matrix, covered, by, columns, mode)
    if p.undated_dropped:
        console.print(f"年份范围之外：{p.undated_dropped} 条没有年份的联系未计入 / "
                      f"{p.undated_dropped} undated tie(s) left out by the year range",
                      markup=False)
    for label, years in series.items():
        print_figure(FIGURES["density_over_time"],
                     [(y.year, y.figures.ties, f"{y.figures.density:.4f}") for y in years],
                     group=label)


@analyze.command()
def centrality(
    top: Annotated[int, typer.Option(min=1, max=1000, help="How many to list.")] = 10,
    measure: Annotated[str, typer.Option(
        help="degree, weighted_degree, pagerank or betweenness.")] = "pagerank",
    sources: SourcesOpt = None,
    seed: Annotated[int, typer.Option(help="Seed of the betweenness sample.")] = 7,
    region: RegionOpt = None, industry: IndustryOpt = None,
    year_from: YearFrom = None, year_to: YearTo = None, write: WriteOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Degree, weighted degree, PageRank and betweenness; the top actors by one measure."""
    from graph.analytics import centrality as compute
    from graph.analytics import score_table

    from .output import print_figure, print_json

    with store_for(read_only=not write) as store, analysis_progress(not json_out):
        result = compute(_projection(store, region, industry, year_from, year_to,
                                     steps=("centrality", *(("write",) if write else ())),
                                     sources=sources),
                         betweenness_sources=sources, seed=seed)
        ranked = result.top(measure, top)
        if write:
            _write(store, score_table(centrality=result))
    if json_out:
        print_json({**result.to_json(top), "measure": measure,
                    "ranking": [r.to_json() for r in ranked]})
        return
    word, meaning = MEASURES.get(measure, (measure, ""))
    print_figure(FIGURES["centrality"],
                 [(r.rank, r.entity.name, r.entity.type_label, f"{r.value:.5g}") for r in ranked],
                 top=top, measure=measure, measure_word=word, measure_meaning=meaning,
                 method=BETWEENNESS_METHODS.get(result.betweenness_method, "{sources}").format(
                     sources=result.betweenness_sources))


@analyze.command()
def communities(
    resolution: Annotated[float, typer.Option(min=0.01, help="Louvain resolution.")] = 1.0,
    seed: Annotated[int, typer.Option(help="Louvain seed.")] = 7,
    brokers: Annotated[int, typer.Option(min=0, max=1000, help="List this many brokers.")] = 10,
    top: Annotated[int, typer.Option(min=1, help="List this many communities.")] = 20,
    sources: SourcesOpt = None,
    region: RegionOpt = None, industry: IndustryOpt = None, write: WriteOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Louvain communities (modularity, dominant industry and region) and brokers."""
    from graph.analytics import brokers as find_brokers
    from graph.analytics import centrality as compute
    from graph.analytics import detect_communities, score_table

    from .output import print_figure, print_json

    with store_for(read_only=not write) as store, analysis_progress(not json_out):
        p = _projection(store, region, industry,
                        steps=("communities", *(("centrality",) if brokers else ()),
                               *(("write",) if write else ())), sources=sources)
        found = detect_communities(p, resolution=resolution, seed=seed)
        bridging = find_brokers(p, found, compute(p, betweenness_sources=sources, seed=seed),
                                brokers) if brokers else []
        if write:
            _write(store, score_table(communities=found))
    if json_out:
        print_json({**found.to_json(), "brokers": [b.to_json() for b in bridging]})
        return
    groups = [c for c in found.communities if c.size > 1]
    alone = len(found.communities) - len(groups)
    notes = ([f"只列前 {top} 个多成员社区（共 {len(groups)} 个）。"] if len(groups) > top else [])
    if alone:
        isolated = sum(1 for c in found.communities
                       if c.size == 1 and not p.graph.degree(c.members[0]))
        notes.append(f"另有 {alone} 个单成员社区（其中 {isolated} 个机构没有任何合作联系），"
                     "不逐一列出（--json 列出全部）。")
    print_figure(FIGURES["communities"],
                 [(c.id, c.size, c.label, "、".join(p.catalog.name(m) for m in c.members[:4]))
                  for c in groups[:top]], note="\n".join(notes),
                 count=len(found.communities), modularity=f"{found.modularity:.4f}")
    if bridging:
        print_figure(FIGURES["brokers"],
                     [(b.entity.name, b.community, len(b.communities_reached),
                       f"{b.participation:.3f}", f"{b.betweenness:.4f}") for b in bridging])


@analyze.command()
def recommend(
    ref: Annotated[str, typer.Argument(metavar="NAME_OR_ID",
                                       help="An actor or a chain segment (name or id).")],
    top: Annotated[int, typer.Option(min=1, max=100, help="How many partners.")] = 10,
    type_: Annotated[list[EntityType] | None, typer.Option(
        "--type", help="Candidate types (repeatable; default institutions and firms).")] = None,
    scope: Annotated[Scope, typer.Option(
        help="local: partners in the district's graph; external: organisations of the "
             "reference layer whose disciplines serve its segments or industries; all: both."
    )] = Scope.local,
    json_out: JsonOpt = False,
) -> None:
    """Rank candidate partners, each with the reason in Chinese; --scope external reaches
    beyond the district (load the reference layer first: ingest --reference data/reference)."""
    from graph.analytics import PARTNER_TYPES, Recommender
    from graph.analytics.external import external_for
    from graph.analytics.partner_features import sparse_pagerank
    from graph.analytics.recommend import SHIPPED_MODEL

    from .output import console, print_figure, print_json

    with store_for(read_only=True) as store, analysis_progress(not json_out):
        source = _resolve(store, ref)
        found, why_empty = [], ""
        if scope is not Scope.external:
            p = _projection(store, steps=("graph",))
            ranks = sparse_pagerank(p)
            recommender = Recommender(p, ranks, candidate_types=type_ or PARTNER_TYPES,
                                      model=SHIPPED_MODEL)
            found = recommender.recommend(source, top)
            why_empty = "" if found else recommender.why_none(source)
        outside = external_for(store, source, top) if scope is not Scope.local else None
    if json_out:
        print_json({"query": source, "name": (outside.entity.name if outside
                                              else p.catalog.name(source)),
                    "scope": scope.value, "recommendations": [r.to_json() for r in found],
                    "why_empty": why_empty,
                    **({"external": outside.to_json()} if outside else {})})
        return
    if scope is not Scope.external:
        print_figure(FIGURES["recommend"],
                     [(r.rank, r.entity.name, r.entity.type_label, f"{r.score:.3f}",
                       r.explanation.text) for r in found], name=p.catalog.name(source),
                     note=why_empty)
    if outside is not None:
        print_figure(FIGURES["recommend_external"],
                     [(rank, c.entity.name, c.province or "省份未知", f"{c.score:.2f}",
                       "；".join(c.reasons) + (f"（未知：{'；'.join(c.unknown)}）"
                                              if c.unknown else ""))
                      for rank, c in enumerate(outside.items, start=1)],
                     asked="、".join(outside.asked) or "—")
        if outside.note:
            console.print(outside.note, markup=False)


@analyze.command()
def talent(
    team: Annotated[str | None, typer.Argument(metavar="[TEAM]", help="A talent team (name "
                                               "or id); without it: team links and bridges.")
                    ] = None,
    hops: Annotated[int, typer.Option(min=1, max=4, help="Reach of the team's links.")] = 2,
    json_out: JsonOpt = False,
) -> None:
    """A team's hosts within k hops; or team-to-team links and teams bridging industries."""
    from graph.analytics import bridging_teams, team_links, team_pairs

    from .output import print_figure, print_json

    with store_for(read_only=True) as store, analysis_progress(not json_out):
        p = _projection(store, steps=("graph",))
        if team is not None:
            links = team_links(p, _resolve(store, team, EntityType.talent_team), hops)
    if team is not None:
        if json_out:
            print_json(links.to_json())
            return
        print_figure(FIGURES["team_hosts"],
                     [(h.hops, h.entity.name, h.entity.type_label,
                       " → ".join(s.entity.name for s in h.path)) for h in links.links],
                     team=links.team.name, hops=hops)
        return
    pairs, bridges = team_pairs(p), bridging_teams(p)
    if json_out:
        print_json({"pairs": [x.to_json() for x in pairs],
                    "bridging": [b.to_json() for b in bridges]})
        return
    print_figure(FIGURES["team_pairs"],
                 [(x.a.name, x.b.name, "、".join(h.name for h in x.shared_hosts))
                  for x in pairs])
    print_figure(FIGURES["team_bridges"],
                 [(b.team.name, "、".join(i.name for i in b.industries)) for b in bridges])


@analyze.command()
def chain(
    industry: Annotated[str, typer.Argument(help="An industry (name or id), e.g. 眼镜.")],
    few: Annotated[int, typer.Option(min=0, help="A segment with at most this many members "
                                                "is weak (薄弱).")] = 1,
    candidates: Annotated[int, typer.Option(min=0, max=100, help="Candidates per gap.")] = 5,
    region: RegionOpt = None, json_out: JsonOpt = False,
) -> None:
    """An industry chain upstream → downstream: members, gaps (缺失/薄弱), candidates."""
    from graph.analytics import Recommender, chain_report, pagerank
    from graph.analytics.external import reference_pool

    from .output import print_figure, print_json

    with store_for(read_only=True) as store, analysis_progress(not json_out):
        industry_id = _resolve(store, industry, EntityType.industry)
        region_id = _resolve(store, region, EntityType.region) if region else None
        p = _projection(store, steps=("graph",))
        rec = Recommender(p, pagerank(p))
        report = chain_report(p, industry_id, rec, few=few, candidates=candidates,
                              region=region_id, external=reference_pool(store))
    if json_out:
        print_json(report.to_json())
        return
    print_figure(FIGURES["chain"],
                 [(s.order, s.segment.name, STAGES.get(s.stage, s.stage), s.status or "",
                   "、".join(m.entity.name for m in s.members) or "—")
                  for s in report.segments], industry=report.industry.name, few=few)
    proposed = [(s.segment.name, c.entity.name, "本地", c.explanation.text)
                for s in report.segments for c in s.candidates]
    proposed += [(s.segment.name, e.entity.name, f"区外（{e.province or '省份未知'}）",
                  "；".join(e.reasons)) for s in report.segments for e in s.external]
    if proposed:
        print_figure(FIGURES["chain_candidates"], proposed)


@analyze.command()
def scores(sources: SourcesOpt = None, seed: Annotated[int, typer.Option(
        help="Seed of the betweenness sample and of Louvain.")] = 7,
           region: RegionOpt = None, industry: IndustryOpt = None,
           year_from: YearFrom = None, year_to: YearTo = None,
           json_out: JsonOpt = False) -> None:
    """Compute every per-entity score and store them (centrality, community, ego figures).

    With --region/--industry/a year range, the scores of the actors in scope are computed
    within that scope (their PageRank, betweenness and community inside it) and written."""
    from graph.analytics import centrality as compute
    from graph.analytics import detect_communities, ego_figures, score_table
    from graph.analytics.progress import phase

    from .output import print_json

    with store_for(read_only=False) as store, analysis_progress(not json_out):
        p = _projection(store, region, industry, year_from, year_to,
                        steps=("centrality", "communities", "ego", "write"), sources=sources)
        measured = compute(p, betweenness_sources=sources, seed=seed)
        found = detect_communities(p, seed=seed)
        ego = ego_figures(p)
        phase("写回 writing scores", None)
        table = score_table(measured, found, ego)
        del measured, found, ego
        written = _write(store, table)
    if json_out:
        print_json({"entities": written, "scores": sorted({k for v in table.values()
                                                            for k in v})})
