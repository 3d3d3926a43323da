"""Entity search and name resolution over names, aliases, pinyin and initials.

LadybugDB's full-text extension is downloaded at run time, so it is not used:
the index is built in memory from the store's names (cached per store
version) and answers Chinese (Simplified or Traditional), pinyin, pinyin
initials and slightly mistyped names.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from schema import AmbiguousName, EntityNotFound, EntityType, InvalidInput, match_key

from .arrow_arrays import texts_at
from .postings import Postings, grams, holding_all, union
from .search_keys import (
    ALIAS,
    KINDS,
    NAME,
    PINYIN,
    TYPE_CODES,
    TYPES,
    key_columns,
    latin_columns,
    skips,
)
from .search_rank import (
    Candidates,
    best_per_row,
    char_lengths,
    starts_with,
    threshold,
    top_rows,
)
from .sorted_strings import SortedStrings
from .store.base import NameRow

MAX_QUERY_LENGTH = 100
MAX_LIMIT = 100
_LATIN = re.compile(r"^[a-z0-9 ]+$")
#: up to this many candidate keys a search scores them one by one, beyond as arrays (the
#: two cost the same at about 100 keys at 1M entities: 270 against 240 µs at 100-160)
FEW_CANDIDATES = 100
_FUZZY_CUTOFF = 60.0


@dataclass(frozen=True)
class SearchHit:
    """One ranked result; ``matched_on`` says which key matched (name, alias, pinyin …)."""

    id: str
    name: str
    type: EntityType
    score: float
    matched_on: str
    matched_text: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type.value,
                "type_label": self.type.label, "score": round(self.score, 4),
                "matched_on": self.matched_on, "matched_text": self.matched_text}


# score of an exact / prefix / substring match per key kind
_WEIGHTS = {"name": (1.0, 0.9, 0.8), "alias": (0.95, 0.85, 0.75),
            "pinyin": (0.9, 0.8, 0.7), "initials": (0.85, 0.75, 0.65)}
_ABBREVIATION, _FUZZY = len(KINDS), len(KINDS) + 1
# the same weights by kind number, for scoring candidates as arrays
_EXACT, _PREFIX, _INSIDE = (np.array([_WEIGHTS[k][i] for k in KINDS]) for i in range(3))
_MATCHED_ON = (*KINDS, "abbreviation", "fuzzy")


@dataclass(frozen=True)
class _Latin:
    """Pinyin keys (:func:`graph.search_keys.latin_columns`) and their pair postings."""

    texts: pa.Array
    han: NDArray[np.int32]
    pairs: Postings


@dataclass(frozen=True)
class _Fuzzy:
    """A key like the query: its score, the order among equal scores (key length, entity
    id, key within the entity: a build's own key order), and where it is."""

    score: float
    tie: tuple[int, str, int]
    index: SearchIndex
    position: int


def _abbreviates(short: str, full: str) -> bool:
    """Whether ``short`` is a Chinese-style short form of ``full``: same first character,
    then the rest in order (浙大 → 浙江大学, 温医大 → 温州医科大学).

    >>> _abbreviates("温医大", "温州医科大学"), _abbreviates("医大", "温州医科大学")
    (True, False)
    """
    if len(short) < 2 or short[0] != full[:1]:
        return False
    position = 0
    for char in short[1:]:
        position = full.find(char, position + 1)
        if position < 0:
            return False
    return True


class SearchIndex:
    """Index of every entity's names, as arrays (:mod:`graph.search_keys`); build with
    :func:`graph.saved_indexes.search_index`, or from saved columns with :meth:`of_columns`."""

    def __init__(self, rows: Iterable[NameRow], pinyin_now: bool = True) -> None:
        self._use(key_columns(rows))
        if pinyin_now:
            self._latin_keys()

    @classmethod
    def of_columns(cls, columns: dict[str, Any]) -> SearchIndex:
        """The index whose columns are ``columns`` (saved ones, memory-mapped)."""
        index = cls.__new__(cls)
        index._use(columns)
        return index

    def _use(self, columns: dict[str, Any]) -> None:
        self._columns = columns
        self._ids = SortedStrings(columns["ids"])
        self._names: pa.Array = columns["names"]
        self._types: NDArray[np.int8] = columns["types"]
        self._key_offsets: NDArray[np.int64] = columns["key_offsets"]
        self._key_rows: NDArray[np.int32] = columns["key_rows"]
        self._texts: pa.Array = columns["texts"]
        self._shown: pa.Array = columns["shown"]
        self._kinds: NDArray[np.uint8] = columns["kinds"]
        self._exact = SortedStrings(columns["exact"])
        self._exact_order: NDArray[np.int32] = columns["exact_order"]
        self._by_length: NDArray[np.int32] = columns["by_length"]
        self._lengths: NDArray[np.int32] = columns["lengths"]
        self._texts_by_length: pa.Array = columns["texts_by_length"]
        self._chars = Postings.of_arrays(columns, "chars")
        self._pairs = Postings.of_arrays(columns, "pairs")
        self._skips = Postings.of_arrays(columns, "skips")
        # pinyin keys: built now for a server (no request waits for them), or on the first
        # Latin query for a one-shot command (pypinyin's dictionaries take ~0.5 s to import)
        self._pinyin: _Latin | None = (_Latin(columns["latin"], columns["latin_han"],
                                              Postings.of_arrays(columns, "latin_pairs"))
                                       if "latin" in columns else None)
        self._pinyin_lock = threading.Lock()

    def columns(self) -> dict[str, Any]:
        """Every column (with the pinyin ones once built), for :mod:`graph.index_files`."""
        return dict(self._columns)

    def prepare_latin(self) -> None:
        """Build the pinyin and initials keys now (a server does it in the background
        after each rebuild, so a Latin query rarely waits for them)."""
        self._latin_keys()

    def _latin_keys(self) -> _Latin:
        """Pinyin and initials keys, and their letter-pair postings (built once)."""
        if self._pinyin is not None:  # built: no lock on every Latin query of a server
            return self._pinyin
        with self._pinyin_lock:
            if self._pinyin is None:
                latin = latin_columns(self._texts.to_pylist())
                self._columns |= latin
                self._pinyin = _Latin(latin["latin"], latin["latin_han"],
                                      Postings.of_arrays(latin, "latin_pairs"))
            return self._pinyin

    @property
    def has_latin(self) -> bool:
        return self._pinyin is not None

    def __len__(self) -> int:
        return len(self._types)

    def search(self, query: str, entity_type: EntityType | None = None,
               limit: int = 10) -> list[SearchHit]:
        """Ranked entities whose name, alias, pinyin or initials match ``query``; none for a
        query of only brackets, dots and spaces (nothing left to match, not an error: a search
        box sends such text while someone types).

        >>> SearchIndex([]).search("【】")
        []
        """
        return search_all([(self, frozenset())], query, entity_type, limit)

    def _matches(self, key: str, wanted: int | None, skip: frozenset[str], limit: int
                 ) -> list[SearchHit]:
        """The first ``limit`` entities (but those in ``skip``) by their best exact,
        prefix, inside or abbreviation match, ranked: a few candidates one by one, many as
        arrays (:mod:`graph.search_rank`; numpy's cost per call is more than a few keys'
        in Python)."""
        groups = self._candidates(key, wanted)
        if sum(len(g.at) for g in groups) <= FEW_CANDIDATES:
            return self._each(key, groups, skip, limit)
        return self._ranked(key, groups, skip, limit)

    def _each(self, key: str, groups: list[Candidates], skip: frozenset[str], limit: int
              ) -> list[SearchHit]:
        """:meth:`_matches`, scoring each candidate in turn."""
        best: dict[int, tuple[float, int, int]] = {}  # row -> (score, kind number, key)
        for group in groups:
            for text, kind, position in zip(texts_at(group.array, group.at),
                                            group.kinds.tolist(), group.han.tolist(),
                                            strict=True):
                exact, prefix, inside = _WEIGHTS[KINDS[kind]]
                if text == key:
                    score = exact
                elif text.startswith(key):
                    score = prefix - 0.05 * (1 - len(key) / len(text))
                elif key in text:
                    score = inside - 0.05 * (1 - len(key) / len(text))
                elif kind <= ALIAS and _abbreviates(key, text):
                    score, kind = inside - 0.15, _ABBREVIATION
                else:
                    continue
                row = int(self._key_rows[position])
                if row not in best or score > best[row][0]:
                    best[row] = (score, kind, position)
        return sorted(self._hits(best, skip), key=rank_key)[:limit]

    def _ranked(self, key: str, groups: list[Candidates], skip: frozenset[str], limit: int
                ) -> list[SearchHit]:
        """:meth:`_matches` with arrays, looking closer only at keys that can still rank."""
        kinds = np.concatenate([g.kinds for g in groups]).astype(np.int64)
        han = np.concatenate([g.han for g in groups])
        rows = self._key_rows[han].astype(np.int64)
        starts = [starts_with(g.array, g.at, key.encode()) for g in groups]
        prefixed = np.concatenate([p for p, _ in starts])
        exact = np.concatenate([e for _, e in starts])
        allowed = np.ones(len(rows), bool)
        if skip:
            allowed = ~np.isin(rows, [r for i in skip if (r := self._ids.find(i)) is not None])
        # exact and prefix matches: scores as arrays (text lengths only of these keys)
        head = np.flatnonzero(prefixed & allowed)
        lengths = np.concatenate([char_lengths(g.array, g.at[mine])
                                  for g, mine in self._split(groups, head)])
        head_scores = np.where(exact[head], _EXACT[kinds[head]],
                               _PREFIX[kinds[head]] - 0.05 * (1 - len(key) / lengths))
        best = best_per_row(rows[head], head_scores)
        cut = threshold(head_scores[best], limit)
        # inside and abbreviation matches score below their kind's inside weight: only keys
        # whose weight is above the cut can change the first ``limit`` entities
        rest = np.flatnonzero(~prefixed & allowed & (_INSIDE[kinds] > cut))
        chosen, scores, matched = [head], [head_scores], [kinds[head]]
        if len(rest):
            inside, inside_scores, inside_kinds = [], [], []
            for number, text in zip(rest.tolist(), self._texts_of(groups, rest), strict=True):
                kind = int(kinds[number])
                if key in text:
                    score = _INSIDE[kind] - 0.05 * (1 - len(key) / len(text))
                elif kind <= ALIAS and _abbreviates(key, text):
                    score, kind = _INSIDE[kind] - 0.15, _ABBREVIATION
                else:
                    continue
                inside.append(number)
                inside_scores.append(score)
                inside_kinds.append(kind)
            chosen.append(np.array(inside, np.int64))
            scores.append(np.array(inside_scores, np.float64))
            matched.append(np.array(inside_kinds, np.int64))
        every = np.concatenate(chosen)
        order = np.argsort(every, kind="stable")  # candidate order: first of equal keys wins
        every = every[order]
        every_score, every_kind = np.concatenate(scores)[order], np.concatenate(matched)[order]
        best = best_per_row(rows[every], every_score)
        top = best[top_rows(rows[every][best], every_score[best], limit, self._name_lengths)]
        return self._hits({int(rows[every[i]]): (float(every_score[i]), int(every_kind[i]),
                                                  int(han[every[i]])) for i in top.tolist()},
                          frozenset())

    @staticmethod
    def _split(groups: list[Candidates], at: NDArray[np.int64]
               ) -> list[tuple[Candidates, NDArray[np.int64]]]:
        """Candidates ``at`` (ascending, of ``groups`` taken as one list) by group."""
        found, start = [], 0
        for group in groups:
            end = start + len(group.at)
            found.append((group, at[(at >= start) & (at < end)] - start))
            start = end
        return found

    def _texts_of(self, groups: list[Candidates], at: NDArray[np.int64]) -> list[str]:
        """The texts of candidates ``at`` (ascending) of ``groups`` taken as one list."""
        return [text for group, mine in self._split(groups, at)
                for text in texts_at(group.array, group.at[mine])]

    def _name_lengths(self, rows: NDArray[np.int64]) -> list[int]:
        return [len(name) for name in texts_at(self._names, rows)]

    def _fuzzy(self, key: str, wanted: int | None, skip: frozenset[str], count: int
               ) -> list[_Fuzzy]:
        """The ``count`` keys most like ``key``, best first. fuzz.ratio is 2·LCS/(a+b): a
        score ≥ the cutoff needs a length within a band around the query's, so only that
        band of keys (sorted by length) is scored."""
        share = _FUZZY_CUTOFF / 100
        low = int(np.searchsorted(self._lengths, math.ceil(len(key) * share / (2 - share))))
        high = int(np.searchsorted(self._lengths, math.floor(len(key) * (2 - share) / share),
                                   side="right"))
        found = []
        from rapidfuzz import fuzz, process  # 6 ms to import: only when nothing matched

        for _text, score, at in process.extract(
                key, self._texts_by_length[low:high].to_pylist(), scorer=fuzz.ratio,
                score_cutoff=_FUZZY_CUTOFF, limit=None):
            position = int(self._by_length[low + at])
            row = int(self._key_rows[position])
            if wanted is not None and self._types[row] != wanted:
                continue
            the_id = self._ids.array[row].as_py()
            if the_id not in skip:
                found.append(_Fuzzy(score, (int(self._lengths[low + at]), the_id,
                                            position - int(self._key_offsets[row])),
                                    self, position))
        found.sort(key=lambda f: (-f.score, f.tie))
        return found[:count]

    def _hits(self, best: dict[int, tuple[float, int, int]], skip: frozenset[str]
              ) -> list[SearchHit]:
        """Hits of ``best``'s rows (score, kind number, key), but those of ids in ``skip``."""
        rows = np.array(list(best), np.int32)
        ids = texts_at(self._ids.array, rows)
        names = texts_at(self._names, rows)
        kept = [(row, i, n) for row, i, n in zip(best, ids, names, strict=True) if i not in skip]
        shown = texts_at(self._shown, np.array([best[r][2] for r, _, _ in kept], np.int32))
        return [SearchHit(i, n, TYPES[self._types[row]], best[row][0], _MATCHED_ON[best[row][1]],
                          s) for (row, i, n), s in zip(kept, shown, strict=True)]

    def _candidates(self, key: str, wanted: int | None) -> list[Candidates]:
        """The keys that can match ``key``: pinyin keys first, then Chinese keys, each kind
        in key order. A Chinese key can match exactly, as a prefix or inside only if it
        holds every character pair of the query, and as an abbreviation only if it starts
        with the query's first character and holds each other one after it. A pinyin key
        holds every letter pair of the query; a one-letter pinyin query scans. Keys of
        entities of another type than ``wanted`` are left out."""
        if len(key) == 1:
            han = self._chars.get(key)
        else:
            inside = holding_all([self._pairs.get(p) for p in grams(key, 2)])
            short = holding_all([self._skips.get(p) for p in skips(key)])
            han = union(inside, short)
        han = self._of_type(han, wanted)
        found = [Candidates(self._texts, han, self._kinds[han], han)]
        if _LATIN.match(key):
            latin = self._latin_keys()
            pairs = grams(key, 2)
            keys = (holding_all([latin.pairs.get(p) for p in pairs]) if pairs
                    else np.arange(len(latin.texts), dtype=np.int32))
            owners = latin.han[keys >> 1]
            keep = self._of_type(owners, wanted, mask=True)
            keys, owners = keys[keep], owners[keep]
            found.insert(0, Candidates(latin.texts, keys, PINYIN + (keys & 1), owners))
        return [group for group in found if len(group.at)]

    def _of_type(self, keys: NDArray[np.int32], wanted: int | None, mask: bool = False
                 ) -> Any:
        """``keys`` of entities of type ``wanted`` (all for ``None``), or that as a mask."""
        if wanted is None:
            return np.ones(len(keys), bool) if mask else keys
        chosen = self._types[self._key_rows[keys]] == wanted
        return chosen if mask else keys[chosen]

    def _row(self, row: int) -> NameRow:
        start, end = int(self._key_offsets[row]), int(self._key_offsets[row + 1])
        return NameRow(self._ids.array[row].as_py(), TYPES[self._types[row]],
                       self._names[row].as_py(), tuple(self._shown[start + 1:end].to_pylist()))

    def resolve(self, text: str, entity_type: EntityType | None = None) -> NameRow:
        """The one entity whose id, name or alias is ``text``; raise if none or several."""
        return resolve_all([(self, frozenset())], text, entity_type)

    def _named(self, key: str, kind: int, entity_type: EntityType | None,
               skip: frozenset[str]) -> list[NameRow]:
        """Entities with a key of ``kind`` (name or alias) equal to ``key``, in row order."""
        low, high = self._exact.span(key)
        keys = self._exact_order[low:high]
        rows = dict.fromkeys(self._key_rows[keys[self._kinds[keys] == kind]].tolist())
        found = [self._row(r) for r in rows
                 if entity_type is None or TYPES[self._types[r]] is entity_type]
        return [r for r in found if r.id not in skip]


class MergedSearch:
    """Several indexes searched and resolved as one (see :func:`search_all`)."""

    def __init__(self, parts: Sequence[tuple[SearchIndex, frozenset[str]]]) -> None:
        self.parts = list(parts)

    def search(self, query: str, entity_type: EntityType | None = None,
               limit: int = 10) -> list[SearchHit]:
        return search_all(self.parts, query, entity_type, limit)

    def resolve(self, text: str, entity_type: EntityType | None = None) -> NameRow:
        return resolve_all(self.parts, text, entity_type)


def resolve_all(parts: Sequence[tuple[SearchIndex, frozenset[str]]], text: str,
                entity_type: EntityType | None = None) -> NameRow:
    """The one entity whose id, name or alias is ``text`` in any of ``parts`` (each without
    the ids in its set); raise if none or several."""
    for index, skip in parts:
        row = index._ids.find(text) if text not in skip else None
        if row is not None:
            return index._row(row)
    key = match_key(text)
    for kind in (NAME, ALIAS):
        found = [r for index, skip in parts for r in index._named(key, kind, entity_type, skip)]
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousName(text, sorted(r.id for r in found))
    raise EntityNotFound(text)


def rank_key(hit: SearchHit) -> tuple[float, int, str]:
    """The order of search hits: best score, then shorter name, then id."""
    return -hit.score, len(hit.name), hit.id


def search_all(parts: Sequence[tuple[SearchIndex, frozenset[str]]], query: str,
               entity_type: EntityType | None = None, limit: int = 10) -> list[SearchHit]:
    """:meth:`SearchIndex.search` over several indexes as if they were one, each without
    the ids in its set (which another part holds): the same hits as one index of all their
    entities would give (:mod:`api.indexes` merges the served index with the entities
    written since it was built)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", f"must be between 1 and {MAX_LIMIT}, got {limit}")
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidInput("q", f"must be at most {MAX_QUERY_LENGTH} characters")
    key = match_key(query)
    if not key:
        return []
    wanted = None if entity_type is None else TYPE_CODES[entity_type]
    hits = [hit for index, skip in parts for hit in index._matches(key, wanted, skip, limit)]
    if not hits and len(key) >= 2:
        # fuzzy matching is for slips (李校菊 for 李校堃): it runs when nothing matched as
        # written, since scoring every key costs tens of milliseconds on 100k names
        keys = sorted((f for index, skip in parts
                       for f in index._fuzzy(key, wanted, skip, limit * 3)),
                      key=lambda f: (-f.score, f.tie))[:limit * 3]
        best: dict[tuple[int, int], _Fuzzy] = {}
        for found in keys:  # best first: the first key of an entity is its best
            best.setdefault((id(found.index), int(found.index._key_rows[found.position])),
                            found)
        hits = [hit for f in best.values() for hit in f.index._hits(
            {int(f.index._key_rows[f.position]): (0.6 * f.score / 100, _FUZZY, f.position)},
            frozenset())]
    return sorted(hits, key=rank_key)[:limit]
