"""The graph's own names and aliases as a gazetteer: find known entities in text, and
resolve new names to known ones (exact, alias, short form, or a one-character slip).

Keys are normalised like document text (``normalise_name``), so Traditional or
full-width names in the graph match Simplified reports. Scanning is leftmost-longest
over a first-character index, which keeps it linear in the text for any gazetteer size.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

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


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, longest first, shaped as a trie so the regex
    engine does the work in one pass (an alternation of hundreds of names would try each).

    >>> re.findall(_trie_pattern(["温州", "温州大学", "温医大"]), "温州大学和温医大在温州")
    ['温州大学', '温医大', '温州']
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items())
                    if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


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
        # keys naming exactly one entity, matched leftmost-longest by one trie-shaped regex
        self._unique = {key: knowns[0] for key, knowns in self._keys.items()
                        if len(key) >= _MIN_KEY and len({k.id for k in knowns}) == 1}
        self._pattern = re.compile(_trie_pattern(self._unique) or "(?!)")
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
        for match in self._pattern.finditer(text, start, len(text) if end is None else end):
            yield GazetteerHit(match.start(), match.end(), self._unique[match.group()])

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
