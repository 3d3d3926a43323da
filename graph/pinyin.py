"""Pinyin keys for names: full pinyin and initials, without tones.

Words are segmented with pypinyin's own phrase dictionary (so 乐清 reads
yue qing, 重庆 chong qing) and each word's reading is memoised: names share
most of their words, so a large index costs far less than one call per name.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.seg.mmseg import seg


@lru_cache(maxsize=100_000)
def _word(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    full = tuple(s.lower() for s in lazy_pinyin(word, errors="default"))
    initials = tuple(s.lower() for s in lazy_pinyin(word, style=Style.FIRST_LETTER,
                                                    errors="default"))
    return full, initials


def pinyin_keys(text: str) -> tuple[str, str]:
    """Full pinyin and initials of ``text``, lower case, no spaces or tones.

    >>> pinyin_keys("乐清市")
    ('yueqingshi', 'yqs')
    >>> pinyin_keys("中国眼谷")
    ('zhongguoyangu', 'zgyg')
    """
    full: list[str] = []
    initials: list[str] = []
    for word in seg.cut(text):
        word_full, word_initials = _word(word)
        full.extend(word_full)
        initials.extend(word_initials)
    return "".join(full).replace(" ", ""), "".join(initials).replace(" ", "")
