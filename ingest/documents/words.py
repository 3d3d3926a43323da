"""jieba's words, part-of-speech tags and dictionary counts, which the name boundaries, the
boundary rules, abbreviations and trade names read."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import rjieba


@lru_cache(maxsize=1)
def _jieba() -> Any:
    """jieba's tokenizer, for its dictionary's word counts (it loads on first use, about a
    second; the tagging itself is rjieba's)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" lines are not ours to print
    jieba.dt.check_initialized()
    return jieba.dt


@lru_cache(maxsize=20_000)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's words and part-of-speech tags for ``text``, as rjieba (jieba's algorithm and
    dictionary in Rust, nine times faster) computes them.

    No HMM for unknown words: a Chinese character jieba does not know (tag x) is read as part
    of a name (n), which is what it usually is. A run of ASCII letters and digits is tagged
    eng, as jieba.posseg does (rjieba tags digits m): bench/RESULTS.md records that the two
    agree on every window the dev set's extraction tags and on 40,000 random ones.

    >>> tagged("长沙新一代半导体研究院2024")
    (('长沙', 'ns'), ('新一代', 't'), ('半导体', 'n'), ('研究院', 'n'), ('2024', 'eng'))
    """
    words = []
    for word, tag in rjieba.tag(text, hmm=False):
        if tag == "x" and "\u4e00" <= word[0] <= "\u9fff":
            tag = "n"
        elif word.isascii() and word.isalnum():
            tag = "eng"
        words.append((word, tag))
    return tuple(words)


#: a word jieba's dictionary counts this often is common, not a name: fields open names with
#: such words (智能 778, 电子 8,154, 数字 4,670) and common words look like abbreviations
#: (重大 12,193, 扩大 8,594); trade names are rarer (本源 58, 中联 71, 大华 177, 华为 373)
COMMON_WORD = 400


def word_frequency(word: str) -> int:
    """How often jieba's dictionary counts ``word`` (0 for a word it does not hold)."""
    return int(_jieba().FREQ.get(word) or 0)
