"""The best ``limit`` entities of a search, at a cost that follows the answer.

A two-character query over a million names has thousands of candidate keys (泰维: 2,498 at
1M, 2,146 matching entities); scoring each in Python and building a hit for every matching
entity, then sorting them all for the first 20, cost 10–30 ms — the p99 of a search under
load. Here the exact and prefix matches are found with arrays (a byte comparison on the arrow
column's buffer: UTF-8 keeps prefixes, so a byte prefix is a character prefix), their scores
computed as arrays, and a key that can only match inside the text or as an abbreviation is
looked at only when its best possible score could still reach the first ``limit``
entities. Hits are made for those entities only.

The scores and the order are the search's own (:func:`graph.search.rank_key`: best score,
shorter name, id; an entity's best key, the first of equal ones in candidate order), so the
answer is the same as scoring every candidate (``tests/graph/test_search_rank.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from .arrow_arrays import string_buffers

__all__ = ["Candidates", "best_per_row", "char_lengths", "starts_with", "threshold",
           "top_rows"]

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


@dataclass(frozen=True)
class Candidates:
    """Keys that can match, in candidate order: which array holds each one's text and
    where, its kind number, and the Chinese key (its row and shown text) it stands for."""

    array: pa.Array
    at: NDArray[np.int32]
    kinds: NDArray[np.integer]
    han: NDArray[np.int32]


def starts_with(array: pa.Array, at: NDArray[np.int32], prefix: bytes
                ) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """For the texts of ``array`` at ``at``: which start with ``prefix`` (UTF-8), and which
    equal it.

    >>> column = pa.array(["温州医科大学", "温州", "医大", "温"])
    >>> [m.tolist() for m in starts_with(column, np.array([0, 1, 2, 3]), "温州".encode())]
    [[True, True, False, False], [False, True, False, False]]
    """
    offsets, data = string_buffers(array)
    start = offsets[at].astype(np.int64)
    size = offsets[np.asarray(at) + 1].astype(np.int64) - start
    left = np.flatnonzero(size >= len(prefix))
    wanted = np.frombuffer(prefix, np.uint8)
    for low, high in ((0, 3), (3, len(prefix))):  # the first character, then the rest
        if high > low and len(left):
            heads = data[start[left, None] + np.arange(low, min(high, len(prefix)))]
            left = left[(heads == wanted[low:high]).all(axis=1)]
    found = np.zeros(len(start), bool)
    found[left] = True
    return found, found & (size == len(prefix))


def char_lengths(array: pa.Array, at: NDArray[np.integer]) -> NDArray[np.int64]:
    """Lengths in characters of the texts of ``array`` at ``at``: the bytes that do not
    continue a UTF-8 character.

    >>> char_lengths(pa.array(["温州", "ab", "", "a温"]), np.array([0, 1, 2, 3])).tolist()
    [2, 2, 0, 2]
    """
    offsets, data = string_buffers(array)
    start = offsets[at].astype(np.int64)
    size = offsets[np.asarray(at) + 1].astype(np.int64) - start
    if not size.sum():
        return np.zeros(len(size), np.int64)
    ends = np.cumsum(size)
    byte_at = np.repeat(start - (ends - size), size) + np.arange(ends[-1])
    leads = np.concatenate(([0], np.cumsum((data[byte_at] & 0xC0) != 0x80)))
    lengths: NDArray[np.int64] = leads[ends] - leads[ends - size]
    return lengths


def best_per_row(rows: Ints, scores: Floats) -> NDArray[np.intp]:
    """For each row, the index of its best score — the first of equal ones, as offering
    each candidate in turn and keeping a strictly better one would."""
    order = np.lexsort((np.arange(len(rows)), -scores, rows))
    first = np.ones(len(order), bool)
    first[1:] = rows[order[1:]] != rows[order[:-1]]
    return order[first]


def threshold(scores: Floats, limit: int) -> float:
    """The ``limit``-th best of the rows' best ``scores`` (``-inf`` while fewer): a key that
    cannot score above it cannot change the first ``limit`` rows."""
    if len(scores) < limit:
        return -np.inf
    return float(np.partition(scores, len(scores) - limit)[len(scores) - limit])


def top_rows(rows: Ints, scores: Floats, limit: int, name_lengths: object) -> NDArray[np.intp]:
    """Indexes of the first ``limit`` of ``rows`` (distinct) in search order: best score,
    then shorter name, then row (rows are numbered in id order). ``name_lengths(rows)``
    gives the names' lengths, asked only for rows that reach the cut."""
    cut = threshold(scores, limit)
    near = np.flatnonzero(scores >= cut)
    lengths = np.asarray(name_lengths(rows[near]), np.int64)  # type: ignore[operator]
    order = np.lexsort((rows[near], lengths, -scores[near]))
    return near[order[:limit]]
