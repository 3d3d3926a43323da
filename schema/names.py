"""Name normalisation: done once at ingest, and to every search query.

``normalise_name`` turns what a report or spreadsheet wrote into the canonical
spelling used for ids and display: NFKC (full-width → half-width), Traditional →
Simplified (OpenCC), one bracket style, no stray whitespace, and digit-run OCR
slips (``2O22`` → ``2022``). ``match_key`` is a looser key used only to compare
names: it also drops brackets, dots and case.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import opencc

_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")",
                           "｛": "(", "｝": ")", "{": "(", "}": ")"})
_DOTS = str.maketrans({"・": "·", "•": "·", "‧": "·", "∙": "·", "･": "·"})
#: the CJK ideograph ranges, for character classes in patterns over Chinese text
CJK_RANGES = r"\u3400-\u9fff\uf900-\ufaff"
_CJK = CJK_RANGES
# whitespace next to a CJK character or bracket carries no meaning in a Chinese name
_SPACE_NEAR_CJK = re.compile(rf"\s+(?=[{_CJK}()·])|(?<=[{_CJK}()·])\s+")
_SPACES = re.compile(r"\s+")
# O/o or I/l between digits are OCR slips for 0 and 1 (2O22, 2l21)
_DIGIT_SLIP = re.compile(r"(?<=\d)[OoIl](?=\d)|(?<=\d)[OoIl](?=[OoIl]*\d)")
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})
_MAYBE_SLIP = re.compile(r"\d[OoIl]")
_HAS_SPACE = re.compile(r"\s")
_PUNCT_FOR_KEY = re.compile(r"[\s()·\-_.,，。、\"'“”‘’《》「」]+")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


#: the characters :func:`changed_by_opencc` finds, saved so a command need not ask OpenCC
#: (asking takes ~0.2 s; ``tests/schema/test_names.py`` checks the file against OpenCC)
T2S_CHANGED = Path(__file__).resolve().parent / "data" / "t2s_changed.txt"


def changed_by_opencc() -> frozenset[str]:
    """CJK characters that OpenCC's t2s changes on their own (one batched call)."""
    chars = [chr(c) for c in range(0x3400, 0xA000)] + [chr(c) for c in range(0xF900, 0xFB00)]
    converted = str(_t2s().convert("\n".join(chars))).split("\n")
    return frozenset(c for c, s in zip(chars, converted, strict=True) if c != s)


@cache
def _traditional_chars() -> frozenset[str]:
    return frozenset(T2S_CHANGED.read_text(encoding="utf-8").strip())


def to_simplified(text: str) -> str:
    """Convert Traditional characters to Simplified.

    OpenCC is called only when the text holds a character it would change, which is
    rare in Simplified input and saves most of the cost of a large load.

    >>> to_simplified("溫州醫科大學")
    '温州医科大学'
    """
    if _traditional_chars().isdisjoint(text):
        return text
    return str(_t2s().convert(text))


def normalise_name(raw: str) -> str:
    """Canonical spelling of a name as written.

    >>> normalise_name(" 溫州（嘉定） 科創園 ")
    '温州(嘉定)科创园'
    >>> normalise_name("２O２２年 Wenzhou  Kean")
    '2022年Wenzhou Kean'
    """
    text = unicodedata.normalize("NFKC", raw).translate(_BRACKETS).translate(_DOTS)
    text = to_simplified(text)
    # the substitutions below are skipped when they cannot apply (a load normalises 100k names)
    if _MAYBE_SLIP.search(text):
        text = _DIGIT_SLIP.sub(lambda m: m.group(0).translate(_DIGIT_FIX), text)
    text = text.strip()
    if _HAS_SPACE.search(text):
        text = _SPACES.sub(" ", _SPACE_NEAR_CJK.sub("", text))
    return text


def match_key(name: str) -> str:
    """Loose comparison key: normalised, case-folded, without brackets, dots or spaces.

    >>> match_key("温州(嘉定)科创园") == match_key("溫州嘉定科創園")
    True
    """
    return _PUNCT_FOR_KEY.sub("", normalise_name(name)).casefold()
