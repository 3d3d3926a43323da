"""Shared shape of analytics results: dataclasses that turn themselves into plain JSON.

The HTTP API and ``innograph analyze --json`` serve these objects as they are, so every
result type derives from :class:`JsonResult` and holds only JSON-friendly values
(strings, numbers, lists, nested results).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from typing import Any

__all__ = ["EntityRef", "JsonResult", "plain"]


def plain(value: Any) -> Any:
    """A JSON-ready copy of ``value``: dataclasses to dicts, sets sorted, floats finite.

    Parameters
    ----------
    value : object

    Returns
    -------
    object
        Of dicts, lists, strings, numbers and ``None`` only.

    >>> plain({"a": (1, 2.0), "b": frozenset({"y", "x"}), "c": float("nan")})
    {'a': [1, 2.0], 'b': ['x', 'y'], 'c': None}
    """
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class JsonResult:
    """Mixin for result dataclasses: ``to_json()`` gives plain dicts and lists."""

    def to_json(self) -> dict[str, Any]:
        out = plain(self)
        assert isinstance(out, dict)
        return out


@dataclass(frozen=True)
class EntityRef(JsonResult):
    """An entity as results name it: id, Chinese name and type (with its Chinese label)."""

    id: str
    name: str
    type: str
    type_label: str
