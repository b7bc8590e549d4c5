"""Reconnect delays, shared by the desktop feed and the server's Redis reconnects."""

from __future__ import annotations

import backoff


class Backoff:
    """Delays between reconnects: 0 for the first, then exponential with full jitter.

    Full jitter spreads the reconnects of many clients (or nodes) that lost the same server at
    the same moment, instead of having them all knock again in step.
    """

    def __init__(self, base: float, cap: float, *, jitter: bool = True) -> None:
        self._base, self._cap = base, cap
        #: Without jitter the delays are exactly base, 2 base, 4 base... (for tests that time them).
        self._jitter = jitter
        self.reset()

    def reset(self) -> None:
        self._delays = backoff.expo(base=2, factor=self._base, max_value=self._cap)
        next(self._delays)  # the generator starts with a priming step
        self._immediate = True

    def next_delay(self) -> float:
        if self._immediate:
            self._immediate = False
            return 0.0
        delay = next(self._delays)
        return backoff.full_jitter(delay) if self._jitter else delay
