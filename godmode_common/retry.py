"""Delays between reconnects, shared by the desktop feed and the server's Redis reconnects."""

from __future__ import annotations

import random


class Backoff:
    """Delays between reconnects: 0 for the first, then exponential with full jitter.

    Full jitter (a uniform draw between 0 and the exponential delay) spreads the reconnects of
    many clients (or nodes) that lost the same server at the same moment, instead of having them
    all knock again in step.
    """

    def __init__(self, base: float, cap: float, *, jitter: bool = True) -> None:
        if base <= 0 or cap < base:
            raise ValueError(f"need 0 < base <= cap, got base={base}, cap={cap}")
        self._base, self._cap = base, cap
        #: Without jitter the delays are exactly base, 2 base, 4 base... (for tests that time them).
        self._jitter = jitter
        self.reset()

    def reset(self) -> None:
        self._attempt = -1  # the next delay is the immediate one

    def next_delay(self) -> float:
        self._attempt += 1
        if self._attempt == 0:
            return 0.0
        # min() before the power would overflow: attempts past ~1000 keep returning the cap.
        delay = (
            self._cap
            if self._attempt > 64
            else min(self._cap, self._base * 2 ** (self._attempt - 1))
        )
        return random.uniform(0, delay) if self._jitter else delay
