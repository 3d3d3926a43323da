"""Build (once) and keep a store of the structured synthetic ecosystem for analytics runs.

``python -m bench.analytics_data DIR --entities 1000000 --relations 5000000`` writes the
CSVs (``bench/ecosystem.py``) in one process step and ingests them with the real loader;
a store already in ``DIR`` is kept. Large sizes: run it memory-capped
(``prlimit --as=$((10*1024**3)) -- …``).
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

from graph.store import open_store
from ingest.loader import load_paths

from .ecosystem import generate, write_csv


def build(folder: Path, entities: int, relations: int, seed: int = 7) -> Path:
    """The store in ``folder/store`` (built from generated CSVs unless already there)."""
    store_path = folder / "store"
    done = folder / "DONE"
    if done.exists():
        return store_path
    started = time.perf_counter()
    data = folder / "data"
    if not (data / "relations.csv").exists():
        eco = generate(entities, relations, seed=seed)
        write_csv(eco, data)
        del eco
        gc.collect()
        print(f"generated in {time.perf_counter() - started:.0f}s", flush=True)
    with open_store(store_path) as store:
        summary = load_paths(store, [data / "entities.csv", *_split(data / "relations.csv")])
        assert summary.rejected == 0, summary.rejects[:3]
    done.write_text(f"{entities} {relations} {seed}\n")
    print(f"store {store_path}: {entities:,} entities, {relations:,} relations, "
          f"{time.perf_counter() - started:.0f}s", flush=True)
    return store_path


def _split(path: Path, rows: int = 1_000_000) -> list[Path]:
    """``path`` in parts of ``rows`` rows (the loader reads files of up to 200 MB)."""
    parts: list[Path] = []
    with path.open(encoding="utf-8") as handle:
        header = handle.readline()
        while True:
            lines = [line for _, line in zip(range(rows), handle, strict=False)]
            if not lines:
                return parts
            part = path.with_name(f"{path.stem}-{len(parts):02d}.csv")
            part.write_text(header + "".join(lines), encoding="utf-8")
            parts.append(part)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    build(args.folder, args.entities, args.relations, args.seed)


if __name__ == "__main__":
    main()
