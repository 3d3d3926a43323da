"""The ranked search of :mod:`graph.search_rank` answers as scoring every candidate did.

The reference below is the search as it was before (each candidate key scored in Python,
a hit made for every matching entity, all of them sorted): the same hits, in the same order,
with the same scores, kinds and matched texts, on thousands of queries over a synthetic
index whose names share many prefixes (so that the first ``limit`` are a small part of
the matches), with type filters, limits, merged indexes and skipped ids.
"""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest

from graph import search
from graph.search import (
    _ABBREVIATION,
    _WEIGHTS,
    MergedSearch,
    SearchHit,
    SearchIndex,
    _abbreviates,
    rank_key,
)
from graph.search_keys import ALIAS, KINDS, TYPE_CODES, TYPES
from graph.search_rank import starts_with
from graph.store.base import NameRow
from schema import EntityType, match_key

SYLLABLES = list("华联机械温州医科大学眼谷中国泰维奥南嘉健电器股份有限公司研究院瓯海乐清")
SUFFIXES = ["股份有限公司", "科技有限公司", "研究院", "", "集团", "(温州)有限公司"]


def _rows(count: int, seed: int) -> list[NameRow]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        name = "".join(rng.choices(SYLLABLES, k=rng.randint(1, 4))) + rng.choice(SUFFIXES)
        aliases = tuple({"".join(rng.choices(SYLLABLES, k=rng.randint(1, 3)))
                         for _ in range(rng.randint(0, 2))} - {name})
        rows.append(NameRow(f"e:{i:05d}", rng.choice(TYPES), name, aliases))
    return rows


def _reference(parts: list[tuple[SearchIndex, frozenset[str]]], query: str,
               entity_type: EntityType | None, limit: int) -> list[SearchHit]:
    """The search before: every candidate scored, every matching entity a hit, sorted."""
    key = match_key(query)
    wanted = None if entity_type is None else TYPE_CODES[entity_type]
    hits = []
    for index, skip in parts:
        best: dict[int, tuple[float, int, int]] = {}
        for group in index._candidates(key, wanted):
            for text, kind, position in zip(
                    group.array.take(group.at).to_pylist(), group.kinds.tolist(),
                    group.han.tolist(), strict=True):
                row = int(index._key_rows[position])
                exact, prefix, inside = _WEIGHTS[KINDS[kind]]
                offer = None
                if text == key:
                    offer = (exact, kind)
                elif text.startswith(key):
                    offer = (prefix - 0.05 * (1 - len(key) / len(text)), kind)
                elif key in text:
                    offer = (inside - 0.05 * (1 - len(key) / len(text)), kind)
                elif kind <= ALIAS and _abbreviates(key, text):
                    offer = (inside - 0.15, _ABBREVIATION)
                if offer is not None and (row not in best or offer[0] > best[row][0]):
                    best[row] = (offer[0], offer[1], position)
        hits += index._hits(best, skip)
    return sorted(hits, key=rank_key)[:limit]


def _queries(rows: list[NameRow], rng: random.Random) -> list[str]:
    names = [r.name for r in rows] + [a for r in rows for a in r.aliases]
    found = []
    for name in rng.sample(names, 150):
        start = rng.randrange(len(name))
        found += [name[:1], name[:2], name[:4], name[start:start + 2], name[start:start + 3],
                  name]
    return [*found, "华", "hua", "h", "wz", "wenzhou", "jixie", "hl", "yjy", "温医大", "泰维"]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(_rows(6000, seed=3))


@pytest.fixture(params=[0, search.FEW_CANDIDATES], ids=["arrays", "mixed"])
def few(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Every search as arrays, or each as the server does it (few keys one by one)."""
    monkeypatch.setattr(search, "FEW_CANDIDATES", request.param)
    return int(request.param)


def test_the_same_hits_as_scoring_every_candidate(index: SearchIndex, few: int) -> None:
    rng = random.Random(5)
    rows = _rows(6000, seed=3)
    checked = 0
    for query in _queries(rows, rng):
        for entity_type, limit in ((None, 10), (None, 1), (None, 100),
                                   (rng.choice(TYPES), 20)):
            got = index.search(query, entity_type=entity_type, limit=limit)
            wanted = _reference([(index, frozenset())], query, entity_type, limit)
            if wanted or len(match_key(query)) < 2:  # else both go on to fuzzy matching
                assert got == wanted, (query, entity_type, limit)
                checked += 1
    assert checked > 2000


def test_the_same_hits_over_merged_indexes_with_skipped_ids(few: int) -> None:
    rows = _rows(3000, seed=11)
    rng = random.Random(13)
    written = rng.sample(rows, 300)
    skipped = frozenset(r.id for r in written)
    parts = [(SearchIndex(rows), skipped), (SearchIndex(written), frozenset())]
    merged = MergedSearch(parts)
    for query in _queries(rows, rng)[:1200]:
        wanted = _reference(parts, query, None, 10)
        if wanted:
            assert merged.search(query, limit=10) == wanted, query


def test_starts_with_compares_bytes_of_utf8() -> None:
    column = pa.array(["温州", "温", "", "温州医科大学", "abc"])
    prefix, exact = starts_with(column, np.arange(5), "温州".encode())
    assert prefix.tolist() == [True, False, False, True, False]
    assert exact.tolist() == [True, False, False, False, False]
    assert starts_with(column, np.array([2, 4]), b"")[1].tolist() == [True, False]
