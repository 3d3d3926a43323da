"""Shared FastAPI dependencies: the open store."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graph.store.base import GraphStore


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


StoreDep = Annotated[GraphStore, Depends(get_store)]
