"""The collaboration projection: the store as an undirected, weighted NetworkX graph.

Nodes are actors (organisations, teams, people); an edge joins two actors tied by at
least one collaboration relation, whatever its direction. Several relations between the
same pair collapse into one edge carrying

- ``ties``: how many relations join the pair,
- ``weight``: the sum of their strengths (:data:`TIE_STRENGTH`, e.g. 共建 3, 合作 1),
- ``types`` and ``kinds``: relation types and partnership kinds, for explanations,
- ``years`` and ``strengths``: each tie's year (``None`` when undated) and strength.

Projections are cached per store version (:func:`project`), so repeated calls on an
unchanged store do not rebuild them; treat a returned projection as read-only.
"""

from __future__ import annotations

import gc
import json
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import networkx as nx
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from graph.store.base import GraphStore
from schema import Entity, EntityNotFound, EntityType, Relation, RelationType

from .budget import plan, require
from .catalog import Catalog, catalog_from_columns
from .columns import EntityColumns, RelationColumns, count_of
from .progress import phase
from .projection_filter import ACTOR_TYPES, COLLABORATION, ProjectionFilter
from .sparse import SparseAdjacency
from .ties import Ties

__all__ = ["ACTOR_TYPES", "COLLABORATION", "TIE_STRENGTH", "Projection", "ProjectionFilter",
           "build_projection", "paused_gc", "project", "projection_from_tables",
           "strength_of", "tie_strength"]

#: strength of one tie: by partnership kind, else by relation type (default 1)
TIE_STRENGTH: dict[str, float] = {
    "共建": 3.0, "创新联合体": 3.0, "联合申报": 2.0, "技术合作": 2.0, "战略合作": 2.0,
    "校地合作": 2.0, "合作": 1.0,
    RelationType.affiliated_with.value: 2.0, RelationType.leads.value: 2.0,
    RelationType.invests_in.value: 2.0, RelationType.incubated_at.value: 1.0,
    RelationType.sub_fund_of.value: 1.0, RelationType.supports.value: 1.0,
    RelationType.co_applicant.value: 2.0,
}
#: the strongest a co-application tie gets (a pair sharing 3+ patents ties like 共建)
CO_PATENT_CAP = 3.0
_CACHE_SIZE = 4  # a 100k-actor projection holds a few hundred MB


def tie_strength(relation: Relation) -> float:
    """Strength of one tie: a 共建 partnership counts 3, plain 合作 1, a ``supports`` 1.

    Parameters
    ----------
    relation : Relation

    Returns
    -------
    float

    >>> tie_strength(Relation("r", RelationType.partnership, "a", "b", props={"kind": "共建"}))
    3.0
    """
    kind = relation.props.get("kind")
    return strength_of(relation.type, str(kind) if kind is not None else None)


def strength_of(relation_type: RelationType, kind: str | None) -> float:
    """Strength of a tie of this type and partnership kind (:data:`TIE_STRENGTH`).

    Parameters
    ----------
    relation_type : RelationType
    kind : str or None
        The partnership kind (``None``: plain 合作).

    Returns
    -------
    float

    >>> strength_of(RelationType.partnership, "联合申报"), strength_of(RelationType.leads, None)
    (2.0, 2.0)
    """
    if relation_type is RelationType.partnership:
        return TIE_STRENGTH.get(kind or "合作", 1.0)
    return TIE_STRENGTH.get(relation_type.value, 1.0)


class Projection:
    """A collaboration graph with the catalog of names and memberships it was built from.

    A projection built from a store or records holds its ties compactly (:class:`Ties`:
    arrays, a few dozen bytes a tie) and builds the NetworkX :attr:`graph`, with its
    per-edge attributes, only when something asks for it; degree, PageRank, betweenness,
    Louvain, clustering and group figures run on the arrays (:mod:`.engine`) and never
    need it. ``Projection(graph, catalog)`` wraps an existing NetworkX graph as before.
    """

    def __init__(self, graph: nx.Graph[str] | None, catalog: Catalog,
                 filter: ProjectionFilter | None = None, version: int | None = None,
                 undated_dropped: int = 0, *, ties: Ties | None = None) -> None:
        if graph is None and ties is None:
            raise ValueError("a projection needs a graph or its ties")
        self._graph = graph
        self.catalog = catalog
        self.filter = filter or ProjectionFilter()
        #: the store version it was built at (``None`` when built from records)
        self.version = version
        #: ties left out because a year range was asked for and they carry no year
        self.undated_dropped = undated_dropped
        self._ties = ties
        #: built from ties (the arrays are the source; the NetworkX graph is derived)
        self.native = ties is not None
        self._sparse: SparseAdjacency | None = None
        self._index: dict[str, int] | None = None
        self._engine: object | None = None

    def __repr__(self) -> str:
        return (f"Projection({self.number_of_nodes()} actors, {self.number_of_edges()} edges, "
                f"{self.filter!r})")

    @property
    def graph(self) -> nx.Graph[str]:
        """The NetworkX graph (built from the ties on first use; treat it as read-only).

        On a large projection this is the costly form (about 1.5 kB a tie with its
        attributes): it is built only after :func:`~graph.analytics.budget.require` found
        room for it, else :class:`~graph.analytics.budget.TooLarge` says what would fit.
        """
        if self._graph is None:
            assert self._ties is not None
            require(self, "graph")
            self._graph = self._ties.to_networkx(self.catalog)
        return self._graph

    @property
    def has_graph(self) -> bool:
        """Whether the NetworkX graph exists yet (building it is the expensive step)."""
        return self._graph is not None

    @property
    def ties(self) -> Ties:
        """The compact form; for a wrapped NetworkX graph, derived from it on first use."""
        if self._ties is None:
            assert self._graph is not None
            self._ties = Ties.of_graph(self._graph)
        return self._ties

    @property
    def nodes(self) -> list[str]:
        """Actor ids in node order (the order seeded algorithms visit them in)."""
        return self.ties.nodes

    def number_of_nodes(self) -> int:
        return len(self.nodes) if self._graph is None else self._graph.number_of_nodes()

    def number_of_edges(self) -> int:
        return len(self.ties.u) if self._graph is None else self._graph.number_of_edges()

    def index(self) -> dict[str, int]:
        """Node id -> position in :attr:`nodes`."""
        if self._index is None:
            self._index = {node: i for i, node in enumerate(self.nodes)}
        return self._index

    def __contains__(self, node: object) -> bool:
        return node in self.index()

    def sparse(self) -> SparseAdjacency:
        """The graph as a sparse weight matrix, built on first use (the graph is read-only)."""
        if self._sparse is None:
            self._sparse = self.ties.sparse(self.index())
        return self._sparse


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that stay alive.

    Its full passes over hundreds of thousands of new, long-lived objects cost a third of
    a large build and free nothing.

    Returns
    -------
    context manager

    >>> with paused_gc():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_projection(entities: Iterable[Entity], relations: Iterable[Relation],
                     filter: ProjectionFilter | None = None) -> Projection:
    """Project entities and relations (e.g. from a store) into a collaboration graph.

    Parameters
    ----------
    entities, relations : iterables of records
        The whole graph (groups are read from its structural relations).
    filter : ProjectionFilter, optional
        Which actors and ties to keep; the default keeps every actor and collaboration tie.

    Returns
    -------
    Projection
        The graph, its catalog of names and memberships, and the filter used.

    Raises
    ------
    schema.InvalidInput
        A filter parameter that cannot work (named in the message).
    schema.EntityNotFound
        The filter's region or industry is not in the graph.

    >>> a = Entity("institute:a", EntityType.institute, "甲研究院")
    >>> b = Entity("enterprise:b", EntityType.enterprise, "乙公司")
    >>> ties = [Relation("r1", RelationType.partnership, a.id, b.id, props={"kind": "共建"}),
    ...         Relation("r2", RelationType.affiliated_with, a.id, b.id)]
    >>> edge = build_projection([a, b], ties).graph.edges["institute:a", "enterprise:b"]
    >>> edge["ties"], edge["weight"], edge["types"]
    (2, 5.0, ('affiliated_with', 'partnership'))
    """
    chosen = filter or ProjectionFilter()
    chosen.check()
    with paused_gc():
        columns = RelationColumns.from_records(relations)
        return _build(EntityColumns.from_records(entities), columns, tie_table(columns),
                      chosen)


def projection_from_tables(entities: pa.Table, relations: pa.Table,
                           filter: ProjectionFilter | None = None) -> Projection:
    """:func:`build_projection` from the store's column form (``store.entities_table()``,
    ``store.relations_table()``), without building a record per row.

    Only the structural relations (places, industries, chains) become Python values, for
    the catalog; collaboration ties stay in arrays (:class:`~.ties.Ties`).

    Parameters
    ----------
    entities, relations : pyarrow.Table
        In ``schema.tables`` layout.
    filter : ProjectionFilter, optional

    Returns
    -------
    Projection

    >>> from schema.tables import entities_to_table, relations_to_table
    >>> a = Entity("institute:a", EntityType.institute, "甲研究院")
    >>> b = Entity("enterprise:b", EntityType.enterprise, "乙公司")
    >>> tie = Relation("r1", RelationType.partnership, a.id, b.id, props={"kind": "共建"})
    >>> p = projection_from_tables(entities_to_table([a, b]), relations_to_table([tie]))
    >>> p.nodes, p.ties.weight.tolist()
    (['enterprise:b', 'institute:a'], [3.0])
    """
    chosen = filter or ProjectionFilter()
    chosen.check()
    with paused_gc():
        # only the columns used, before sorting: the sort copies what it is given
        relations = relations.select(_RELATION_COLUMNS).sort_by(_RELATION_ORDER)
        entities = entities.select(_ENTITY_COLUMNS)
        structural = relations.filter(pc.is_in(relations.column("type"),
                                               value_set=pa.array(_CATALOG_TYPES)))
        return _build(EntityColumns.from_table(entities), RelationColumns.from_table(structural),
                      tie_table_of(relations, chosen), chosen)


#: relation types the catalog reads (groups, places, chains)
_CATALOG_TYPES = sorted(t.value for t in (
    RelationType.part_of, RelationType.located_in, RelationType.incubated_at,
    RelationType.in_industry, RelationType.in_segment, RelationType.supplies))
_RELATION_COLUMNS = ["source", "target", "type", "kind", "year", "role", "props"]
_ENTITY_COLUMNS = ["id", "type", "name", "props", "origin"]  # origin: the reference layer
_RELATION_ORDER = [("source", "ascending"), ("target", "ascending"), ("type", "ascending")]
_TIE_SCHEMA = pa.schema([("source", pa.string()), ("target", pa.string()),
                         ("type", pa.string()), ("kind", pa.string()), ("year", pa.int64()),
                         ("count", pa.int64()), ("years", pa.string())])
#: a relation's history in its canonical JSON properties (schema.history: "2016:1;2018:2")
_YEARS_IN_PROPS = r'"years":"(?P<years>[0-9:;]*)"'


def tie_table(relations: RelationColumns) -> pa.Table:
    """The columns the ties are built from (source, target, type, kind, year, count), in
    the order of ``relations``."""
    n = len(relations.sources)
    return pa.table([relations.sources, relations.targets,
                     [t.value for t in relations.types], relations.kinds, relations.years,
                     relations.counts or [None] * n, relations.histories or [None] * n],
                    schema=_TIE_SCHEMA)


def tie_table_of(relations: pa.Table, chosen: ProjectionFilter) -> pa.Table:
    """:func:`tie_table` from a sorted ``RELATION_SCHEMA`` table: the rows of the chosen
    relation types, patent counts read from the co-applicant rows' JSON properties."""
    wanted = pa.array(sorted(t.value for t in chosen.relation_types))
    rows = relations.filter(pc.is_in(relations.column("type"), value_set=wanted))
    counts: list[int | None] = [None] * rows.num_rows
    weighted = pc.equal(rows.column("type"), RelationType.co_applicant.value)
    if rows.num_rows and pc.any(weighted).as_py():
        for index in pc.indices_nonzero(weighted).to_pylist():
            text = rows.column("props")[index].as_py()
            counts[index] = count_of(RelationType.co_applicant,
                                     json.loads(text or "{}").get("weight"))
    kinds = pc.if_else(pc.equal(rows.column("kind"), ""), pa.scalar(None, pa.string()),
                       rows.column("kind"))
    years = pc.struct_field(pc.extract_regex(rows.column("props"), _YEARS_IN_PROPS), [0]) \
        if rows.num_rows else pa.array([], pa.string())
    return pa.table([rows.column("source"), rows.column("target"), rows.column("type"), kinds,
                     rows.column("year"), pa.array(counts, pa.int64()), years],
                    schema=_TIE_SCHEMA)


def _build(entities: EntityColumns, relations: RelationColumns, ties_table: pa.Table,
           chosen: ProjectionFilter) -> Projection:
    catalog = catalog_from_columns(entities, relations)
    del relations
    for parameter, wanted, wanted_type in (("region", chosen.region, EntityType.region),
                                           ("industry", chosen.industry, EntityType.industry)):
        if wanted is not None and (wanted not in catalog.entities
                                   or catalog.entities[wanted].type is not wanted_type):
            raise EntityNotFound(f"{parameter} {wanted}")
    actor = np.fromiter((kind in chosen.entity_types and _in_scope(entity_id, chosen, catalog)
                         for entity_id, kind in zip(entities.ids, entities.types, strict=True)),
                        dtype=np.bool_, count=len(entities.ids))
    ties, undated = _tie_arrays(entities.ids, actor, ties_table, chosen)
    return Projection(None, catalog, chosen, None, undated, ties=ties)


def _codes(column: pa.ChunkedArray | pa.Array) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Dictionary codes of a string column (``-1`` for null) and the dictionary."""
    encoded = pc.dictionary_encode(column.combine_chunks() if isinstance(
        column, pa.ChunkedArray) else column)
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, encoded.dictionary.to_pylist()


def _tie_arrays(entity_ids: list[str], actor: npt.NDArray[np.bool_], table: pa.Table,
                chosen: ProjectionFilter) -> tuple[Ties, int]:
    """The ties the filter keeps as :class:`~.ties.Ties`, and the number of undated ties a
    year range left out. Vectorised; the same ties, order and sums as adding them one by
    one in relation order (``tests/analytics/test_scale.py`` checks against that)."""
    nodes = [entity_id for entity_id, keep in zip(entity_ids, actor.tolist(), strict=True)
             if keep]
    ids = pa.array(entity_ids, pa.string())
    table = table.filter(pc.is_in(table.column("type"), value_set=pa.array(
        sorted(t.value for t in chosen.relation_types), pa.string())))
    source = pc.index_in(table.column("source"), value_set=ids).fill_null(-1).to_numpy(
        zero_copy_only=False).astype(np.int64)
    target = pc.index_in(table.column("target"), value_set=ids).fill_null(-1).to_numpy(
        zero_copy_only=False).astype(np.int64)
    actor_or_missing = np.append(actor, False)  # code -1 (not an entity) reads the False
    keep = (source != target) & actor_or_missing[source] & actor_or_missing[target]
    type_code, type_names = _codes(table.column("type"))
    kind_code, kind_names = _codes(table.column("kind"))
    partnership = type_code == (type_names.index(RelationType.partnership.value)
                                if RelationType.partnership.value in type_names else -2)
    if chosen.partnership_kinds is not None:
        allowed = np.array([(name or "合作") in chosen.partnership_kinds
                            for name in [None, *kind_names]], dtype=np.bool_)
        keep &= ~partnership | allowed[kind_code + 1]
    dated = ~table.column("year").is_null().to_numpy(zero_copy_only=False).astype(np.bool_)
    year = table.column("year").fill_null(0).to_numpy().astype(np.int64)
    undated = 0
    if chosen.dated:
        undated = int((keep & ~dated).sum())
        keep &= dated
        if chosen.year_from is not None:
            keep &= year >= chosen.year_from
        if chosen.year_to is not None:
            keep &= year <= chosen.year_to
    # strength by (type, kind), then a patent pair's count where it has one
    by_pair = np.array([[strength_of(RelationType(t), k) for k in [None, *kind_names]]
                        for t in type_names] or [[1.0]], dtype=np.float64)
    strength = by_pair[type_code, kind_code + 1] if len(type_code) else np.empty(0)
    count = table.column("count").fill_null(0).to_numpy().astype(np.int64)
    patent = count != 0
    strength = np.where(patent, np.minimum(count.astype(np.float64), CO_PATENT_CAP), strength)
    rows = np.flatnonzero(keep)
    low = np.minimum(source[rows], target[rows])
    high = np.maximum(source[rows], target[rows])
    _, first, inverse = np.unique(low * len(entity_ids) + high, return_index=True,
                                  return_inverse=True)
    order = np.argsort(first, kind="stable")  # edges in order of their first tie
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    tie_edge = rank[inverse.ravel()]
    position = np.cumsum(actor, dtype=np.int64) - 1  # entity code -> node position
    edge_first = first[order]
    kept_strength = strength[rows].astype(np.float64)
    observed = _observations(table.column("years"), rows, year, dated, chosen)
    ties = Ties(
        nodes=nodes, u=position[low[edge_first]], v=position[high[edge_first]],
        count=np.bincount(tie_edge, minlength=len(order)).astype(np.int64),
        weight=np.bincount(tie_edge, weights=kept_strength,
                           minlength=len(order)).astype(np.float64),
        tie_edge=tie_edge, tie_type=type_code[rows], tie_kind=kind_code[rows],
        tie_year=year[rows], tie_dated=dated[rows], tie_strength=kept_strength,
        type_names=tuple(type_names), kind_names=tuple(kind_names),
        obs_tie=observed[0], obs_year=observed[1], obs_count=observed[2])
    return ties, undated


def _observations(histories: pa.ChunkedArray | pa.Array, rows: npt.NDArray[np.int64],
                  year: npt.NDArray[np.int64], dated: npt.NDArray[np.bool_],
                  chosen: ProjectionFilter) -> tuple[npt.NDArray[np.int64], ...]:
    """(tie, year, count) of every observation of the kept ties ``rows``: a tie's history
    (``years``) where it has one, else its ``year`` once; only years the filter's range
    holds (a tie first seen by ``year_to`` keeps none of its later years). Vectorised over
    the canonical text (``2016:1;2018:2``: four-digit years)."""
    texts = pc.take(histories, pa.array(rows, pa.int64())) if len(rows) else \
        pa.array([], pa.string())
    has = pc.fill_null(pc.greater(pc.utf8_length(texts), 0), False).to_numpy(
        zero_copy_only=False).astype(np.bool_)
    plain = np.flatnonzero(~has & dated[rows])  # ties dated by ``year`` alone
    ties = [plain]
    years = [year[rows][plain]]
    counts = [np.ones(len(plain), dtype=np.int64)]
    with_history = np.flatnonzero(has)
    if len(with_history):
        parts = pc.split_pattern(pc.take(texts, pa.array(with_history, pa.int64())), ";")
        flat = pc.list_flatten(parts)
        owner = with_history[pc.list_parent_indices(parts).to_numpy().astype(np.int64)]
        # a store written before histories were validated may hold other text: skipped
        fine = pc.match_substring_regex(flat, r"^[0-9]{4}(:[0-9]{1,7})?$")
        flat, owner = flat.filter(fine), owner[fine.to_numpy(zero_copy_only=False)]
        counted = pc.utf8_slice_codeunits(flat, 5, 12)
        ties.append(owner)
        years.append(pc.cast(pc.utf8_slice_codeunits(flat, 0, 4), pa.int64()).to_numpy())
        counts.append(pc.cast(pc.if_else(pc.equal(counted, ""), "1", counted),
                              pa.int64()).to_numpy())
    tie, when, count = (np.concatenate(a).astype(np.int64) for a in (ties, years, counts))
    keep = np.ones(len(tie), dtype=np.bool_)
    if chosen.year_from is not None:
        keep &= when >= chosen.year_from
    if chosen.year_to is not None:
        keep &= when <= chosen.year_to
    order = np.lexsort((when[keep], tie[keep]))
    return tie[keep][order], when[keep][order], count[keep][order]


def _in_scope(entity_id: str, chosen: ProjectionFilter, catalog: Catalog) -> bool:
    if chosen.region is not None and chosen.region not in catalog.regions_of.get(entity_id, ()):
        return False
    return chosen.industry is None or chosen.industry in catalog.industries_of.get(entity_id, ())


_cache: OrderedDict[tuple[str, str, int, ProjectionFilter], Projection] = OrderedDict()


def project(store: GraphStore, filter: ProjectionFilter | None = None) -> Projection:
    """The projection of ``store`` under ``filter``, rebuilt only when the store changed.

    Parameters
    ----------
    store : GraphStore
        Any backend of the store contract.
    filter : ProjectionFilter, optional
        As for :func:`build_projection`.

    The cache holds the last few projections, keyed by store location, store version and
    filter; a write to the store bumps its version, so a stale projection is never served.
    Before reading, :func:`~.budget.plan` checks that the store can be read within the
    memory budget (:class:`~.budget.TooLarge` if not).

    Returns
    -------
    Projection

    >>> import pathlib, tempfile
    >>> from graph.store import open_store
    >>> with open_store(pathlib.Path(tempfile.mkdtemp()) / "s") as store:
    ...     _ = store.upsert([Entity("enterprise:a", EntityType.enterprise, "甲")])
    ...     project(store).nodes
    ['enterprise:a']
    """
    chosen = filter or ProjectionFilter()
    chosen.check()
    version = store.version()
    key = (store.kind, store.location, version, chosen)
    cached = _cache.get(key)
    if cached is not None:
        _cache.move_to_end(key)
        return cached
    plan(store, chosen)  # refuses a store too large to read, before reading it
    phase("读取图谱 reading the store", None)
    with paused_gc():
        entities = store.entities_table().select(_ENTITY_COLUMNS)
        relations = store.relations_table().select(_RELATION_COLUMNS)
    phase("构建投影 building the projection", None)
    built = projection_from_tables(entities, relations, chosen)
    del entities, relations
    pa.default_memory_pool().release_unused()  # the tables' buffers: 1.2 GiB at 1M entities
    built.version = version
    _cache[key] = built
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return built
