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
