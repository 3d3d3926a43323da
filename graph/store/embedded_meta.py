"""The embedded store's ``StoreMeta`` values that every API request asks for: the version
(for caches) and the mark of a first load that is running or was killed."""

from __future__ import annotations

from . import ladybug_queries as q
from .embedded_connections import Connections, Signature


class StoreMeta:
    """Cached reads of the ``StoreMeta`` table, and the version bump every write ends with."""

    def __init__(self, connections: Connections) -> None:
        self._connections = connections
        self._cache: dict[str, tuple[Signature, str | None]] = {}

    def version(self) -> int:
        return int(self.get("version") or 0)

    def interrupted_load(self) -> str | None:
        return self.get(q.LOADING)

    def bump_version(self) -> None:
        """Inside a write: count one more committed write."""
        self._connections.run(q.SET_META, {"key": "version", "value": str(self.version() + 1)})

    def get(self, key: str) -> str | None:
        """A StoreMeta value, asked on every API request (version, the loading mark).
        Every commit appends to the write-ahead log and every checkpoint rewrites the main
        file, so while neither file changed no stored value can have changed either: a stat
        instead of a query. A read-only store reopens the files here when they changed."""
        connections = self._connections
        signature = connections.files_signature()
        connections.follow_writer(signature)
        cached = self._cache.get(key)
        if cached is not None and cached[0] == signature and not connections.in_write:
            return cached[1]
        rows = connections.rows(q.GET_META, {"key": key})
        value = str(rows[0]["value"]) if rows else None
        self._cache[key] = (signature, value)
        return value
