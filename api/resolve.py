"""Turn what a client typed — an id, a name or an alias — into one stored entity.

Every route parameter that names an entity (``entity``, ``region``, ``industry``, ``source``,
``target`` and the ids in paths) goes through here, with the same resolver as the CLI: an id
first, then an exact name or alias (of the type the parameter wants). No match, or an
entity of another type, is a 404; a name several entities carry is a 422 that lists them.
"""

from __future__ import annotations

from api.indexes import searcher
from graph.store.base import GraphStore
from schema import Entity, EntityNotFound, EntityType


def entity_named(store: GraphStore, text: str, kind: EntityType | None = None) -> Entity:
    """The entity whose id, name or alias is ``text``, of type ``kind`` when given."""
    entity = store.get(text)
    if entity is None:
        entity = store.get(searcher(store).resolve(text, entity_type=kind).id)
    if entity is None:
        raise EntityNotFound(text)
    if kind is not None and entity.type is not kind:
        raise EntityNotFound(text)  # no entity of the kind asked for: a 404 like any other
    return entity


def entity_id_named(store: GraphStore, text: str | None,
                    kind: EntityType | None = None) -> str | None:
    """:func:`entity_named`'s id, or ``None`` when nothing was given."""
    return entity_named(store, text, kind).id if text else None
