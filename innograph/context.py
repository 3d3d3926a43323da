"""What every command shares: the settings chosen on the command line and the store they name.

The root callback (``innograph --store …``) records its options here; command modules import
:func:`settings` and :func:`store_for` from this module, never from ``cli``, so the command
modules depend on this small module only and ``cli`` may import all of them.

Importing it is cheap (``innograph --help`` imports it): settings and the store are imported
when a command asks for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # settings and the store are imported by the commands that use them
    from graph.settings import Settings
    from graph.store import GraphStore


@dataclass
class CommandLine:
    """Options given before the command (``innograph --store DIR search …``)."""

    store: str | None = None


chosen = CommandLine()


def settings(**overrides: object) -> Settings:
    """Settings from the environment, the root options and ``overrides`` (None ignored)."""
    from graph.settings import get_settings  # pydantic-settings and the store options: slow

    return get_settings(store=chosen.store, **overrides)


@contextmanager
def store_for(read_only: bool) -> Iterator[GraphStore]:
    """The store the settings name, opened for one command and closed after it."""
    from graph.store import open_store

    current = settings()
    store = open_store(current.store, read_only=read_only, buffer_pool_mb=current.buffer_pool_mb,
                       neo4j=current.neo4j_options())
    try:
        yield store
    finally:
        store.close()
