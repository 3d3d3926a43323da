"""Graph stores behind one contract; :func:`open_store` picks the backend from a location."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .base import GraphStore
from .records import GraphPath, Neighborhood, Stats, Subgraph, WriteResult

if TYPE_CHECKING:
    from .neo4j_options import Neo4jOptions

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def is_neo4j_uri(location: str | Path) -> bool:
    """Whether ``location`` names a Neo4j server rather than a folder.

    >>> is_neo4j_uri("neo4j+s://ab12.databases.neo4j.io"), is_neo4j_uri("/data/store")
    (True, False)
    """
    return str(location).startswith(NEO4J_SCHEMES)


def open_store(location: str | Path, *, read_only: bool = False, buffer_pool_mb: int = 1024,
               neo4j: Neo4jOptions | None = None,
               read_timeout_ms: int | None = None) -> GraphStore:
    """Open the store at ``location``: a folder for the embedded store, or a Neo4j URI
    (reached with ``neo4j``'s user, password, database and read timeout).
    ``read_timeout_ms`` bounds each read query of the embedded store (the API sets it)."""
    text = str(location)
    if is_neo4j_uri(text):
        from .neo4j import Neo4jStore

        return Neo4jStore(text, neo4j, read_only=read_only)
    from .embedded import EmbeddedStore

    return EmbeddedStore(text, read_only=read_only, buffer_pool_mb=buffer_pool_mb,
                         read_timeout_ms=read_timeout_ms)


__all__ = ["GraphPath", "GraphStore", "Neighborhood", "Stats", "Subgraph", "WriteResult",
           "is_neo4j_uri", "open_store"]
