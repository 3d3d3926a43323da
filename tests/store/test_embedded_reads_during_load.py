"""Issue 15, finding 3: a read-only server polled while the CLI loaded answered 503
``checkpoint recovery is pending`` for seconds. A reader now answers from the graph as it
was before the load until the writer's files are ready, then from the graph after it:
never a failure, never a half."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

from graph.store import open_store
from ingest.loader import load_paths

from ..conftest import SAMPLE

ROWS = 60_000


def test_a_reader_sees_before_or_after_a_load_by_another_process(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with open_store(str(folder)) as writer:
        load_paths(writer, [SAMPLE])
    big = tmp_path / "big.csv"
    with big.open("w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(["name", "type", "level"])
        rows.writerows([f"测试企业{i}号", "enterprise", "市级"] for i in range(ROWS))
    reader = open_store(str(folder), read_only=True)
    env = {**os.environ, "INNOGRAPH_REJECTS_DIR": str(tmp_path / "rejects")}
    load = subprocess.Popen([sys.executable, "-m", "innograph", "--store", str(folder),
                             "ingest", str(big), "--json"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen: set[int] = set()
    errors: list[str] = []
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            finished = load.poll() is not None
            try:
                reader.version()
                assert reader.get("incubator:青科孵化器") is not None
                seen.add(reader.counts().entities)
            except Exception as e:  # every failure is collected and asserted below
                errors.append(str(e).splitlines()[0])
            if finished and 201 + ROWS in seen:
                break
            time.sleep(0.02)
    finally:
        reader.close()
        if load.poll() is None:
            load.kill()
    assert load.returncode == 0, load.stderr.read() if load.stderr else ""
    assert not errors, errors[:3]
    assert seen <= {201, 201 + ROWS} and 201 + ROWS in seen, seen
