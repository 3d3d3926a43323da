"""Posting lists in two arrays: for each gram (a character, a character pair …), the sorted
positions of the texts that hold it.

One ``int32`` array of positions and one of offsets, instead of a Python set of ints per
gram: about 4 bytes per entry instead of 40, built with one sort, and intersected with
binary searches (:func:`holding_all`), so a query over a million names costs milliseconds.
The grams themselves (one or two characters) are sorted integers, one per gram, found with
``np.searchsorted`` — not a dict: every part is an array, saved beside the store and
memory-mapped (:mod:`graph.index_files`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import NDArray

Positions = NDArray[np.int32]
EMPTY: Positions = np.zeros(0, np.int32)


class Postings:
    """Which texts hold each gram.

    >>> p = Postings.of_grams([{"ab", "bc"}, {"bc"}, {"cd"}])
    >>> p.get("bc").tolist(), p.get("zz").tolist()
    ([0, 1], [])
    >>> holding_all([p.get("bc"), p.get("ab")]).tolist()
    [0]
    """

    def __init__(self, grams: NDArray[np.uint64], offsets: NDArray[np.int64],
                 positions: Positions) -> None:
        self._grams = grams  # sorted gram keys: a gram's number is its rank
        self._offsets = offsets
        self._positions = positions

    @classmethod
    def of_grams(cls, grams_per_text: Iterable[Iterable[str]]) -> Postings:
        """Postings of texts given as the grams each one holds (each gram once per text)."""
        numbers: dict[str, int] = {}
        gram_of = array("i")
        position_of = array("i")
        for position, grams in enumerate(grams_per_text):
            for gram in grams:
                gram_of.append(numbers.setdefault(gram, len(numbers)))
                position_of.append(position)
        keys = np.fromiter((gram_key(g) for g in numbers), np.uint64, len(numbers))
        by_key = np.argsort(keys)  # number grams by rank, so that a look-up is a bisection
        rank = np.zeros(len(numbers), np.int32)
        rank[by_key] = np.arange(len(numbers), dtype=np.int32)
        gram_ids = rank[np.frombuffer(gram_of, np.int32)]
        order = np.argsort(gram_ids, kind="stable")  # stable: positions stay ascending
        positions = np.frombuffer(position_of, np.int32)[order]
        offsets = np.zeros(len(numbers) + 1, np.int64)
        np.cumsum(np.bincount(gram_ids, minlength=len(numbers)), out=offsets[1:])
        return cls(keys[by_key], offsets, positions)

    def get(self, gram: str) -> Positions:
        # the array's own searchsorted: np.searchsorted's dispatch doubled the cost of a
        # look-up, and a search makes six or more of them
        key = gram_key(gram)
        grams = self._grams
        number = int(grams.searchsorted(key))
        if number == len(grams) or grams[number] != key:
            return EMPTY
        return self._positions[self._offsets[number]:self._offsets[number + 1]]

    def nbytes(self) -> int:
        return int(self._positions.nbytes + self._offsets.nbytes + self._grams.nbytes)

    def arrays(self, prefix: str) -> dict[str, Any]:
        """The three arrays, named for :mod:`graph.index_files`."""
        return {f"{prefix}.grams": self._grams, f"{prefix}.offsets": self._offsets,
                f"{prefix}.positions": self._positions}

    @classmethod
    def of_arrays(cls, arrays: dict[str, Any], prefix: str) -> Postings:
        return cls(arrays[f"{prefix}.grams"], arrays[f"{prefix}.offsets"],
                   arrays[f"{prefix}.positions"])


def holding_all(lists: list[Positions]) -> Positions:
    """Positions in every one of ``lists`` (each sorted), ascending: the shortest list,
    filtered by a binary search in each of the others."""
    if not lists:
        return EMPTY
    lists = sorted(lists, key=len)
    found = lists[0]
    for other in lists[1:]:
        if not len(found):
            break
        if not len(other):
            return EMPTY
        at = other.searchsorted(found)
        np.minimum(at, len(other) - 1, out=at)
        found = found[other[at] == found]
    return found


def gram_key(gram: str) -> np.uint64:
    """One or two characters as one integer (code points are below 2**21).

    >>> int(gram_key("a")) < int(gram_key("ab")) < int(gram_key("b"))
    True
    """
    if not 1 <= len(gram) <= 2:
        raise ValueError(f"a gram is one or two characters, got {gram!r}")
    second = ord(gram[1]) + 1 if len(gram) == 2 else 0
    return np.uint64((ord(gram[0]) << 22) | second)


def grams(text: str, size: int) -> set[str]:
    """The distinct ``size``-character grams of ``text``."""
    return {text[i:i + size] for i in range(len(text) - size + 1)}


def union(first: Positions, second: Positions) -> Positions:
    """Positions in either list, ascending, each once (``np.union1d`` without its
    ``np.unique``, which imports ``numpy.ma``: 9 ms of a command's start-up).

    >>> union(np.array([1, 4], np.int32), np.array([2, 4], np.int32)).tolist()
    [1, 2, 4]
    """
    both = np.sort(np.concatenate((first, second)))
    return both[np.concatenate(([True], both[1:] != both[:-1]))] if len(both) else both
