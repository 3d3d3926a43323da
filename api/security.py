"""Write access: the ``X-API-Key`` header against the ``INNOGRAPH_API_KEY`` setting.

No key configured means writes are refused (403), so a server is read-only until someone
chooses a key. The comparison takes constant time.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from .errors import KeyMissing, KeyRefused

_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                       description="写入接口的密钥 (INNOGRAPH_API_KEY)")


def require_api_key(request: Request,
                    key: Annotated[str | None, Security(_header)] = None) -> None:
    """Let the request through only with the configured key."""
    configured = request.app.state.settings.api_key
    if configured is None:
        raise KeyRefused("writes are disabled on this server: no API key is configured "
                         "(set INNOGRAPH_API_KEY)")
    if not key:
        raise KeyMissing("this route writes: send the API key in the X-API-Key header")
    if not secrets.compare_digest(key.encode(), configured.get_secret_value().encode()):
        raise KeyRefused("wrong API key")


WriteAccess = Annotated[None, Depends(require_api_key)]
