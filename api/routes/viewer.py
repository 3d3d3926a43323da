"""The web viewer: its page at ``/``, its assets under ``/static``, vis-network under
``/vendor`` (vendored in ``viz/static/vendor``; nothing is fetched from the internet)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import FileResponse, HTMLResponse

from viz import VENDOR_FILES

router = APIRouter(include_in_schema=False)

STATIC_DIR = FilePath(__file__).resolve().parent.parent / "static"
VENDOR_DIR = FilePath(str(resources.files("viz").joinpath("static", "vendor")))
ASSETS = ("index.html", "viewer.css", "viewer.js", "api.js", "dom.js", "graph.js", "panels.js",
          "chain.js", "export.js", "labels.js",
          "layout.js", "declutter.js", "legend.js",
          # the upload and review screens
          "upload.js", "review.js", "writes.js", "problems.js")
TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".html": "text/html; charset=utf-8"}
# the viewer talks only to this server, and builds its DOM without markup from data
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'")


def _file(path: FilePath) -> FileResponse:
    return FileResponse(path, media_type=TYPES[path.suffix],
                        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"})


@router.get("/", response_class=HTMLResponse)
def index() -> FileResponse:
    return _file(STATIC_DIR / "index.html")


@router.get("/static/{name}")
def asset(name: Annotated[str, Path(max_length=40)]) -> FileResponse:
    # an allow-list, not a directory: no path ever reaches the file system from the URL
    if name not in ASSETS:
        raise HTTPException(404, f"no such viewer asset: {name!r}")
    return _file(STATIC_DIR / name)


@router.get("/vendor/{name}")
def vendor(name: Annotated[str, Path(max_length=40)]) -> FileResponse:
    if name not in VENDOR_FILES:
        raise HTTPException(404, f"no such vendored file: {name!r}")
    return _file(VENDOR_DIR / name)
