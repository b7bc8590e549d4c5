"""Operational endpoints of a real server: health, readiness, metrics, OpenAPI."""

from __future__ import annotations

import platform
import re

import httpx
import pytest

from godmode_common import __version__
from tests.helpers.bodies import SAMPLE_FIELDS, sample_json
from tests.helpers.dashboards import next_event, ws_connect
from tests.helpers.databases import PostgresProcess
from tests.helpers.servers import ServerFactory, ServerProcess


def _metric(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    assert match is not None, f"{name} not in /metrics"
    return float(match.group(1))


def test_healthz_and_readyz(make_server: ServerFactory) -> None:
    server = make_server()

    health = httpx.get(server.url + "/healthz")
    ready = httpx.get(server.url + "/readyz")

    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "store": "embedded",
        "checks": {"store": "ok", "database": "ok"},
        "sources": {},
    }


def test_metrics_count_samples_and_dashboards(make_server: ServerFactory) -> None:
    server = make_server()
    post_url = server.url + "/api/tracking/telemetry"
    httpx.post(post_url, json=sample_json("a", tokens_count=1))
    httpx.post(post_url, json=sample_json("a", tokens_count=2))
    httpx.post(post_url, json=sample_json("a", tokens_count=2))  # duplicate
    httpx.post(post_url, json=sample_json("a", tokens_count=-1))  # invalid

    text = httpx.get(server.url + "/metrics").text

    assert _metric(text, "godmode_samples_accepted_total") == 2
    assert _metric(text, 'godmode_samples_ignored_total{reason="duplicate"}') == 1
    assert _metric(text, 'godmode_samples_rejected_total{reason="invalid"}') == 1
    assert _metric(text, "godmode_event_seq") == 2
    assert _metric(text, "godmode_dashboards_connected") == 0
    assert _metric(text, "godmode_dashboards_dropped_slow_total") == 0
    assert _metric(text, "godmode_events_fanned_out_total") == 0


def test_openapi_documents_every_endpoint(make_server: ServerFactory) -> None:
    server = make_server()

    spec = httpx.get(server.url + "/openapi.json").json()

    assert set(spec["paths"]) >= {
        "/api/tracking/telemetry",
        "/api/tracking/telemetry/{room_id}/{platform}",
        "/api/tracking/telemetry/{room_id}/{platform}/history",
        "/api/auth/login",
        "/api/auth/refresh",
        "/healthz",
        "/readyz",
        "/metrics",
    }
    body = spec["paths"]["/api/tracking/telemetry"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert set(schema["required"]) == SAMPLE_FIELDS


def test_readyz_says_unavailable_while_the_database_is_down(
    make_server: ServerFactory, own_postgres: PostgresProcess, room: str
) -> None:
    server = make_server(GODMODE_DATABASE_URL=own_postgres.new_database())
    assert httpx.get(server.url + "/readyz").json()["checks"]["database"] == "ok"

    own_postgres.stop()
    ready = httpx.get(server.url + "/readyz")
    accepted = httpx.post(server.url + "/api/tracking/telemetry", json=sample_json(room))

    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    assert ready.json()["checks"]["database"].startswith("error: ")
    assert accepted.status_code == 200, "the live path does not need the database (dev mode)"


def test_metrics_describe_the_process_and_the_build(dev_server: ServerProcess) -> None:
    text = httpx.get(dev_server.url + "/metrics").text
    assert (
        f'godmode_build_info{{python="{platform.python_version()}",version="{__version__}"}} 1.0'
        in text
    )
    for name in ("process_resident_memory_bytes", "process_open_fds", "process_cpu_seconds_total"):
        assert any(line.startswith(name + " ") for line in text.splitlines()), name


def test_the_interactive_api_pages_are_off_in_production(make_server: ServerFactory) -> None:
    production = make_server(dev=False)
    assert httpx.get(production.url + "/docs").status_code == 404
    assert httpx.get(production.url + "/redoc").status_code == 404
    assert httpx.get(production.url + "/openapi.json").status_code == 200
    asked = make_server(dev=False, GODMODE_API_DOCS="true")
    assert httpx.get(asked.url + "/docs").status_code == 200


def _histogram(text: str, name: str) -> tuple[float, float, dict[str, float]]:
    """A histogram's count, sum and cumulative buckets (by ``le``) from /metrics."""
    buckets = {
        m.group(1): float(m.group(2))
        for m in re.finditer(rf'^{re.escape(name)}_bucket{{le="([^"]+)"}} (\S+)$', text, re.M)
    }
    return _metric(text, name + "_count"), _metric(text, name + "_sum"), buckets


@pytest.mark.parametrize("store", ["embedded", "redis"])
async def test_metrics_time_each_ingest_and_the_delivery_of_each_event(
    store: str, make_server: ServerFactory, request: pytest.FixtureRequest
) -> None:
    env = {}
    if store == "redis":
        env["GODMODE_REDIS_URL"] = request.getfixturevalue("redis_server").url
    server = make_server(**env)
    post_url = server.url + "/api/tracking/telemetry"
    async with ws_connect(server, server.login()) as ws:
        await next_event(ws, "SNAPSHOT")
        async with httpx.AsyncClient() as client:
            for tokens in (1, 2, 3):
                assert (
                    await client.post(post_url, json=sample_json("lag", tokens_count=tokens))
                ).json()["applied"]
                event = await next_event(ws, "TELEMETRY_UPDATE")
                assert event["data"]["tokens"] == tokens
            await client.post(post_url, json=sample_json("lag", tokens_count=3))  # duplicate
            await client.post(post_url, json=sample_json("lag", tokens_count=-1))  # refused
            text = (await client.get(server.url + "/metrics")).text

    count, total, buckets = _histogram(text, "godmode_ingest_seconds")
    assert count == 5, "every posted sample is timed, whatever its outcome"
    assert 0 < total < 5 * 2.5
    assert buckets["+Inf"] == count
    assert list(buckets.values()) == sorted(buckets.values())
    # One dashboard: each of the three events was written to it once, directly or from its
    # queue, and observed once either way.
    count, total, buckets = _histogram(text, "godmode_delivery_lag_seconds")
    assert count == 3
    assert 0 <= total < 3 * 2.5, "a lag of seconds would mean a wrong clock or a stall"
    assert buckets["+Inf"] == count


def test_no_dashboard_no_delivery_lag(dev_server: ServerProcess, room: str) -> None:
    before = _histogram(httpx.get(dev_server.url + "/metrics").text, "godmode_delivery_lag_seconds")
    httpx.post(dev_server.url + "/api/tracking/telemetry", json=sample_json(room, tokens_count=9))
    after = _histogram(httpx.get(dev_server.url + "/metrics").text, "godmode_delivery_lag_seconds")
    assert after[0] == before[0], "an event nobody was sent has no delivery lag"
