"""Shape-detection benchmark (issue 14): what detecting a table's shape costs in a load.

``innograph ingest`` previews every sheet (its first ``PREVIEW_ROWS`` rows) and detects its
shape before reading it: a tidy table goes on to the fast reader, anything else is read in
full as a grid and adapted. This measures, in one process and on the same generated rows:

- **detection**: for a CSV, the preview read and ``detect``; for a workbook (read once,
  whole, whatever the shape), ``detect`` on every sheet's grid — the very calls
  ``ingest.shapes.read.shape_file`` makes (``read_grids(path, max_rows=PREVIEW_ROWS)``,
  then ``detect`` on each non-empty preview);
- **shape_file**: the whole of ``shape_file(path)`` (preview, detection, full read, adapter);
- **full grid read**: ``read_grids(path)`` alone (the adapter path's full read), so that
  ``shape_file`` minus detection minus this is the adapter itself;
- **load**: ``load_paths(store, [path])`` into a fresh, empty embedded store (a new folder
  every repeat).

Four inputs of ``--rows`` data rows each (deterministic, seed 7):

1. ``tidy.csv`` — ``name,type,level``, the loader's own columns: the fast path;
2. ``tidy.xlsx`` — the same rows as a workbook: also the fast path (openpyxl), but its
   preview is read with calamine, which parses the whole sheet when it is opened;
3. ``list.xlsx`` — a government list: a title merged over the header, the header
   ``序号 | 企业名称 | 所在地区 | 所属产业 | 统一社会信用代码`` (valid GB 32100 codes), a
   district group row (``瓯海区（500家）``) every ~500 rows, a ``注：`` row at the end;
4. ``list.csv`` — the same list as a GB18030 CSV.

Run: ``.venv/bin/python -m bench.shapes_bench [--rows N] [--repeat K] [--phases] [--profile]``.
Target (issue 14): detection costs under 5 % of a 100k-row load.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import platform
import pstats
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import openpyxl

from graph.store import open_store
from ingest.loader import load_paths
from ingest.shapes.detect import detect
from ingest.shapes.grid import WORKBOOK_SUFFIXES, read_grids
from ingest.shapes.limits import DEFAULT_LIMITS
from ingest.shapes.read import PREVIEW_ROWS, shape_file
from schema.ids import credit_code_check_char

_CHARS = ("瓯海鹿城龙湾瑞安乐清永嘉平阳苍南文成泰顺洞头华联天球一鸣维日康嘉信新光宏达正德力"
          "西奥红蜻蜓报喜鸟森马美特斯邦威眼镜锁具智能装备生命健康数字材料光电云启航创博远科")
_CHARS = "".join(dict.fromkeys(_CHARS))   # each character once: ``i`` is spelt in them
_SUFFIXES = ("科技有限公司", "股份有限公司", "实业有限公司", "电器有限公司", "光学有限公司")
# district → its administrative division code (GB/T 2260), the credit code's digits 3–8
REGIONS = {"鹿城区": "330302", "龙湾区": "330303", "瓯海区": "330304", "瑞安市": "330381"}
# the industries of the Wenzhou sample (data/wenzhou/entities.csv, type industry)
INDUSTRIES = ("生命健康", "智能装备", "眼镜", "智能锁具", "数字经济", "新材料", "信息技术",
              "生物医药", "激光光电", "鞋革", "智能电气", "医疗器械")
_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
HEADER = ["序号", "企业名称", "所在地区", "所属产业", "统一社会信用代码"]
TITLE = "2024年温州市高新技术企业名单"
GROUP_SIZE = 500


def _unique_stem(i: int, rng: random.Random) -> str:
    """Two random characters, then ``i`` spelt in the same characters: every name differs
    (the prefix has a fixed length and the suffixes all have six characters)."""
    digits = []
    n = i
    while True:
        n, d = divmod(n, len(_CHARS))
        digits.append(_CHARS[d])
        if n == 0:
            break
    return "".join(rng.choices(_CHARS, k=2)) + "".join(reversed(digits))


def credit_code(region_code: str, i: int) -> str:
    """A valid GB 32100 code for an enterprise (91…) of ``region_code``, unique per ``i``."""
    n = (i * 7_919 + 104_729) % 31 ** 7
    org = ""
    for _ in range(7):
        n, d = divmod(n, 31)
        org = _CODE_ALPHABET[d] + org
    first17 = f"91{region_code}MA{org}"
    return first17 + credit_code_check_char(first17)


def list_rows(rows: int, seed: int = 7) -> list[list[str]]:
    """A government list's rows: title, header, group rows, data rows, a closing note."""
    rng = random.Random(seed)
    out: list[list[str]] = [[TITLE], HEADER]
    regions = list(REGIONS)
    done = 0
    group = 0
    while done < rows:
        size = min(rows - done, GROUP_SIZE + rng.randint(-50, 50))
        region = regions[group % len(regions)]
        out.append([f"{region}（{size}家）"])
        for _ in range(size):
            i = done
            name = "温州" + _unique_stem(i, rng) + rng.choice(_SUFFIXES)
            # one row in ten leaves the district cell to the group row above it
            cell = "" if rng.random() < 0.1 else region
            out.append([str(i + 1), name, cell, rng.choice(INDUSTRIES),
                        credit_code(REGIONS[region], i)])
            done += 1
        group += 1
    out.append(["注：以上企业按行政区划排列，排名不分先后"])
    return out


def tidy_rows(rows: int, seed: int = 7) -> list[list[str]]:
    """``name,type,level``: the loader's own columns, nothing to adapt."""
    rng = random.Random(seed + 1)
    return [["name", "type", "level"]] + [
        ["温州" + _unique_stem(i, rng) + rng.choice(_SUFFIXES), "enterprise",
         rng.choice(["", "", "省级", "市级"])] for i in range(rows)]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]], merged_title: bool = True) -> Path:
    """A write-only workbook (streamed); a list's title is merged over the header's width."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    for row in rows:
        sheet.append(row)
    if merged_title:
        sheet.merged_cells.add(f"A1:{chr(ord('A') + len(HEADER) - 1)}1")
    book.save(path)
    return path


def write_gb18030_csv(path: Path, rows: list[list[str]]) -> Path:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode("gb18030"))
    return path


# --- measurements -------------------------------------------------------------------------

def detection(path: Path) -> float:
    """The seconds ``shape_file`` spends deciding a file's shape, measured the way it
    decides it: a CSV is previewed (its first rows read) and detected; a workbook is read
    once anyway (calamine parses a whole sheet to show any of it), so only ``detect`` on
    the sheets' grids is the cost of detection, not the read itself."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        grids = [g for g in read_grids(path, DEFAULT_LIMITS) if any(g.rows)]
        return timed(lambda: [detect(g) for g in grids])

    def preview() -> None:
        for grid in read_grids(path, DEFAULT_LIMITS, max_rows=PREVIEW_ROWS):
            if any(grid.rows):
                detect(grid)
    return timed(preview)


def full_grid(path: Path) -> int:
    return sum(len(g.rows) for g in read_grids(path, DEFAULT_LIMITS))


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def load_once(path: Path, work: Path, tag: str) -> tuple[float, dict[str, int], int]:
    folder = Path(tempfile.mkdtemp(prefix=f"store-{tag}-", dir=work))
    try:
        with open_store(folder) as store:
            started = time.perf_counter()
            summary = load_paths(store, [path])
            seconds = time.perf_counter() - started
        created = {k: summary.created[k] for k in ("entities", "relations")}
        return seconds, created, summary.rejected
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: what ``--phases`` times inside ``load_paths`` (names in ``ingest.loader``'s namespace)
LOADER_PHASES = ("shape_file", "entity_rows", "_dedupe", "resolve_entities", "remap",
                 "add_far_ends", "relation_rows", "merge_load")
STORE_PHASES = ("entity_hashes", "relations_between", "source_records", "get_many",
                "upsert_tables", "checkpoint")


def phase_load(path: Path, work: Path) -> tuple[float, dict[str, float]]:
    """One load with the time of each phase, exclusive of the phases it calls (the
    loader's functions are wrapped for this load only; nothing else changes)."""
    import ingest.loader as loader

    spent: dict[str, float] = {}
    stack: list[float] = []   # time children took, per open phase

    def wrap(name: str, fn: Callable[..., object]) -> Callable[..., object]:
        def timed_phase(*args: object, **kwargs: object) -> object:
            stack.append(0.0)
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                total = time.perf_counter() - started
                children = stack.pop()
                spent[name] = spent.get(name, 0.0) + total - children
                if stack:
                    stack[-1] += total
        return timed_phase

    originals = {n: getattr(loader, n) for n in LOADER_PHASES}
    folder = Path(tempfile.mkdtemp(prefix="store-phases-", dir=work))
    try:
        for name, fn in originals.items():
            setattr(loader, name, wrap(name, fn))
        with open_store(folder) as store:
            for name in STORE_PHASES:
                setattr(store, name, wrap(f"store.{name}", getattr(store, name)))
            started = time.perf_counter()
            loader.load_paths(store, [path])
            seconds = time.perf_counter() - started
    finally:
        for name, fn in originals.items():
            setattr(loader, name, fn)
        shutil.rmtree(folder, ignore_errors=True)
    spent["(rest of load_paths)"] = seconds - sum(spent.values())
    return seconds, spent


def profile_load(path: Path, work: Path, top: int = 18) -> str:
    folder = Path(tempfile.mkdtemp(prefix="store-profile-", dir=work))
    try:
        with open_store(folder) as store:
            profiler = cProfile.Profile()
            profiler.enable()
            load_paths(store, [path])
            profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        return out.getvalue()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="data rows per input")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--phases", action="store_true",
                        help="also time the phases of one more load of each input")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile one load of each list-shaped input")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="innograph-shapes-bench-"))
    try:
        started = time.perf_counter()
        rows, tidy = list_rows(args.rows), tidy_rows(args.rows)
        inputs = {
            "tidy CSV (fast path)": write_csv(work / "tidy.csv", tidy),
            "tidy XLSX (fast path)": write_xlsx(work / "tidy.xlsx", tidy, merged_title=False),
            "list XLSX (adapter)": write_xlsx(work / "list.xlsx", rows),
            "list GB18030 CSV (adapter)": write_gb18030_csv(work / "list.csv", rows),
        }
        print(f"generated {len(inputs)} inputs of {args.rows:,} data rows in "
              f"{time.perf_counter() - started:.1f}s "
              f"({', '.join(f'{p.name} {p.stat().st_size / 2**20:.1f} MB' for p in inputs.values())})")
        print(f"python {platform.python_version()}, preview {PREVIEW_ROWS} rows, "
              f"repeat {args.repeat} (median / min)")
        results = {}
        for label, path in inputs.items():
            (shaped,) = shape_file(path)   # warm-up, and check the shape is the intended one
            ex = shaped.explanation
            print(f"\n{label}: shape {ex.shape}, header row {ex.header_row}, "
                  f"{ex.data_rows:,} data rows, type {ex.entity_type or 'per row'}")
            times: dict[str, list[float]] = {"detect": [], "shape": [], "grid": [], "load": []}
            created: dict[str, int] = {}
            rejected = 0
            for _ in range(args.repeat):
                times["detect"].append(detection(path))
                times["shape"].append(timed(partial(shape_file, path)))
                if ex.shape != "generic_entities":
                    times["grid"].append(timed(partial(full_grid, path)))
                seconds, created, rejected = load_once(path, work, path.stem)
                assert rejected == 0, f"{label}: {rejected} rows rejected"
                times["load"].append(seconds)
            results[label] = (times, created, rejected)
            med = {k: statistics.median(v) for k, v in times.items() if v}
            low = {k: min(v) for k, v in times.items() if v}
            print(f"  detection   {med['detect'] * 1e3:8.1f} ms (min {low['detect'] * 1e3:.1f})")
            print(f"  shape_file  {med['shape']:8.2f} s  (min {low['shape']:.2f})  "
                  f"{args.rows / med['shape']:>9,.0f} rows/s")
            if "grid" in med:
                print(f"  full grid   {med['grid']:8.2f} s  (min {low['grid']:.2f})  "
                      f"adapter ≈ {med['shape'] - med['grid'] - med['detect']:.2f} s")
            print(f"  load        {med['load']:8.2f} s  (min {low['load']:.2f})  "
                  f"{args.rows / med['load']:>9,.0f} rows/s; created {created}, "
                  f"rejected {rejected}")
            print(f"  detection / load: {med['detect'] / med['load']:.2%} (median), "
                  f"{max(d / s for d, s in zip(times['detect'], times['load'], strict=True)):.2%}"
                  " (worst repeat)")
        print("\n| input | detection ms | shape_file s | load s | load rows/s | detection / load "
              "| shape_file µs/row | load µs/row |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for label, (times, _created, _rejected) in results.items():
            d, s, ld = (statistics.median(times[k]) for k in ("detect", "shape", "load"))
            print(f"| {label} | {d * 1e3:.1f} (min {min(times['detect']) * 1e3:.1f}) "
                  f"| {s:.2f} (min {min(times['shape']):.2f}) "
                  f"| {ld:.2f} (min {min(times['load']):.2f}) | {args.rows / ld:,.0f} "
                  f"| {d / ld:.2%} | {s / args.rows * 1e6:.1f} | {ld / args.rows * 1e6:.1f} |")
        if args.phases:
            for label, path in inputs.items():
                seconds, spent = phase_load(path, work)
                print(f"\n=== phases of one load of {label}: {seconds:.2f} s ===")
                for name, t in sorted(spent.items(), key=lambda kv: -kv[1]):
                    print(f"  {name:24s} {t:7.2f} s  {t / seconds:6.1%}")
        if args.profile:
            for label, path in inputs.items():
                if not path.name.startswith("tidy"):
                    print(f"\n=== cProfile: load of {label} ===")
                    print(profile_load(path, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
