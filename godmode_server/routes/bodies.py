"""Request bodies and parameters as every route reads them: JSON only, bounded, validated."""

from __future__ import annotations

from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from godmode_server.context import context
from godmode_server.errors import ApiError, from_pydantic

ModelT = TypeVar("ModelT", bound=BaseModel)


def json_body_doc(model: type[BaseModel]) -> dict[str, object]:
    """OpenAPI ``requestBody`` for routes that parse their body themselves (see
    :func:`parse_body`), so the published document still shows the model."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) anything over ``limit`` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"the body is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, f"the body is larger than {limit} bytes")
    return bytes(body)


def is_seq(raw: str) -> bool:
    """A ``since`` as clients send it: 1-16 ASCII digits (``str.isdigit`` alone would take
    "²", and ``int`` would take " 1_0")."""
    return 0 < len(raw) <= 16 and raw.isascii() and raw.isdigit()


def require_json(request: Request) -> None:
    """JSON bodies come as ``application/json``: anything else is 415.  A browser page can only
    send a "simple" cross-origin POST (text/plain, forms) without asking first; refusing those
    keeps other sites' pages from posting logins or samples through a visitor's browser."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        raise ApiError(
            415,
            "the body must be JSON sent as Content-Type: application/json"
            + (f" (got {media_type[:40]!r})" if media_type else " (no Content-Type given)"),
        )


async def parse_body(request: Request, model: type[ModelT], limit: int | None = None) -> ModelT:
    """The JSON body as ``model``; at most ``limit`` bytes (``GODMODE_MAX_BODY_BYTES``)."""
    require_json(request)
    body = await read_body(request, limit or context(request).settings.max_body_bytes)
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise from_pydantic(exc) from None
