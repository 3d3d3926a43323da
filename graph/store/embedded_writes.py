"""The embedded store's writes other than upserts: deletes, analytics scores, checkpoints."""

from __future__ import annotations

import json
from collections.abc import Sequence

from schema import RelationType, relation_id

from . import ladybug_queries as q
from .embedded_connections import Connections
from .embedded_meta import StoreMeta
from .embedded_reads import EmbeddedReads
from .embedded_upserts import UPDATE_BATCH
from .records import Scores


class EmbeddedWrites:
    """Deletes, scores and checkpoints, each one write on the write connection."""

    def __init__(self, connections: Connections, reads: EmbeddedReads, meta: StoreMeta) -> None:
        self._connections = connections
        self._run = connections.run
        self._rows = connections.rows
        self._reads = reads  # which relations are stored, the scores to merge with
        self._meta = meta  # the version every write bumps

    def delete_entities(self, ids: Sequence[str]) -> int:
        with self._connections.writing():
            rows = self._rows(q.DELETE_ENTITIES, {"ids": list(ids)})
            deleted = int(rows[0]["n"]) if rows else 0
            self._run(q.DELETE_SCORES, {"ids": list(ids)})
            if deleted:
                self._meta.bump_version()
            return deleted

    def delete_relations(self, ids: Sequence[str]) -> int:
        with self._connections.writing():
            # ids are derived from (source, type, target); find the pairs they stand for
            wanted = set(ids)
            deleted = 0
            for relation in RelationType:
                pairs = [{"source": s, "target": t} for s, t in self._reads.pair_hashes(relation)
                         if relation_id(s, relation, t) in wanted]
                if pairs:
                    rows = self._rows(q.delete_relations(relation), {"pairs": pairs})
                    deleted += int(rows[0]["n"]) if rows else 0
            if deleted:
                self._meta.bump_version()
            return deleted

    def write_scores(self, ids: list[str], scores: Scores) -> int:
        """Merge ``scores`` of ``ids`` (checked: valid, and all stored) with those stored.
        The caller checks inside the same write (:meth:`Connections.writing`)."""
        with self._connections.writing():
            if not ids:
                return 0
            merged = self._reads.read_scores(ids)
            rows = [{"id": i, "scores": json.dumps(merged.get(i, {}) | dict(scores[i]),
                                                   sort_keys=True)} for i in ids]
            with self._connections.transaction():
                for start in range(0, len(rows), UPDATE_BATCH):
                    self._run(q.MERGE_SCORES, {"rows": rows[start:start + UPDATE_BATCH]})
                self._meta.bump_version()
            return len(rows)

    def checkpoint(self) -> None:
        with self._connections.writing():
            if not self._connections.read_only:
                self._run("CHECKPOINT")
