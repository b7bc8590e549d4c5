"""The simulators post like a well-behaved collector (godmode_server/simulation/posting.py):
against a production server's rate limit they wait as told and lose nothing, they say how far
they are, and a sample the server can never take stops a week's simulation with the reason."""

from __future__ import annotations

import itertools
import re
import time
from zoneinfo import ZoneInfo

import pytest

from godmode_server.simulation.posting import Progress
from godmode_server.simulation.week import StudioWeek, post, week_with_dst_change
from tests.helpers.servers import ServerFactory

MADRID = ZoneInfo("Europe/Madrid")
#: A production limit low enough that a burst of the simulators' posts meets it at once.
LOW_LIMIT = {"GODMODE_RATE_LIMITS": "true", "GODMODE_INGEST_RATE_PER_KEY": "15/second"}


async def test_a_week_s_posts_meet_the_rate_limit_wait_as_told_and_lose_nothing(
    make_server: ServerFactory,
) -> None:
    server = make_server(dev=False, GODMODE_HISTORY_DAYS="400", **LOW_LIMIT)
    key = server.cli("key", "create", "sim").stdout.strip()
    start, end = week_with_dst_change(MADRID, int(time.time()))
    deliveries = StudioWeek(start=start, end=end, rooms=1, seed=3).deliveries()[:60]
    said: list[str] = []

    posted = await post([server.url], deliveries, api_key=key, say=said.append)

    assert posted == 60
    assert said[-1] == "posted 60 of 60 samples (100 %)"
    assert len(said) == 10, said
    assert '"POST /api/tracking/telemetry HTTP/1.1" 429' in server.log(), "the limit was met"


def test_a_backfill_against_the_rate_limit_is_posted_whole_with_progress(
    make_server: ServerFactory,
) -> None:
    server = make_server(dev=False, **LOW_LIMIT)
    key = server.cli("key", "create", "sim").stdout.strip()
    result = server.cli(
        "simulate",
        *("--server", server.url, "--rooms", "4", "--duration", "0", "--backfill", "10"),
        *("--seed", "1", "--quiet", "--api-key", key),
    )
    assert result.returncode == 0, result.stderr
    assert "refused" not in result.stderr, result.stderr
    assert '"POST /api/tracking/telemetry HTTP/1.1" 429' in server.log(), "the limit was met"
    total = re.search(r"(\d+) past samples accepted", result.stderr)
    assert total is not None, result.stderr
    assert f"posted {total.group(1)} of {total.group(1)} past samples (100 %)" in result.stderr


def test_a_week_older_than_the_server_keeps_is_refused_with_the_reason(
    make_server: ServerFactory,
) -> None:
    server = make_server(GODMODE_HISTORY_DAYS="3")
    result = server.cli("simulate-week", "--server", server.url, "--rooms", "1")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "the server refused a sample" in result.stderr
    assert "older than the 3 days this server keeps" in result.stderr


def test_simulate_week_posts_a_week_the_server_keeps() -> None:
    now = int(time.time())
    start, _ = week_with_dst_change(MADRID, now, kept_days=30)
    assert start > now - 30 * 86400
    everything, _ = week_with_dst_change(MADRID, now)  # the latest change, however old
    assert everything <= start


def test_progress_is_told_at_each_tenth_and_at_the_end() -> None:
    said: list[str] = []
    progress = Progress(25, said.append)
    for _ in range(25):
        progress.add()
    assert len(said) == 10
    assert said[0] == "posted 3 of 25 samples (12 %)"
    assert said[-1] == "posted 25 of 25 samples (100 %)"


def test_a_week_s_sample_period_is_chosen_and_kept_under_the_online_gap() -> None:
    start, end = week_with_dst_change(MADRID, int(time.time()))
    sparse = StudioWeek(start=start, end=end, rooms=2, seed=5, sample_every=(120,))
    dense = StudioWeek(start=start, end=end, rooms=2, seed=5)
    for truth in sparse.rooms.values():
        steps = [b.timestamp - a.timestamp for a, b in itertools.pairwise(truth.samples)]
        assert 117 <= sorted(steps)[len(steps) // 2] <= 123, "the median step is the period"
    assert len(sparse.deliveries()) * 2 < len(dense.deliveries())
    for bad in ((), (300,), (3,)):
        with pytest.raises(ValueError, match="online gap"):
            StudioWeek(start=start, end=end, sample_every=bad)
