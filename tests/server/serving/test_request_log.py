"""Request ids and JSON log lines, read from a real server's output."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.helpers.bodies import sample_json
from tests.helpers.servers import ServerFactory, ServerProcess
from tests.helpers.waiting import wait_until


def _json_lines(server: ServerProcess) -> list[dict[str, Any]]:
    """Every line the server wrote, each of which must be one JSON object."""
    lines = [line for line in server.log().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


def _access_line(server: ServerProcess, request_id: str) -> dict[str, Any] | None:
    return next(
        (
            line
            for line in _json_lines(server)
            if line.get("logger") == "uvicorn.access" and line.get("request_id") == request_id
        ),
        None,
    )


@pytest.fixture
def json_server(make_server: ServerFactory) -> ServerProcess:
    return make_server(GODMODE_LOG_FORMAT="json")


def test_every_line_is_json_and_a_request_is_found_by_its_id(json_server: ServerProcess) -> None:
    answer = httpx.post(
        json_server.url + "/api/tracking/telemetry?token=hunter2",
        json=sample_json("logged"),
        headers={"X-Request-Id": "support-42"},
    )
    assert answer.headers["x-request-id"] == "support-42"

    wait_until(lambda: _access_line(json_server, "support-42"), what="the access line")
    line = _access_line(json_server, "support-42")
    assert line is not None
    assert line["method"] == "POST"
    assert line["path"] == "/api/tracking/telemetry?token=***", "query secrets stay blanked"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert "time" in line
    assert "message" in line
    # The start-up lines are JSON too, and carry no request id.
    started = [x for x in _json_lines(json_server) if "store:" in x["message"]]
    assert started
    assert "request_id" not in started[0]
    assert not any("color_message" in x for x in _json_lines(json_server)), "no terminal codes"


def test_a_request_without_an_id_or_with_a_bad_one_gets_its_own(
    json_server: ServerProcess,
) -> None:
    url = json_server.url + "/healthz"
    plain = httpx.get(url).headers["x-request-id"]
    again = httpx.get(url).headers["x-request-id"]
    for bad in ("has space", "x" * 65, 'quote"d'):
        made = httpx.get(url, headers={"X-Request-Id": bad}).headers["x-request-id"]
        assert made != bad
        assert made.split("-")[0] == plain.split("-")[0]
    assert plain != again, "each request has an id of its own"
    wait_until(lambda: _access_line(json_server, again), what="the access line")


async def test_a_websocket_refusal_is_logged_with_the_connection_id(
    json_server: ServerProcess,
) -> None:
    headers = {"Authorization": "Bearer not-a-token", "X-Request-Id": "ws-7"}
    with pytest.raises(ConnectionClosed):
        async with connect(json_server.ws_url, additional_headers=headers) as ws:
            await ws.recv()

    def refused() -> list[dict[str, Any]]:
        return [x for x in _json_lines(json_server) if x["message"].startswith("dashboard refused")]

    wait_until(refused, what="the refusal's log line")
    assert refused()[0]["request_id"] == "ws-7"


def test_text_logs_stay_as_they_were(make_server: ServerFactory) -> None:
    server = make_server()
    assert httpx.get(server.url + "/healthz").headers["x-request-id"]
    wait_until(lambda: '"GET /healthz HTTP/1.1" 200' in server.log(), what="the access line")
    with pytest.raises(json.JSONDecodeError):
        _json_lines(server)


def test_a_bad_log_format_is_refused(make_server: ServerFactory) -> None:
    with pytest.raises(RuntimeError, match="GODMODE_LOG_FORMAT: Input should be 'text' or 'json'"):
        make_server(GODMODE_LOG_FORMAT="xml")
