"""Flashes of changed numbers: which cells are lit, and how brightly, at a given moment.

There is no animation object per cell: a flash is a start time and a direction, and its colour
is computed from the one clock whenever the cell is painted.  The model's frame timer asks for
repaints while anything is lit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from PySide6.QtGui import QColor

from .style import FLASH_DOWN, FLASH_DURATION_MS, FLASH_UP

#: Opacity of a flash at its start (it fades linearly to nothing).
PEAK_ALPHA = 220

#: What identifies a row (the rooms model uses ``(room_id, platform)``).
RowKey = TypeVar("RowKey", bound=Hashable)


class FlashTracker(Generic[RowKey]):
    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        duration_ms: int = FLASH_DURATION_MS,
    ) -> None:
        self._clock = clock
        self._duration = duration_ms / 1000
        self._flashes: dict[tuple[RowKey, int], tuple[float, bool]] = {}

    def start(self, row_key: RowKey, column: int, rising: bool) -> None:
        """Light a cell; a new change restarts its flash."""
        self._flashes[(row_key, column)] = (self._clock(), rising)

    def color(self, row_key: RowKey, column: int) -> QColor | None:
        """The cell's flash colour now (translucent, over the normal background), or ``None``."""
        entry = self._flashes.get((row_key, column))
        if entry is None:
            return None
        started, rising = entry
        alpha = round(PEAK_ALPHA * min(1 - (self._clock() - started) / self._duration, 1.0))
        if alpha <= 0:  # run its course (an invisible flash is none)
            del self._flashes[(row_key, column)]
            return None
        color = QColor(FLASH_UP if rising else FLASH_DOWN)
        color.setAlpha(alpha)
        return color

    def rising(self, row_key: RowKey, column: int) -> bool | None:
        """Whether the cell's number went up (``True``) or down while its flash lasts; ``None``
        when it is not lit.  Shown as a mark, so a change is not told by colour alone."""
        entry = self._flashes.get((row_key, column))
        if entry is None or self._clock() - entry[0] >= self._duration:
            return None
        return entry[1]

    def lit_rows(self) -> set[RowKey]:
        """Rows with a cell still lit; flashes that have run their course are forgotten."""
        now = self._clock()
        done = [k for k, (started, _) in self._flashes.items() if now - started >= self._duration]
        for key in done:
            del self._flashes[key]
        return {row_key for row_key, _ in self._flashes}

    def forget(self, row_key: RowKey) -> None:
        for key in [k for k in self._flashes if k[0] == row_key]:
            del self._flashes[key]
