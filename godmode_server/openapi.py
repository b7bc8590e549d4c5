"""What FastAPI cannot infer for the published OpenAPI document.

The routes check credentials themselves (so that dev mode can open them, and every refusal has
the same error body), so the document is told here how each operation authenticates. It is also
told which platforms this server accepts, and how operations lead to one another — OpenAPI *links*: a login's token opens the reads and
the refresh, a posted sample's room can be read back, a bulk answer's ``seq`` and ``epoch`` ask
for what changed since. Client authors read them; schemathesis follows them in its stateful run
(``tests/server/test_openapi_fuzz.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI

BEARER = "bearerToken"
API_KEY = "apiKey"

SECURITY_SCHEMES = {
    BEARER: {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A dashboard user's token, from POST /api/auth/login.",
    },
    API_KEY: {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": "A collector's key, from `godmode-server key create NAME`.",
    },
}

LOGIN = ("post", "/api/auth/login")
REFRESH = ("post", "/api/auth/refresh")
INGEST = ("post", "/api/tracking/telemetry")
BULK = ("get", "/api/tracking/telemetry")
LATEST = ("get", "/api/tracking/telemetry/{room_id}/{platform}")
HISTORY = ("get", "/api/tracking/telemetry/{room_id}/{platform}/history")
SELECTORS = ("get", "/api/collectors/selectors")

#: Which credential each protected operation takes.
SECURITY = {
    INGEST: API_KEY,
    SELECTORS: API_KEY,
    BULK: BEARER,
    LATEST: BEARER,
    HISTORY: BEARER,
    REFRESH: BEARER,
}
#: Dev mode also lets these in without credentials (the refresh always needs a token).
OPEN_IN_DEV = {INGEST, SELECTORS, BULK, LATEST, HISTORY}

_TOKEN = {"header.Authorization": "Bearer {$response.body#/access_token}"}
_ROOM = {"path.room_id": "$request.body#/room_id", "path.platform": "$request.body#/platform"}
_WITH_TOKEN = {
    "RefreshToken": (REFRESH, _TOKEN, "Renew the token before it expires."),
    "ReadRooms": (BULK, _TOKEN, "Read every live room with the token."),
}

#: Links from an operation's 200 answer: name -> (target, parameters, description).
LINKS: dict[tuple[str, str], dict[str, tuple[tuple[str, str], dict[str, str], str]]] = {
    LOGIN: _WITH_TOKEN,
    REFRESH: _WITH_TOKEN,
    INGEST: {
        "ReadLatest": (LATEST, _ROOM, "The room's latest sample, this one if it was applied."),
        "ReadHistory": (HISTORY, _ROOM, "The room's recent samples."),
    },
    BULK: {
        "ReadChanges": (
            BULK,
            {"query.since": "$response.body#/seq", "query.epoch": "$response.body#/epoch"},
            "Only the rooms changed since this answer.",
        ),
    },
}


def install(app: FastAPI, *, dev: bool, platforms: Iterable[str]) -> None:
    """Make ``app.openapi()`` add the security schemes, each operation's security, the links and
    the platforms this server accepts to the document FastAPI generates (once; it is cached)."""
    accepted = sorted(platforms)
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        document = generate()
        if first:
            describe(document, dev=dev, platforms=accepted)
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def describe(document: dict[str, Any], *, dev: bool, platforms: list[str]) -> None:
    paths = document["paths"]
    # The wire model only knows the pattern of a platform name; this server takes these
    # (GODMODE_PLATFORMS), and answers 422 for any other.
    body = paths[INGEST[1]][INGEST[0]]["requestBody"]["content"]["application/json"]["schema"]
    body["properties"]["platform"]["enum"] = platforms
    for method, path in (LATEST, HISTORY):
        for parameter in paths[path][method]["parameters"]:
            if parameter["name"] == "platform":
                parameter["schema"]["enum"] = platforms
    document.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    for (method, path), scheme in SECURITY.items():
        requirement: list[dict[str, list[str]]] = [{scheme: []}]
        if dev and (method, path) in OPEN_IN_DEV:
            requirement.append({})  # anonymous, too
        paths[path][method]["security"] = requirement
    for (method, path), links in LINKS.items():
        answer = paths[path][method]["responses"]["200"]
        answer["links"] = {
            name: {
                "operationId": paths[target[1]][target[0]]["operationId"],
                "parameters": parameters,
                "description": description,
            }
            for name, (target, parameters, description) in links.items()
        }
