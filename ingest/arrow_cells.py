"""A column of text cells kept as one pyarrow array that reads like a list.

A large CSV's columns stay in pyarrow's compact form (the cell bytes back to back) rather
than one Python string per cell: a 5M-row relations file held as Python lists took ~3 GB
before a single row was checked (issue 16). The loader takes such a table a bounded batch
at a time (:mod:`ingest.batches`), turning only that batch into Python objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

import pyarrow as pa

#: cells turned into Python strings at once when a whole column is iterated
_ITER_ROWS = 50_000


class ArrowCells(Sequence[str]):
    """Text cells (no nulls) in a pyarrow array; indexing reads one cell, a slice is a view.

    >>> cells = ArrowCells(pa.array(["甲", "乙", "丙"]))
    >>> len(cells), cells[1], list(cells[1:]), list(cells)
    (3, '乙', ['乙', '丙'], ['甲', '乙', '丙'])
    """

    __slots__ = ("arrow",)

    def __init__(self, arrow: pa.Array | pa.ChunkedArray) -> None:
        self.arrow = arrow

    def __len__(self) -> int:
        return len(self.arrow)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> ArrowCells: ...

    def __getitem__(self, index: int | slice) -> str | ArrowCells:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("cells are sliced with step 1 only")
            return ArrowCells(self.arrow.slice(start, max(0, stop - start)))
        value: str = self.arrow[index].as_py()
        return value

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self.arrow), _ITER_ROWS):
            yield from self.arrow.slice(start, _ITER_ROWS).to_pylist()

    def __repr__(self) -> str:
        return f"ArrowCells({len(self)} cells)"

    def array(self) -> pa.Array:
        """The cells as one pyarrow array (chunks combined)."""
        arrow = self.arrow
        return arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow


def as_arrow(cells: Sequence[str]) -> pa.Array:
    """Cells as a pyarrow string array: an :class:`ArrowCells` as it is, a list converted.

    >>> as_arrow(["a", "b"]).to_pylist(), as_arrow(ArrowCells(pa.array(["c"]))).to_pylist()
    (['a', 'b'], ['c'])
    """
    if isinstance(cells, ArrowCells):
        return cells.array()
    return pa.array(cells if isinstance(cells, list) else list(cells), type=pa.string())


def as_list(cells: Sequence[str]) -> list[str]:
    """Cells as a Python list (a list as it is)."""
    if isinstance(cells, list):
        return cells
    if isinstance(cells, ArrowCells):
        values: list[str] = cells.arrow.to_pylist()
        return values
    return list(cells)


class RowRange(Sequence[int]):
    """Consecutive row numbers held as a range (a list of 5M numbers is ~180 MB), equal to
    any sequence of the same numbers.

    >>> numbers = RowRange(2, 5)
    >>> numbers == [2, 3, 4], numbers[1], numbers[1:] == [3, 4], list(numbers)
    (True, 3, True, [2, 3, 4])
    """

    __slots__ = ("_range",)

    def __init__(self, start: int, stop: int) -> None:
        self._range = range(start, stop)

    def __len__(self) -> int:
        return len(self._range)

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> RowRange: ...

    def __getitem__(self, index: int | slice) -> int | RowRange:
        if isinstance(index, slice):
            part = self._range[index]
            if part.step != 1:
                raise ValueError("row numbers are sliced with step 1 only")
            return RowRange(part.start, part.stop)
        return self._range[index]

    def __iter__(self) -> Iterator[int]:
        return iter(self._range)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowRange):
            return self._range == other._range
        if isinstance(other, Sequence):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other,
                                                                          strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, so unhashable like them

    def __repr__(self) -> str:
        return f"RowRange({self._range.start}, {self._range.stop})"
