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
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from schema import AmbiguousName, EntityNotFound, EntityType, InvalidInput, match_key

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


@dataclass(frozen=True)
class _Key:
    text: str
    kind: str  # name | alias | pinyin | initials
    shown: str
    row: int


# score of an exact / prefix / substring match per key kind
_WEIGHTS = {"name": (1.0, 0.9, 0.8), "alias": (0.95, 0.85, 0.75),
            "pinyin": (0.9, 0.8, 0.7), "initials": (0.85, 0.75, 0.65)}


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
    """In-memory index of every entity's names; build with :meth:`for_store`."""

    def __init__(self, rows: Sequence[NameRow], pinyin_now: bool = True) -> None:
        self.rows = list(rows)
        self._by_id = {row.id: i for i, row in enumerate(self.rows)}
        self._exact: dict[str, list[int]] = {}
        self._alias_exact: dict[str, list[int]] = {}
        self._han: list[_Key] = []
        for i, row in enumerate(self.rows):
            for text, kind in [(row.name, "name"), *((a, "alias") for a in row.aliases)]:
                key = match_key(text)
                (self._exact if kind == "name" else self._alias_exact).setdefault(key, []).append(i)
                self._han.append(_Key(key, kind, text, i))
        self._han_texts = [k.text for k in self._han]
        self._by_length = sorted(range(len(self._han)), key=lambda i: len(self._han_texts[i]))
        self._lengths = [len(self._han_texts[i]) for i in self._by_length]
        self._texts_by_length = [self._han_texts[i] for i in self._by_length]
        # posting lists: which keys hold a character (Chinese) or a letter pair (pinyin), so a
        # query looks only at keys that could match instead of scanning every key
        self._han_chars = _postings((k.text for k in self._han), 1)
        # pinyin keys: built now for a server (no request waits for them), or on the first
        # Latin query for a one-shot command (pypinyin's dictionaries take ~0.5 s to import)
        self._pinyin: tuple[list[_Key], dict[str, set[int]]] | None = None
        self._pinyin_lock = threading.Lock()
        if pinyin_now:
            self._latin_keys()

    def _latin_keys(self) -> tuple[list[_Key], dict[str, set[int]]]:
        """Pinyin and initials keys, and their letter-pair postings (built once)."""
        if self._pinyin is not None:  # built: no lock on every Latin query of a server
            return self._pinyin
        with self._pinyin_lock:
            if self._pinyin is None:
                from .pinyin import pinyin_keys

                latin = []
                for key in self._han:
                    full, initials = pinyin_keys(key.text)
                    if full != key.text:
                        latin.append(_Key(full, "pinyin", key.shown, key.row))
                        latin.append(_Key(initials, "initials", key.shown, key.row))
                self._pinyin = latin, _postings((k.text for k in latin), 2)
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

        for item in self._candidates(key):
            exact, prefix, inside = _WEIGHTS[item.kind]
            if item.text == key:
                offer(item.row, exact, item.kind, item.shown)
            elif item.text.startswith(key):
                offer(item.row, prefix - 0.05 * (1 - len(key) / len(item.text)), item.kind,
                      item.shown)
            elif key in item.text:
                offer(item.row, inside - 0.05 * (1 - len(key) / len(item.text)), item.kind,
                      item.shown)
            elif item.kind in ("name", "alias") and _abbreviates(key, item.text):
                offer(item.row, inside - 0.15, "abbreviation", item.shown)
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
                item = self._han[self._by_length[low + position]]
                offer(item.row, 0.6 * score / 100, "fuzzy", item.shown)
        ranked = sorted(best.items(),
                        key=lambda kv: (-kv[1][0], len(self.rows[kv[0]].name), self.rows[kv[0]].id))
        return [SearchHit(self.rows[i].id, self.rows[i].name, self.rows[i].type, score, kind,
                          shown) for i, (score, kind, shown) in ranked[:limit]]

    def _candidates(self, key: str) -> list[_Key]:
        """Keys that can match ``key`` exactly, as a prefix, inside, or (Chinese names and
        aliases) as an abbreviation: every one of them holds all of the query's characters
        (Chinese keys) or letter pairs (pinyin keys). A one-letter pinyin query scans."""
        found = [self._han[i] for i in sorted(_holding(self._han_chars, set(key)))]
        if _LATIN.match(key):
            pairs = {key[i:i + 2] for i in range(len(key) - 1)}
            keys, pairs_of = self._latin_keys()
            latin = _holding(pairs_of, pairs) if pairs else range(len(keys))
            found = [keys[i] for i in sorted(latin)] + found
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


def _postings(texts: Iterable[str], size: int) -> dict[str, set[int]]:
    """For every ``size``-character gram, the positions of the texts that hold it."""
    postings: dict[str, set[int]] = {}
    for position, text in enumerate(texts):
        for gram in {text[i:i + size] for i in range(len(text) - size + 1)}:
            postings.setdefault(gram, set()).add(position)
    return postings


def _holding(postings: dict[str, set[int]], grams: set[str]) -> set[int]:
    """Positions of the texts that hold every gram (smallest posting list first)."""
    lists = sorted((postings.get(g, set()) for g in grams), key=len)
    if not lists:
        return set()
    found = set(lists[0])
    for more in lists[1:]:
        found &= more
        if not found:
            break
    return found

