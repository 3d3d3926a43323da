"""One writing process at a time: a second one gets a clear error at once, not a hang."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.store import open_store
from schema import StoreInUse

HOLD = """
import sys, time
from graph.store import open_store
store = open_store(sys.argv[1])
print("ready", flush=True)
time.sleep(30)
"""


def test_second_writer_is_told_which_process_holds_the_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        with pytest.raises(StoreInUse) as caught:
            open_store(path)
        assert time.monotonic() - started < 5
        assert caught.value.pid == holder.pid
        assert f"in use by process {holder.pid}" in str(caught.value)
        # readers are still served while the writer holds the lock
        with open_store(path, read_only=True) as reader:
            assert reader.stats().entities == 0
    finally:
        holder.kill()
        holder.wait()
    with open_store(path) as store:  # free again once the holder is gone
        assert store.stats().entities == 0
