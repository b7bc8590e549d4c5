"""Schemathesis against the server's own OpenAPI document, on a real server.

Stateless: every documented operation, with inputs generated from its schema (valid and not).
Stateful: sequences that follow the document's links (godmode_server/openapi.py) — a login's
token into the refresh and the reads, a bulk answer's seq into "changed since", a posted
sample's room into its latest value and history — with schemathesis' response checks on
every step. Zero 5xx anywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig

from tests.helpers.servers import ServerFactory, ServerProcess

EXAMPLES_PER_OPERATION = 40
SCENARIOS = 25
STEPS = 6

LOGIN = "POST /api/auth/login"
REFRESH = "POST /api/auth/refresh"
INGEST = "POST /api/tracking/telemetry"
BULK = "GET /api/tracking/telemetry"
LATEST = "GET /api/tracking/telemetry/{room_id}/{platform}"
HISTORY = "GET /api/tracking/telemetry/{room_id}/{platform}/history"

#: Schemathesis' own checks, all on but one: "schema-valid data must be accepted". The API is
#: deliberately stricter than JSON Schema can say: 5.0 is a valid JSON Schema integer, but
#: counters and timestamps that are floats are refused (as the original system's u64 fields
#: were; docs/PROTOCOL.md), as are a timestamp more than 300 s ahead or older than the archive
#: keeps, and a history range with from > to. Those are 422s with a reason, and have tests of their own.
CONFIG = {"checks": {"positive_data_acceptance": {"enabled": False}}}


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
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 8, "the document lists the API"
    seen: dict[str, set[int]] = {}

    for operation in operations:
        _fuzz(operation, dev_server.url, seen)()

    assert set(seen) == {operation.label for operation in operations}


def _run_statefully(schema: Any, base_url: str) -> Counter[tuple[str, int]]:
    """Run schemathesis' state machine for ``schema``; every step's response goes through its
    checks (a 5xx among them). Returns how often each operation answered each status."""
    calls: Counter[tuple[str, int]] = Counter()

    class Scenario(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: schemathesis.Case) -> None:
            if case.operation.label == LOGIN:
                # Random names never log in; the dev user does, and opens the token links.
                case.body = {"username": "demo", "password": "demo"}

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"base_url": base_url, "timeout": 30}

        def after_call(self, response: Any, case: schemathesis.Case) -> None:
            calls[(case.operation.label, response.status_code)] += 1

    Scenario.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            # The same draws every run. The answers still differ between runs (tokens, the
            # port, timing), and they steer the state machine: derandomizing alone did not keep
            # a clean clone from a run that never followed login -> refresh.
            derandomize=True,
        )
    )
    return calls


def test_login_links_lead_to_the_refresh_and_the_reads(dev_server: ServerProcess) -> None:
    schema = schemathesis.openapi.from_url(
        dev_server.url + "/openapi.json", config=SchemathesisConfig.from_dict(CONFIG)
    )
    # Only the operations the links join: with the whole document, most steps went to
    # operations no link leads to (59 of them to the admin API in one CI run), and a run could
    # end with no refresh at all.
    linked = schema.include(path_regex="^/api/auth/(login|refresh)$").include(
        method="GET", path="/api/tracking/telemetry"
    )
    calls = _run_statefully(linked, dev_server.url)

    assert calls[(LOGIN, 200)], calls
    # A refresh succeeds only with a token, which only the login link supplies.
    assert calls[(REFRESH, 200)], calls
    assert calls[(BULK, 200)], calls


def test_a_posted_sample_can_be_read_back_through_the_links(make_server: ServerFactory) -> None:
    """Ingest, then the room it names. Schemathesis takes the body's ``room_id`` for a
    reference to something else, so the ingest side runs as its own document: there it is the
    entry point. Valid samples only — random ones are nearly all 422, and end the chain.  The
    server keeps a century of history: a schema-valid timestamp is any past second, and one
    older than the archive keeps is refused (it has a test of its own)."""
    server = make_server(GODMODE_HISTORY_DAYS="36500")
    config = SchemathesisConfig.from_dict({**CONFIG, "generation": {"mode": "positive"}})
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json", config=config)
    ingest = schema.include(path_regex="^/api/tracking/telemetry/").include(
        method="POST", path="/api/tracking/telemetry"
    )
    calls = _run_statefully(ingest, server.url)

    assert calls[(INGEST, 200)], calls
    # A random room of a random platform is all but never live: a 200 here is a followed link.
    assert calls[(LATEST, 200)], calls
    assert calls[(HISTORY, 200)], calls
