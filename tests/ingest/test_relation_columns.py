"""The column-wise relation path settles exactly the rows it can, as the row path would."""

from __future__ import annotations

import pyarrow as pa

from ingest.readers import Table
from ingest.relation_columns import KnownEndpoints, relation_columns
from ingest.rows import Endpoint, EndpointLookup, Reject, relation_context, relation_row
from schema import EntityType, RelationType


class _Lookup(EndpointLookup):
    def __init__(self) -> None:
        E = EntityType
        self.known = {i: Endpoint(i, t) for i, t in
                      [("a", E.enterprise), ("b", E.institute), ("c", E.industry),
                       ("t", E.talent_team), ("p", E.person)]}

    def resolve(self, text: str) -> Endpoint | str:
        if text == "乙研究院":
            return self.known["b"]
        return self.known.get(text) or "unknown entity"

    def endpoints(self) -> KnownEndpoints:
        return KnownEndpoints(pa.array(list(self.known)),
                              pa.array([e.type.value for e in self.known.values()]))


def _table(rows: list[list[str]]) -> Table:
    columns = ["source", "target", "relation", "kind", "year", "role", "extra"]
    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    return Table("r.csv", "r", columns, data, list(range(2, len(rows) + 2)))


def test_bulk_rows_equal_row_path_and_the_rest_are_left_to_it() -> None:
    rows = [
        ["a", "b", "partnership", "共建", "2021", "", "x"],     # bulk
        ["a", "c", "in_industry", "", "", "producer", ""],      # bulk
        ["b", "c", "所属产业", "", "", "research", ""],           # bulk (Chinese relation word)
        ["a", "乙研究院", "partnership", "共建", "", "", ""],     # target by name: row path
        ["a", "zz", "partnership", "", "", "", ""],             # unknown target: row path
        ["a", "b", "befriends", "", "", "", ""],                # unknown relation: row path
        ["a", "b", "partnership", "", "1500", "", ""],          # invalid year: row path
        ["p", "c", "leads", "", "", "", ""],                    # forbidden endpoints: row path
        ["a", "b", "partnership", "", "", "", "x\x1fy"],        # separator in a cell: row path
        ["p", "t", "leads", "", "", "", ""],                    # bulk
    ]
    ctx = relation_context(_table(rows), "run-1")
    lookup = _Lookup()
    bulk, slow = relation_columns(ctx, None, lookup.endpoints())
    assert slow == [3, 4, 5, 6, 7, 8]
    expected = [relation_row(ctx, i, None, lookup) for i in (0, 1, 2, 9)]
    assert all(not isinstance(e, Reject) for e in expected)
    assert [tuple(r.values()) for r in bulk.to_pylist()] == [tuple(e) for e in expected]
    settled_by_row = [relation_row(ctx, i, None, lookup) for i in slow]
    assert not isinstance(settled_by_row[0], Reject)  # by name, resolved
    assert [r.column for r in settled_by_row[1:] if isinstance(r, Reject)] == [
        "target", "relation", "year", "relation"]


def test_file_named_after_a_relation_and_empty_tables() -> None:
    ctx = relation_context(_table([["a", "b", "", "", "", "", ""]]), "run-1")
    lookup = _Lookup()
    bulk, slow = relation_columns(ctx, RelationType.partnership, lookup.endpoints())
    assert slow == [] and bulk.column("type").to_pylist() == ["partnership"]
    empty, none = relation_columns(relation_context(_table([]), "run-1"), None,
                                   KnownEndpoints(pa.array([], pa.string()), pa.array([], pa.string())))
    assert empty.num_rows == 0 and none == []
