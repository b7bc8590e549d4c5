"""The app's settings, persisted with QSettings.  Never a token: that lives in the keyring."""

from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QSettings

from godmode_common.protocol import DEFAULT_SERVER_URL
from godmode_common.rooms import RoomKey, parse_room

from .alert_rules import AlertRules
from .alerts import DEFAULT_TIERS, AlertTier
from .appearance import TEXT_SIZES
from .widgets.style import ALERT_SHOW_MS

LANGUAGES = ("", "en", "es")  # "" follows the system


class AppSettings:
    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings if settings is not None else QSettings("GodMode", "GodMode")

    def _get(self, key: str, default: object) -> object:
        value = self.qsettings.value(key, default)
        return default if value is None else value

    # --- account (server and user; the token is in the keyring) --------------------------------

    @property
    def server(self) -> str:
        return str(self._get("account/server", DEFAULT_SERVER_URL))

    @server.setter
    def server(self, value: str) -> None:
        self.qsettings.setValue("account/server", value)

    @property
    def user(self) -> str:
        return str(self._get("account/user", ""))

    @user.setter
    def user(self, value: str) -> None:
        self.qsettings.setValue("account/user", value)

    # --- alerts --------------------------------------------------------------------------------

    @property
    def tiers(self) -> list[AlertTier]:
        raw = self._get("alerts/tiers", "")
        try:
            items = json.loads(str(raw)) if raw else []
            tiers = [
                AlertTier(int(t["threshold"]), str(t["label"]), str(t["sound"])) for t in items
            ]
        except (TypeError, ValueError, KeyError):
            return list(DEFAULT_TIERS)
        return sorted(tiers, key=lambda t: t.threshold) or list(DEFAULT_TIERS)

    @tiers.setter
    def tiers(self, tiers: list[AlertTier]) -> None:
        items = [{"threshold": t.threshold, "label": t.label, "sound": t.sound} for t in tiers]
        self.qsettings.setValue("alerts/tiers", json.dumps(items))

    @property
    def muted(self) -> bool:
        return str(self._get("alerts/muted", "false")).lower() == "true"

    @muted.setter
    def muted(self, value: bool) -> None:
        self.qsettings.setValue("alerts/muted", "true" if value else "false")

    @property
    def alert_show_seconds(self) -> int:
        """How long each alert stays on screen."""
        return min(60, _int(self._get("alerts/show_seconds", ALERT_SHOW_MS // 1000), 6, low=2))

    @alert_show_seconds.setter
    def alert_show_seconds(self, value: int) -> None:
        self.qsettings.setValue("alerts/show_seconds", int(value))

    def _flag(self, key: str, default: bool) -> bool:
        return str(self._get(key, "true" if default else "false")).lower() == "true"

    @property
    def alert_rules(self) -> AlertRules:
        """Which alerts, their thresholds, the rooms' goals and muted rooms (``room@platform``)."""
        defaults = AlertRules()
        goals: dict[RoomKey, int] = {}
        goals_raw = _json(self._get("alerts/goals", "{}"))
        for text, tokens in goals_raw.items() if isinstance(goals_raw, dict) else ():
            key, count = _room(text), _int(tokens, 0, low=0)
            if key is not None and count > 0:  # a bad entry loses only itself
                goals[key] = count
        muted_raw = _json(self._get("alerts/muted_rooms", "[]"))
        muted = frozenset(
            key
            for key in map(_room, muted_raw if isinstance(muted_raw, list) else ())
            if key is not None
        )
        return AlertRules(
            tips=self._flag("alerts/tips", defaults.tips),
            offline=self._flag("alerts/offline", defaults.offline),
            stale_after=float(self.stale_after),
            audience_drop=self._flag("alerts/audience_drop", defaults.audience_drop),
            drop_percent=float(min(95, _int(self._get("alerts/drop_percent", 40), 40, low=5))),
            drop_minutes=float(_int(self._get("alerts/drop_minutes", 5), 5, low=1)),
            drop_min_viewers=_int(
                self._get("alerts/drop_min_viewers", defaults.drop_min_viewers),
                defaults.drop_min_viewers,
                low=1,
            ),
            drop_min_lost=_int(
                self._get("alerts/drop_min_lost", defaults.drop_min_lost),
                defaults.drop_min_lost,
                low=1,
            ),
            collectors=self._flag("alerts/collectors", defaults.collectors),
            goals=goals,
            muted_rooms=muted,
        )

    @alert_rules.setter
    def alert_rules(self, rules: AlertRules) -> None:
        q = self.qsettings
        q.setValue("alerts/tips", "true" if rules.tips else "false")
        q.setValue("alerts/offline", "true" if rules.offline else "false")
        q.setValue("alerts/audience_drop", "true" if rules.audience_drop else "false")
        q.setValue("alerts/collectors", "true" if rules.collectors else "false")
        q.setValue("alerts/drop_percent", int(rules.drop_percent))
        q.setValue("alerts/drop_minutes", int(rules.drop_minutes))
        q.setValue("alerts/drop_min_viewers", int(rules.drop_min_viewers))
        q.setValue("alerts/drop_min_lost", int(rules.drop_min_lost))
        q.setValue("alerts/goals", json.dumps({f"{r}@{p}": g for (r, p), g in rules.goals.items()}))
        q.setValue(
            "alerts/muted_rooms", json.dumps(sorted(f"{r}@{p}" for r, p in rules.muted_rooms))
        )

    # --- behaviour -----------------------------------------------------------------------------

    @property
    def stale_after(self) -> int:
        """Seconds without news after which a room is drawn as stale."""
        return _int(self._get("grid/stale_after", 300), 300, low=10)

    @stale_after.setter
    def stale_after(self, value: int) -> None:
        self.qsettings.setValue("grid/stale_after", int(value))

    @property
    def keep_silent_hours(self) -> int:
        """Hours a room that stopped sending stays in the grid (greyed, with its last values):
        a shift by default."""
        return _int(self._get("grid/keep_silent_hours", 8), 8, low=1)

    @keep_silent_hours.setter
    def keep_silent_hours(self, value: int) -> None:
        self.qsettings.setValue("grid/keep_silent_hours", int(value))

    @property
    def poll_interval(self) -> int:
        """Seconds between polls while the live link is down."""
        return _int(self._get("feed/poll_interval", 3), 3, low=1)

    @poll_interval.setter
    def poll_interval(self, value: int) -> None:
        self.qsettings.setValue("feed/poll_interval", int(value))

    @property
    def language(self) -> str:
        value = str(self._get("ui/language", ""))
        return value if value in LANGUAGES else ""

    @language.setter
    def language(self, value: str) -> None:
        self.qsettings.setValue("ui/language", value)

    @property
    def scheme(self) -> str:
        """Light or dark: ``system`` (follow it), ``light`` or ``dark``."""
        value = str(self._get("ui/scheme", "system"))
        return value if value in ("system", "light", "dark") else "system"

    @scheme.setter
    def scheme(self, value: str) -> None:
        self.qsettings.setValue("ui/scheme", value)

    @property
    def text_size(self) -> int:
        """The text's size in percent of the system's (one of appearance.TEXT_SIZES)."""
        value = _int(self._get("ui/text_size", 100), 100, low=1)
        return value if value in TEXT_SIZES else 100

    @text_size.setter
    def text_size(self, value: int) -> None:
        self.qsettings.setValue("ui/text_size", int(value))

    @property
    def density(self) -> str:
        """The grid's rows: ``comfortable`` or ``compact``."""
        value = str(self._get("grid/density", "comfortable"))
        return value if value in ("comfortable", "compact") else "comfortable"

    @density.setter
    def density(self, value: str) -> None:
        self.qsettings.setValue("grid/density", value)

    @property
    def chart_visible(self) -> bool:
        """The chart beside the grid, unless the user hid it."""
        return self._flag("grid/chart", True)

    @chart_visible.setter
    def chart_visible(self, value: bool) -> None:
        self.qsettings.setValue("grid/chart", "true" if value else "false")

    @property
    def money(self) -> bool:
        """The grid's shift and day figures in dollars rather than tokens."""
        return self._flag("grid/money", False)

    @money.setter
    def money(self, value: bool) -> None:
        self.qsettings.setValue("grid/money", "true" if value else "false")

    @property
    def close_to_tray(self) -> bool:
        """Closing the window keeps the app running in the tray (where there is one)."""
        return str(self._get("ui/close_to_tray", "true")).lower() == "true"

    @close_to_tray.setter
    def close_to_tray(self, value: bool) -> None:
        self.qsettings.setValue("ui/close_to_tray", "true" if value else "false")

    @property
    def ca_file(self) -> str:
        """A CA certificate (PEM) trusted besides the system's, for a studio's own authority."""
        return str(self._get("connection/ca_file", ""))

    @ca_file.setter
    def ca_file(self, value: str) -> None:
        self.qsettings.setValue("connection/ca_file", value)

    # --- window --------------------------------------------------------------------------------

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        """Geometry and the grid's column layout, as saved."""
        geometry = self.qsettings.value("window/geometry")
        header = self.qsettings.value(HEADER_KEY)
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            header if isinstance(header, QByteArray) else None,
        )

    def save_window_state(self, geometry: QByteArray, header: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", geometry)
        self.qsettings.setValue(HEADER_KEY, header)

    def view_state(self) -> dict[str, object]:
        """The main window's view (MainWindow.view_state): selection, filters, chart range."""
        value = _json(self._get("window/view", "{}"))
        return value if isinstance(value, dict) else {}

    def save_view_state(self, state: dict[str, object]) -> None:
        self.qsettings.setValue("window/view", json.dumps(state))

    def splitter_state(self) -> QByteArray | None:
        """How the grid and the chart shared the window's width."""
        state = self.qsettings.value("window/splitter")
        return state if isinstance(state, QByteArray) else None

    def save_splitter_state(self, state: QByteArray) -> None:
        self.qsettings.setValue("window/splitter", state)

    def sync(self) -> None:
        self.qsettings.sync()


#: Where the grid's column layout is kept: named for its set of columns, so that a layout saved
#: for other columns (before the shift and day ones, issue 38) is not applied to these.
HEADER_KEY = "window/header-2"


def _int(value: object, default: int, low: int) -> int:
    try:
        return max(low, int(str(value)))
    except ValueError:
        return default


def _json(raw: object) -> object:
    try:
        return json.loads(str(raw))
    except ValueError:
        return None


def _room(text: object) -> RoomKey | None:
    """``ROOM@PLATFORM`` as kept in the settings file; None for anything else."""
    try:
        return parse_room(str(text))
    except ValueError:
        return None
