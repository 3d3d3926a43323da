"""`innograph extract` and `innograph review`, run as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from graph.store import open_store
from ingest.documents.pipeline import ingest_documents


def run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "innograph", "--store", str(store), *args],
                          capture_output=True, text=True, env=dict(os.environ), timeout=120)


def test_extract_writes_nothing_and_prints_json_lines(tmp_path: Path,
                                                      simplified_file: Path) -> None:
    store = tmp_path / "no-store-yet"
    result = run(store, "extract", str(simplified_file), "--json")
    assert result.returncode == 0, result.stderr
    assert "patterns only" in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {line["record"] for line in lines} == {"mention", "relation"}
    assert all(line["doc"] == "ningbo-2023" for line in lines)
    assert not store.exists()
    missing = run(store, "extract", str(tmp_path / "absent.txt"), "--json")
    assert missing.returncode == 2 and "absent.txt: no such file" in missing.stderr


def test_review_list_accept_reject(tmp_path: Path, simplified_file: Path) -> None:
    store = tmp_path / "store"
    with open_store(store) as opened:
        ingest_documents(opened, [simplified_file])
    listed = run(store, "review", "list", "--kind", "relation", "--json")
    assert listed.returncode == 0, listed.stderr
    items = json.loads(listed.stdout)["items"]
    joint = next(i for i in items if i["data"]["kind"] == "联合申报")
    other = next(i for i in items if i["id"] != joint["id"])
    accepted = run(store, "review", "accept", joint["id"], "--json")
    assert accepted.returncode == 0, accepted.stderr
    assert json.loads(accepted.stdout)["items"][0]["status"] == "accepted"
    rejected = run(store, "review", "reject", other["id"], "--reason", "test")
    assert rejected.returncode == 0 and "status=rejected" in rejected.stdout
    again = run(store, "review", "accept", joint["id"])
    assert again.returncode == 2 and "only pending candidates" in again.stderr
    stats = json.loads(run(store, "stats", "--json").stdout)
    assert stats["relations_by_type"] == {"partnership": 1}
    no_change = run(store, "review", "edit", other["id"])
    assert no_change.returncode == 2 and "at least one of" in no_change.stderr
