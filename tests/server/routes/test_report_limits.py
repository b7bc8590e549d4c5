"""A report's size is known before any work (issue: a ``to`` in the year 9998 built 2.9 M daily
periods on the event loop, stalling every feed for 21 s, and years past 9998 answered 500):
the arithmetic bound is a true lower bound of what would be built, and no query value of
``/api/reports/earnings`` answers a 5xx.  Against a real server on a loopback port."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from godmode_common.protocol import MAX_COUNTER
from godmode_server.reports.earnings import periods_for
from godmode_server.routes.reports import LAST_REPORT_TIME, MAX_PERIODS, periods_at_least
from tests.helpers.servers import ServerProcess

ZONES = [
    ZoneInfo(name) for name in ("UTC", "Europe/Madrid", "America/Bogota", "Australia/Lord_Howe")
]
#: Sets of shift starts, among them ones a change of clocks can merge (02:00 and 02:30).
SHIFTS = [
    (dt.time(6), dt.time(14), dt.time(22)),
    (dt.time(2), dt.time(2, 30), dt.time(3)),
    (dt.time(0),),
    tuple(dt.time(h) for h in range(0, 24, 2)),
]
NOW = int(time.time())


@settings(max_examples=300, deadline=None)
@given(
    group=st.sampled_from(["day", "shift", "total"]),
    start=st.integers(NOW - 3 * 365 * 86400, NOW),
    length=st.integers(60, 400 * 86400),
    zone=st.sampled_from(ZONES),
    shifts=st.sampled_from(SHIFTS),
)
def test_the_arithmetic_bound_never_exceeds_the_periods_built(
    group: str, start: int, length: int, zone: ZoneInfo, shifts: tuple[dt.time, ...]
) -> None:
    bound = periods_at_least(group, start, start + length, shifts)  # type: ignore[arg-type]
    built = periods_for(group, start, start + length, zone, shifts)  # type: ignore[arg-type]
    assert bound <= len(built)


def _earnings(
    server: ServerProcess, token: str, start: str | int, end: str | int, group: str
) -> httpx.Response:
    return httpx.get(
        server.url + "/api/reports/earnings",
        params={"from": start, "to": end, "group": group},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


@pytest.mark.parametrize("group", ["day", "shift"])
def test_a_range_to_the_year_9998_is_refused_from_arithmetic(
    dev_server: ServerProcess, demo_token: str, group: str
) -> None:
    start = NOW - NOW % 86400 - 86400
    end = int(dt.datetime(9998, 6, 1, tzinfo=dt.UTC).timestamp())

    answer = _earnings(dev_server, demo_token, start, end, group)

    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["errors"]
    assert (problem["field"], problem["type"]) == ("to", "too_many_periods")
    assert "at least" in problem["message"], "refused from arithmetic, before building them"
    assert str(MAX_PERIODS) in problem["message"]


@pytest.mark.parametrize(
    "end",
    [
        LAST_REPORT_TIME + 60,
        int(dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC).timestamp()),
        253402300800,  # 10000-01-01
        MAX_COUNTER - MAX_COUNTER % 60,
    ],
)
@pytest.mark.parametrize("group", ["day", "shift", "total"])
def test_a_date_past_what_dates_can_hold_is_a_422_naming_to(
    dev_server: ServerProcess, demo_token: str, end: int, group: str
) -> None:
    start = NOW - NOW % 60 - 3600

    answer = _earnings(dev_server, demo_token, start, end, group)

    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["errors"]
    assert (problem["field"], problem["type"]) == ("to", "after_last_date")
    assert str(LAST_REPORT_TIME) in problem["message"]


_VALUES = st.one_of(
    st.integers(-(2**64), 2**64),
    st.integers(0, MAX_COUNTER).map(lambda n: n - n % 60),
    st.integers(NOW - 400 * 86400, NOW + 400 * 86400).map(lambda n: n - n % 60),
    st.text(max_size=12),
    st.sampled_from(["", "1e9", "NaN", "-0", "0x10", "9" * 40, " 60", "60.0"]),
)


@settings(
    max_examples=250,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    start=_VALUES,
    end=_VALUES,
    group=st.one_of(st.sampled_from(["day", "shift", "total"]), st.text(max_size=8)),
)
def test_no_query_value_answers_a_5xx(
    dev_server: ServerProcess, demo_token: str, start: str | int, end: str | int, group: str
) -> None:
    answer = _earnings(dev_server, demo_token, start, end, group)

    assert answer.status_code in (200, 422), (start, end, group, answer.text)
