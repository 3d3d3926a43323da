"""Issue 16: a load turns at most ``batch_rows`` rows of a table into Python objects at
once, whatever its size, and the batch size never changes what is stored.

Checked structurally, never by time: the batches the loader hands to the row builders are
counted, results of different batch sizes are compared, and the Python heap's peak
(``tracemalloc``) is compared between a load and one eight times its size.
"""

from __future__ import annotations

import csv
import gc
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

import ingest.validate as validate
from bench.synthetic import generate
from graph.store import open_store
from ingest.load_options import LoadOptions
from ingest.loader import LoadSummary, load_paths
from ingest.readers import Table

BATCH = 500


def _with_names_and_rejects(relations: Path, entities: Path, out: Path) -> Path:
    """The relations file with some endpoints given by name (the row path) and some rows
    that cannot load (rejects), so both paths run in many batches."""
    with entities.open(encoding="utf-8") as handle:
        name_of = {row["id"]: row["name"] for row in csv.DictReader(handle)}
    with relations.open(encoding="utf-8") as src, out.open("w", encoding="utf-8",
                                                           newline="") as dst:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=list(reader.fieldnames or []))
        writer.writeheader()
        for index, row in enumerate(reader):
            if index % 7 == 0:
                row["target"] = name_of[row["target"]]
            if index % 97 == 0:
                row["source"] = f"没有这家单位{index}"
            writer.writerow(row)
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("batches")
    entities, relations = generate(folder / "gen", 1_500, 6_000)
    return [entities, _with_names_and_rejects(relations, entities, folder / "relations.csv")]


def _load(folder: Path, paths: list[Path], batch_rows: int,
          seen: list[int] | None = None) -> tuple[LoadSummary, str]:
    def tick(phase: str, rows: int) -> None:
        if seen is not None and phase == "validate":
            seen.append(rows)

    with open_store(folder) as store:
        summary = load_paths(store, paths, options=LoadOptions(batch_rows=batch_rows),
                             progress=tick, run_id="run-fixed")
        return summary, store.stats().content_hash


def test_batches_are_bounded_and_change_nothing(tmp_path: Path, data: list[Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    listed: list[int] = []
    real_rows = Table.rows

    def counted(table: Table, start: int, stop: int, *, lists: bool = False) -> Table:
        part = real_rows(table, start, stop, lists=lists)
        if lists:
            listed.append(len(part))  # rows turned into Python objects at once
        return part

    monkeypatch.setattr(Table, "rows", counted)
    whole, whole_hash = _load(tmp_path / "whole", data, 1_000_000)
    assert max(listed) > BATCH  # one batch a table: the spy sees what is materialised
    listed.clear()
    ticks: list[int] = []
    small, small_hash = _load(tmp_path / "small", data, BATCH, ticks)

    assert small.rows_read == whole.rows_read == 7_500
    assert small.rejected == whole.rejected > 0
    assert sorted((r.file, r.row, r.reason) for r in small.rejects) == sorted(
        (r.file, r.row, r.reason) for r in whole.rejects)
    assert (small.created, small.unchanged) == (whole.created, whole.unchanged)
    assert small_hash == whole_hash
    # every table went in batches of at most BATCH rows, and the row path ran on some
    assert sum(ticks) == 7_500 and max(ticks) <= BATCH and len(ticks) >= 7_500 // BATCH
    assert listed and max(listed) <= BATCH


def test_a_bad_batch_size_is_refused() -> None:
    with pytest.raises(ValueError, match="batch_rows"):
        LoadOptions(batch_rows=0)


def _python_peak(folder: Path, paths: list[Path]) -> int:
    """The Python heap's peak from the first batch on, above where it stood then (reading a
    file holds its text once, bounded by the file-size limit: not measured here)."""
    start: list[int] = []

    def tick(phase: str, _rows: int) -> None:
        if phase == "validate" and not start:
            tracemalloc.reset_peak()
            start.append(tracemalloc.get_traced_memory()[0])

    gc.collect()
    with open_store(folder) as store:
        load_paths(store, paths, options=LoadOptions(batch_rows=2_000), progress=tick)
    return tracemalloc.get_traced_memory()[1] - start[0]


@pytest.fixture
def traced() -> Iterator[None]:
    tracemalloc.start()
    try:
        yield
    finally:
        tracemalloc.stop()


def test_python_heap_does_not_grow_with_the_load(tmp_path: Path, traced: None) -> None:
    """Eight times the relations must not take eight times the Python heap: the rows live
    in pyarrow (not traced) between batches, only one batch is Python objects at a time.
    Loading every cell as a Python string grew the peak with the load (issue 16)."""
    peaks = {}
    for relations in (500, 8_000, 64_000):  # the first warms imports and caches
        entities, relations_csv = generate(tmp_path / f"d{relations}", 2_000, relations)
        peaks[relations] = _python_peak(tmp_path / f"s{relations}", [entities, relations_csv])
    assert peaks[64_000] < 2 * peaks[8_000], peaks
    assert validate.BATCH_ROWS >= 2_000  # the default is not smaller than this test's
