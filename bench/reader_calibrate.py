"""Fit the second reader's calibration on the dev-set parts one may tune on.

    .venv/bin/python -m bench.reader_calibrate            # writes ingest/documents/second_reader.json
    .venv/bin/python -m bench.reader_calibrate --check    # fit and print, write nothing

Every mention both readers propose in the tunable parts (corpus, written, heldout …
heldout6; never heldout7 or later: they stay the honest test) is labelled right when its
span and type are a gold mention, in both settings (with and without the gazetteer). A
logistic model over the named features of :func:`ingest.documents.calibration.features`
(L2-penalised, fitted with scipy) turns them into a probability; the floor for names only
the model read is the one that gives the best mention F1 on the same parts.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np
from scipy.optimize import minimize

from bench.extract_eval import DEVSET, MENTION_TYPES, ROOT, _document_path, gold_mentions, wenzhou
from ingest.documents.calibration import DATA_FILE, Calibration, features
from ingest.documents.extract import extract_path
from ingest.documents.mentions import Mention
from ingest.documents.model_reader import model_reader
from ingest.documents.readers import read_original
from ingest.documents.second_reading import SecondReader

#: the parts the calibration may see (heldout7 and later are kept for testing it)
TUNABLE = ("corpus", "written", "heldout", "heldout2", "heldout3", "heldout4", "heldout5",
           "heldout6")
OUT = ROOT / "ingest" / "documents" / DATA_FILE
_PENALTY = 1.0
#: what each feature means, with an example, for the data file's readers
MEANINGS: dict[str, tuple[str, str]] = {
    "agree": ("rules and model read the same span", "浙江大学温州研究院"),
    "extended": ("the model read the rules' name further left, and its start was taken",
                 "rules 东部中心乐清分中心, model 国家技术转移东部中心乐清分中心"),
    "disagree": ("the rules read it, the model read an overlapping other span",
                 "rules 低温工程技术济南研究中心, model 济南研究中心"),
    "rules_alone": ("the rules read it, the model read no organisation there",
                    "肠道微生态联合研究中心"),
    "model_alone": ("only the model read it", "浪潮"),
    "rule_confidence": ("the rules' own confidence (0 when only the model read it)", "0.85"),
    "known": ("the graph knows the name (gazetteer)", "国科大温州研究院"),
    "repeat": ("a name read elsewhere in the document, repeated", "山大"),
    "listed": ("an item of a list closed by a count of firms", "华联机械"),
    "team": ("a talent team (the rules alone read teams)", "瞿佳教授带领的…研究团队"),
    "model_kind_word": ("only the model read it, and it ends in a kind word",
                        "无锡国际科技合作交流中心"),
    "model_short": ("only the model read it, two characters or fewer", "美的"),
    "model_government": ("only the model read it, typed government by its last character",
                         "贵阳市大数据局"),
    "model_joined": ("only the model read it, and it runs over a joining word or verb",
                     "杭州市科技创新创业投资基金投资杭州宇树科技有限公司"),
    "model_place": ("only the model read it, and it is a place and its level", "山东省"),
}


def _part(document: str) -> str:
    if document.startswith("corpus:"):
        return "corpus"
    return document.split("/")[0] if "/" in document else "written"


def examples(reader: SecondReader) -> tuple[list[dict[str, float]], list[int], list[str], int]:
    """Features and labels of every mention read in the tunable parts, both settings; the
    readers of each, and the number of gold mentions (for the F1 of a floor)."""
    rows, labels, readers, gold_total = [], [], [], 0
    specs = [json.loads(p.read_text(encoding="utf-8"))
             for p in sorted(DEVSET.glob("*.json")) + sorted(DEVSET.glob("*/*.json"))]
    for gazetteer in (wenzhou(), None):
        for spec in specs:
            path = _document_path(spec["document"])
            if path is None or _part(spec["document"]) not in TUNABLE:
                continue
            gold = gold_mentions(read_original(path), spec["mentions"])
            gold_total += len(gold)
            extraction = extract_path(path, gazetteer, reader)
            for found in extraction.mentions:
                mention = found.item
                assert isinstance(mention, Mention)
                if not mention.readers or mention.type.value not in MENTION_TYPES:
                    continue
                span = extraction.span(mention.start, mention.end)
                rows.append(features(mention, extraction.document.text))
                labels.append(int(gold.get(span) == mention.type.value))
                readers.append("+".join(mention.readers))
    return rows, labels, readers, gold_total


def fit(rows: list[dict[str, float]], labels: list[int]) -> tuple[dict[str, float], float]:
    """L2-penalised logistic regression: weights by feature name, and the intercept."""
    names = list(rows[0])
    x = np.array([[r[n] for n in names] for r in rows])
    y = np.array(labels, dtype=float)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w[1:] + w[0]
        p = 1 / (1 + np.exp(-z))
        eps = 1e-12
        value = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
        value += _PENALTY * np.sum(w[1:] ** 2) / 2
        grad = np.concatenate([[np.sum(p - y)], x.T @ (p - y) + _PENALTY * w[1:]])
        return float(value), grad

    result = minimize(loss, np.zeros(len(names) + 1), jac=True, method="L-BFGS-B")
    return dict(zip(names, (round(float(v), 4) for v in result.x[1:]), strict=True)), \
        round(float(result.x[0]), 4)


def best_floor(scores: list[float], labels: list[int], readers: list[str], gold: int
               ) -> tuple[float, float]:
    """The floor for names only the model read giving the best F1 (and that F1)."""
    best = (1.01, 0.0)
    for floor in [x / 100 for x in range(5, 101)]:
        kept = [label for score, label, who in zip(scores, labels, readers, strict=True)
                if who != "model" or score >= floor]
        tp = sum(kept)
        p, r = tp / len(kept), tp / gold
        f1 = 2 * p * r / (p + r)
        if f1 > best[1] + 1e-9:
            best = (floor, f1)
    return best


def reliability(scores: list[float], labels: list[int]) -> list[dict[str, Any]]:
    """How often mentions were right, by confidence band (is the calibration calibrated?)."""
    bands = []
    for low in (0.0, 0.5, 0.7, 0.8, 0.9, 0.95):
        high = {0.0: 0.5, 0.5: 0.7, 0.7: 0.8, 0.8: 0.9, 0.9: 0.95, 0.95: 1.01}[low]
        inside = [(s, y) for s, y in zip(scores, labels, strict=True) if low <= s < high]
        if inside:
            bands.append({"band": f"{low:.2f}–{min(high, 1.0):.2f}", "mentions": len(inside),
                          "mean_confidence": round(sum(s for s, _ in inside) / len(inside), 3),
                          "right": round(sum(y for _, y in inside) / len(inside), 3)})
    return bands


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fit and print; write nothing")
    args = parser.parse_args()
    everything = SecondReader(model_reader(), Calibration({}, 0.0, 0.0), keep_all=True)
    rows, labels, readers, gold = examples(everything)
    weights, intercept = fit(rows, labels)
    fitted = Calibration(weights, intercept, 0.0)
    scores = [fitted.confidence(r) for r in rows]
    floor, f1 = best_floor(scores, labels, readers, gold)
    rules = [y for y, who in zip(labels, readers, strict=True) if who != "model"]
    rules_f1 = 2 * sum(rules) / (len(rules) + gold)  # no name only the model read kept
    data = {
        "about": "Second reader's calibration: logistic weights over named features of a "
                 "mention (ingest/documents/calibration.py), fitted by bench/reader_calibrate.py "
                 f"on {', '.join(TUNABLE)}, with and without the gazetteer.",
        "intercept": intercept, "model_only_floor": floor,
        "features": {name: {"weight": weights[name], "means": MEANINGS[name][0],
                            "example": MEANINGS[name][1]} for name in weights},
        "fitted_on": {"mentions": len(rows), "right": sum(labels), "gold_mentions": gold,
                      "f1_at_floor": round(f1, 3),
                      "f1_without_model_only_names": round(rules_f1, 3)},
        "reliability": reliability(scores, labels),
    }
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if args.check:
        sys.stdout.write(text)
        return
    OUT.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {OUT.relative_to(ROOT)}: floor {floor}, F1 {f1:.3f}\n")


if __name__ == "__main__":
    main()
