"""The simulated studio: valid samples, reproducible, lifelike, and posted like a collector."""

from __future__ import annotations

import subprocess
import sys

import httpx

from godmode_common.protocol import TelemetrySample
from godmode_common.rooms import RoomKey
from godmode_server.simulation.studio import BIG_TIP, Studio
from tests.helpers.servers import ServerProcess


def _run(studio: Studio, seconds: float) -> list[TelemetrySample]:
    start = 1_795_000_000.0
    count = int(seconds * studio.rate)
    return [studio.next_sample(start + n / studio.rate) for n in range(count)]


def test_samples_are_valid_wire_samples_and_reproducible() -> None:
    first = _run(Studio(24, rate=10, seed=42), 60)
    again = _run(Studio(24, rate=10, seed=42), 60)
    other = _run(Studio(24, rate=10, seed=43), 60)

    assert first == again
    assert first != other
    for sample in first:
        assert TelemetrySample.model_validate_json(sample.model_dump_json()) == sample
    assert {s.platform for s in first} == {"chaturbate", "stripchat", "camsoda"}
    assert len({s.key for s in first}) == 24


def test_a_big_tip_comes_about_once_a_minute_at_any_rate() -> None:
    for rate in (2.0, 10.0):
        samples = _run(Studio(30, rate=rate, seed=7), 100 * 60)
        previous: dict[tuple[str, str], int] = {}
        big = 0
        for s in samples:
            if s.key in previous and s.tokens_count - previous[s.key] >= BIG_TIP:
                big += 1
            previous[s.key] = s.tokens_count
        assert 50 <= big <= 170, f"{big} big tips in 100 minutes at {rate}/s"


def test_rooms_go_off_line_and_come_back_with_a_new_broadcast() -> None:
    samples = _run(Studio(12, rate=10, seed=5), 60 * 60)
    previous: dict[tuple[str, str], int] = {}
    resets = 0
    for s in samples:
        if s.key in previous and s.tokens_count < previous[s.key]:
            resets += 1
        previous[s.key] = s.tokens_count
    assert resets >= 1, "a returning room starts again from zero"


def test_backfill_ends_where_the_rooms_are() -> None:
    studio = Studio(12, rate=10, seed=1)
    history = studio.backfill(now=1_795_000_000, minutes=10, step=30)

    assert [s.timestamp for s in history] == sorted(s.timestamp for s in history)
    assert all(s.timestamp < 1_795_000_000 for s in history)
    assert len(history) == 12 * 20
    newest = {s.key: s for s in history}
    for room in studio.rooms:
        last = newest[RoomKey(room.room_id, room.platform)]
        assert last.tokens_count <= room.tokens


def test_simulate_posts_to_a_real_server(dev_server: ServerProcess) -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "godmode_server", "simulate", "--server", dev_server.url),
            *("--rooms", "12", "--rate", "20", "--seed", "9", "--duration", "1", "--quiet"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    accepted = int(result.stderr.strip().splitlines()[-1].split()[0])
    assert accepted >= 10
    rooms = httpx.get(dev_server.url + "/api/tracking/telemetry").json()["rooms"]
    simulated = {r["room_id"] for r in rooms} & {s.room_id for s in Studio(12, seed=9).rooms}
    assert len(simulated) >= 10
