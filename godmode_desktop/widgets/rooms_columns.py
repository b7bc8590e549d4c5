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
    #: The attribute shown instead while the grid shows money (dollars, exact).
    money_field: str | None = None
    #: Left out of the grid until the user shows it (the header's menu).
    hidden: bool = False


class Column(enum.IntEnum):
    """Positions of :data:`DEFAULT_COLUMNS`."""

    ROOM = 0
    PLATFORM = 1
    SHIFT = 2
    DAY = 3
    TOKENS_PER_HOUR = 4
    VIEWERS = 5
    TOKENS = 6
    TIPS = 7
    UPDATED = 8


def _money_note() -> str:
    return tr(
        "With money shown (View → Show money): in US dollars at the payout rates the studio "
        "set, each token at the rate of its day; — where no rate is set for the room."
    )


DEFAULT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(lambda: tr("Room"), "room_id", Follows.IDENTITY),
    ColumnSpec(lambda: tr("Platform"), "platform", Follows.IDENTITY),
    ColumnSpec(
        lambda: tr("This shift"),
        "shift_tokens",
        Follows.SAMPLE,
        True,
        "shift_delta",
        tooltip=lambda: (
            tr(
                "Tokens earned in the studio's current shift, across broadcasts, counted as the "
                "reports count them (resets, gaps, late samples): equal to Reports for this shift."
            )
            + " "
            + _money_note()
        ),
        money_field="shift_usd",
    ),
    ColumnSpec(
        lambda: tr("Today"),
        "day_tokens",
        Follows.SAMPLE,
        True,
        "day_delta",
        tooltip=lambda: (
            tr(
                "Tokens earned in the studio's current day (its time zone), across broadcasts, "
                "counted as the reports count them: equal to Reports for today."
            )
            + " "
            + _money_note()
        ),
        money_field="day_usd",
    ),
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
    ColumnSpec(
        lambda: tr("Viewers"),
        "viewers",
        Follows.SAMPLE,
        True,
        "viewers_delta",
        tooltip=lambda: tr("Viewers in the room at its latest sample."),
    ),
    ColumnSpec(
        lambda: tr("This broadcast"),
        "tokens",
        Follows.SAMPLE,
        True,
        "tokens_delta",
        tooltip=lambda: tr(
            "The room's token counter as the platform shows it: the current broadcast's "
            "tokens. It starts again with each broadcast."
        ),
        hidden=True,
    ),
    ColumnSpec(
        lambda: tr("Broadcast tips"),
        "tips",
        Follows.SAMPLE,
        True,
        "tips_delta",
        tooltip=lambda: tr("The room's tip counter: tips of the current broadcast."),
        hidden=True,
    ),
    ColumnSpec(
        lambda: tr("Last update"),
        "timestamp",
        Follows.CLOCK,
        tooltip=lambda: tr("How long ago the room's latest sample was taken."),
        hidden=True,
    ),
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
