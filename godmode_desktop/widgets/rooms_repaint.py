"""Which cells of the rooms grid a frame repaints.

A frame repaints, in as few ``dataChanged`` ranges as possible: the columns a sample changes, on
the rows whose room changed; the age, only on changed rows whose age said more than "0 s ago";
and the flashing columns (background only) on rows still fading, and once more after their
flash ends.  Every range comes from the column definitions (:mod:`.rooms_columns`), so a new
column is repainted when its value can have changed.  Plain Python: the model turns the plan
into Qt signals.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import Qt

from .rooms_columns import ColumnLayout, span

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Repaint:
    """One ``dataChanged``: rows and columns, first to last; ``roles`` empty means all."""

    rows: tuple[int, int]
    columns: tuple[int, int]
    roles: tuple[Qt.ItemDataRole, ...] = ()


def _rows_span(rows: Collection[int]) -> tuple[int, int]:
    return min(rows), max(rows)


class RepaintScheduler(Generic[Key]):
    def __init__(self, layout: ColumnLayout) -> None:
        self._sample_span = span(layout.sample_columns)
        self._flash_span = span([column for column, _ in layout.flashing])
        self._clock_columns = layout.clock_columns
        self._width = len(layout)
        #: Rows lit at the last frame: repainted at the next one too (their flash may have ended).
        self._lit_before: set[Key] = set()
        #: Rows whose age may say more than "0 s ago" (as of the last second): the only ones
        #: whose age cell a new sample changes.
        self.aged: set[Key] = set()

    @property
    def fading(self) -> bool:
        """Rows are still to be repainted as their flashes fade."""
        return bool(self._lit_before)

    def frame(self, changed: set[Key], lit: set[Key], rows: Mapping[Key, int]) -> list[Repaint]:
        """The repaints of one frame: ``changed`` rooms, ``lit`` rooms (flashing now)."""
        # Rows only fading change colour, not values: saying so keeps the sorting proxy from
        # re-sorting them every frame.
        fading = ((self._lit_before | lit) & rows.keys()) - changed
        self._lit_before = lit
        plan: list[Repaint] = []
        if changed:
            if self._sample_span is not None:
                plan.append(Repaint(_rows_span([rows[k] for k in changed]), self._sample_span))
            # The age only where it said more than "0 s ago" (in a busy studio, almost
            # nowhere): fewer cells to paint every frame.
            aged = changed & self.aged
            self.aged -= aged
            for key in aged:
                row = rows[key]
                plan += [Repaint((row, row), (c, c)) for c in self._clock_columns]
        if fading and self._flash_span is not None:
            plan.append(
                Repaint(
                    _rows_span([rows[k] for k in fading]),
                    self._flash_span,
                    (Qt.ItemDataRole.BackgroundRole,),
                )
            )
        return plan

    def clock(self, row_count: int, flipped: Collection[int]) -> list[Repaint]:
        """The repaints of a second passing: every age, and whole rows that went stale or
        fresh (their text style changes)."""
        if not row_count:
            return []
        plan = [Repaint((0, row_count - 1), (c, c)) for c in self._clock_columns]
        if flipped:
            plan.append(Repaint(_rows_span(flipped), (0, self._width - 1)))
        return plan

    def forget(self, key: Key) -> None:
        self._lit_before.discard(key)
        self.aged.discard(key)
