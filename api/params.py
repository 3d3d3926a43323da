"""Parameter types shared by the routes.

:data:`PathId` carries what every id in a URL path must satisfy; each route adds its own
description and example on top::

    EntityId = Annotated[PathId, Path(description="实体 id", examples=["park:中国眼谷"])]

FastAPI merges the two, so the route's parameter has both the shared length limits and its
own documentation (``tests/api/test_params.py`` checks every ``*_id`` path parameter).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

__all__ = ["ID_MAX_LENGTH", "ID_MIN_LENGTH", "PathId"]

ID_MIN_LENGTH = 1
ID_MAX_LENGTH = 300

PathId = Annotated[str, StringConstraints(min_length=ID_MIN_LENGTH, max_length=ID_MAX_LENGTH)]
