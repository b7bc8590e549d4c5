"""The rooms grid's columns, each defined once: what it shows, and what makes it change.

The model reads cells from these definitions and the repaint scheduler derives from them which
cells a change repaints, so a new column is one more :class:`ColumnSpec` — it is sorted,
formatted and repainted like the others without touching either.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from godmode_desktop.i18n import tr


class Follows(enum.Enum):
    """What changes a column's value, and so when its cells are repainted."""

    IDENTITY = "identity"  #: nothing: the row's identity (room, platform)
    SAMPLE = "sample"  #: a new sample of the room
    CLOCK = "clock"  #: the passing of time (an age)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    #: The header, translated when asked (the language may change while the app runs).
    title: Callable[[], str]
    #: The attribute of :class:`~godmode_desktop.board.Room` shown.
    field: str
    follows: Follows
    #: Right-aligned, locale-formatted, sorted as a number.
    numeric: bool = False
    #: The attribute of :class:`~godmode_desktop.board.RoomChange` whose sign flashes the cell
    #: green or red (a counter going up or down).
    flash_on: str | None = None
    #: What the header's tooltip says of the column (its window, where it comes from).
    tooltip: Callable[[], str] | None = None


class Column(enum.IntEnum):
    """Positions of :data:`DEFAULT_COLUMNS`."""

    ROOM = 0
    PLATFORM = 1
    TOKENS = 2
    TIPS = 3
    VIEWERS = 4
    TOKENS_PER_HOUR = 5
    UPDATED = 6


DEFAULT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(lambda: tr("Room"), "room_id", Follows.IDENTITY),
    ColumnSpec(lambda: tr("Platform"), "platform", Follows.IDENTITY),
    ColumnSpec(lambda: tr("Tokens"), "tokens", Follows.SAMPLE, True, "tokens_delta"),
    ColumnSpec(lambda: tr("Tips"), "tips", Follows.SAMPLE, True, "tips_delta"),
    ColumnSpec(lambda: tr("Viewers"), "viewers", Follows.SAMPLE, True, "viewers_delta"),
    ColumnSpec(
        lambda: tr("Tokens/hour"),
        "tokens_per_hour",
        Follows.SAMPLE,
        True,
        tooltip=lambda: tr(
            "Tokens earned in the last 60 whole minutes, counted as the reports count them "
            "(refreshed every minute). Without the reports: the rate over the room's samples "
            "of the last hour, from the server's history, once they span 10 minutes. — : no "
            "samples of the room in that hour."
        ),
    ),
    ColumnSpec(lambda: tr("Last update"), "timestamp", Follows.CLOCK),
)


def span(columns: Sequence[int]) -> tuple[int, int] | None:
    """The first and last of ``columns``: one ``dataChanged`` range covering them all."""
    return (min(columns), max(columns)) if columns else None


@dataclass(frozen=True, slots=True)
class ColumnLayout:
    """Facts derived from a sequence of columns, computed once."""

    specs: tuple[ColumnSpec, ...]
    #: Columns a new sample changes.
    sample_columns: tuple[int, ...]
    #: Columns that flash, with the change attribute that lights each.
    flashing: tuple[tuple[int, str], ...]
    #: Columns the clock changes.
    clock_columns: tuple[int, ...]

    @classmethod
    def of(cls, specs: Sequence[ColumnSpec]) -> ColumnLayout:
        indexed = list(enumerate(specs))
        return cls(
            specs=tuple(specs),
            sample_columns=tuple(i for i, c in indexed if c.follows is Follows.SAMPLE),
            flashing=tuple((i, c.flash_on) for i, c in indexed if c.flash_on is not None),
            clock_columns=tuple(i for i, c in indexed if c.follows is Follows.CLOCK),
        )

    def __len__(self) -> int:
        return len(self.specs)
