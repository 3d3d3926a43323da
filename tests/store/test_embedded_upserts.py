"""The embedded store's upsert diff: what goes to ``COPY`` and what to a batched update."""

from __future__ import annotations

import pyarrow as pa

from graph.store.embedded_upserts import EmbeddedUpserts


def _rows(*pairs: tuple[str, str]) -> pa.Table:
    return pa.table({"id": [k for k, _ in pairs], "chash": [h for _, h in pairs]})


def test_split_sends_only_absent_keys_to_copy_and_changed_ones_to_update() -> None:
    """``COPY`` of a stored key crashes LadybugDB 0.22: a stored key must never be 'new'."""
    table = _rows(("a", "h1"), ("b", "h2"), ("c", "h3"))
    stored = {"a": "h1", "b": "old"}
    new, changed = EmbeddedUpserts._split(table, table.column("id").to_pylist(), stored)
    assert new.column("id").to_pylist() == ["c"]
    assert changed.column("id").to_pylist() == ["b"]


def test_split_with_nothing_stored_copies_every_row() -> None:
    table = _rows(("a", "h1"), ("b", "h2"))
    new, changed = EmbeddedUpserts._split(table, ["a", "b"], {})
    assert new.equals(table)
    assert changed.num_rows == 0 and changed.schema == table.schema


def test_split_matches_relations_by_their_endpoint_pair() -> None:
    table = pa.table({"source": ["a", "a"], "target": ["b", "c"], "chash": ["h1", "h2"]})
    pairs = zip(table.column("source").to_pylist(), table.column("target").to_pylist(),
                strict=True)
    new, changed = EmbeddedUpserts._split(table, pairs, {("a", "b"): "h1"})
    assert new.column("target").to_pylist() == ["c"]
    assert changed.num_rows == 0
