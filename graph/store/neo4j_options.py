"""Settings of the Neo4j backend, importable without loading the driver (the CLI reads them
on every start; the driver is imported only when a Neo4j store is opened)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import SecretStr

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass(frozen=True)
class Neo4jOptions:
    """How to reach and use a Neo4j server (see ``graph.settings`` for the variables).

    >>> Neo4jOptions(password=SecretStr("s3cret"))  # doctest: +ELLIPSIS
    Neo4jOptions(user='neo4j', password=SecretStr('**********'), ...)
    """

    user: str = "neo4j"
    password: SecretStr | None = None
    #: ``None``: the server's default database
    database: str | None = None
    #: seconds a read transaction may run before the server stops it
    read_timeout: float = 30.0
    connect_timeout: float = 10.0
    #: rows per ``UNWIND`` batch
    batch_size: int = 5000
    #: a write of at most this many rows is one transaction; larger ones commit per batch
    atomic_rows: int = 20000


def public_location(uri: str) -> str:
    """The URI as it may appear in messages: scheme, host and port only.

    >>> public_location("neo4j+s://ab12cd.databases.neo4j.io?policy=eu")
    'neo4j+s://ab12cd.databases.neo4j.io'
    >>> public_location("bolt://neo4j:pw@db:7687")
    'bolt://db:7687'
    """
    try:
        parts = urlsplit(uri)
        host = parts.netloc.rpartition("@")[2]
    except ValueError:
        return "the Neo4j URI given"
    return f"{parts.scheme}://{host}" if parts.scheme else "the Neo4j URI given"



