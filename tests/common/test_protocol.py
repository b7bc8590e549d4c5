"""The wire models: the original examples parse, bad input is refused, no GUI or server needed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from godmode_common.protocol import (
    Heartbeat,
    Snapshot,
    TelemetrySample,
    TelemetryUpdate,
    parse_dashboard_event,
)

ORIGINAL_POST = (
    '{"room_id": "room_123", "platform": "chaturbate", "tokens_count": 5000,'
    ' "tips_count": 250, "viewers_count": 45, "timestamp": 1699564800}'
)
ORIGINAL_EVENT = (
    '{"event_type": "TELEMETRY_UPDATE", "room_id": "room_123", "data": {"platform": "chaturbate",'
    ' "tokens": 5000, "tips": 250, "viewers": 45, "timestamp": 1699564800}, "timestamp": 1699564800,'
    ' "seq": 7}'
)


def test_the_original_post_body_parses() -> None:
    sample = TelemetrySample.model_validate_json(ORIGINAL_POST)
    assert sample.key == ("room_123", "chaturbate")
    assert sample.model_dump_json().replace(" ", "") == ORIGINAL_POST.replace(" ", "")


def test_the_original_event_parses_with_zero_deltas() -> None:
    event = parse_dashboard_event(ORIGINAL_EVENT)
    assert isinstance(event, TelemetryUpdate)
    assert event.data.tokens_delta == 0
    posted = TelemetrySample.model_validate_json(ORIGINAL_POST)
    data = event.data
    assert (event.room_id, data.platform, data.tokens, data.tips, data.viewers, data.timestamp) == (
        posted.room_id,
        posted.platform,
        posted.tokens_count,
        posted.tips_count,
        posted.viewers_count,
        posted.timestamp,
    )


def test_events_from_a_newer_server_with_more_fields_still_parse() -> None:
    event = parse_dashboard_event(
        '{"event_type": "HEARTBEAT", "seq": 3, "epoch": "e", "timestamp": 1, "load": 0.5}'
    )
    assert event == Heartbeat(seq=3, epoch="e", timestamp=1)


def test_snapshot_round_trips() -> None:
    snapshot = Snapshot(
        seq=2,
        epoch="abc",
        rooms=[TelemetrySample.model_validate_json(ORIGINAL_POST)],
        timestamp=1,
    )
    assert parse_dashboard_event(snapshot.model_dump_json()) == snapshot


@pytest.mark.parametrize(
    "raw",
    [
        '{"event_type": "NOPE", "seq": 1}',
        '{"event_type": "HEARTBEAT"}',
        "not json",
    ],
)
def test_unknown_or_broken_events_raise(raw: str) -> None:
    with pytest.raises(ValidationError):
        parse_dashboard_event(raw)


def test_protocol_imports_without_qt_or_server_packages() -> None:
    code = (
        "import sys, godmode_common.protocol\n"
        "bad = [m for m in ('PySide6', 'qasync', 'fastapi', 'godmode_server', 'godmode_desktop', 'sqlalchemy')"
        " if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
