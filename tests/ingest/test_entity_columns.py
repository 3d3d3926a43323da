"""The column-wise entity path settles exactly the rows it can, as the row path would."""

from __future__ import annotations

from ingest.entity_columns import entity_columns
from ingest.readers import Table
from ingest.rows import Reject, entity_context, entity_row
from schema import EntityType

VALID_CODE = "91350100M000100Y43"


def _table(rows: list[list[str]]) -> Table:
    columns = ["id", "name", "type", "aliases", "level", "credit_code", "extra", "doc"]
    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    return Table("e.csv", "e", columns, data, list(range(2, len(rows) + 2)))


def test_bulk_rows_equal_row_path_and_the_rest_are_left_to_it() -> None:
    rows = [
        ["", " 溫州醫科大學 ", "高校", "温医大|溫州醫科大學", "省级", "", "x", "d1"],  # bulk
        ["e1", "华联机械", "enterprise", "", "", "", "", ""],                     # bulk, own id
        ["", "眼镜", "industry", "", "", "", "", "d1"],                           # bulk
        ["", "", "enterprise", "", "", "", "", ""],                               # no name
        ["", "某公司", "company?", "", "", "", "", ""],                           # unknown type
        ["", "某公司", "enterprise", "", "", VALID_CODE, "", ""],                 # id from code
        ["", "某公司", "enterprise", "", "", "123", "", ""],                      # bad code
        ["", "某研究院", "institute", "", "", "", "a\x1fb", ""],                  # separator
    ]
    ctx = entity_context(_table(rows), "run-1")
    bulk, slow = entity_columns(ctx, None)
    assert slow == [3, 4, 5, 6, 7]
    expected = [entity_row(ctx, i, None) for i in (0, 1, 2)]
    assert [tuple(r.values()) for r in bulk.to_pylist()] == [tuple(e) for e in expected]
    assert bulk.column("name").to_pylist()[0] == "温州医科大学"
    assert bulk.column("aliases").to_pylist()[0] == ["温医大"]  # its own name is not an alias
    by_row = [entity_row(ctx, i, None) for i in slow]
    assert [r.column for r in by_row if isinstance(r, Reject)] == ["name", "type", "credit_code"]
    assert not isinstance(by_row[2], Reject) and by_row[2][0] == VALID_CODE


def test_type_from_the_file_name_and_an_empty_table() -> None:
    ctx = entity_context(_table([["", "瓯海区", "", "", "", "", "", ""]]), "run-1")
    bulk, slow = entity_columns(ctx, EntityType.region)
    assert slow == [] and bulk.column("id").to_pylist() == ["region:瓯海区"]
    empty, none = entity_columns(entity_context(_table([]), "run-1"), None)
    assert empty.num_rows == 0 and none == []
