"""The Reports window's table: one row per model with what she did over the whole range."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt

from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import EarningsRow

from .rooms_format import UNKNOWN, money_text

#: Raw values for sorting (numbers as numbers).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The row's room key ``(room_id, platform)``.
KEY_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


def duration_text(seconds: int) -> str:
    """``1 h 37 min``, ``37 min`` (hours may pass 24: a week's on-line time), in the locale's
    digits."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes = QLocale().toString(rest // 60)
    if not hours:
        return tr("%1 min").replace("%1", minutes)
    return tr("%1 h %2 min").replace("%1", QLocale().toString(hours)).replace("%2", minutes)


class ReportsModel(QAbstractTableModel):
    COLUMNS = ("room", "platform", "tokens", "money", "tips", "online", "sessions", "peak")

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._rows: list[EarningsRow] = []
        #: The currency of the rows' ``earned_local`` (the studio's).
        self.currency = "USD"
        self._headers = {
            "room": tr("Model"),
            "platform": tr("Platform"),
            "tokens": tr("Tokens"),
            "tips": tr("Tips"),
            "online": tr("On line"),
            "sessions": tr("Broadcasts"),
            "peak": tr("Peak viewers"),
        }

    def set_rows(self, rows: list[EarningsRow], currency: str | None = None) -> None:
        """The rows, and the currency their money is in (the studio's; None: dollars)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.currency = currency or "USD"
        self.endResetModel()

    @property
    def rows(self) -> list[EarningsRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self.COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "money":
                return tr("Earned (%1)").replace("%1", self.currency)
            return self._headers[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == "money":
            return tr(
                "The tokens at the studio's payout rates, each at the rate of its day, in the "
                "studio's currency at its exchange rate. — : tokens earned on a day with no rate."
            )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        money = row.earned_local if row.earned_local is not None else None
        raw: dict[str, str | int | Decimal | None] = {
            "room": row.room_id,
            "platform": row.platform,
            "tokens": row.tokens_earned,
            "money": None if money is None else Decimal(money),
            "tips": row.tips_earned,
            "online": row.online_seconds,
            "sessions": row.sessions,
            "peak": row.peak_viewers,
        }
        value = raw[column]
        if role == SORT_ROLE:
            return Decimal(-1) if column == "money" and value is None else value
        if role == KEY_ROLE:
            return (row.room_id, row.platform)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "online":
                return duration_text(row.online_seconds)
            if column == "money":
                return UNKNOWN if value is None else money_text(value, QLocale(), self.currency)  # type: ignore[arg-type]
            if isinstance(value, int):
                return QLocale().toString(value)
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and (
            isinstance(value, int) or column == "money"
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
