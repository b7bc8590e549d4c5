"""Reconnect delays, shared by the desktop feed and the server's Redis reconnects."""

from __future__ import annotations

import backoff


class Backoff:
    """Delays between reconnects: 0 for the first, then exponential with full jitter.

    Full jitter spreads the reconnects of many clients (or nodes) that lost the same server at
    the same moment, instead of having them all knock again in step.
    """

    def __init__(self, base: float, cap: float) -> None:
        self._base, self._cap = base, cap
        self.reset()

    def reset(self) -> None:
        self._delays = backoff.expo(base=2, factor=self._base, max_value=self._cap)
        next(self._delays)  # the generator starts with a priming step
        self._immediate = True

    def next_delay(self) -> float:
        if self._immediate:
            self._immediate = False
            return 0.0
        return backoff.full_jitter(next(self._delays))
