"""Shared FastAPI dependencies: settings, the store (opened on first use), write access."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from graph.settings import Settings
from graph.store import open_store
from graph.store.base import GraphStore
from ingest.documents.pipeline import review_queue_path
from schema import GraphIncomplete

_opening = threading.Lock()


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> GraphStore:
    """The app's store. It is opened on first use, not at start-up, so that a server whose
    store is down still starts and answers 503 until the store comes back."""
    state = request.app.state
    if state.store is None:
        with _opening:
            if state.store is None:
                settings: Settings = state.settings
                state.store = open_store_for(settings)
    store: GraphStore = state.store
    return store


def open_store_for(settings: Settings) -> GraphStore:
    """Writable when writes are enabled (an API key is set), read-only otherwise: the
    embedded store allows one writing process, so a read-only server leaves the store free
    for `innograph ingest`."""
    return open_store(settings.store, read_only=settings.api_key is None,
                      buffer_pool_mb=settings.buffer_pool_mb, neo4j=settings.neo4j_options(),
                      read_timeout_ms=settings.read_timeout_ms)


async def store_of(request: Request) -> GraphStore:
    """:func:`get_store` without a worker thread once the store is open (a dependency
    declared ``def`` costs every request a round trip through the thread pool)."""
    store: GraphStore | None = request.app.state.store
    return store if store is not None else await run_in_threadpool(get_store, request)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(store_of)]


async def complete_graph(request: Request) -> None:
    """Refuse a read (503) while the graph is partial — a first load running or killed —
    instead of answering from half a graph (issue 15). On the event loop: while the store's
    files are unchanged the loading mark is a stat, not a query."""
    store = await store_of(request)
    if store.interrupted_load() is not None:
        raise GraphIncomplete(store.location)


def get_review_queue(settings: SettingsDep, store: StoreDep) -> Path:
    """The review queue's file: ``review_db`` if set, else beside the app's store (opened on
    first use, like every route's)."""
    return review_queue_path(store.location, settings.review_db)


ReviewQueueDep = Annotated[Path, Depends(get_review_queue)]
