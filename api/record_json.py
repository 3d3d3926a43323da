"""JSON of the records a neighbourhood answer repeats, made once per record.

A 2-hop neighbourhood holds hundreds of entities and relations; building a pydantic model
for each and serialising it was most of a request's cost. The in-memory index hands out the
same record objects again and again (it keeps the ones it parsed), so each one's JSON is
made once — by the same models (:func:`api.convert.brief`, :func:`api.convert.relation_out`)
— and kept beside it. The body is then joined from those pieces: the same JSON as
``neighborhood_out(found).model_dump_json()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic_core import to_json

from graph.store.base import Neighborhood

from .convert import brief, relation_out

# pieces kept (then the cache starts afresh): one per record the index keeps (2 × 100k); a
# piece holds its record, so a larger cap would keep records the index has let go
_KEPT = 200_000
# id(record) -> (the record itself, so that its id is not reused while kept; its JSON)
_pieces: dict[int, tuple[object, bytes]] = {}


def _piece(record: Any, model: Callable[[Any], Any]) -> bytes:
    kept = _pieces.get(id(record))
    if kept is not None and kept[0] is record:
        return kept[1]
    if len(_pieces) >= _KEPT:
        _pieces.clear()
    made: bytes = model(record).model_dump_json().encode()
    _pieces[id(record)] = (record, made)
    return made


def neighborhood_json(found: Neighborhood) -> bytes:
    """``NeighborhoodOut`` of ``found`` as JSON bytes."""
    nodes = b",".join(_piece(n, brief) for n in found.nodes)
    edges = b",".join(_piece(e, relation_out) for e in found.edges)
    tail = b'],"center":%s,"depth":%d,"truncated":%s}' % (
        to_json(found.center), found.depth, b"true" if found.truncated else b"false")
    return b'{"nodes":[' + nodes + b'],"edges":[' + edges + tail
