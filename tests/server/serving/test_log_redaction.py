"""No credential sent in a query string reaches the server's log (godmode_server/serving/log_redaction.py)."""

from __future__ import annotations

import httpx
import pytest

from godmode_server.serving.log_redaction import redact_query
from tests.helpers.dashboards import next_event, ws_connect
from tests.helpers.servers import ServerFactory
from tests.helpers.waiting import wait_until


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        ("GET /api/x?access_token=abc.def HTTP/1.1", "GET /api/x?access_token=*** HTTP/1.1"),
        ("/ws/dashboard?since=5&epoch=e1&token=t0k", "/ws/dashboard?since=5&epoch=e1&token=***"),
        ("/history?limit=10&from=1&to=2", "/history?limit=10&from=1&to=2"),
        ("/x?key=a&key=b&flag", "/x?key=***&key=***&flag"),
        ("no query here", "no query here"),
    ],
)
def test_values_of_unknown_parameters_are_blanked(line: str, logged: str) -> None:
    assert redact_query(line) == logged


async def test_query_tokens_never_reach_the_log(
    make_server: ServerFactory, http: httpx.AsyncClient
) -> None:
    server = make_server()
    token = server.login()
    secret = "s3cr3t-in-the-query"
    answer = await http.get(
        server.url + "/api/tracking/telemetry",
        params={"access_token": secret, "since": "0", "epoch": "e"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200
    async with ws_connect(server, token, jwt=secret, since=0, epoch="e") as ws:
        await next_event(ws, "SNAPSHOT")

    wait_until(lambda: '"WebSocket /ws/dashboard?' in server.log(), 5, "the WebSocket's log line")
    log = server.log()
    assert secret not in log
    assert token not in log
    assert "/api/tracking/telemetry?access_token=***&since=0&epoch=e" in log
