"""Does rjieba tag as jieba.posseg does? Extraction tags words with rjieba (jieba's
algorithm and dictionary in Rust) because it is about nine times faster; this checks that
the switch changed no tag.

    .venv/bin/python -m bench.tagging_parity            # 40,000 random windows
    .venv/bin/python -m bench.tagging_parity --random 200000

It compares ``ingest.documents.words.tagged`` with jieba.posseg (no HMM, with the same
two readings on top: an unknown Chinese character is a noun, an ASCII run is ``eng``) on
every window the dev set's extraction tags, then on random substrings (1 to 30 characters)
of the dev-set texts and the corpus, and prints the disagreements and the time each takes.
"""

from __future__ import annotations

import argparse
import logging
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from ingest.documents import boundaries, words
from ingest.documents.readers import document_from_text
from ingest.documents.text import normalise_text

ROOT = Path(__file__).resolve().parents[1]
_HAN = re.compile(r"[\u4e00-\u9fff]")
Tags = tuple[tuple[str, str], ...]


def jieba_tags(text: str) -> Tags:
    """The reference: jieba.posseg without HMM, read as extraction reads rjieba's tags."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return tuple((p.word, "n" if p.flag == "x" and _HAN.match(p.word) else p.flag)
                 for p in jieba.posseg.cut(text, HMM=False))


def _texts() -> list[str]:
    paths = sorted((ROOT / "bench" / "devset").rglob("*.txt"))
    paths += sorted((ROOT / "bench" / "devset").rglob("*.md"))
    corpus = ROOT.parent / "shared" / "corpus"
    paths += sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    return [p.read_text(encoding="utf-8") for p in paths if p.name != "README.md"]


def extraction_windows(texts: list[str]) -> list[str]:
    """Every text extraction hands the tagger, recorded while it runs on ``texts``."""
    from ingest.documents.extract import extract_document

    seen: list[str] = []
    original = words.tagged

    def recording(text: str) -> Tags:
        seen.append(text)
        return original(text)

    from ingest.documents import abbreviations, mentions, teams

    modules = [boundaries, abbreviations, mentions, teams]  # every module that imports it
    try:
        for module in modules:
            module.tagged = recording  # type: ignore[attr-defined]
        for text in texts:
            extract_document(document_from_text("parity", text), None)
    finally:
        for module in modules:
            module.tagged = original  # type: ignore[attr-defined]
    return seen


def _compare(windows: list[str], name: str) -> None:
    fast: Callable[[str], Tags] = words.tagged.__wrapped__  # uncached
    jieba_tags("预热")  # load jieba's dictionary before timing
    started = time.perf_counter()
    reference = [jieba_tags(w) for w in windows]
    jieba_seconds = time.perf_counter() - started
    started = time.perf_counter()
    ours = [fast(w) for w in windows]
    rjieba_seconds = time.perf_counter() - started
    differ = [w for w, a, b in zip(windows, reference, ours, strict=True) if a != b]
    print(f"{name}: {len(windows):,} windows, {len(differ)} tagged differently; "
          f"rjieba took {rjieba_seconds / jieba_seconds:.2f}× jieba.posseg's time")
    for window in differ[:10]:
        print(f"  {window!r}: jieba {jieba_tags(window)} rjieba {fast(window)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=40_000, help="random windows to compare")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    texts = _texts()
    _compare(extraction_windows(texts), "extraction's windows")
    normalised = [normalise_text(t).text for t in texts]
    rng = random.Random(args.seed)
    windows = []
    for _ in range(args.random):
        text = rng.choice(normalised)
        start = rng.randrange(len(text))
        windows.append(text[start:start + rng.randint(1, 30)])
    _compare(windows, "random windows")


if __name__ == "__main__":
    main()
