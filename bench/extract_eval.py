"""Precision, recall and F1 of document extraction on the annotated dev set, and its speed.

    .venv/bin/python -m bench.extract_eval            # markdown tables on stdout
    .venv/bin/python -m bench.extract_eval --json     # the same figures as JSON

Two settings: ``gazetteer`` uses the names and aliases of the curated Wenzhou graph
(data/wenzhou, loaded into a temporary store), ``patterns`` uses none; each is scored with
the rules alone and with the second reader (``+model``: the LAC model reads too;
``--rules-only`` leaves it out). The corpus part of
the dev set leaks into the gazetteer setting (data/wenzhou was curated from the same
text), so both are reported, per part. See bench/devset/README.md for the annotation rules.

Speed is measured on the whole dev set, whose written and held-out documents pack far more
names into each sentence than real reports do, and on the corpus's real reports alone,
each against jieba's plain word cut of the same text in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.store import open_store
from ingest.documents.extract import extract_path
from ingest.documents.gazetteer import Gazetteer
from ingest.documents.mentions import canonical_form
from ingest.documents.pipeline import gazetteer_for
from ingest.documents.readers import read_original
from ingest.documents.second_reading import SecondReader
from ingest.documents.words import tagged
from ingest.loader import load_paths
from schema import PartnershipKind, normalise_name

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "bench" / "devset"


def _corpus() -> Path:
    """``shared/corpus`` beside the checkout, or beside a folder holding it (a git worktree
    under ``wt/``)."""
    for folder in ROOT.parents:
        if (folder / "shared" / "corpus").is_dir():
            return folder / "shared" / "corpus"
    return ROOT.parent / "shared" / "corpus"


CORPUS = _corpus()
MENTION_TYPES = ("institute", "enterprise", "talent_team", "incubator", "fund", "platform",
                 "park", "government")
RELATION_TYPES = ("partnership", "incubated_at", "affiliated_with", "invests_in", "located_in",
                  "leads")


@dataclass
class Tally:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    kind_right: int = 0
    kind_total: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("tp", "fp", "fn"):
            getattr(self, name).update(getattr(other, name))
        self.kind_right += other.kind_right
        self.kind_total += other.kind_total

    def scores(self, key: str | None = None) -> dict[str, float | int]:
        keys = [key] if key else list(set(self.tp) | set(self.fp) | set(self.fn))
        tp = sum(self.tp[k] for k in keys)
        fp = sum(self.fp[k] for k in keys)
        fn = sum(self.fn[k] for k in keys)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3), "recall": round(r, 3),
                "f1": round(f, 3)}


def _document_path(name: str) -> Path | None:
    if name.startswith("corpus:"):
        path = CORPUS / name.removeprefix("corpus:")
        return path if path.is_file() else None
    return DEVSET / name


def gold_mentions(original: str, annotated: list[list[str]]) -> dict[tuple[int, int], str]:
    """Every occurrence of each annotated name, longest names first, no overlaps."""
    spans: dict[tuple[int, int], str] = {}
    taken = [False] * len(original)
    for text, kind in sorted(annotated, key=lambda a: -len(a[0])):
        start = original.find(text)
        if start < 0:
            raise ValueError(f"annotated name {text!r} does not occur in the document")
        while start >= 0:
            end = start + len(text)
            if not any(taken[start:end]):
                spans[(start, end)] = kind
                taken[start:end] = [True] * len(text)
            start = original.find(text, start + 1)
    return spans


def _forms(names: list[str]) -> set[str]:
    return {normalise_name(n) for n in names}


def _matches(endpoint: dict[str, Any], forms: set[str]) -> bool:
    return normalise_name(endpoint["name"]) in forms or endpoint["canonical"] in forms


def match_relations(spec: dict[str, Any], lines: list[dict[str, Any]]
                    ) -> tuple[list[tuple[dict[str, Any], dict[str, Any] | None]],
                               list[dict[str, Any]]]:
    """Each relation a document's lines state (once per document, as in the queue) with the
    gold relation it matches (either direction for a partnership) or ``None``; and the gold
    relations nothing matched."""
    open_gold = [dict(g, source=_forms(g["source"]), target=_forms(g["target"]))
                 for g in spec["relations"]]
    said: set[tuple[str, ...]] = set()
    matched: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    for line in (r for r in lines if r["record"] == "relation"):
        kind = line["relation"]
        ends = [line["source"]["canonical"], line["target"]["canonical"]]
        if kind == "partnership":
            ends.sort()
        if kind not in RELATION_TYPES or (kind, *ends) in said:
            continue  # a relation stated twice in a document counts once, as in the queue
        said.add((kind, *ends))
        pairs = [(line["source"], line["target"])]
        if kind == "partnership":
            pairs.append((line["target"], line["source"]))
        found = next((g for g in open_gold if g["relation"] == kind and any(
            _matches(s, g["source"]) and _matches(t, g["target"]) for s, t in pairs)), None)
        if found is not None:
            open_gold.remove(found)
        matched.append((line, found))
    return matched, open_gold


def score_document(spec: dict[str, Any], path: Path, gazetteer: Gazetteer | None,
                   second: SecondReader | None = None) -> tuple[Tally, Tally, Tally]:
    """Mentions, relations and relations per kind (:func:`relation_kind_scores`) of one
    document, from one extraction."""
    original = read_original(path)
    gold = gold_mentions(original, spec["mentions"])
    lines = list(extract_path(path, gazetteer, second).lines())
    mentions, relations = Tally(), Tally()
    predicted = {(m["start"], m["end"]): m["type"] for m in lines
                 if m["record"] == "mention" and m["type"] in MENTION_TYPES}
    for span, kind in predicted.items():
        if gold.get(span) == kind:
            mentions.tp[kind] += 1
        else:
            mentions.fp[kind] += 1
            mentions.errors.append(f"FP {kind} {original[span[0]:span[1]]}")
    for span, kind in gold.items():
        if predicted.get(span) != kind:
            mentions.fn[kind] += 1
            mentions.errors.append(f"FN {kind} {original[span[0]:span[1]]}")
    matched, missed = match_relations(spec, lines)
    for line, found in matched:
        kind = line["relation"]
        if found is None:
            relations.fp[kind] += 1
            relations.errors.append(f"FP {line['source']['name']} -{kind}→ "
                                    f"{line['target']['name']}")
            continue
        relations.tp[kind] += 1
        if kind == "partnership":
            relations.kind_total += 1
            relations.kind_right += line["kind"] == PartnershipKind(found["kind"]).value
    for g in missed:
        relations.fn[g["relation"]] += 1
        relations.errors.append(f"FN {sorted(g['source'])[0]} -{g['relation']}→ "
                                f"{sorted(g['target'])[0]}")
    return mentions, relations, relation_kind_scores(matched, missed)


#: a setting: the gazetteer (or None: patterns only) and the second reader (or None)
Setting = tuple[Gazetteer | None, SecondReader | None]


def relation_kind_scores(matched: list[tuple[dict[str, Any], dict[str, Any] | None]],
                         missed: list[dict[str, Any]]) -> Tally:
    """One document's relations scored per kind (:func:`match_relations`): each relation
    type, and partnerships per partnership kind (``partnership/共建`` …). A found partnership
    counts under the kind the gold gives it, a false one under the kind the extractor read,
    a missed one under the gold kind."""
    def label(relation: str, kind: str | None) -> str:
        return f"{relation}/{kind}" if relation == "partnership" else relation

    def gold_label(g: dict[str, Any]) -> str:
        return label(g["relation"], PartnershipKind(g["kind"]).value
                     if g["relation"] == "partnership" else None)

    tally = Tally()
    for line, found in matched:
        if found is None:
            tally.fp[label(line["relation"], line["kind"])] += 1
        else:
            tally.tp[gold_label(found)] += 1
    for g in missed:
        tally.fn[gold_label(g)] += 1
    return tally


def kind_table(parts: dict[str, Tally]) -> dict[str, dict[str, dict[str, float | int]]]:
    """Relation P / R per kind (:func:`relation_kind_scores`), per part and over ``all``."""
    total = Tally()
    for tally in parts.values():
        total.add(tally)
    return {part: {kind: tally.scores(kind)
                   for kind in sorted(set(tally.tp) | set(tally.fp) | set(tally.fn))}
            for part, tally in {**parts, "all": total}.items()}


def relation_kinds_markdown(results: dict[str, Any]) -> str:
    """The per-kind relation table of every setting, over all evaluated parts."""
    out = []
    for setting, body in results["settings"].items():
        out.append(f"### {setting} — relations per kind, all evaluated parts\n")
        out.append("| relation / kind | tp | fp | fn | P | R |\n|---|---:|---:|---:|---:|---:|")
        for kind, s in body["relation_kinds"]["all"].items():
            out.append(f"| {kind} | {s['tp']} | {s['fp']} | {s['fn']} | "
                       f"{s['precision']:.2f} | {s['recall']:.2f} |")
        out.append("")
    return "\n".join(out)


def speeds(paths: list[Path], settings: dict[str, Setting], rounds: int = 10
           ) -> dict[str, float]:
    """Characters a second per setting, and of jieba's plain word cut (``jieba``: the
    baseline, the fastest thing that reads every character). The settings and the baseline
    take turns within each round and each keeps its best round, so load from other work
    on this shared machine affects them alike. The tagging, canonical-spelling and model
    caches are emptied before each document: every document pays for its own."""
    import jieba

    texts = [read_original(p) for p in paths]
    chars = sum(map(len, texts))
    best = dict.fromkeys([*settings, "jieba"], 0.0)
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            jieba.lcut(text, HMM=False)
        best["jieba"] = max(best["jieba"], chars / (time.perf_counter() - started))
        for name, (gazetteer, second) in settings.items():
            started = time.perf_counter()
            for path in paths:
                tagged.cache_clear()  # every document pays for its own tagging …
                canonical_form.cache_clear()  # … and its names' canonical spellings …
                if second is not None:
                    second.model.clear()  # … and its model readings
                extract_path(path, gazetteer, second)
            best[name] = max(best[name], chars / (time.perf_counter() - started))
    return best


def wenzhou() -> Gazetteer:
    """The names and aliases of the curated Wenzhou graph (loaded into a temporary store)."""
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "store")
        load_paths(store, [ROOT / "data" / "wenzhou"])
        gazetteer = gazetteer_for(store)
        store.close()
    assert gazetteer is not None
    return gazetteer


def evaluate(skip: frozenset[str] = frozenset(), second_reader: bool = True
             ) -> dict[str, Any]:
    """Scores per setting and part; ``skip``: parts (sub-folders) to leave out;
    ``second_reader``: also score both settings with the model reading too."""
    files = sorted(DEVSET.glob("*.json")) + [p for p in sorted(DEVSET.glob("*/*.json"))
                                             if p.parent.name not in skip]
    specs = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    gazetteer = wenzhou()
    settings: dict[str, Setting] = {"gazetteer": (gazetteer, None), "patterns": (None, None)}
    if second_reader:
        from ingest.documents.second_reading import second_reader as shipped

        model = shipped()
        model.model.words(["预热"])  # load the model before timing anything
        settings |= {"gazetteer+model": (gazetteer, model), "patterns+model": (None, model)}
    tagged("预热")  # load jieba's dictionary before timing anything
    results: dict[str, Any] = {"settings": {}, "missing": []}
    paths = [p for s in specs if (p := _document_path(s["document"])) is not None]
    measured = speeds(paths, settings)
    results["speed_jieba_cut_chars_per_second"] = round(measured["jieba"])
    # the real reports alone: the dev set packs far more names into each sentence than they do
    reports = [p for p in paths if p.is_relative_to(CORPUS)]
    on_reports = speeds(reports, settings) if reports else {}
    for setting, (gazetteer, second) in settings.items():
        parts: dict[str, tuple[Tally, Tally]] = {}
        kinds: dict[str, Tally] = {}
        for spec in specs:
            path = _document_path(spec["document"])
            if path is None:
                results["missing"].append(spec["document"])
                continue
            name = spec["document"]
            part = ("corpus" if name.startswith("corpus:") else
                    name.split("/")[0] if "/" in name else "written")
            mentions, relations, by_kind = score_document(spec, path, gazetteer, second)
            kinds.setdefault(part, Tally()).add(by_kind)
            total = parts.setdefault(part, (Tally(), Tally()))
            total[0].add(mentions)
            total[1].add(relations)
            total[0].errors += mentions.errors
            total[1].errors += relations.errors
        both = (Tally(), Tally())
        for m, r in parts.values():
            both[0].add(m)
            both[1].add(r)
        parts["all"] = both
        results["settings"][setting] = {
            "speed_chars_per_second": round(measured[setting]),
            "speed_ratio_to_jieba_cut": round(measured[setting] / measured["jieba"], 2),
            **({"speed_on_reports_chars_per_second": round(on_reports[setting]),
                "speed_on_reports_ratio_to_jieba_cut":
                    round(on_reports[setting] / on_reports["jieba"], 2)} if on_reports else {}),
            "parts": {name: _report(m, r) for name, (m, r) in parts.items()},
            "relation_kinds": kind_table(kinds)}
    return results


def _report(mentions: Tally, relations: Tally) -> dict[str, Any]:
    return {"mentions": {"all": mentions.scores(), **{t: mentions.scores(t)
                                                      for t in MENTION_TYPES}},
            "relations": {"all": relations.scores(), **{t: relations.scores(t)
                                                        for t in RELATION_TYPES}},
            "partnership_kind_accuracy": f"{relations.kind_right}/{relations.kind_total}",
            "errors": mentions.errors + relations.errors}


def markdown(results: dict[str, Any]) -> str:
    out = []
    for setting, body in results["settings"].items():
        out.append(f"### {setting} — {body['speed_chars_per_second']:,} characters/s on the dev set "
                   f"({body['speed_ratio_to_jieba_cut']}× jieba's plain cut in the same run)\n")
        if "speed_on_reports_chars_per_second" in body:
            out.append(f"On the corpus's real reports alone: "
                       f"{body['speed_on_reports_chars_per_second']:,} characters/s "
                       f"({body['speed_on_reports_ratio_to_jieba_cut']}× jieba's plain cut)\n")
        for part, report in body["parts"].items():
            out.append(f"**{part}** (partnership kind right: "
                       f"{report['partnership_kind_accuracy']})\n")
            out.append("| what | type | tp | fp | fn | P | R | F1 |\n|---|---|---:|---:|---:|---:|"
                       "---:|---:|")
            for what in ("mentions", "relations"):
                for kind, s in report[what].items():
                    if s["tp"] + s["fp"] + s["fn"]:
                        out.append(f"| {what} | {kind} | {s['tp']} | {s['fp']} | {s['fn']} | "
                                   f"{s['precision']:.2f} | {s['recall']:.2f} | {s['f1']:.2f} |")
            out.append("")
    if results["missing"]:
        out.append(f"Not evaluated (corpus absent): {', '.join(results['missing'])}")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--errors", action="store_true", help="list every FP and FN")
    parser.add_argument("--skip", action="append", default=[], metavar="PART",
                        help="leave out a part (a sub-folder such as heldout5): one being "
                             "written, or kept unseen until its first run")
    parser.add_argument("--rules-only", action="store_true",
                        help="score the rules alone (no second reader: the model is not loaded)")
    args = parser.parse_args()
    unknown = sorted(part for part in args.skip if not (DEVSET / part).is_dir())
    if unknown:
        parts = sorted(p.name for p in DEVSET.iterdir() if p.is_dir())
        parser.error(f"--skip {', '.join(unknown)}: no such dev-set part (parts: {', '.join(parts)})")
    results = evaluate(frozenset(args.skip), second_reader=not args.rules_only)
    if args.json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
        return
    sys.stdout.write(markdown(results) + "\n" + relation_kinds_markdown(results) + "\n")
    if args.errors:
        for setting, body in results["settings"].items():
            for part, report in body["parts"].items():
                if part != "all":
                    for error in report["errors"]:
                        sys.stdout.write(f"{setting} {part}: {error}\n")


if __name__ == "__main__":
    main()
