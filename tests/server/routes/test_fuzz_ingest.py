"""Hostile and malformed ingest bodies against a real server: a clear 4xx, never a 5xx, and a
200 only for a sample the model accepts (which then is what the server stores)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from godmode_common.protocol import TelemetrySample
from tests.helpers.servers import ServerProcess
from tests.helpers.strategies import json_values, near_valid

bodies = near_valid.map(json.dumps) | json_values.map(json.dumps) | st.binary(max_size=200)


@pytest.fixture(scope="module")
def http(dev_server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=dev_server.url) as client:
        yield client


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies)
def test_ingest_answers_4xx_or_200_and_never_5xx(http: httpx.Client, body: str | bytes) -> None:
    raw = body.encode() if isinstance(body, str) else body
    answer = http.post(
        "/api/tracking/telemetry", content=raw, headers={"Content-Type": "application/json"}
    )

    assert answer.status_code < 500, answer.text
    try:
        valid = TelemetrySample.model_validate_json(raw)
    except ValidationError:
        valid = None
    if answer.status_code == 200:
        assert valid is not None
    else:
        assert answer.json()["status"] == "error"
        assert answer.json()["message"]
