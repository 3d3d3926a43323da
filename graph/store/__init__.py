"""Graph stores behind one contract; :func:`open_store` picks the backend from a location."""

from __future__ import annotations

from pathlib import Path

from .base import GraphPath, GraphStore, Neighborhood, Stats, Subgraph, WriteResult

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def open_store(location: str | Path, *, read_only: bool = False,
               buffer_pool_mb: int = 1024) -> GraphStore:
    """Open the store at ``location``: a folder for the embedded store, or a Neo4j URI."""
    text = str(location)
    if text.startswith(NEO4J_SCHEMES):
        from schema import StoreUnavailable

        raise StoreUnavailable(text, "the Neo4j backend is not part of this build yet "
                                     "(see the Neo4j issue); use a folder path")
    from .embedded import EmbeddedStore

    return EmbeddedStore(text, read_only=read_only, buffer_pool_mb=buffer_pool_mb)


__all__ = ["GraphPath", "GraphStore", "Neighborhood", "Stats", "Subgraph", "WriteResult",
           "open_store"]
