"""Progress of long analytics, reported to whoever listens (the CLI draws it on stderr).

Analytics functions call :func:`phase` as they move from step to step; nothing happens
unless a caller installed a reporter with :func:`reporting` — the library itself never
prints. A reporter receives the phase's label and, where known, the share of the whole
command done (0–1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["Reporter", "phase", "reporting"]

#: called with a phase label and the share done (``None``: unknown)
Reporter = Callable[[str, float | None], None]
_reporter: ContextVar[Reporter | None] = ContextVar("innograph_analytics_reporter",
                                                    default=None)


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Send the :func:`phase` calls made inside the block to ``reporter``.

    Parameters
    ----------
    reporter : callable or None
        Called as ``reporter(label, share)``; ``None`` silences the block.

    Returns
    -------
    context manager

    >>> seen = []
    >>> with reporting(lambda label, share: seen.append((label, share))):
    ...     phase("PageRank", 0.5)
    >>> phase("ignored"); seen
    [('PageRank', 0.5)]
    """
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)


def phase(label: str, share: float | None = None) -> None:
    """Report that the analysis entered ``label`` (``share`` of the work done so far).

    Parameters
    ----------
    label : str
        The phase, Chinese first (``"社区发现 Louvain communities"``).
    share : float, optional
        Share of the current step done, 0–1.

    Returns
    -------
    None

    >>> with reporting(lambda label, share: print(label, share)):
    ...     phase("PageRank", 0.25)
    PageRank 0.25
    """
    reporter = _reporter.get()
    if reporter is not None:
        reporter(label, share)
