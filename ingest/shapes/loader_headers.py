"""Which of the plain loader's columns a header means: the loader's own spellings
(:data:`ingest.columns.LOADER_HEADERS`) and every ``canonical`` row of the header vocabulary
(``data/headers.csv``), so a spelling added there is read the same by shape detection and by
the plain loader.

>>> canonical_header("单位A"), canonical_header("名称"), canonical_header("规模")
('source', 'name', '规模')
"""

from __future__ import annotations

from functools import cache

from schema import normalise_name

from ..columns import LOADER_HEADERS
from .vocabulary import vocabulary


def canonical_header(header: str) -> str:
    """The canonical column a header means, or the header itself (an extra property)."""
    key = normalise_name(header).casefold().replace(" ", "_")
    return LOADER_HEADERS.get(key) or _vocabulary_canonical().get(key, key)


@cache
def _vocabulary_canonical() -> dict[str, str]:
    return {key: entry.target for key, entry in vocabulary().items()
            if entry.role == "canonical"}
