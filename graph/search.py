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
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from schema import AmbiguousName, EntityNotFound, EntityType, InvalidInput, match_key

from .postings import Postings, grams, holding_all
from .store.base import GraphStore, NameRow
from .versioned import per_version

MAX_QUERY_LENGTH = 100
MAX_LIMIT = 100
_LATIN = re.compile(r"^[a-z0-9 ]+$")
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
_KINDS = ("name", "alias", "pinyin", "initials")  # a key's kind is stored as its number here
_NAME, _ALIAS, _PINYIN, _INITIALS = range(4)


@dataclass(frozen=True)
class _Latin:
    """Pinyin keys: key ``2j`` is the full pinyin and ``2j + 1`` the initials of Chinese key
    ``han[j]``; ``pairs`` are their letter-pair postings."""

    texts: list[str]
    han: array[int]
    pairs: Postings


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


def _skips(text: str) -> set[str]:
    """The first character paired with each later one: every key that ``text`` abbreviates
    holds all of these (温医大 → 温医, 温大 ⊂ 温州医科大学's).

    >>> sorted(_skips("温医大"))
    ['温医', '温大']
    """
    return {text[0] + c for c in text[1:]}


class SearchIndex:
    """In-memory index of every entity's names; build with :meth:`for_store`."""

    def __init__(self, rows: Sequence[NameRow], pinyin_now: bool = True) -> None:
        self.rows = list(rows)
        self._by_id = {row.id: i for i, row in enumerate(self.rows)}
        self._exact: dict[str, list[int]] = {}
        self._alias_exact: dict[str, list[int]] = {}
        # the Chinese keys (names and aliases, match_key'd) as columns, not an object each:
        # a million entities' keys then take tens of megabytes, not gigabytes
        self._texts: list[str] = []
        self._shown: list[str] = []  # the name or alias as stored
        kinds = bytearray()
        self._key_rows = array("i")
        for i, row in enumerate(self.rows):
            for text, kind in [(row.name, _NAME), *((a, _ALIAS) for a in row.aliases)]:
                key = match_key(text)
                (self._exact if kind == _NAME else self._alias_exact).setdefault(key, []).append(i)
                self._texts.append(key)
                self._shown.append(text)
                kinds.append(kind)
                self._key_rows.append(i)
        self._kinds = bytes(kinds)
        by_length = sorted(range(len(self._texts)), key=lambda i: len(self._texts[i]))
        self._by_length = array("i", by_length)
        self._lengths = array("i", (len(self._texts[i]) for i in by_length))
        self._texts_by_length = [self._texts[i] for i in by_length]
        # posting lists, so that a query looks only at keys that could match instead of
        # scanning every key: which keys hold a character, a character pair, or start with
        # a character followed (anywhere later) by another (see _candidates)
        self._chars = Postings.of_grams(grams(t, 1) for t in self._texts)
        self._pairs = Postings.of_grams(grams(t, 2) for t in self._texts)
        self._skips = Postings.of_grams(_skips(t) for t in self._texts)
        # pinyin keys: built now for a server (no request waits for them), or on the first
        # Latin query for a one-shot command (pypinyin's dictionaries take ~0.5 s to import)
        self._pinyin: _Latin | None = None
        self._pinyin_lock = threading.Lock()
        if pinyin_now:
            self._latin_keys()

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
                from .pinyin import pinyin_keys

                texts: list[str] = []
                han = array("i")
                for position, text in enumerate(self._texts):
                    full, initials = pinyin_keys(text)
                    if full != text:
                        texts += (full, initials)
                        han.append(position)
                self._pinyin = _Latin(texts, han, Postings.of_grams(grams(t, 2) for t in texts))
            return self._pinyin

    @classmethod
    def for_store(cls, store: GraphStore, pinyin_now: bool = True) -> SearchIndex:
        """The index of ``store``, rebuilt only when the store's version changed;
        ``pinyin_now=False`` defers the pinyin keys to the first Latin query."""
        return per_version(store, "search", lambda s: cls(s.name_rows(), pinyin_now))

    def search(self, query: str, entity_type: EntityType | None = None,
               limit: int = 10) -> list[SearchHit]:
        """Ranked entities whose name, alias, pinyin or initials match ``query``; none for a
        query of only brackets, dots and spaces (nothing left to match, not an error: a search
        box sends such text while someone types).

        >>> SearchIndex([]).search("【】")
        []
        """
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput("limit", f"must be between 1 and {MAX_LIMIT}, got {limit}")
        if len(query) > MAX_QUERY_LENGTH:
            raise InvalidInput("q", f"must be at most {MAX_QUERY_LENGTH} characters")
        key = match_key(query)
        if not key:
            return []
        best: dict[int, tuple[float, str, str]] = {}

        def offer(row: int, score: float, kind: str, shown: str) -> None:
            if entity_type is not None and self.rows[row].type is not entity_type:
                return
            if row not in best or score > best[row][0]:
                best[row] = (score, kind, shown)

        for text, kind_number, position in self._candidates(key):
            kind = _KINDS[kind_number]
            row, shown = self._key_rows[position], self._shown[position]
            exact, prefix, inside = _WEIGHTS[kind]
            if text == key:
                offer(row, exact, kind, shown)
            elif text.startswith(key):
                offer(row, prefix - 0.05 * (1 - len(key) / len(text)), kind, shown)
            elif key in text:
                offer(row, inside - 0.05 * (1 - len(key) / len(text)), kind, shown)
            elif kind_number <= _ALIAS and _abbreviates(key, text):
                offer(row, inside - 0.15, "abbreviation", shown)
        if not best and len(key) >= 2:
            # fuzzy matching is for slips (李校菊 for 李校堃): it runs when nothing matched as
            # written, since scoring every key costs tens of milliseconds on 100k names.
            # fuzz.ratio is 2·LCS/(a+b): a score ≥ the cutoff needs a length within a band
            # around the query's, so only that band of keys (sorted by length) is scored
            share = _FUZZY_CUTOFF / 100
            low = bisect_left(self._lengths, math.ceil(len(key) * share / (2 - share)))
            high = bisect_right(self._lengths, math.floor(len(key) * (2 - share) / share))
            for _text, score, position in process.extract(
                    key, self._texts_by_length[low:high], scorer=fuzz.ratio,
                    score_cutoff=_FUZZY_CUTOFF, limit=limit * 3):
                key_at = self._by_length[low + position]
                offer(self._key_rows[key_at], 0.6 * score / 100, "fuzzy", self._shown[key_at])
        ranked = sorted(best.items(),
                        key=lambda kv: (-kv[1][0], len(self.rows[kv[0]].name), self.rows[kv[0]].id))
        return [SearchHit(self.rows[i].id, self.rows[i].name, self.rows[i].type, score, kind,
                          shown) for i, (score, kind, shown) in ranked[:limit]]

    def _candidates(self, key: str) -> list[tuple[str, int, int]]:
        """(text, kind, Chinese key) of the keys that can match ``key``, pinyin keys first,
        each kind in key order. A Chinese key can match exactly, as a prefix or inside only
        if it holds every character pair of the query, and as an abbreviation only if it
        starts with the query's first character and holds each other one after it. A pinyin
        key holds every letter pair of the query; a one-letter pinyin query scans."""
        if len(key) == 1:
            han = self._chars.get(key)
        else:
            inside = holding_all([self._pairs.get(p) for p in grams(key, 2)])
            short = holding_all([self._skips.get(p) for p in _skips(key)])
            han = np.union1d(inside, short)
        found = [(self._texts[h], self._kinds[h], h) for h in han.tolist()]
        if _LATIN.match(key):
            latin = self._latin_keys()
            pairs = grams(key, 2)
            keys = (holding_all([latin.pairs.get(p) for p in pairs]).tolist() if pairs
                    else range(len(latin.texts)))
            found = [(latin.texts[i], _PINYIN + (i & 1), latin.han[i >> 1]) for i in keys] + found
        return found

    def resolve(self, text: str, entity_type: EntityType | None = None) -> NameRow:
        """The one entity whose id, name or alias is ``text``; raise if none or several."""
        if text in self._by_id:
            return self.rows[self._by_id[text]]
        key = match_key(text)
        for table in (self._exact, self._alias_exact):
            found = [self.rows[i] for i in table.get(key, [])
                     if entity_type is None or self.rows[i].type is entity_type]
            if len(found) == 1:
                return found[0]
            if found:
                raise AmbiguousName(text, sorted(r.id for r in found))
        raise EntityNotFound(text)
