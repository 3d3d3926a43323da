"""Turn what a client typed — an id, a name or an alias — into one stored entity."""

from __future__ import annotations

from graph.search import SearchIndex
from graph.store.base import GraphStore
from schema import Entity, EntityNotFound


def entity_named(store: GraphStore, text: str) -> Entity:
    """The entity whose id, name or alias is ``text`` (404 if none, 422 if ambiguous)."""
    entity = store.get(text)
    if entity is None:
        entity = store.get(SearchIndex.for_store(store).resolve(text).id)
    if entity is None:
        raise EntityNotFound(text)
    return entity
