"""Hold-out check of external candidates: would the reference layer have proposed the
universities whose Wenzhou institutes the district already has?

The sample knows six universities from outside Wenzhou through their Wenzhou institutes
(浙江大学温州研究院 → 浙江大学, 四川大学温州鞋革产业研究院 → 四川大学 …). Each is held out: the
sample is loaded without it (its rows and every relation naming it), the reference layer is
loaded, so the university is now only a reference organisation, and for every segment or
industry its Wenzhou institutes (and their centres) serve, the external ranking is asked for
ten candidates. A hit is the held-out university among them. The baseline ranks the same
reference organisations by level alone (双一流, 985, 211; then by name), as a promoter with
only a list of famous universities would.

Run: ``.venv/bin/python -m bench.external_holdout`` (about a minute).
"""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from pathlib import Path

from graph.analytics.external import ReferencePool, levels_of
from graph.store import open_store
from ingest.loader import load_paths
from schema import EntityType

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "wenzhou"
REFERENCE = ROOT / "data" / "reference"
LEVEL_RANK = {"双一流": 3, "985": 2, "211": 1}
K = 10


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def held_out_universities(relations: list[dict[str, str]],
                          names: dict[str, str]) -> dict[str, set[str]]:
    """Universities outside Wenzhou that a Wenzhou institute is affiliated with → those
    institutes and their centres (affiliated with the institute in turn)."""
    parent_of = {r["source"]: r["target"] for r in relations if r["relation"] == "affiliated_with"}
    children: dict[str, set[str]] = defaultdict(set)
    for child, parent in parent_of.items():
        children[parent].add(child)
    found: dict[str, set[str]] = {}
    for institute, parent in parent_of.items():
        if names.get(institute) != "institute" or names.get(parent) != "institute":
            continue
        if "温州" not in institute or "温州" in parent or "大学" not in parent:
            continue
        units = found.setdefault(parent, set())
        stack = [institute]
        while stack:
            unit = stack.pop()
            units.add(unit)
            stack.extend(children.get(unit, ()))
    return found


def queries(relations: list[dict[str, str]], units: set[str]) -> set[tuple[str | None, str]]:
    """(segment, industry) the units serve: a segment with its industry, or an industry."""
    asked: set[tuple[str | None, str]] = set()
    for r in relations:
        if r["source"] not in units:
            continue
        if r["relation"] == "in_segment":
            asked.add((r["target"], r["target"].split("·")[0]))
        elif r["relation"] == "in_industry":
            asked.add((None, r["target"]))
    return asked


def run() -> None:
    entities, relations = _rows(SAMPLE / "entities.csv"), _rows(SAMPLE / "relations.csv")
    types = {e["name"]: e["type"] for e in entities}
    held = held_out_universities(relations, types)
    print(f"held-out universities: {', '.join(sorted(held))}")
    hits = baseline_hits = total = 0
    lines = []
    for university, units in sorted(held.items()):
        with tempfile.TemporaryDirectory() as folder:
            sample = Path(folder) / "sample"
            sample.mkdir()
            _write(sample / "entities.csv", [e for e in entities if e["name"] != university])
            _write(sample / "relations.csv", [r for r in relations
                                              if university not in (r["source"], r["target"])])
            for extra in SAMPLE.glob("*.csv"):
                if extra.name not in ("entities.csv", "relations.csv"):
                    (sample / extra.name).write_bytes(extra.read_bytes())
            with open_store(Path(folder) / "store") as store:
                load_paths(store, [sample])
                load_paths(store, [REFERENCE], origin="reference")
                pool = ReferencePool(store)
                by_level = sorted(
                    (e for e in store.iter_entities()
                     if e.type is EntityType.institute and e.layer == "reference"),
                    key=lambda e: (-sum(LEVEL_RANK[w] for w in levels_of(e)), e.name))
                baseline_top = [e.name for e in by_level[:K]]
                for segment, industry in sorted(queries(relations, units),
                                                key=lambda q: (q[1], q[0] or "")):
                    found = (pool.for_segment(segment, industry, K) if segment
                             else pool.for_industry(industry, K))
                    names = [c.entity.name for c in found]
                    hit, base = university in names, university in baseline_top
                    hits, baseline_hits, total = hits + hit, baseline_hits + base, total + 1
                    rank = names.index(university) + 1 if hit else "-"
                    lines.append(f"| {university} | {segment or industry} | {rank} | "
                                 f"{'✓' if base else '-'} |")
    print("| held-out university | asked for | rank (external) | in level-only top 10 |")
    print("|---|---|---:|:---:|")
    print("\n".join(lines))
    print(f"\nhits@{K}: external {hits}/{total} = {hits / total:.2f}; "
          f"level alone {baseline_hits}/{total} = {baseline_hits / total:.2f}")


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    run()
