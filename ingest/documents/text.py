"""Normalised text that remembers where each character came from.

Reports are normalised before extraction (full-width → half-width, Traditional →
Simplified, OCR slips in numbers and known names, spaces inside Chinese names), but
evidence must cite the document as written. :class:`MappedText` keeps, for every
character of the normalised text, the span of original characters it stands for, so a
span found in the normalised text maps back exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from schema.names import CJK_RANGES, to_simplified

_CJK = CJK_RANGES
# spaces (after NFKC: ideographic space is a plain space) touching a CJK character
_SPACE_IN_CJK = re.compile(rf"[ \t]+(?=[{_CJK}])|(?<=[{_CJK}])[ \t]+")
# a number as OCR reads it: digits mixed with look-alike letters (2O22, IL77, 45L67, IlOO)
_NUMBER_LIKE = re.compile(r"(?<![A-Za-z0-9.])[0-9IlLO][0-9IlLOo.]*(?![A-Za-z0-9])")
_NUMBER_UNIT = re.compile(r"[%亿万元年月日个家项人名支倍]")
_LETTER_DIGIT = str.maketrans({"I": "1", "l": "1", "O": "0", "o": "0"})
# a letter o closing a number or an anonymised X is a slipped full stop (第2o, 第Xo)
_O_FULL_STOP = re.compile(rf"(?<=[0-9X])o(?=[({_CJK}]|$)")
# 10虬, 95虬: the OCR read "%。" as one character
_PERCENT_STOP = re.compile(r"(?<=\d)虬")
# a line break between two characters of running text (the next line is not indented); a
# wrapped line is long and holds a clause mark or opens a paragraph (indented): titles and
# headlines do neither; and the next line opens no heading
_LINE_BREAK = re.compile(rf"(?<=[{_CJK}0-9A-Za-z,、])\n(?=[{_CJK}])")
_WRAPPED_LINE = 10
_CLAUSE_MARK = re.compile(r"[,、;。]")
_LINE_OPENER = re.compile(r"[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+ ?[.、]|本报|记者|"
                          r"[一二三四五六七八九十]是")
#: OCR slips in words that are not names of the graph (names come from the gazetteer)
WORD_SLIPS: Mapping[str, str] = {"鳏鹏": "鲲鹏"}


@dataclass(frozen=True)
class MappedText:
    """``text`` with, per character, the ``[start, end)`` span of original characters.

    >>> mapped = MappedText.identity("ab").replace(re.compile("b"), lambda m: "cd")
    >>> mapped.text, mapped.original_span(1, 3)
    ('acd', (1, 2))
    """

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def identity(cls, text: str) -> MappedText:
        """Text that is its own original."""
        return cls(text, tuple(range(len(text))), tuple(range(1, len(text) + 1)))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` that normalised ``[start, end)`` stands for."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span {start}-{end} is outside the text (0-{len(self.text)})")
        return self.starts[start], self.ends[end - 1]

    def replace(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]
                ) -> MappedText:
        """Substitute every match; an equal-length replacement maps character by character,
        any other maps each new character to the whole matched span."""
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        last = 0
        for match in pattern.finditer(self.text):
            new = repl(match)
            a, b = match.span()
            if new == match.group(0):
                continue
            pieces.append(self.text[last:a])
            starts.extend(self.starts[last:a])
            ends.extend(self.ends[last:a])
            if len(new) == b - a:
                starts.extend(self.starts[a:b])
                ends.extend(self.ends[a:b])
            elif b > a:
                starts.extend([self.starts[a]] * len(new))
                ends.extend([self.ends[b - 1]] * len(new))
            pieces.append(new)
            last = b
        if not pieces:
            return self
        pieces.append(self.text[last:])
        starts.extend(self.starts[last:])
        ends.extend(self.ends[last:])
        return MappedText("".join(pieces), tuple(starts), tuple(ends))


@cache
def _nfkc(char: str) -> str:
    return unicodedata.normalize("NFKC", char)


def _width_fold(mapped: MappedText) -> MappedText:
    """NFKC one character at a time (full-width forms, compatibility ideographs)."""
    # each distinct character is checked once (a report uses a few hundred of them)
    changed = {c for c in set(mapped.text) if c > "\x7f" and _nfkc(c) != c}
    # most fold to one character (，→, Ａ→A): translated in place, the offsets unchanged
    single: dict[str, str | int | None] = {c: _nfkc(c) for c in changed if len(_nfkc(c)) == 1}
    if single:
        mapped = MappedText(mapped.text.translate(str.maketrans(single)), mapped.starts,
                            mapped.ends)
    longer = changed - set(single)  # ㈠ → (一), ﬁ → fi: each new character maps to the old
    if not longer:
        return mapped
    spans = re.compile("|".join(sorted(map(re.escape, longer))))
    return mapped.replace(spans, lambda m: _nfkc(m.group(0)))


def _simplify(mapped: MappedText) -> MappedText:
    converted = to_simplified(mapped.text)
    if converted == mapped.text:
        return mapped
    if len(converted) == len(mapped.text):
        return MappedText(converted, mapped.starts, mapped.ends)
    # a phrase conversion changed the length: convert character by character instead
    return mapped.replace(re.compile(rf"[{_CJK}]"), lambda m: to_simplified(m.group(0)))


def _unwrapped(match: re.Match[str]) -> str:
    """A line break a scan put inside a sentence (…新材料中试基地一期投入使\n用) is removed;
    one that ends a title or a heading, or starts a new one, is kept."""
    text = match.string
    line = text[text.rfind("\n", 0, match.start()) + 1:match.start()]
    wrapped = (len(line.strip()) >= _WRAPPED_LINE and not _LINE_OPENER.match(text, match.end())
               and (_CLAUSE_MARK.search(line) is not None or line[:1].isspace()))
    return "" if wrapped else "\n"


def _number(match: re.Match[str]) -> str:
    token = match.group(0)
    following = match.string[match.end():match.end() + 1]
    if not any(c.isdigit() for c in token) and not _NUMBER_UNIT.match(following):
        return token  # a word such as "LO" or "IO", not a number
    if token.isdigit() or token.strip(".") == "":
        return token
    out = []
    for i, char in enumerate(token):
        nxt = token[i + 1:i + 2]
        if char == "L":  # "L" stands for "1." when digits follow and no point is written yet
            out.append("1." if nxt.isdigit() and "." not in token else "1")
        elif char == "o" and i == len(token) - 1 and i > 0:
            out.append("。")  # 第2o( … : a slipped full stop after the number
        else:
            out.append(char.translate(_LETTER_DIGIT))
    return "".join(out)


def normalise_text(raw: str, name_slips: Mapping[str, str] | None = None) -> MappedText:
    """Normalise a report for extraction, keeping the way back to ``raw``.

    ``name_slips`` maps slipped spellings of known names to the right ones (the gazetteer
    supplies them: aliases one character away from their entity's name).

    >>> normalise_text("溫州２O２２年增長IL77%，超L4億元，第2o（三）").text
    '温州2022年增长11.77%,超1.4亿元,第2。(三)'
    >>> normalise_text("李校菊 院士", {"李校菊": "李校堃"}).text
    '李校堃院士'
    """
    mapped = _width_fold(MappedText.identity(raw))
    mapped = _simplify(mapped)
    mapped = mapped.replace(_LINE_BREAK, _unwrapped)  # before spaces go: it reads indentation
    mapped = mapped.replace(_SPACE_IN_CJK, lambda m: "")
    mapped = mapped.replace(_NUMBER_LIKE, _number)
    mapped = mapped.replace(_O_FULL_STOP, lambda m: "。")
    mapped = mapped.replace(_PERCENT_STOP, lambda m: "%。")
    slips = {**WORD_SLIPS, **(name_slips or {})}
    if slips:
        words = re.compile("|".join(re.escape(w) for w in sorted(slips, key=len, reverse=True)))
        mapped = mapped.replace(words, lambda m: slips[m.group(0)])
    return mapped
