"""Write analytics scores back to the store, as entity properties others can query.

Names written: ``degree``, ``weighted_degree``, ``pagerank``, ``betweenness`` (from
:func:`~graph.analytics.centrality.centrality`), ``community`` (the community number),
``ego_density`` and ``collab_score`` (from :func:`~graph.analytics.ego.ego_figures`).
In Neo4j they become ``score_<name>`` properties (the store contract decides).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from graph.store.base import GraphStore, check_scores
from schema import InvalidInput

from .centrality import Centrality
from .communities import Communities
from .ego import EgoFigures

__all__ = ["score_table", "write_back"]


def score_table(centrality: Centrality | None = None, communities: Communities | None = None,
                ego: Mapping[str, EgoFigures] | None = None) -> dict[str, dict[str, float]]:
    """Scores by entity id from any of the given results.

    Parameters
    ----------
    centrality, communities, ego : results, optional
        At least one.

    Returns
    -------
    dict
        Score name -> value, by entity id (names in the module docstring).

    >>> from graph.analytics.centrality import Centrality
    >>> table = score_table(Centrality({"degree": {"a": 2.0}}, "exact", 1, 7))
    >>> table
    {'a': {'degree': 2.0}}
    """
    if centrality is None and communities is None and ego is None:
        raise InvalidInput("scores", "give at least one result to write")
    table: dict[str, dict[str, float]] = defaultdict(dict)
    if centrality is not None:
        for measure, values in centrality.scores.items():
            for node, value in values.items():
                table[node][measure] = float(value)
    if communities is not None:
        for node, number in communities.membership.items():
            table[node]["community"] = float(number)
    if ego is not None:
        for node, figures in ego.items():
            table[node]["ego_density"] = figures.ego_density
            table[node]["collab_score"] = figures.collaboration_score
    check_scores(table)
    return dict(table)


def write_back(store: GraphStore, scores: Mapping[str, Mapping[str, float]]) -> int:
    """Write ``scores`` to the store (merged with scores already there); return the number
    of entities updated. All or nothing: an unknown id writes nothing.

    Parameters
    ----------
    store : GraphStore
    scores : mapping
        As :func:`score_table` gives them.

    Returns
    -------
    int
        Entities updated.

    >>> import pathlib, tempfile
    >>> from graph.store import open_store
    >>> from schema import Entity, EntityType as E
    >>> with open_store(pathlib.Path(tempfile.mkdtemp()) / "s") as store:
    ...     _ = store.upsert([Entity("enterprise:a", E.enterprise, "甲")])
    ...     write_back(store, {"enterprise:a": {"degree": 2.0}})
    ...     store.read_scores(["enterprise:a"])
    1
    {'enterprise:a': {'degree': 2.0}}
    """
    check_scores(scores)
    return store.write_scores(scores)
