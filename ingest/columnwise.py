"""Helpers for building store rows a whole column at a time (see ``relation_columns`` and
``entity_columns``): validate each distinct value once, then spread the result over rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .arrow_cells import as_arrow

#: joins cells into one memo key; a row with this character in a cell takes the row path
SEP = "\x1f"


def codes(values: pa.Array) -> tuple[pa.Array, list[Any]]:
    """Dictionary codes of ``values`` and the distinct values they index.

    >>> indices, distinct = codes(pa.array(["a", "b", "a"]))
    >>> indices.to_pylist(), distinct
    ([0, 1, 0], ['a', 'b'])
    """
    encoded = pc.dictionary_encode(values)
    return encoded.indices, encoded.dictionary.to_pylist()


def spread(indices: pa.Array, per_code: list[Any], kind: pa.DataType) -> pa.Array:
    """The value computed for each distinct value, at every row that holds it."""
    return pc.take(pa.array(per_code, type=kind), indices)


def strings(cells: Sequence[str]) -> pa.Array:
    """A column's cells as a pyarrow string array (compact cells are used as they are)."""
    return as_arrow(cells)


def constant(value: Any, count: int, kind: pa.DataType) -> pa.Array:
    return pa.repeat(pa.scalar(value, type=kind), count)
