"""Protocol objects for desktop tests, with defaults for everything a test does not care about."""

from __future__ import annotations

from godmode_desktop.net.protocol import Snapshot, TelemetryData, TelemetrySample, TelemetryUpdate


def sample(
    room: str,
    tokens: int,
    ts: int,
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


def update(
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
