"""A rich progress display for loads, silent when output is for scripts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .output import errors

_PHASES = {"read": "读取 reading", "validate": "校验 validating", "write": "写入 writing"}


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Callable[[str, int], None]]:
    """Yield a ``tick(phase, rows)`` hook that shows rows handled per phase on stderr."""
    if not enabled:
        yield lambda _phase, _rows: None
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                  TextColumn("{task.completed:,} rows"), TimeElapsedColumn(),
                  console=errors, transient=True) as bar:
        task = bar.add_task(_PHASES["read"], total=None)

        def tick(phase: str, rows: int) -> None:
            bar.update(task, description=_PHASES.get(phase, phase), advance=rows)

        yield tick


@contextmanager
def analysis_progress(enabled: bool = True) -> Iterator[None]:
    """Show the phases of an analysis on stderr while the block runs: a live line with the
    phase, the share of it done and the elapsed time on a terminal, else one line per
    phase (for logs). Nothing at all when not ``enabled`` (``--json``).
    """
    if not enabled:
        yield
        return
    import time

    from graph.analytics.progress import reporting

    started = time.monotonic()
    if not errors.is_terminal:
        last = [""]

        def line(label: str, share: float | None) -> None:
            if label != last[0]:
                last[0] = label
                done = f"{share:4.0%} " if share is not None else ""
                errors.print(f"分析 analysing: {done}{label} ({time.monotonic() - started:.1f} s)",
                             markup=False, highlight=False, soft_wrap=True)

        with reporting(line):
            yield
        return
    from rich.progress import BarColumn, TaskProgressColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TaskProgressColumn(), TimeElapsedColumn(), console=errors,
                  transient=True) as bar:
        task = bar.add_task("分析 analysing", total=None)

        def draw(label: str, share: float | None) -> None:
            bar.update(task, description=label, total=None if share is None else 1.0,
                       completed=share or 0.0)

        with reporting(draw):
            yield
