"""Wire-model objects (not JSON), with defaults for everything a test does not care about."""

from __future__ import annotations

from godmode_desktop.board import RoomBoard, RoomChange
from godmode_desktop.net.protocol import (
    LiveRoom,
    Snapshot,
    TelemetryData,
    TelemetrySample,
    TelemetryUpdate,
)


def room_sample(
    room: str = "r",
    tokens: int = 10,
    ts: int = 100,
    tips: int = 1,
    viewers: int = 5,
    platform: str = "chaturbate",
) -> TelemetrySample:
    return TelemetrySample(
        room_id=room,
        platform=platform,
        tokens_count=tokens,
        tips_count=tips,
        viewers_count=viewers,
        timestamp=ts,
    )


def live_room(
    room: str,
    tokens: int,
    ts: int,
    *,
    shift: int,
    day: int,
    shift_usd: str | None = None,
    day_usd: str | None = None,
    tips: int = 1,
    viewers: int = 5,
    platform: str = "chaturbate",
) -> LiveRoom:
    """A room as the server sends it with its shift's and day's figures (live earnings)."""
    return LiveRoom(
        room_id=room,
        platform=platform,
        tokens_count=tokens,
        tips_count=tips,
        viewers_count=viewers,
        timestamp=ts,
        shift_tokens=shift,
        shift_tips=0,
        day_tokens=day,
        day_tips=0,
        shift_usd=shift_usd,
        day_usd=day_usd,
    )


def telemetry_update(
    room: str,
    tokens: int,
    ts: int,
    seq: int,
    delta: int,
    viewers: int = 5,
    viewers_delta: int = 0,
    platform: str = "chaturbate",
) -> TelemetryUpdate:
    data = TelemetryData(
        platform=platform,
        tokens=tokens,
        tips=1,
        viewers=viewers,
        timestamp=ts,
        tokens_delta=delta,
        viewers_delta=viewers_delta,
    )
    return TelemetryUpdate(room_id=room, data=data, timestamp=ts, seq=seq)


def snapshot(*rooms: TelemetrySample, seq: int = 1) -> Snapshot:
    return Snapshot(seq=seq, epoch="e", rooms=list(rooms), timestamp=0)


def applied(board: RoomBoard, event: TelemetryUpdate) -> RoomChange:
    """The change ``event`` makes to ``board`` (the test expects one)."""
    change = board.apply_update(event)
    assert change is not None, f"{event} changed nothing"
    return change
