"""Warnings that a server can trigger, at most one per kind every so often.

A server that sends nothing but garbage must not fill the user's disk through the app's log:
each kind of warning is written at most once per ``interval`` seconds, followed (when it comes
again) by how many were left out meanwhile.
"""

from __future__ import annotations

import logging
import time


class ThrottledLog:
    def __init__(self, logger: logging.Logger, interval: float = 60.0) -> None:
        self._logger = logger
        self._interval = interval
        #: kind → (when it was last written, how many were left out since)
        self._seen: dict[str, tuple[float, int]] = {}

    def warning(self, kind: str, message: str, *args: object) -> bool:
        """Log ``message % args`` unless ``kind`` was logged within the interval; whether it was."""
        now = time.monotonic()
        last, skipped = self._seen.get(kind, (float("-inf"), 0))
        if now - last < self._interval:
            self._seen[kind] = (last, skipped + 1)
            return False
        if skipped:
            message += " (%d more like it not logged)"
            args = (*args, skipped)
        self._seen[kind] = (now, 0)
        self._logger.warning(message, *args)
        return True
