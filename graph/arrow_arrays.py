"""Arrow arrays made from their buffers, without ``pa.array``.

``pa.array`` imports pandas whenever pandas is installed (to ask whether its argument is a
pandas object): about 140 ms on a command's path, more than the search it serves
(``bench/cli_startup.py``). The search index builds its columns here instead.

>>> strings(["温州", "", "ab"]).to_pylist(), positions(np.array([2, 0])).to_pylist()
(['温州', '', 'ab'], [2, 0])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray


def strings(texts: Sequence[str]) -> pa.StringArray:
    """A UTF-8 string array holding ``texts``, in order."""
    encoded = [t.encode("utf-8") for t in texts]
    offsets = np.zeros(len(encoded) + 1, np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    data = pa.py_buffer(b"".join(encoded))
    if offsets[-1] < 2 ** 31:  # the plain string type, as pa.array makes it
        return pa.Array.from_buffers(pa.string(), len(encoded),
                                     [None, pa.py_buffer(offsets.astype(np.int32)), data])
    return pa.Array.from_buffers(pa.large_string(), len(encoded),  # over 2 GiB of text
                                 [None, pa.py_buffer(offsets), data])


def positions(values: NDArray[np.integer]) -> pa.Array:
    """An int32 or int64 array of ``values`` (take indices, row numbers)."""
    array = np.ascontiguousarray(values)
    if array.dtype not in (np.int32, np.int64):
        array = array.astype(np.int64)
    kind = pa.int32() if array.dtype == np.int32 else pa.int64()
    return pa.Array.from_buffers(kind, len(array), [None, pa.py_buffer(array)])


#: up to this many positions, :func:`texts_at` reads the strings from the buffers itself
#: (about a microsecond each); more go through arrow's ``take`` (a few nanoseconds each,
#: but its module, pyarrow.compute, costs a command 25–35 ms to import)
FEW = 512


def string_buffers(array: pa.Array) -> tuple[NDArray[np.integer], NDArray[np.uint8]]:
    """Offsets and data bytes of a string (or large string) array, as views: no copy (a
    whole column's offsets copied per query was most of a search's cost)."""
    width = np.int32 if array.type == pa.string() else np.int64
    _, offsets_buffer, data_buffer = array.buffers()
    offsets: NDArray[np.integer] = np.frombuffer(offsets_buffer, width, len(array) + 1,
                                                 array.offset * np.dtype(width).itemsize)
    data = (np.frombuffer(data_buffer, np.uint8) if data_buffer is not None
            else np.zeros(0, np.uint8))
    return offsets, data


def texts_at(array: pa.Array | pa.ChunkedArray, at: NDArray[np.integer]) -> list[str]:
    """The strings of ``array`` at the positions ``at``, in that order."""
    if len(at) > FEW or not isinstance(array, pa.StringArray | pa.LargeStringArray) \
            or array.null_count:
        return list(array.take(positions(at)).to_pylist())
    offsets, data = string_buffers(array)
    view = data.data  # the array's own memoryview: slices decode without a copy
    return [str(view[offsets[i]:offsets[i + 1]], "utf-8") for i in np.asarray(at).tolist()]
