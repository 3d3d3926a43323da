"""How the embedded store encodes two bulky columns compactly on disk.

LadybugDB keeps strings longer than 12 bytes out of line, one overflow entry per row, and
that doubled the cost of bulk ``COPY``. Two columns were such strings on every row:

- the content hash (16 hex digits) is stored as the signed 64-bit integer it spells;
- the ingest run and file (the same two strings on every row of a file) are stored as one
  integer ``src`` that refers to a row of the small ``Source`` table.

The rest of the code sees hex hashes and ``run``/``file`` columns, as in ``schema.tables``.
"""

from __future__ import annotations

import binascii
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

_BIG_ENDIAN_I64 = np.dtype(">i8")
#: the columns one ``src`` number stands for
_ORIGIN_COLUMNS = ("run", "file", "origin")


def hashes_to_int64(hashes: pa.Array | pa.ChunkedArray) -> pa.Array:
    """16-digit hex hashes as signed 64-bit integers (the same bits).

    >>> hashes_to_int64(pa.array(["0000000000000001", "ffffffffffffffff"])).to_pylist()
    [1, -1]
    """
    import pyarrow.compute as pc  # ~60 ms to import: not on a read's path

    if len(hashes) == 0:
        return pa.array([], type=pa.int64())
    lengths = pc.utf8_length(hashes)
    if hashes.null_count or pc.min(lengths).as_py() != 16 or pc.max(lengths).as_py() != 16:
        raise ValueError("content hashes must be 16 hex digits")
    # all cells are 16 characters, so the string data buffer is the hex digits back to back
    array = hashes.combine_chunks() if isinstance(hashes, pa.ChunkedArray) else hashes
    array = array.cast(pa.string())  # 32-bit offsets, read below
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset:]
    data = array.buffers()[2].to_pybytes()[offsets[0]:offsets[0] + 16 * len(array)]
    decoded = np.frombuffer(binascii.unhexlify(data), dtype=_BIG_ENDIAN_I64)
    return pa.array(decoded.astype(np.int64))


def int64_to_hashes(values: pa.Array | pa.ChunkedArray | Sequence[int]) -> list[str]:
    """The inverse of :func:`hashes_to_int64`.

    >>> int64_to_hashes([1, -1])
    ['0000000000000001', 'ffffffffffffffff']
    """
    numbers = (values.to_numpy(zero_copy_only=False) if isinstance(values, pa.Array | pa.ChunkedArray)
               else np.asarray(values, dtype=np.int64))
    text = numbers.astype(_BIG_ENDIAN_I64).tobytes().hex()
    return [text[i:i + 16] for i in range(0, len(text), 16)]


_Origin = tuple[str | None, str | None, str | None]  # run, file, origin


class Sources:
    """The ``Source`` rows: which ingest run, file and kind of source each ``src`` stands for."""

    def __init__(self, rows: Iterable[dict[str, Any]] = ()) -> None:
        self.by_id: dict[int, _Origin] = {}
        self._ids: dict[_Origin, int] = {}
        for row in rows:
            self._remember(int(row["id"]), row["run"], row["file"], row.get("origin"))

    def _remember(self, number: int, run: str | None, file: str | None,
                  origin: str | None) -> None:
        self.by_id[number] = (run, file, origin)
        self._ids[(run, file, origin)] = number

    def numbers_of(self, file: str) -> list[int]:
        """The ``src`` numbers of one source (a file read in any run)."""
        return [n for n, (_, f, _) in self.by_id.items() if f == file]

    def encode(self, table: pa.Table) -> tuple[pa.Table, list[dict[str, Any]]]:
        """``table`` with ``run``/``file`` replaced by ``src`` and ``chash`` as an integer,
        and the ``Source`` rows that must be created first.

        >>> table = pa.table({"x": [1, 2], "run": ["r1", "r1"], "file": ["a.csv", "b.csv"],
        ...                   "origin": ["table", "list"],
        ...                   "chash": ["0000000000000001", "0000000000000002"]})
        >>> encoded, new = Sources().encode(table)
        >>> encoded.column_names, encoded.column("src").to_pylist(), len(new)
        (['x', 'src', 'chash'], [0, 1], 2)
        """
        import pyarrow.compute as pc  # ~60 ms to import: not on a read's path

        keys = pc.binary_join_element_wise(*(pc.fill_null(table.column(c), "")
                                             for c in _ORIGIN_COLUMNS), "\x1f")
        encoded = pc.dictionary_encode(keys).combine_chunks()
        numbers: list[int] = []
        created: list[dict[str, Any]] = []
        for index in range(len(encoded.dictionary)):
            first = pc.index(encoded.indices, index).as_py()
            run, file, origin = (table.column(c)[first].as_py() for c in _ORIGIN_COLUMNS)
            number = self._ids.get((run, file, origin))
            if number is None:
                number = max(self.by_id, default=-1) + 1
                self._remember(number, run, file, origin)
                created.append({"id": number, "run": run, "file": file, "origin": origin})
            numbers.append(number)
        src = pc.take(pa.array(numbers, type=pa.int64()), encoded.indices)
        position = table.schema.get_field_index("run")
        result = table.drop_columns(list(_ORIGIN_COLUMNS)).add_column(position, "src", src)
        result = result.set_column(result.schema.get_field_index("chash"), "chash",
                                   hashes_to_int64(table.column("chash")))
        return result, created

    def decode_table(self, table: pa.Table) -> pa.Table:
        """A stored table back in ``schema.tables`` form: ``run``/``file`` from ``src`` and
        ``chash`` as hex (when present)."""
        numbers = table.column("src").to_pylist()
        unknown = (None, None, None)
        origins = [self.by_id.get(n, unknown) if n is not None else unknown for n in numbers]
        table = table.drop_columns(["src"])
        for position, name in enumerate(_ORIGIN_COLUMNS):
            table = table.append_column(name, pa.array([o[position] for o in origins],
                                                       pa.string()))
        if "chash" in table.column_names:
            position = table.schema.get_field_index("chash")
            table = table.set_column(position, "chash",
                                     pa.array(int64_to_hashes(table.column("chash")), pa.string()))
        return table

    def decode_row(self, row: dict[str, Any]) -> dict[str, Any]:
        """A stored row back in ``schema.tables`` form (``run``/``file`` instead of ``src``)."""
        src = row.pop("src", None)
        row["run"], row["file"], row["origin"] = self.by_id.get(src, (None, None, None)) \
            if src is not None else (None, None, None)
        return row
