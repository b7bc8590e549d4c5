"""The server's time as the app knows it (godmode_desktop/net/server_clock.py): ages are counted on
it, whatever this computer's clock says."""

from __future__ import annotations

from godmode_desktop.net.server_clock import KEPT, ServerClock
from tests.helpers.clock import Clock


def test_a_computer_clock_minutes_off_still_ages_samples_on_the_server_s_clock() -> None:
    local = Clock(now=10_000.0)  # this PC reads 10,000 while the server reads 10,300
    clock = ServerClock(local)
    assert clock.age(10_150) == 0.0, "before the server is heard: this clock, never negative"

    clock.observe(10_300)
    assert 10_300 <= clock.now() <= 10_301
    assert 150 <= clock.age(10_150) <= 151
    local.now += 60
    assert 210 <= clock.age(10_150) <= 211


def test_time_in_transit_does_not_make_the_server_seem_behind() -> None:
    """A heartbeat that took two seconds to arrive says less than the server's time; the
    estimate keeps the best of the latest few."""
    local = Clock(now=1_000.0)
    clock = ServerClock(local)
    clock.observe(1_000)
    local.now += 5
    clock.observe(1_003)  # sent at 1,003, received at 1,005 (this clock = the server's)
    assert 1_005 <= clock.now() <= 1_005.5
    for _ in range(KEPT):  # later, the slow answers are all there is: they are believed
        local.now += 5
        clock.observe(int(local.now) - 2)
    assert local.now - 2 <= clock.now() <= local.now - 1
