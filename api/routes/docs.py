"""The API's documentation pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), with
every asset they load served from this package (``api/static/vendor``, see its README):
they work with no network at all (issue 23).

FastAPI's self-hosting recipe: the app is created with ``docs_url=None, redoc_url=None``
and these routes render the same pages with local asset URLs, no Google Fonts, no
favicon from fastapi.tiangolo.com and no online validator.
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse

router = APIRouter(include_in_schema=False)

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
ASSETS_URL = "/static/vendor"
ASSETS_DIR = FilePath(__file__).resolve().parent.parent / "static" / "vendor"
# an allow-list, not a directory: no path from the URL reaches the file system
ASSETS = {"swagger-ui-bundle.js": "text/javascript; charset=utf-8",
          "swagger-ui.css": "text/css; charset=utf-8",
          "redoc.standalone.js": "text/javascript; charset=utf-8",
          "favicon.png": "image/png"}
# the pages talk to this server only: a browser refuses anything else even if a bundle
# tried (ReDoc runs its search in a worker made from a blob; both style inline)
CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
       "connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'")
_HEADERS = {"Content-Security-Policy": CSP}


def _root(request: Request) -> str:
    """The prefix the app is mounted under behind a proxy (as FastAPI's own pages use)."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def _title(request: Request, page: str) -> str:
    return f"{request.app.title} - {page}"


def _openapi_url(request: Request) -> str:
    return _root(request) + str(request.app.openapi_url)


def _headed(page: HTMLResponse) -> HTMLResponse:
    page.headers.update(_HEADERS)
    return page


@router.get(DOCS_URL, response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    root = _root(request)
    return _headed(get_swagger_ui_html(
        openapi_url=_openapi_url(request), title=_title(request, "Swagger UI"),
        oauth2_redirect_url=root + OAUTH2_REDIRECT_URL,
        init_oauth=request.app.swagger_ui_init_oauth,
        swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
        # the app's own settings, but never the online validator (it would fetch a badge
        # from validator.swagger.io)
        swagger_ui_parameters={**(request.app.swagger_ui_parameters or {}),
                               "validatorUrl": None}))


@router.get(OAUTH2_REDIRECT_URL, response_class=HTMLResponse)
def swagger_ui_redirect() -> HTMLResponse:
    return _headed(get_swagger_ui_oauth2_redirect_html())


@router.get(REDOC_URL, response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    root = _root(request)
    return _headed(get_redoc_html(
        openapi_url=_openapi_url(request), title=_title(request, "ReDoc"),
        redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png", with_google_fonts=False))


@router.get(ASSETS_URL + "/{name}")
def asset(name: Annotated[str, Path(max_length=40)]) -> FileResponse:
    if name not in ASSETS:
        raise HTTPException(404, f"no such documentation asset: {name!r}")
    return FileResponse(ASSETS_DIR / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "no-cache"})
