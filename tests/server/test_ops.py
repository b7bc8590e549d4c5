"""Operational endpoints of a real server: health, readiness, metrics, OpenAPI."""

from __future__ import annotations

import platform
import re

import httpx

from godmode_desktop import __version__
from tests.conftest import PostgresProcess, ServerFactory, ServerProcess
from tests.server.conftest import SAMPLE_FIELDS, sample


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
    httpx.post(post_url, json=sample("a", tokens_count=1))
    httpx.post(post_url, json=sample("a", tokens_count=2))
    httpx.post(post_url, json=sample("a", tokens_count=2))  # duplicate
    httpx.post(post_url, json=sample("a", tokens_count=-1))  # invalid

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
    accepted = httpx.post(server.url + "/api/tracking/telemetry", json=sample(room))

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
