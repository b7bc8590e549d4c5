"""Collectors' own health reports (godmode_server/collectors/health.py) against a real production
server: the latest per key is kept and shown to administrators and as metrics; a malformed,
oversized or unauthenticated report is refused and nothing is kept."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from godmode_common.protocol import CollectorHealthReport
from godmode_server.collectors.health import CollectorHealthBoard
from godmode_server.metrics import Metrics
from godmode_server.sql.database import Database
from tests.helpers.servers import ServerProcess, admin_studio

HEALTH = "/api/collectors/health"


def _report(**changes: Any) -> dict[str, Any]:
    report: dict[str, Any] = {
        "version": "1.1.0",
        "browser": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0",
        "managed": ["backendUrl", "apiKey"],
        "rooms": [{"platform": "chaturbate", "room_id": "luna", "last_read_at": 1_800_000_000}],
        "selector_misses": [
            {
                "platform": "chaturbate",
                "field": "tokens_count",
                "kind": "missing",
                "count": 3,
                "last_at": 1_800_000_000,
            },
            {
                "platform": "chaturbate",
                "field": "viewers",
                "kind": "malformed",
                "count": 1,
                "last_at": 1_800_000_000,
            },
            {
                "platform": "stripchat",
                "field": "viewers_count",
                "kind": "disagree",
                "count": 2,
                "last_at": 1_800_000_000,
            },
        ],
        "strategies": [
            {
                "platform": "stripchat",
                "field": "viewers_count",
                "strategy": "front/models viewersCount",
                "last_at": 1_800_000_000,
            }
        ],
        "refused_posts": 2,
        "last_refusal": "422: invalid request: platform: unknown platform 'x'",
        "queue_length": 7,
        "dropped": 0,
        "clock_offset": -600,
    }
    report.update(changes)
    return report


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[tuple[ServerProcess, httpx.Client, str]]:
    # Key names in /metrics, as an operator with a private Prometheus allows (the default's
    # pseudonyms: test_metrics_name_no_key_unless_allowed).
    with admin_studio(tmp_path, GODMODE_METRICS_KEY_NAMES="true") as running:
        yield running


@pytest.fixture(scope="module")
def refusing_studio(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ServerProcess, httpx.Client, str]]:
    """One studio for every bad report: each is refused, so none leaves anything behind."""
    with admin_studio(
        tmp_path_factory.mktemp("refusing"), GODMODE_METRICS_KEY_NAMES="true"
    ) as running:
        yield running


def _health_of(admin: httpx.Client, key: str = "pc-7") -> Any:
    [summary] = [k for k in admin.get("/api/admin/keys").json() if k["name"] == key]
    return summary["health"]


def _gauge(server: ServerProcess, name: str, key: str) -> float | None:
    text = httpx.get(server.url + "/metrics").text
    found = re.search(rf'^{name}{{key="{re.escape(key)}"}} (\S+)$', text, re.MULTILINE)
    return float(found.group(1)) if found else None


def test_the_latest_report_is_shown_to_admins_and_as_metrics(
    studio: tuple[ServerProcess, httpx.Client, str],
) -> None:
    server, admin, key = studio
    assert _health_of(admin) is None
    sent = httpx.post(server.url + HEALTH, json=_report(), headers={"X-Api-Key": key})
    assert sent.status_code == 204, sent.text
    health = _health_of(admin)
    assert health["report"] == _report()
    assert abs(health["received_at"] - time.time()) < 30
    # Visible without going to the PC: misses, refusals and the queue, per key.
    assert _gauge(server, "godmode_collector_selector_misses", "pc-7") == 6
    assert _gauge(server, "godmode_collector_refused_posts", "pc-7") == 2
    assert _gauge(server, "godmode_collector_queue_length", "pc-7") == 7
    assert (
        _gauge(server, "godmode_collector_report_timestamp_seconds", "pc-7")
        == health["received_at"]
    )
    # A later report replaces it (a fixed page: no misses).
    fixed = _report(selector_misses=[], refused_posts=0, queue_length=0)
    assert (
        httpx.post(server.url + HEALTH, json=fixed, headers={"X-Api-Key": key}).status_code == 204
    )
    assert _health_of(admin)["report"] == fixed
    assert _gauge(server, "godmode_collector_selector_misses", "pc-7") == 0


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (_report(version="1.1.0-beta"), 422, "version"),
        (_report(surprise=1), 422, "surprise"),
        (
            _report(selector_misses=[{**_report()["selector_misses"][0], "kind": "gone"}]),
            422,
            "kind",
        ),
        (_report(selector_misses=[{**_report()["selector_misses"][0], "count": 0}]), 422, "count"),
        (
            _report(rooms=[{"platform": "chaturbate", "room_id": "bad room", "last_read_at": 1}]),
            422,
            "room_id",
        ),
        (
            _report(
                rooms=[
                    {"platform": "chaturbate", "room_id": f"r{i}", "last_read_at": 1}
                    for i in range(51)
                ]
            ),
            422,
            "rooms",
        ),
        (_report(refused_posts=-1), 422, "refused_posts"),
        (_report(queue_length="7"), 422, "queue_length"),
        (_report(last_refusal="x" * 301), 422, "last_refusal"),
        (_report(browser="x" * 20_000), 413, None),
    ],
)
def test_a_bad_report_is_refused_whole_and_nothing_is_kept(
    refusing_studio: tuple[ServerProcess, httpx.Client, str],
    body: dict[str, Any],
    status: int,
    field: str | None,
) -> None:
    server, admin, key = refusing_studio
    answer = httpx.post(server.url + HEALTH, json=body, headers={"X-Api-Key": key})
    assert answer.status_code == status, answer.text
    if field is not None:
        assert any(field in item["field"] for item in answer.json()["errors"]), answer.json()
    assert _health_of(admin) is None
    assert _gauge(server, "godmode_collector_selector_misses", "pc-7") is None


def test_only_a_valid_key_may_report(studio: tuple[ServerProcess, httpx.Client, str]) -> None:
    server, admin, key = studio
    assert httpx.post(server.url + HEALTH, json=_report()).status_code == 401
    assert (
        httpx.post(
            server.url + HEALTH, json=_report(), headers={"X-Api-Key": "gm_" + "x" * 43}
        ).status_code
        == 401
    )
    token = admin.headers["Authorization"]
    assert (
        httpx.post(
            server.url + HEALTH, json=_report(), headers={"Authorization": token}
        ).status_code
        == 403  # a user's token never ingests, nor reports as a collector
    )
    assert (
        httpx.post(
            server.url + HEALTH,
            content="{",
            headers={"X-Api-Key": key, "Content-Type": "application/json"},
        ).status_code
        == 400
    )
    assert _health_of(admin) is None


async def test_every_node_shows_every_keys_report(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'health.db'}")
    await db.start()
    try:
        here, there = Metrics(), Metrics()
        receiving, other = (
            CollectorHealthBoard(db, here, key_names=True),
            CollectorHealthBoard(db, there, key_names=True),
        )
        await receiving.keep("pc-1", CollectorHealthReport.model_validate(_report()))
        assert (
            there.registry.get_sample_value("godmode_collector_queue_length", {"key": "pc-1"})
            is None
        )
        await other.refresh()
        assert (
            there.registry.get_sample_value("godmode_collector_queue_length", {"key": "pc-1"}) == 7
        )
        # An older report arriving late does not replace a newer one.
        await db.save_collector_health("pc-1", 1, json.dumps(_report(queue_length=99)))
        await other.refresh()
        assert (
            there.registry.get_sample_value("godmode_collector_queue_length", {"key": "pc-1"}) == 7
        )
    finally:
        await db.close()


def test_metrics_name_no_key_unless_allowed(tmp_path: Path) -> None:
    """/metrics is public: by default a key is labelled by a pseudonym, which ``key list
    --metrics-ids`` maps back to its name for the operator."""
    server = ServerProcess(tmp_path, dev=False)
    key = server.cli("key", "create", "front-desk-pc").stdout.strip()
    server.start()
    try:
        sent = httpx.post(server.url + HEALTH, json=_report(), headers={"X-Api-Key": key})
        assert sent.status_code == 204, sent.text
        metrics = httpx.get(server.url + "/metrics").text
    finally:
        server.stop()
    listing = server.cli("key", "list", "--metrics-ids").stdout.split()

    assert "front-desk-pc" not in metrics
    assert listing[0] == "front-desk-pc"
    pseudonym = listing[1]
    assert re.fullmatch(r"key-[0-9a-f]{12}", pseudonym), listing
    assert re.search(
        rf'^godmode_collector_selector_misses{{key="{pseudonym}"}} 6', metrics, re.MULTILINE
    )
