"""The session's alerts, newest last, with how many are unread — Qt-free (the panel's model
reads it).  Bounded: past :data:`MAX_ENTRIES` the oldest are forgotten."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .alerts import Alert

MAX_ENTRIES = 5000


@dataclass(frozen=True, slots=True)
class LoggedAlert:
    at: float  #: Unix seconds, when it was raised
    alert: Alert
    #: Raised while alerts were muted (or its room was): listed, never shown.
    silenced: bool = False


class AlertLog:
    def __init__(self, limit: int = MAX_ENTRIES) -> None:
        self.entries: deque[LoggedAlert] = deque(maxlen=limit)
        self._unread = 0

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def unread(self) -> int:
        return self._unread

    def add(self, entry: LoggedAlert) -> bool:
        """Keep ``entry``; whether the oldest was forgotten to make room."""
        full = len(self.entries) == self.entries.maxlen
        self.entries.append(entry)
        self._unread = min(self._unread + 1, len(self.entries))
        return full

    def mark_read(self) -> None:
        self._unread = 0

    def clear(self) -> None:
        """Forget every alert (the session they belong to ended)."""
        self.entries.clear()
        self._unread = 0
