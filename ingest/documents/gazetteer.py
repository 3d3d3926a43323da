"""The graph's own names and aliases as a gazetteer: find known entities in text, and
resolve new names to known ones (exact, alias, short form, or a one-character slip).

Keys are normalised like document text (``normalise_name``), so Traditional or
full-width names in the graph match Simplified reports. Scanning is leftmost-longest
over a first-character index, which keeps it linear in the text for any gazetteer size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from graph.store.base import NameRow
from schema import EntityType, match_key, normalise_name

_MIN_KEY = 2


@dataclass(frozen=True)
class Known:
    """A known entity a text span names; ``how`` is name, alias, short or slip."""

    id: str
    name: str
    type: EntityType
    how: str


@dataclass(frozen=True)
class GazetteerHit:
    start: int
    end: int
    known: Known


def _one_substitution(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


class Gazetteer:
    """Names and aliases of the graph's entities.

    >>> g = Gazetteer([NameRow("p:1", EntityType.person, "李校堃", ("李校菊",))])
    >>> [(h.start, h.known.name, h.known.how) for h in g.scan("由李校菊院士领衔")]
    [(1, '李校堃', 'alias')]
    >>> g.slips
    {'李校菊': '李校堃'}
    """

    def __init__(self, rows: Iterable[NameRow]) -> None:
        self._keys: dict[str, list[Known]] = defaultdict(list)
        self._by_match: dict[str, list[Known]] = defaultdict(list)
        self.slips: dict[str, str] = {}
        self.rows = list(rows)
        for row in self.rows:
            name = normalise_name(row.name)
            self._add(name, Known(row.id, row.name, row.type, "name"))
            for alias in row.aliases:
                text = normalise_name(alias)
                self._add(text, Known(row.id, row.name, row.type, "alias"))
                if len(text) >= 3 and _one_substitution(text, name):
                    self.slips[text] = name  # 李校菊 → 李校堃: fixed in the text itself
        self._lengths: dict[str, list[int]] = defaultdict(list)
        for key in self._keys:
            if len(key) >= _MIN_KEY:
                self._lengths[key[0]].append(len(key))
        for lengths in self._lengths.values():
            lengths.sort(reverse=True)
        self._names_by_length: dict[int, list[tuple[str, Known]]] = defaultdict(list)
        for key, knowns in self._by_match.items():
            for known in knowns:
                self._names_by_length[len(key)].append((key, known))

    def _add(self, text: str, known: Known) -> None:
        if known not in self._keys[text]:
            self._keys[text].append(known)
        if known not in self._by_match[match_key(text)]:
            self._by_match[match_key(text)].append(known)

    def __len__(self) -> int:
        return len(self.rows)

    def scan(self, text: str, start: int = 0, end: int | None = None) -> Iterator[GazetteerHit]:
        """Leftmost-longest unambiguous matches of known names in ``text[start:end]``."""
        stop = len(text) if end is None else end
        i = start
        while i < stop:
            for length in self._lengths.get(text[i], ()):
                if i + length > stop:
                    continue
                knowns = self._keys.get(text[i:i + length])
                if knowns and len({k.id for k in knowns}) == 1:
                    yield GazetteerHit(i, i + length, knowns[0])
                    i += length
                    break
            else:
                i += 1

    def resolve(self, name: str, entity_type: EntityType | None = None) -> Known | None:
        """The one known entity ``name`` stands for, or ``None`` (unknown or ambiguous)."""
        key = match_key(name)
        exact = [k for k in self._by_match.get(key, ()) if entity_type in (None, k.type)]
        if len({k.id for k in exact}) == 1:
            return exact[0]
        if exact or len(key) < 3:
            return None
        slipped = {k.id: k for text, k in self._names_by_length.get(len(key), ())
                   if k.how == "name" and entity_type in (None, k.type)
                   and _one_substitution(key, text)}
        if len(slipped) == 1:
            known = next(iter(slipped.values()))
            return Known(known.id, known.name, known.type, "slip")
        return None
