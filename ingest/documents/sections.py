"""Sections from Chinese numbering, and sentences.

Work reports mark structure only by numbering, often with no line breaks: ``一、`` (part),
``(一)`` (sub-part), ``1 .`` (item) and ``一是`` (point). A label is taken as a heading
only when it continues its level's sequence (``(三)`` after ``(二)``, or a ``(一)`` that
starts one), which keeps ``一区一廊`` or ``第2、第3`` from being read as headings. A
section's path joins the labels of the enclosing headings: ``二/(一)/二是``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

_NUMERALS = "一二三四五六七八九十"
_CJK = r"\u3400-\u9fff"
# level, pattern; group 1 is the number, and a heading starts at the match start
_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"(?:(?<=^)|(?<=[\n。!?;:”\"]))([{_NUMERALS}]{{1,3}})、")),
    (1, re.compile(rf"\(([{_NUMERALS}]{{1,3}})\)(?=[{_CJK}])")),
    (2, re.compile(rf"(?<![\d.%])(\d{{1,2}}) ?\.(?=[{_CJK}“\"])")),
    (3, re.compile(rf"(?:(?<=^)|(?<=[\n。!?;:]))([{_NUMERALS}]{{1,3}})是(?=[{_CJK}])")),
)
_SENTENCE_END = re.compile(r"[。!?;\n]+")


def chinese_number(text: str) -> int:
    """Value of a Chinese numeral up to 99.

    >>> chinese_number("三"), chinese_number("十二"), chinese_number("二十")
    (3, 12, 20)
    """
    digits = [_NUMERALS.index(c) + 1 for c in text]
    if len(digits) == 1:
        return digits[0]
    if digits[0] == 10:
        return 10 + (digits[1] if len(digits) > 1 else 0)
    return digits[0] * 10 + (digits[2] if len(digits) > 2 else 0)


def _label(level: int, number: str) -> str:
    return (f"{number}", f"({number})", number, f"{number}是")[level]


@dataclass(frozen=True)
class Section:
    """A numbered part of a document; ``path`` names it, offsets are in normalised text."""

    path: str
    start: int
    end: int
    title: str


@dataclass(frozen=True)
class Sentence:
    """A sentence (or heading line) and the section it belongs to."""

    start: int
    end: int
    section: str
    text: str


def find_sections(text: str) -> list[Section]:
    """Sections in document order; text before the first heading is section ``序``.

    >>> [s.path for s in find_sections("总述。一、亮点(一)甲。(二)乙。一是丙。二是丁。二、计划")]
    ['序', '一', '一/(一)', '一/(二)', '一/(二)/一是', '一/(二)/二是', '二']
    """
    found: list[tuple[int, int, str, int]] = []  # start, level, number label, value
    for level, pattern in _LEVELS:
        for match in pattern.finditer(text):
            raw = match.group(1)
            value = int(raw) if raw.isdigit() else chinese_number(raw)
            found.append((match.start(), level, _label(level, raw), value))
    found.sort()
    current: list[tuple[str, int] | None] = [None, None, None, None]
    heads: list[tuple[int, str]] = []
    restarted = False  # sub-parts began again at (一): a second report may follow
    for start, level, label, value in found:
        previous = current[level]
        fits = previous is None or value == previous[1] + 1 or (level == 0 and restarted)
        if value != 1 and not fits:
            continue  # not the next in its sequence: an ordinary word
        if level == 1 and value == 1 and previous is not None:
            restarted = True
        elif level == 0:
            restarted = False
        current[level] = (label, value)
        for deeper in range(level + 1, 4):
            current[deeper] = None
        heads.append((start, "/".join(c[0] for c in current if c is not None)))
    sections: list[Section] = []
    bounds = [*heads, (len(text), "")]
    if not heads or heads[0][0] > 0:
        bounds.insert(0, (0, "序"))
    for (start, path), (end, _) in pairwise(bounds):
        title = _SENTENCE_END.split(text[start:end], maxsplit=1)[0][:40]
        sections.append(Section(path, start, end, title))
    return sections


def split_sentences(text: str, sections: list[Section]) -> list[Sentence]:
    """Sentences within each section (a heading starts a new sentence).

    >>> [s.text for s in split_sentences("甲。乙;(一)丙", find_sections("甲。乙;(一)丙"))]
    ['甲。', '乙;', '(一)丙']
    """
    sentences: list[Sentence] = []
    for section in sections:
        start = section.start
        for match in _SENTENCE_END.finditer(text, section.start, section.end):
            if match.end() > start and text[start:match.start()].strip():
                sentences.append(Sentence(start, match.end(), section.path,
                                          text[start:match.end()]))
            start = match.end()
        if text[start:section.end].strip():
            sentences.append(Sentence(start, section.end, section.path,
                                      text[start:section.end]))
    return sentences
