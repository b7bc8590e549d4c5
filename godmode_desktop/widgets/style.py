"""The interface's own colours and timings (flashes, states, alerts, charts), in one place; the
light and dark palettes themselves are appearance.py's."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette

from godmode_desktop.net.status import ConnectionState

#: How long a changed number stays highlighted while fading back to normal, milliseconds.
FLASH_DURATION_MS = 600
#: A rising number flashes green, a falling one red.
FLASH_UP = QColor(46, 204, 113)
FLASH_DOWN = QColor(231, 76, 60)
#: Repaints are coalesced to at most one per frame (about 60 per second).
FRAME_MS = 16
#: The grid's frame while more than BUSY_ROWS rows flash at once.
BUSY_FRAME_MS = 50
BUSY_ROWS = 40
#: How often the grid's order catches up with changed values (see RoomsFilter).
RESORT_MS = 500
#: How often the totals above the grid follow the changes.
TOTALS_MS = 250
#: How often the chart redraws while its room streams updates: its points are a second apart
#: (a sample's time is in whole seconds), and a redraw scrolls both axes, whose labels
#: pyqtgraph lays out again in Python (at five a second, a sixth of a busy app's CPU).
CHART_REDRAW_MS = 1000

#: Rooms without news for longer than the stale time are drawn in their palette's text colour
#: this far towards the background (grey on light, dimmed on dark).
STALE_FADE = 0.59


def stale_text(palette: QPalette) -> QColor:
    """The text colour of stale rooms, from the palette in use (light or dark)."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(
        *(
            round(t + (b - t) * STALE_FADE)
            for t, b in (
                (text.red(), base.red()),
                (text.green(), base.green()),
                (text.blue(), base.blue()),
            )
        )
    )


#: The status bar's colour for each state of the live feed.
STATE_COLORS: dict[ConnectionState, QColor] = {
    ConnectionState.LIVE: QColor(39, 174, 96),
    ConnectionState.POLLING: QColor(230, 126, 34),
    ConnectionState.CONNECTING: QColor(127, 140, 141),
    ConnectionState.OFFLINE: QColor(192, 57, 43),
    ConnectionState.AUTH_REQUIRED: QColor(142, 68, 173),
}

#: Gap between two alerts shown one after the other, milliseconds.
ALERT_GAP_MS = 1500
#: How long an alert stays on screen, milliseconds.
ALERT_SHOW_MS = 6000


def paint_plot(plot: pg.PlotWidget, palette: QPalette) -> bool:
    """A chart in the window's colours: the palette's base behind, its text for the axes (so
    it follows light and dark like the rest).  True when the palette is dark, for the caller's
    lines to stand out on it."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    plot.setBackground(base)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
    return base.lightness() < 128
