"""``/api/collectors/extension/*``: the update manifest and the packages it names (see shelf.py
for what is offered and why)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from godmode_common.protocol import ErrorBody
from godmode_server.context import context
from godmode_server.errors import ApiError
from godmode_server.extension.shelf import ExtensionShelf, update_manifest

CRX_MEDIA_TYPE = "application/x-chrome-extension"

router = APIRouter(prefix="/api/collectors/extension", tags=["collectors"])


def _shelf(request: Request) -> ExtensionShelf:
    shelf = context(request).extensions
    if shelf.folder is None:
        raise ApiError(404, "this server serves no extension packages (GODMODE_EXTENSION_DIR)")
    return shelf


def _public_base(request: Request) -> str:
    settings = context(request).settings
    if settings.public_url:
        return settings.public_url
    if settings.dev:
        return str(request.base_url).rstrip("/")
    raise ApiError(
        503,
        "set GODMODE_PUBLIC_URL (the address the collectors reach this server at): the update "
        "manifest's links are not built from the request's Host header",
    )


@router.get(
    "/updates.xml",
    response_class=Response,
    responses={
        200: {"content": {"application/xml": {}}, "description": "Chrome's update manifest"},
        404: {"model": ErrorBody},
    },
    summary="The update manifest for the packed collector (Chrome's update_url)",
)
async def updates_xml(request: Request) -> Response:
    """The newest valid package of each extension id in ``GODMODE_EXTENSION_DIR``, with an
    absolute ``codebase`` URL under ``GODMODE_PUBLIC_URL`` and the file's SHA-256, which Chrome
    checks.  (The request's Host header, which any client sets, only in dev mode: it would
    otherwise let one send every PC's next update elsewhere through a cache.)"""
    shelf = _shelf(request)
    base = _public_base(request)
    offered = shelf.newest(await asyncio.to_thread(shelf.scan))
    if not offered:
        raise ApiError(404, "no valid collector package in GODMODE_EXTENSION_DIR (see the log)")
    path = request.app.url_path_for
    apps = [(o, base + str(path("extension_package", file_name=o.file_name))) for o in offered]
    return Response(
        update_manifest(apps),
        media_type="application/xml",
        headers={"Cache-Control": "no-cache"},
    )


@router.get(
    "/{file_name}",
    name="extension_package",
    response_class=FileResponse,
    responses={
        200: {"content": {CRX_MEDIA_TYPE: {}}, "description": "a signed CRX3 package"},
        404: {"model": ErrorBody},
    },
    summary="A packed collector (CRX3) named by the update manifest",
)
async def extension_package(request: Request, file_name: str) -> FileResponse:
    """Only a file that passed the checks is served (a name is looked up, never joined blindly
    to a path)."""
    shelf = _shelf(request)
    offered = {o.file_name: o for o in await asyncio.to_thread(shelf.scan)}
    if file_name not in offered:
        raise ApiError(404, f"no valid package named {file_name!r}")
    assert shelf.folder is not None
    return FileResponse(shelf.folder / file_name, media_type=CRX_MEDIA_TYPE)
