"""Which NetworkX backend runs the heavy algorithms (betweenness, PageRank, Louvain).

Analytics call NetworkX functions. Through NetworkX's backend dispatch an installed backend
can run the same call natively on the same graph: :data:`PREFERRED` backends are used when
installed and implementing the function, otherwise NetworkX runs it in Python.
``franken_networkx`` (0.2.3) reproduces NetworkX's results for these calls — the same
sampled sources and betweenness values, the same PageRank, the same Louvain partition for
a seed (``tests/analytics/test_backends.py``) — 10–30× faster on a 100,000-actor graph.

Set ``INNOGRAPH_NX_BACKEND=networkx`` (or another installed backend's name) to choose.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

from schema import InvalidInput

__all__ = ["BACKEND_VARIABLE", "PREFERRED", "backend_for", "dispatch"]

PREFERRED = ("franken_networkx",)
BACKEND_VARIABLE = "INNOGRAPH_NX_BACKEND"


def backend_for(function: Callable[..., Any]) -> str:
    """The backend that will run the NetworkX ``function``: the one named in
    ``$INNOGRAPH_NX_BACKEND``, else the first installed :data:`PREFERRED` backend that
    implements it, else ``'networkx'``.

    Parameters
    ----------
    function : callable
        A NetworkX dispatchable function.

    Returns
    -------
    str
        The backend's name.

    >>> import networkx as nx
    >>> backend_for(nx.pagerank) in ("networkx", *PREFERRED)
    True
    """
    available: set[str] = getattr(function, "backends", {"networkx"})
    forced = os.environ.get(BACKEND_VARIABLE, "").strip()
    if forced:
        if forced not in available:
            raise InvalidInput(BACKEND_VARIABLE, f"{forced!r} does not implement "
                               f"{getattr(function, 'name', function)}; available here: "
                               f"{sorted(available)}")
        return forced
    return next((name for name in PREFERRED if name in available), "networkx")


def dispatch(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, str]:
    """Call the NetworkX ``function`` on the backend :func:`backend_for` picks; return the
    result and the backend's name.

    A backend converts the graph once and NetworkX keeps the conversion on the graph for
    the next call; projections are never changed after they are built, so the notice
    NetworkX gives when it reuses a conversion is silenced here.

    Parameters
    ----------
    function : callable
        A NetworkX dispatchable function.
    *args, **kwargs
        Its arguments.

    Returns
    -------
    tuple
        The function's result and the backend's name.

    >>> import networkx as nx
    >>> dispatch(nx.pagerank, nx.path_graph(2))[0]
    {0: 0.5, 1: 0.5}
    """
    backend = backend_for(function)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Note: conversions to backend graphs")
        return function(*args, backend=backend, **kwargs), backend
