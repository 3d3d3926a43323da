"""How ``innograph serve`` runs uvicorn: one table of options, shared with the benchmark's
bare app (``bench/api_bare.py``) so that the floor it measures runs the same server.

uvicorn's own access line is off: the app writes its JSON access line (``innograph.access``,
with the request id) instead, so each request is logged once, not twice.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

UVICORN_OPTIONS: dict[str, Any] = {"log_level": "info", "access_log": False}


def log_access_to_stderr() -> None:
    """Show the ``innograph.access`` lines on stderr, as uvicorn shows its own."""
    access = logging.getLogger("innograph.access")
    if not access.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
