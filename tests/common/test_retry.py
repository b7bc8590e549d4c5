"""The reconnect delays both sides use."""

from __future__ import annotations

import pytest

from godmode_common.retry import Backoff


def test_backoff_is_immediate_then_exponential_with_full_jitter() -> None:
    delays = Backoff(base=0.25, cap=10.0)
    first = delays.next_delay()
    later = [delays.next_delay() for _ in range(12)]
    assert first == 0.0
    ceilings = [min(10.0, 0.25 * 2**n) for n in range(12)]
    assert all(0 <= d <= c for d, c in zip(later, ceilings, strict=True))
    assert max(later[6:]) > 1.0, "grows towards the cap"
    delays.reset()
    assert delays.next_delay() == 0.0


def test_without_jitter_the_delays_double_up_to_the_cap() -> None:
    delays = Backoff(base=0.5, cap=3.0, jitter=False)
    assert [delays.next_delay() for _ in range(6)] == [0.0, 0.5, 1.0, 2.0, 3.0, 3.0]


def test_thousands_of_attempts_stay_at_the_cap() -> None:
    delays = Backoff(base=0.25, cap=10.0, jitter=False)
    for _ in range(5000):
        last = delays.next_delay()
    assert last == 10.0


@pytest.mark.parametrize(("base", "cap"), [(0, 1), (-1, 1), (2, 1)])
def test_nonsense_delays_are_refused(base: float, cap: float) -> None:
    with pytest.raises(ValueError, match="0 < base <= cap"):
        Backoff(base=base, cap=cap)
