"""Every error the API returns has one JSON shape (:class:`ErrorBody`), worded for a person."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from godmode_common.protocol import ErrorBody, ErrorItem

log = logging.getLogger(__name__)

# Clearer words than the regular expression for the two identifiers collectors get wrong most.
_FIELD_HINTS = {
    "room_id": "room_id must be 1-64 characters: letters, digits, '_', '.' or '-'",
    "platform": "platform must be a lower-case identifier such as 'chaturbate'",
}
_HINTED_TYPES = {"string_pattern_mismatch", "string_too_long", "string_too_short"}


class JsonResponse(Response):
    """A JSON response encoded with orjson."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class ApiError(Exception):
    def __init__(
        self,
        status_code: int,
        message: str,
        errors: Sequence[ErrorItem] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.errors = list(errors)
        self.headers = headers

    def response(self) -> Response:
        body = ErrorBody(message=self.message, errors=self.errors)
        return JsonResponse(body.model_dump(), status_code=self.status_code, headers=self.headers)


def _field_name(loc: Sequence[int | str]) -> str:
    # FastAPI prefixes locations with where the value came from ("body", "query", "path").
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def validation_error(errors: Sequence[Any]) -> ApiError:
    """Turn pydantic/FastAPI error dicts into a 422 (or 400 for a body that is not JSON)."""
    items = []
    for err in errors:
        field = _field_name(err.get("loc", ()))
        kind = err.get("type", "value_error")
        message = err.get("msg", "invalid value")
        if field in _FIELD_HINTS and kind in _HINTED_TYPES:
            message = _FIELD_HINTS[field]
        elif kind == "missing":
            message = "this field is required"
        elif kind == "extra_forbidden":
            message = "unknown field"
        items.append(ErrorItem(field=field, message=message, type=kind))
    if any(item.type == "json_invalid" for item in items):
        return ApiError(400, "the body is not valid JSON", items)
    if any(item.type == "model_type" and item.field == "body" for item in items):
        return ApiError(422, "the body must be a JSON object", items)
    summary = "; ".join(f"{i.field}: {i.message}" for i in items[:5])
    return ApiError(422, f"invalid request: {summary}", items)


def from_pydantic(exc: ValidationError) -> ApiError:
    return validation_error(exc.errors(include_url=False, include_input=False))


def install_error_handlers(app: FastAPI) -> None:
    async def on_api_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return exc.response()

    async def on_validation(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return validation_error(exc.errors()).response()

    async def on_http(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        headers = dict(exc.headers) if exc.headers else None
        return ApiError(exc.status_code, message, headers=headers).response()

    async def on_client_gone(request: Request, _: Exception) -> Response:
        # Nobody is left to answer, and nothing went wrong here: one line, not a traceback.
        log.info("client went away during %s %s", request.method, request.url.path)
        return Response(status_code=400)

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(ClientDisconnect, on_client_gone)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
