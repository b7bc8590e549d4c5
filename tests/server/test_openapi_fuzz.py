"""Schemathesis against the server's own OpenAPI document: every documented operation, with
inputs generated from its schema (valid and not), on a real server. Zero 5xx."""

from __future__ import annotations

from collections.abc import Callable

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conftest import ServerProcess

EXAMPLES_PER_OPERATION = 40


def _fuzz(operation: object, base_url: str, seen: dict[str, set[int]]) -> Callable[[], None]:
    """A hypothesis test calling ``operation`` with cases drawn from its schema."""
    label = operation.label  # type: ignore[attr-defined]

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(case=operation.as_strategy())  # type: ignore[attr-defined]
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=base_url, timeout=30)
        seen.setdefault(label, set()).add(response.status_code)
        assert response.status_code < 500, (case.as_curl_command(), response.text)

    return run


def test_no_operation_answers_5xx(dev_server: ServerProcess) -> None:
    schema = schemathesis.openapi.from_url(dev_server.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8, "the document lists the API"
    seen: dict[str, set[int]] = {}

    for operation in operations:
        _fuzz(operation, dev_server.url, seen)()

    assert set(seen) == {operation.label for operation in operations}
