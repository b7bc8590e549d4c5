"""``/api/collectors/*``: what collectors fetch from the backend."""

from __future__ import annotations

from fastapi import APIRouter, Request

from godmode_common.protocol import CollectorSelectors, ErrorBody

from ..context import context
from ..errors import JsonResponse

router = APIRouter(prefix="/api/collectors", tags=["collectors"])


@router.get(
    "/selectors",
    response_model=CollectorSelectors,
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}},
    summary="The extension's selectors for each platform's counters",
)
async def get_selectors(request: Request) -> JsonResponse:
    """The extensions refresh their scraping rules from here, so a studio that fixes a selector
    (``GODMODE_SELECTORS_FILE``) fixes it for every browser within minutes.  Same key as ingest."""
    return JsonResponse(context(request).selectors_body)
