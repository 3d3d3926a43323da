"""Helpers for the research notebooks (``notebooks/``): the Wenzhou sample in a fresh store,
analytics results as pandas DataFrames, a subgraph drawn inline, Chinese chart labels.

They load (:mod:`ingest`), analyse (:mod:`graph`) and draw (:mod:`viz`), so they live in the
top layer, which may import every other; the CLI does not import this module.

Everything a notebook shows goes through the library, so the notebooks stay short::

    from innograph.notebook import sample_store, to_frame, show_subgraph
    store = sample_store()                        # data/wenzhou in a new temporary store
    to_frame(density_by(project(store), "industry"))
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from graph.analytics import (
    Centrality,
    ChainReport,
    Communities,
    DensityMatrix,
    PathStep,
    Projection,
    TeamLinks,
)
from graph.analytics.results import JsonResult, plain
from graph.store import GraphStore, Subgraph, open_store
from ingest.loader import load_paths
from schema import EntityType, InvalidInput, UnreadableFile
from viz import render_subgraph

if TYPE_CHECKING:
    from IPython.display import HTML

__all__ = ["CJK_FONTS", "OUTPUT_VARIABLE", "SAMPLE", "STORE_VARIABLE", "actors_frame",
           "gap_table", "inline_page", "output_folder", "path_subgraph", "sample_store",
           "show_subgraph", "to_frame", "use_chinese_font"]

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "wenzhou"
#: a store folder to use instead of a new temporary one
STORE_VARIABLE = "INNOGRAPH_NOTEBOOK_STORE"
#: where notebooks write their exports (Excel); a new temporary folder when unset
OUTPUT_VARIABLE = "INNOGRAPH_NOTEBOOK_OUT"
#: Chinese-capable fonts, preferred first (Debian: fonts-noto-cjk, fonts-wqy-microhei)
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "Noto Sans SC", "SimHei", "Microsoft YaHei", "PingFang SC",
             "Heiti SC", "Arial Unicode MS", "AR PL UMing CN", "Droid Sans Fallback")


def sample_store(folder: str | Path | None = None, data: Path = SAMPLE) -> GraphStore:
    """An embedded store holding ``data`` (the Wenzhou sample by default).

    Parameters
    ----------
    folder : str or Path, optional
        Where the store lives; else ``$INNOGRAPH_NOTEBOOK_STORE``, else a new temporary
        folder. A store there that already holds a graph (your own) is used as it is; an
        empty one gets ``data``.
    data : Path
        Table files or folders to load (``data/wenzhou`` of this checkout by default).

    Returns
    -------
    GraphStore
        Open for writing; close it at the end of the notebook.

    A rejected row raises :class:`schema.InvalidInput` naming its file, row and reason.
    """
    if not data.exists():
        raise UnreadableFile(str(data), "sample data not found (run from a clone of the "
                                        "repository, or pass data=)")
    own = folder or os.environ.get(STORE_VARIABLE)
    chosen = own or Path(tempfile.mkdtemp(prefix="innograph-notebook-")) / "store"
    store = open_store(Path(chosen))
    if own and store.stats().entities:
        return store  # a researcher's own graph: used as it is, the sample is not added
    summary = load_paths(store, [data])
    if summary.rejects:
        first = summary.rejects[0]
        store.close()
        raise InvalidInput(f"{first.file} row {first.row} column {first.column}",
                           f"{first.reason} ({summary.rejected} rows rejected)")
    return store


def output_folder(folder: str | Path | None = None) -> Path:
    """Where to write exports: ``folder``, ``$INNOGRAPH_NOTEBOOK_OUT`` or a new temp folder
    (created if missing; never inside the repository unless asked)."""
    chosen = Path(folder or os.environ.get(OUTPUT_VARIABLE)
                  or tempfile.mkdtemp(prefix="innograph-out-"))
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen


# -- results as tables ----------------------------------------------------------------------
def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"id", "name", "type", "type_label"}


def _path_text(steps: list[dict[str, Any]]) -> str:
    """``甲 —共建→ 乙 —依托→ 丙`` from plain :class:`PathStep` dicts."""
    text = ""
    for step in steps:
        text += step["entity"]["name"]
        if step["tie"]:
            text += f" —{step['tie']}→ "
    return text


def _cell(value: list[Any]) -> Any:
    """One table cell for a list: names joined with 、, or a path drawn with arrows."""
    if not value:
        return ""
    if all(isinstance(v, dict) and set(v) == {"entity", "tie"} for v in value):
        return _path_text(value)
    names = [v["name"] if _is_ref(v) else
             v["entity"]["name"] if isinstance(v, dict) and _is_ref(v.get("entity")) else
             str(v) for v in value]
    return "、".join(names)


def _flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested result dicts as one row: ``parts.graph`` columns, refs as their names (with
    ``.type`` at the top level), lists as joined names."""
    row: dict[str, Any] = {}
    for key, value in record.items():
        column = prefix + key
        if _is_ref(value):
            row[column] = value["name"]
            if not prefix:
                row[column + ".type"] = value["type_label"]
        elif isinstance(value, dict):
            row.update(_flatten(value, column + "."))
        elif isinstance(value, list):
            row[column] = _cell(value)
        else:
            row[column] = value
    return row


def to_frame(result: JsonResult | Iterable[JsonResult] | Iterable[Mapping[str, Any]]
             ) -> pd.DataFrame:
    """An analytics result as a DataFrame, one row per item.

    A list gives a row per element; :class:`DensityMatrix` gives the matrix (rows × columns);
    :class:`Centrality` a row per actor with every measure, highest PageRank first;
    :class:`Communities`, :class:`ChainReport` and :class:`TeamLinks` a row per community,
    segment or host. Entities show as their names, lists as names joined with 、 and paths
    as ``甲 —共建→ 乙``.

    >>> from graph.analytics import GroupDensity
    >>> frame = to_frame([GroupDensity("industry:眼镜", "眼镜", 4, 2, 6, 1/3, 0.5, 0.0, 1)])
    >>> print(frame[["label", "members", "ties", "isolated"]].to_string(index=False))
    label  members  ties  isolated
       眼镜        4     2         1
    >>> m = to_frame(DensityMatrix("between", ["企业"], ["科研机构", "平台"], [[0.5, 0.0]],
    ...                            [[2, 0]]))
    >>> list(m.index), list(m.columns), float(m.loc["企业", "科研机构"])
    (['企业'], ['科研机构', '平台'], 0.5)
    """
    if isinstance(result, DensityMatrix):
        return pd.DataFrame(result.cells, index=result.rows, columns=result.columns)
    if isinstance(result, Centrality):
        rows = [{"entity": ref.name, "entity.type": ref.type_label,
                 **{measure: values[node] for measure, values in result.scores.items()}}
                for node, ref in result.refs.items()]
        frame = pd.DataFrame(rows)
        return frame.sort_values(["pagerank", "entity"], ascending=[False, True],
                                 ignore_index=True) if rows else frame
    items: Iterable[Any]
    if isinstance(result, Communities):
        items = result.communities
    elif isinstance(result, ChainReport):
        items = result.segments
    elif isinstance(result, TeamLinks):
        items = result.links
    elif isinstance(result, JsonResult):
        items = [result]
    else:
        items = result
    records = [_flatten(plain(item)) for item in items]
    return pd.DataFrame(records)


def actors_frame(projection: Projection, region: str | None = None) -> pd.DataFrame:
    """Every actor of a projection: 名称, 类型, 区域 (its most specific region), 产业 (its
    industries joined with 、), 合作方 (its number of partners); ordered by type, then name.

    ``region`` (a region's id) keeps the actors located in it at any level: a firm
    headquartered elsewhere with a site in 瓯海区 is in ``region:温州市``.
    """
    catalog, graph = projection.catalog, projection.graph
    if region is not None and (region not in catalog.entities
                               or catalog.info(region).type is not EntityType.region):
        raise InvalidInput("region", f"{region!r} is not a region")
    rows = [{"id": node, "名称": catalog.name(node), "类型": catalog.info(node).type.label,
             "区域": catalog.name(catalog.home_region[node])
             if node in catalog.home_region else "未标注",
             "产业": "、".join(sorted(catalog.name(i) for i in catalog.industries_of.get(node, ())))
             or "未标注",
             "合作方": graph.degree(node)} for node in graph
            if region is None or region in catalog.regions_of.get(node, ())]
    frame = pd.DataFrame(rows, columns=["id", "名称", "类型", "区域", "产业", "合作方"])
    return frame.sort_values(["类型", "名称"], ignore_index=True)


GAP_COLUMNS = ["产业", "环节", "位置", "状态", "现有成员", "排名", "候选", "候选类型", "得分",
               "推荐理由"]


def gap_table(reports: Iterable[ChainReport]) -> pd.DataFrame:
    """The table a promoter takes to a meeting: one row per candidate of every 缺失 or 薄弱
    segment (a segment without candidates still gets one row), chains upstream first."""
    rows: list[list[Any]] = []
    for report in reports:
        for segment in report.segments:
            if segment.status is None:
                continue
            head = [report.industry.name, segment.segment.name.split("·", 1)[-1],
                    f"{segment.order}（{segment.stage}）", segment.status,
                    "、".join(m.entity.name for m in segment.members) or "无"]
            rows += [[*head, c.rank, c.entity.name, c.entity.type_label, round(c.score, 3),
                      c.explanation.text] for c in segment.candidates] or \
                [[*head, None, "", "", None, "图谱中暂无候选"]]
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


# -- drawing ----------------------------------------------------------------------------------
def path_subgraph(store: GraphStore, paths: Iterable[Sequence[PathStep]],
                  also: Iterable[str] = ()) -> Subgraph:
    """The entities on ``paths`` (and the ids in ``also``) with every relation among them:
    what to draw to show how candidates connect to a query."""
    ids = {step.entity.id for path in paths for step in path} | set(also)
    if not ids:
        raise InvalidInput("paths", "no entity to draw: the paths are empty and also= is empty")
    return store.subgraph(sorted(ids))


def inline_page(page: str, height: int = 600) -> HTML:
    """A self-contained HTML page (from :mod:`viz`) shown in a notebook cell, inside an
    iframe ``srcdoc`` (escaped; scripts run sandboxed, nothing is fetched).

    >>> "&lt;b&gt;" in inline_page("<b>甲</b>").data
    True
    """
    from IPython.display import HTML

    if not 100 <= height <= 4000:
        raise InvalidInput("height", f"must be between 100 and 4000 pixels, got {height}")
    # wrapped in a div: IPython warns about a bare <iframe> (its IFrame wants a URL)
    return HTML(  # type: ignore[no-untyped-call]
        f'<div><iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
        f'style="width:100%;height:{height}px;border:1px solid #ddd"></iframe></div>')


def show_subgraph(graph: Subgraph, heading: str, *, subheading: str = "",
                  center: str | None = None, scores: Mapping[str, float] | None = None,
                  score_name: str = "", height: int = 600) -> HTML:
    """:func:`viz.render_subgraph` of ``graph``, shown inline (vis-network carried in the
    page: works offline)."""
    page = render_subgraph(graph, heading=heading, subheading=subheading, center=center,
                           scores=scores, score_name=score_name)
    return inline_page(page, height)


def use_chinese_font(candidates: Sequence[str] = CJK_FONTS) -> str:
    """Make matplotlib draw Chinese labels with the first installed font of ``candidates``.

    Returns a line to print: the font chosen, or, when none is installed, a note saying
    that labels will show as boxes and how to install one.
    """
    from matplotlib import font_manager, rcParams

    installed = {font.name for font in font_manager.fontManager.ttflist}
    if not installed.intersection(candidates):
        # matplotlib's font cache may predate the font's installation: look on disk
        for path in font_manager.findSystemFonts():
            try:
                if font_manager.get_font(path).family_name in candidates:
                    font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError):
                continue  # a file FreeType cannot read is not a font we can use
        installed = {font.name for font in font_manager.fontManager.ttflist}
    for name in candidates:
        if name in installed:
            rcParams["font.family"] = "sans-serif"
            rcParams["font.sans-serif"] = [name, *rcParams["font.sans-serif"]]
            rcParams["axes.unicode_minus"] = False  # CJK fonts often lack U+2212
            return f"中文字体：{name}"
    return ("注意：未找到中文字体，图中的中文会显示为方框。Debian/Ubuntu 可安装 "
            "`apt-get install fonts-noto-cjk`（或 fonts-wqy-microhei）后重启内核。 "
            "No CJK font found: Chinese labels will show as boxes.")
