"""``history?from=&to=&points=N``: at most N samples over any range, no spike or drop lost
(godmode_server/reports/downsample.py), pure and through a real server."""

from __future__ import annotations

import itertools
import time

import httpx
from hypothesis import given
from hypothesis import strategies as st

from godmode_server.reports.downsample import Series, downsample
from tests.helpers.bodies import sample_json
from tests.helpers.servers import ServerProcess
from tests.helpers.waiting import wait_until

rows = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.integers(0, 10**6),
        st.integers(0, 1000),
        st.integers(0, 10_000),
    ),
    max_size=600,
).map(sorted)


@given(rows, st.integers(10, 200))
def test_at_most_n_samples_in_order_keeping_every_extreme(
    history: list[tuple[int, int, int, int]], limit: int
) -> None:
    series = Series(history)
    kept = series.rows(downsample(series, 0, 10_000, limit))
    assert len(kept) <= limit
    assert kept == sorted(kept)
    assert set(kept) <= set(history)
    if history:
        for counter in (1, 2, 3):
            assert max(r[counter] for r in kept) == max(r[counter] for r in history)
            assert min(r[counter] for r in kept) == min(r[counter] for r in history)


def test_a_short_history_is_returned_whole_and_repeats_once() -> None:
    series = Series([(1, 5, 1, 3), (1, 5, 1, 3), (2, 6, 1, 3)])
    assert series.rows(downsample(series, 0, 10, 10)) == [(1, 5, 1, 3), (2, 6, 1, 3)]


def test_a_spike_and_a_reset_survive_a_long_range_on_a_real_server(
    dev_server: ServerProcess, room: str
) -> None:
    t0 = int(time.time()) - 3000
    with httpx.Client(base_url=dev_server.url) as http:
        for n in range(1000):
            tokens = 0 if n >= 700 else n * 10  # a new broadcast at n = 700
            viewers = 5000 if n == 333 else 100  # one spike
            body = sample_json(room, tokens_count=tokens, viewers_count=viewers, timestamp=t0 + n)
            assert http.post("/api/tracking/telemetry", json=body).status_code == 200
        url = f"/api/tracking/telemetry/{room}/chaturbate/history"
        span = {"from": t0, "to": t0 + 999}

        def archived() -> bool:
            answer = http.get(url, params={**span, "limit": 10_000})
            return answer.status_code == 200 and len(answer.json()["samples"]) == 1000

        wait_until(archived, what="the archive")
        answer = http.get(url, params={**span, "points": 40})
        assert answer.status_code == 200, answer.text
        samples = answer.json()["samples"]
        assert 10 <= len(samples) <= 40
        assert {"timestamp": t0 + 333, "viewers_count": 5000}.items() <= next(
            s for s in samples if s["viewers_count"] == 5000
        ).items()
        drop = [
            (a["tokens_count"], b["tokens_count"])
            for a, b in itertools.pairwise(samples)
            if b["tokens_count"] < a["tokens_count"]
        ]
        assert drop == [(6990, 0)], "the reset is still a drop from the broadcast's last value"

        refused = http.get(url, params={"points": 40})
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "points"
