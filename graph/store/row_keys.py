"""Compare rows of a big table by key without building a string per row.

Checking that 5M relations are unique by (source, type, target) joined the three cells into
5M strings and hashed them: ~1 GB for a moment, the peak of a 1M/5M load (issue 16). Here
each key column becomes the number of its value among the column's distinct values, and the
numbers are combined into one integer per row, equal exactly when the keys are equal.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

#: combined numbers stay below this (int64, with room to multiply once more)
_LIMIT = 1 << 62


def key_numbers(table: pa.Table, columns: list[str]) -> pa.ChunkedArray | None:
    """One integer per row of ``table``, equal for two rows exactly when their cells in
    ``columns`` are (a null cell counts as ""); ``None`` if the combinations would not fit
    in 64 bits (then compare joined strings).

    >>> t = pa.table({"a": ["x", "y", "x"], "b": ["1", "1", "1"]})
    >>> key_numbers(t, ["a", "b"]).to_pylist()
    [0, 1, 0]
    """
    import pyarrow.compute as pc  # ~60 ms to import: not on a read's path

    combined: pa.ChunkedArray | None = None
    width = 1
    for column in columns:
        cells = pc.fill_null(table.column(column), "")
        distinct = pc.unique(cells)
        width *= max(1, len(distinct))
        if width >= _LIMIT:
            return None
        number = pc.cast(pc.index_in(cells, value_set=distinct), pa.int64())
        combined = number if combined is None else pc.add(
            pc.multiply(combined, len(distinct)), number)
    if combined is None or not isinstance(combined, pa.ChunkedArray):
        return pa.chunked_array([combined] if combined is not None else [], type=pa.int64())
    return combined


def all_distinct(table: pa.Table, columns: list[str]) -> bool:
    """Whether no two rows of ``table`` have equal cells in ``columns``.

    >>> all_distinct(pa.table({"a": ["x", "y", "x"], "b": ["1", "2", "2"]}), ["a", "b"])
    True
    >>> all_distinct(pa.table({"a": ["x", "y", "x"], "b": ["1", "2", "1"]}), ["a", "b"])
    False
    """
    import pyarrow.compute as pc

    numbers = key_numbers(table, columns)
    if numbers is None:
        joined = pc.binary_join_element_wise(
            *(pc.fill_null(table.column(c), "") for c in columns), "\x1f")
        return bool(pc.count_distinct(joined).as_py() == table.num_rows)
    # sorted, equal neighbours are repeats: pyarrow's count_distinct and unique held ~1 GB
    # of hash table for 5M integers, a sorted copy holds 40 MB
    ordered = np.sort(numbers.to_numpy())
    return not bool((ordered[1:] == ordered[:-1]).any())
