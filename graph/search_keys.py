"""The columns a search index is made of, built from name rows: arrays, no object per entity.

Entities are numbered in id order (``ids`` is sorted, so an id is found by bisection), and
each one's keys — its name, then its aliases, ``match_key``'d — are one contiguous run of
``texts`` (``key_offsets``). Every column is a numpy array or an arrow string array, so that
:mod:`graph.index_files` can save it and map it back (:class:`graph.search.SearchIndex`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from schema import EntityType, match_key

from .arrow_arrays import strings
from .postings import Postings, grams
from .sorted_strings import sorted_column
from .store.base import NameRow

TYPES = list(EntityType)
TYPE_CODES = {t: i for i, t in enumerate(TYPES)}
KINDS = ("name", "alias", "pinyin", "initials")  # a key's kind is stored as its number here
NAME, ALIAS, PINYIN, INITIALS = range(4)


def skips(text: str) -> set[str]:
    """The first character paired with each later one: every key that ``text`` abbreviates
    holds all of these (温医大 → 温医, 温大 ⊂ 温州医科大学's).

    >>> sorted(skips("温医大"))
    ['温医', '温大']
    """
    return {text[0] + c for c in text[1:]}


def rows_of_table(entities: pa.Table) -> list[NameRow]:
    """Name rows of an ``ENTITY_SCHEMA`` table (for an index built from a store's table)."""
    columns = entities.select(["id", "type", "name", "aliases"]).to_pydict()
    return [NameRow(i, EntityType(t), n, tuple(a or ())) for i, t, n, a in zip(
        columns["id"], columns["type"], columns["name"], columns["aliases"], strict=True)]


def key_columns(rows: Iterable[NameRow]) -> dict[str, Any]:
    """Every column of a search index but the pinyin ones (see :func:`latin_columns`)."""
    ordered = sorted(rows, key=lambda r: r.id)
    texts: list[str] = []
    shown: list[str] = []  # the name or alias as stored
    kinds: list[int] = []
    key_offsets = np.zeros(len(ordered) + 1, np.int64)
    for i, row in enumerate(ordered):
        for text, kind in [(row.name, NAME), *((a, ALIAS) for a in row.aliases)]:
            texts.append(match_key(text))
            shown.append(text)
            kinds.append(kind)
        key_offsets[i + 1] = len(texts)
    key_rows = np.repeat(np.arange(len(ordered), dtype=np.int32), np.diff(key_offsets))
    lengths = np.array([len(t) for t in texts], np.int32)
    by_length = np.argsort(lengths, kind="stable").astype(np.int32)
    text_column = strings(texts)
    exact, exact_order = sorted_column(texts)
    columns: dict[str, Any] = {
        "ids": strings([r.id for r in ordered]),
        "names": strings([r.name for r in ordered]),
        "types": np.array([TYPE_CODES[r.type] for r in ordered], np.int8),
        "key_offsets": key_offsets, "key_rows": key_rows,
        "texts": text_column, "shown": strings(shown),
        "kinds": np.array(kinds, np.uint8),
        "exact": exact, "exact_order": exact_order,
        "by_length": by_length, "lengths": lengths[by_length],
        "texts_by_length": strings([texts[i] for i in by_length.tolist()]),
    }
    # posting lists, so that a query looks only at keys that could match instead of
    # scanning every key: which keys hold a character, a character pair, or start with a
    # character followed (anywhere later) by another (see SearchIndex._candidates)
    for name, postings in (("chars", Postings.of_grams(grams(t, 1) for t in texts)),
                           ("pairs", Postings.of_grams(grams(t, 2) for t in texts)),
                           ("skips", Postings.of_grams(skips(t) for t in texts))):
        columns |= postings.arrays(name)
    return columns


def latin_columns(texts: Sequence[str]) -> dict[str, Any]:
    """Pinyin keys: key ``2j`` is the full pinyin and ``2j + 1`` the initials of Chinese key
    ``han[j]``, with their letter-pair postings."""
    from .pinyin import pinyin_keys  # pypinyin's dictionaries take ~0.5 s to import

    latin: list[str] = []
    han: list[int] = []
    for position, text in enumerate(texts):
        full, initials = pinyin_keys(text)
        if full != text:
            latin += (full, initials)
            han.append(position)
    return {"latin": strings(latin), "latin_han": np.array(han, np.int32),
            **Postings.of_grams(grams(t, 2) for t in latin).arrays("latin_pairs")}


def same_columns(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two sets of columns are equal (a saved index against a fresh build)."""
    def plain(value: Any) -> Any:
        return value.tolist() if isinstance(value, np.ndarray) else value.to_pylist()
    return a.keys() == b.keys() and all(plain(a[k]) == plain(b[k]) for k in a)
