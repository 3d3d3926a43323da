"""How much memory and time an analysis will take, checked before it allocates.

Each step of an analysis is estimated from the size of the graph — actors ``n``, edges
``m``, and for reading the store its entities and relations — with per-item costs
measured on this project's benchmark graphs (``bench/analytics_scale.py``, figures in
``bench/RESULTS.md``). A step whose estimate does not fit the budget is refused with
:class:`TooLarge` before anything is built: the message names the estimate, the budget,
and what would make it fit (a region or an industry, a year range, fewer betweenness
sources, a larger budget).

The budget: ``INNOGRAPH_ANALYTICS_MEMORY`` (bytes, or with a K/M/G suffix; default 8G:
the resident size of the whole process, what it already holds included) and
``INNOGRAPH_ANALYTICS_MINUTES`` (default 15).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from schema import InnographError, InvalidInput

from .projection_filter import ACTOR_TYPES, ProjectionFilter
from .results import JsonResult

if TYPE_CHECKING:
    from graph.store.base import GraphStore

__all__ = ["DEFAULT_MEMORY", "DEFAULT_MINUTES", "MEMORY_VARIABLE", "MINUTES_VARIABLE",
           "Budget", "Estimate", "TooLarge", "check", "estimate", "plan", "require",
           "resident_bytes"]

MEMORY_VARIABLE = "INNOGRAPH_ANALYTICS_MEMORY"
MINUTES_VARIABLE = "INNOGRAPH_ANALYTICS_MINUTES"
DEFAULT_MEMORY = 8 * 2**30
DEFAULT_MINUTES = 15.0

#: step -> (bytes per actor, bytes per edge, bytes fixed) the step adds while it runs (its
#: peak above what was resident before it), fitted to ``bench/analytics_scale.py`` at 100k
#: and 1M actors with franken-networkx (bench/RESULTS.md, issue 22); for ``read``: per
#: entity and per relation of the store, and what reading leaves resident
#: (:data:`READ_RESIDENT`) is counted for the steps after it.
MEMORY_COST: dict[str, tuple[float, float, float]] = {
    "read": (1400.0, 700.0, 320e6),
    "graph": (300.0, 560.0, 0.0),  # the NetworkX graph with its edge attributes
    "centrality": (600.0, 160.0, 44e6),
    "communities": (600.0, 160.0, 40e6),
    "ego": (250.0, 40.0, 20e6),
    "density": (300.0, 30.0, 20e6),
    "write": (1700.0, 0.0, 20e6),  # the store's write of the score table
}
#: share of the read's memory still resident once the projection is built
READ_RESIDENT = 0.75
#: bytes per actor of the score table ``analyze scores`` writes (seven floats each)
SCORE_TABLE_BYTES = 500.0
#: step -> (CPU seconds per actor, per edge, fixed) on one core of the 2-core development
#: machine; the wall time on a shared, loaded machine is longer (bench/RESULTS.md)
TIME_COST: dict[str, tuple[float, float, float]] = {
    "read": (1.4e-5, 5e-6, 0.5),
    "graph": (5e-6, 6.5e-6, 0.0),
    "centrality": (2.6e-6, 2.6e-6, 0.5),
    "betweenness": (1.2e-7, 1.2e-7, 0.0),  # per source
    "communities": (1.9e-5, 1.9e-5, 0.5),
    "ego": (3.7e-6, 3.7e-6, 0.5),
    "density": (1.7e-5, 0.0, 0.5),
    "write": (2.5e-4, 0.0, 1.0),  # at 100k actors; grows as n^1.5, see WRITE_GROWTH
}
#: the store's write of the scores grows faster than the actors: 25 s CPU at 100k, more
#: than 13 min CPU (stopped unfinished) at 1M, so its per-actor cost is scaled by
#: ``(n / 100,000) ** WRITE_GROWTH``
WRITE_GROWTH = 0.5
STEPS = tuple(MEMORY_COST)


@dataclass(frozen=True)
class Budget:
    """Memory (bytes, the whole process) and time (seconds) an analysis may take."""

    memory: int = DEFAULT_MEMORY
    seconds: float = DEFAULT_MINUTES * 60

    @classmethod
    def from_environment(cls) -> Budget:
        """The budget set by ``INNOGRAPH_ANALYTICS_MEMORY`` / ``_MINUTES`` (or defaults).

        >>> import os; os.environ[MEMORY_VARIABLE] = "512M"
        >>> Budget.from_environment().memory
        536870912
        >>> del os.environ[MEMORY_VARIABLE]
        """
        memory = os.environ.get(MEMORY_VARIABLE, "").strip()
        minutes = os.environ.get(MINUTES_VARIABLE, "").strip()
        try:
            return cls(parse_bytes(memory) if memory else DEFAULT_MEMORY,
                       float(minutes) * 60 if minutes else DEFAULT_MINUTES * 60)
        except ValueError:
            raise InvalidInput(MINUTES_VARIABLE, f"not a number of minutes: {minutes!r}"
                               ) from None


def parse_bytes(text: str) -> int:
    """``'8G'`` → 8589934592; plain numbers are bytes.

    >>> parse_bytes("8G"), parse_bytes("1.5k"), parse_bytes("100")
    (8589934592, 1536, 100)
    """
    found = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([kKmMgGtT]?)i?[bB]?\s*", text)
    if not found:
        raise InvalidInput(MEMORY_VARIABLE, f"not a size: {text!r} (e.g. 8G, 512M)")
    power = " KMGT".index(found.group(2).upper() or " ")
    return int(float(found.group(1)) * 1024 ** power)


@dataclass(frozen=True)
class Estimate(JsonResult):
    """What one step of an analysis is expected to take."""

    step: str
    nodes: int
    edges: int
    #: bytes the step adds while it runs
    memory: int
    #: bytes resident when it was estimated (counted against the budget)
    resident: int
    seconds: float

    @property
    def peak(self) -> int:
        return self.resident + self.memory


def resident_bytes() -> int:
    """This process's resident set size (0 where ``/proc`` is not there).

    Returns
    -------
    int
        Bytes.

    >>> resident_bytes() >= 0
    True
    """
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def estimate(step: str, nodes: int, edges: int, *, sources: int = 0,
             resident: int | None = None) -> Estimate:
    """The memory and time one step is expected to take on a graph of this size.

    Parameters
    ----------
    step : str
        One of :data:`STEPS` (``read``: ``nodes`` and ``edges`` are the store's entities
        and relations).
    nodes, edges : int
        Actors and edges of the projection.
    sources : int
        Betweenness sources (``centrality`` only).
    resident : int, optional
        Bytes already resident (default: measured now).

    Returns
    -------
    Estimate

    >>> e = estimate("centrality", 1_000_000, 2_600_000, sources=64, resident=0)
    >>> round(e.memory / 2**30, 1), round(e.seconds)
    (1.0, 38)
    """
    if step not in MEMORY_COST:
        raise InvalidInput("step", f"must be one of {list(STEPS)}, got {step!r}")
    per_node, per_edge, fixed = MEMORY_COST[step]
    t_node, t_edge, t_fixed = TIME_COST[step]
    seconds = t_node * nodes + t_edge * edges + t_fixed
    if step == "write":
        seconds = t_node * nodes * max(1.0, nodes / 100_000) ** WRITE_GROWTH + t_fixed
    if step == "centrality" and sources:
        b_node, b_edge, _ = TIME_COST["betweenness"]
        seconds += sources * (b_node * nodes + b_edge * edges) * (
            1.0 if sources < nodes else 0.5)  # exact: each pair once
    return Estimate(step, nodes, edges, int(per_node * nodes + per_edge * edges + fixed),
                    resident_bytes() if resident is None else resident, seconds)


class TooLarge(InnographError):
    """An analysis would not fit the memory or time budget: refused before it starts."""

    exit_code = 2

    def __init__(self, found: Estimate, budget: Budget, scoped: bool) -> None:
        self.estimate = found
        self.budget = budget
        gib = 2**30
        need = f"{found.peak / gib:.1f} GiB, {_duration(found.seconds)}"
        limit = f"{budget.memory / gib:.1f} GiB, {_duration(budget.seconds)}"
        narrow = ("再缩小范围：换更小的区域或产业、加 --year-from/--year-to (narrow it further: "
                  "a smaller --region or --industry, a year range)") if scoped else (
            "按区域或产业分析：--region 区域 / --industry 产业，或 --year-from/--year-to "
            "(analyse a region or an industry: --region, --industry, or a year range)")
        sample = "；中介中心性可减少抽样源 --sources N (fewer betweenness sources)" \
            if found.step == "centrality" else ""
        super().__init__(
            f"分析规模超出本机预算，已拒绝 (refused before starting): {found.step} on "
            f"{found.nodes:,} actors / {found.edges:,} edges needs about {need}; "
            f"budget {limit}. {narrow}{sample}; or raise {MEMORY_VARIABLE} / "
            f"{MINUTES_VARIABLE} on a larger machine")


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def check(found: Estimate, scoped: bool = False, budget: Budget | None = None) -> Estimate:
    """Raise :class:`TooLarge` if ``found`` does not fit ``budget`` (default: from the
    environment); return it otherwise.

    Parameters
    ----------
    found : Estimate
    scoped : bool
        The analysis is already narrowed (region, industry, years): the message then
        asks for a narrower scope rather than for one.
    budget : Budget, optional

    Returns
    -------
    Estimate
        ``found``, when it fits.

    >>> tiny = Budget(memory=1, seconds=900)
    >>> try:
    ...     check(estimate("ego", 10, 20, resident=0), budget=tiny)
    ... except TooLarge as refused:
    ...     print(str(refused)[:60])
    分析规模超出本机预算，已拒绝 (refused before starting): ego on 10 actors /
    """
    chosen = budget or Budget.from_environment()
    if found.peak > chosen.memory or found.seconds > chosen.seconds:
        raise TooLarge(found, chosen, scoped)
    return found


class Projected(Protocol):
    """What the budget reads of a projection (:class:`~graph.analytics.projection.Projection`)."""

    filter: ProjectionFilter

    def number_of_nodes(self) -> int: ...

    def number_of_edges(self) -> int: ...


def require(projection: Projected, step: str, *, sources: int = 0) -> Estimate:
    """Check that ``step`` on ``projection`` fits the budget (:func:`check`), before it
    allocates; return the estimate.

    Parameters
    ----------
    projection : Projection
    step : str
        One of :data:`STEPS`.
    sources : int
        Betweenness sources (``centrality``).

    Returns
    -------
    Estimate

    >>> from schema import Entity, EntityType as E
    >>> from graph.analytics.projection import build_projection
    >>> p = build_projection([Entity("enterprise:a", E.enterprise, "甲")], [])
    >>> require(p, "centrality").nodes
    1
    """
    nodes, edges = projection.number_of_nodes(), projection.number_of_edges()
    chosen = projection.filter
    scoped = chosen.region is not None or chosen.industry is not None or chosen.dated
    return check(estimate(step, nodes, edges, sources=sources), scoped)


def plan(store: GraphStore, filter: ProjectionFilter | None = None,
         steps: Iterable[str] = (), *, sources: int = 0) -> list[Estimate]:
    """Estimate reading ``store`` and running ``steps`` on its projection, from the store's
    counts alone (nothing read yet); raise :class:`TooLarge` if any does not fit.

    Actors are the entities of actor types and edges at most the collaboration relations;
    with a region, an industry or a year range only the read is checked here (the scope
    is known once the catalog is read) and each step checks again on the projection.

    Parameters
    ----------
    store : GraphStore
    filter : ProjectionFilter, optional
    steps : iterable of str
        Steps of :data:`STEPS` the command will run (``read`` is always checked).
    sources : int
        Betweenness sources, for ``centrality``.

    Returns
    -------
    list of Estimate
        One per step checked, ``read`` first; each one's ``seconds`` run from the start of
        the command to the end of that step (the time budget is for the whole command).

    >>> from graph.store import open_store
    >>> import tempfile, pathlib
    >>> with open_store(pathlib.Path(tempfile.mkdtemp()) / "s") as store:
    ...     [e.step for e in plan(store, steps=["centrality"])]
    ['read', 'centrality']
    """
    chosen = filter or ProjectionFilter()
    counts = store.counts()
    scoped = chosen.region is not None or chosen.industry is not None or chosen.dated
    resident = resident_bytes()
    found = [check(estimate("read", counts.entities, counts.relations, resident=resident),
                   scoped)]
    # what reading leaves resident (the catalog and the arrays) counts for the steps, and
    # so does what each step keeps (its results) for the steps after it
    held = resident + int(READ_RESIDENT * found[0].memory)
    if scoped:
        return found
    actors = sum(n for t, n in counts.entities_by_type.items()
                 if t in {a.value for a in ACTOR_TYPES & chosen.entity_types})
    edges = sum(n for t, n in counts.relations_by_type.items()
                if t in {r.value for r in chosen.relation_types})
    after_read = held
    spent = found[0].seconds  # the time budget is for the whole command
    for step in steps:
        if step == "write":
            # the score table is made while the results are held; the command then drops
            # them, so the store's write of the table stacks on what reading left
            table = int(SCORE_TABLE_BYTES * actors)
            written = estimate(step, actors, edges, resident=after_read + table)
            resident = max(held + table - written.memory, written.resident)
            spent += written.seconds
            found.append(check(Estimate(step, actors, edges, written.memory, resident,
                                        spent), scoped))
        elif step != "read":
            step_estimate = estimate(step, actors, edges, sources=min(sources, actors),
                                     resident=held)
            spent += step_estimate.seconds
            found.append(check(Estimate(step, actors, edges, step_estimate.memory, held,
                                        spent), scoped))
            held = found[-1].peak
    return found
