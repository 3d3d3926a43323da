"""Neo4j benchmark: innograph's batched ingest against a per-row ``MERGE`` loop, and
neighbourhood latency. Needs a server (it is skipped without ``NEO4J_URI``).

Run (after ``docker compose up -d neo4j``; it empties the database it is pointed at)::

    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... \\
        .venv/bin/python -m bench.neo4j_bench --entities 100000 --relations 500000 --wipe

Both write paths run in the same process against the same server, so their ratio holds
better than the absolute rates. The baseline is what a naive loader does: one managed
transaction per row, each a single-row ``MERGE``, on a 2,000-row sample of the same data.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import neo4j
from pydantic import SecretStr

from graph.store import neo4j_queries as q
from graph.store import open_store
from graph.store.neo4j import Neo4jStore
from graph.store.neo4j_options import Neo4jOptions
from graph.store.neo4j_records import entity_properties, relation_properties
from ingest.loader import load_paths
from schema.tables import entities_to_table, relations_to_table

from .synthetic import generate

SAMPLE_ENTITIES, SAMPLE_RELATIONS = 400, 1600
Row = dict[str, Any]


def open_from_environment() -> Neo4jStore:
    password = os.environ.get("NEO4J_PASSWORD")
    return Neo4jStore(os.environ["NEO4J_URI"], Neo4jOptions(
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=SecretStr(password) if password else None,
        database=os.environ.get("NEO4J_DATABASE") or None, read_timeout=300))


def sample_rows(folder: Path) -> tuple[list[Row], list[Row]]:
    """A 2,000-row sample (400 entities, 1,600 relations) in the store's column format,
    made by the real loader from its own small synthetic set."""
    entities_csv, relations_csv = generate(folder, SAMPLE_ENTITIES, SAMPLE_RELATIONS, seed=11)
    with open_store(folder / "store") as embedded:
        load_paths(embedded, [entities_csv, relations_csv])
        entities = list(embedded.iter_entities())
        relations = list(embedded.iter_relations())
    return (entities_to_table(entities).to_pylist(), relations_to_table(relations).to_pylist())


def _write_one(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> None:
    tx.run(query, params).consume()


def per_row_baseline(store: Neo4jStore, entity_rows: list[Row],
                     relation_rows: list[Row]) -> float:
    """Seconds to write the sample one row per managed transaction, each a one-row ``MERGE``
    with the same properties innograph writes (into an emptied database)."""
    store.delete_all()
    store.ensure_schema()
    started = time.perf_counter()
    with store.driver.session(database=store.options.database) as session:
        for row in entity_rows:
            session.execute_write(_write_one, q.merge_entities(row["type"]), {
                "rows": [{"id": row["id"], "props": entity_properties(row)}]})
        for row in relation_rows:
            session.execute_write(_write_one, q.merge_relations(row["type"]), {
                "rows": [{"source": row["source"], "target": row["target"],
                          "props": relation_properties(row)}]})
    seconds = time.perf_counter() - started
    store.delete_all()
    return seconds


def latency(store: Neo4jStore, ids: list[str], depth: int) -> tuple[float, float]:
    """Median and 95th percentile milliseconds of ``neighborhood(id, depth)``."""
    times = []
    for entity_id in ids:
        started = time.perf_counter()
        store.neighborhood(entity_id, depth=depth, max_nodes=200)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=500_000)
    parser.add_argument("--probes", type=int, default=200, help="neighbourhoods timed")
    parser.add_argument("--wipe", action="store_true",
                        help="allow emptying a database that already holds entities")
    args = parser.parse_args()
    if not os.environ.get("NEO4J_URI"):
        print("skipped: set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to a Neo4j server "
              "this benchmark may empty, e.g. after `docker compose up -d neo4j`")
        return
    work = Path(tempfile.mkdtemp(prefix="innograph-neo4j-bench-"))
    store = open_from_environment()
    try:
        if store.stats().entities and not args.wipe:
            sys.exit(f"{store.location} holds data; rerun with --wipe to let the benchmark "
                     "empty it")
        entities_csv, relations_csv = generate(work / "data", args.entities, args.relations)
        rows_total = args.entities + args.relations
        print(f"server {store.location}; {args.entities:,} entities, "
              f"{args.relations:,} relations")
        entity_rows, relation_rows = sample_rows(work / "sample")
        rows = len(entity_rows) + len(relation_rows)
        seconds = per_row_baseline(store, entity_rows, relation_rows)
        baseline = rows / seconds
        print(f"per-row MERGE, {rows:,}-row sample: {seconds:8.2f}s {baseline:>10,.0f} rows/s")
        store.ensure_schema()
        first = load_paths(store, [entities_csv, relations_csv])
        assert first.rejected == 0, first.rejects[:3]
        print(f"innograph ingest (new):        {first.seconds:8.2f}s "
              f"{rows_total / first.seconds:>10,.0f} rows/s")
        again = load_paths(store, [entities_csv, relations_csv])
        print(f"innograph ingest (unchanged):  {again.seconds:8.2f}s "
              f"{rows_total / again.seconds:>10,.0f} rows/s")
        print(f"ratio batched / per-row:       {rows_total / first.seconds / baseline:8.1f}x")
        ids = [row.id for row in store.name_rows()]
        probes = random.Random(7).sample(ids, min(args.probes, len(ids)))
        for depth in (1, 2):
            median, p95 = latency(store, probes, depth)
            print(f"{depth}-hop neighbourhood (≤200 nodes): median {median:7.1f} ms, "
                  f"p95 {p95:7.1f} ms over {len(probes)} entities")
    finally:
        store.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
