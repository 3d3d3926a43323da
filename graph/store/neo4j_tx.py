"""Transaction functions for ``session.execute_write``: the driver reruns them on transient
errors, which is safe because every statement they run is an idempotent ``MERGE``/``SET``
or a delete."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import neo4j

from schema import IntegrityError

from . import neo4j_queries as q
from .neo4j_plan import Step


def run_steps(tx: neo4j.ManagedTransaction, steps: Sequence[Step], bump: bool = True) -> None:
    """One transaction's work: each step must touch as many rows as it was given."""
    for query, params in steps:
        record = tx.run(query, params).single()
        touched = record.get("n") if record is not None else None  # Record: `in` sees values
        expected = len(params.get("rows", ()))
        if touched is not None and touched != expected:
            # an endpoint vanished between the check and the write (a concurrent delete)
            raise IntegrityError(f"{expected - touched} of {expected} rows found nothing "
                                 "to attach to; nothing in this transaction was written")
    if bump:
        tx.run(q.BUMP_VERSION).consume()


def count_rows(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any],
               bump: bool = False) -> int:
    """Run one statement that returns ``n``, the rows it touched; bump the version if any."""
    record = tx.run(query, params).single()
    n = int(record["n"]) if record is not None else 0
    if bump and n:
        tx.run(q.BUMP_VERSION).consume()
    return n

