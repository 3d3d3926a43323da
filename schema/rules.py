"""Which entity types each relation type may connect."""

from __future__ import annotations

from functools import cache

from .types import EntityType as E
from .types import RelationType as R

ORGANISATIONS: frozenset[E] = frozenset(
    {E.institute, E.enterprise, E.talent_team, E.incubator, E.fund, E.platform, E.park,
     E.government, E.region}
)
ANY: frozenset[E] = frozenset(E)

# relation -> (allowed source types, allowed target types)
ENDPOINTS: dict[R, tuple[frozenset[E], frozenset[E]]] = {
    R.partnership: (ORGANISATIONS, ORGANISATIONS),
    R.located_in: (ORGANISATIONS | {E.person}, frozenset({E.region, E.park, E.incubator})),
    R.part_of: (
        frozenset({E.chain_segment, E.park, E.region, E.government, E.institute, E.platform,
                   E.incubator, E.enterprise}),
        frozenset({E.industry, E.park, E.region, E.government, E.institute, E.platform,
                   E.enterprise}),
    ),
    R.affiliated_with: (
        frozenset({E.institute, E.talent_team, E.person, E.platform, E.incubator}),
        frozenset({E.institute, E.enterprise, E.incubator, E.platform, E.government, E.park,
                   E.talent_team}),
    ),
    R.leads: (frozenset({E.person}),
              frozenset({E.talent_team, E.institute, E.platform, E.enterprise})),
    R.incubated_at: (frozenset({E.enterprise, E.talent_team}),
                     frozenset({E.incubator, E.park})),
    # a university or a government body invests through its own share holdings too
    R.invests_in: (
        frozenset({E.fund, E.enterprise, E.institute, E.government}),
        frozenset({E.enterprise, E.talent_team, E.fund, E.institute, E.platform, E.incubator}),
    ),
    R.sub_fund_of: (frozenset({E.fund}), frozenset({E.fund})),
    R.in_industry: (ORGANISATIONS | {E.chain_segment}, frozenset({E.industry})),
    R.in_segment: (ORGANISATIONS, frozenset({E.chain_segment})),
    R.supplies: (frozenset({E.chain_segment}), frozenset({E.chain_segment})),
    R.supports: (frozenset({E.government, E.platform, E.fund}), ANY),
    # applicants named together on a patent (an export's 申请人 column)
    R.co_applicant: (ORGANISATIONS - {E.region}, ORGANISATIONS - {E.region}),
}


@cache
def endpoint_problem(relation: R, source: E, target: E) -> str | None:
    """Return why ``source -relation-> target`` is not allowed, or ``None`` if it is.

    >>> endpoint_problem(R.leads, E.person, E.talent_team) is None
    True
    >>> endpoint_problem(R.leads, E.enterprise, E.talent_team)
    'leads cannot start at enterprise (allowed: person)'
    """
    sources, targets = ENDPOINTS[relation]
    if source not in sources:
        allowed = ", ".join(sorted(t.value for t in sources))
        return f"{relation.value} cannot start at {source.value} (allowed: {allowed})"
    if target not in targets:
        allowed = ", ".join(sorted(t.value for t in targets))
        return f"{relation.value} cannot end at {target.value} (allowed: {allowed})"
    return None
