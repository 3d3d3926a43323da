"""Per-actor collaboration figures: ego-network density and a normalised collaboration score.

For an actor v with k partners (neighbours) among which t pairs also collaborate:

- ego density ``(k + t) / (k(k+1)/2)``: the density of the ego network, v included
  (1 when every partner also works with every other; 0 for an actor with no partner);
- alter density ``2t / (k(k−1))``: the same without v (its local clustering coefficient);
- collaboration score ``s(v) / max_u s(u)``, with ``s`` the weighted degree (the summed
  strength of v's ties): 1 for the most collaborative actor, 0 for an isolated one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from schema import EntityNotFound

from . import engine
from .budget import require
from .progress import phase
from .projection import Projection
from .results import EntityRef, JsonResult

__all__ = ["EgoFigures", "ego_figures"]


@dataclass(frozen=True)
class EgoFigures(JsonResult):
    """Collaboration figures of one actor."""

    entity: EntityRef
    partners: int
    ties_among_partners: int
    ego_density: float
    alter_density: float
    weighted_degree: float
    collaboration_score: float


def ego_figures(projection: Projection, ids: Iterable[str] | None = None) -> dict[
        str, EgoFigures]:
    """:class:`EgoFigures` of the given actors (all actors when ``ids`` is None).

    Parameters
    ----------
    projection : Projection
    ids : iterable of str, optional

    Returns
    -------
    dict
        :class:`EgoFigures` by actor id.

    >>> from schema import Entity, Relation, EntityType as E, RelationType as R
    >>> from graph.analytics.projection import build_projection
    >>> nodes = [Entity(f"enterprise:{c}", E.enterprise, c) for c in "abc"]
    >>> ties = [Relation(f"r{i}", R.partnership, f"enterprise:{x}", f"enterprise:{y}")
    ...         for i, (x, y) in enumerate(["ab", "ac"])]
    >>> f = ego_figures(build_projection(nodes, ties))["enterprise:a"]
    >>> f.partners, f.ego_density, f.alter_density, f.collaboration_score
    (2, 0.6666666666666666, 0.0, 1.0)
    """
    wanted = list(projection.nodes) if ids is None else list(ids)
    for node in wanted:
        if node not in projection:
            raise EntityNotFound(node)
    require(projection, "ego")
    phase("自我网络 ego figures", 0.0)
    partners, strength = engine.degrees(projection)
    top = max(strength.values(), default=0.0) or 1.0
    clustering = engine.clustering(projection, wanted) if wanted else {}
    result = {}
    info = projection.catalog.info
    for node in wanted:
        k = int(partners[node])
        local = clustering[node]
        among = round(local * k * (k - 1) / 2)
        result[node] = EgoFigures(
            entity=info(node).ref(), partners=k, ties_among_partners=among,
            ego_density=(k + among) / (k * (k + 1) / 2) if k else 0.0,
            alter_density=local, weighted_degree=strength[node],
            collaboration_score=strength[node] / top)
    return result
