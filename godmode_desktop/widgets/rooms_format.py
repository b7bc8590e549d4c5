"""How the rooms grid writes a value: numbers in the user's locale, ages in words."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale, Qt

from godmode_desktop.i18n import tr

from .rooms_columns import ColumnSpec, Follows

#: Shown for a value not known yet (tokens/hour before a room has a history).
UNKNOWN = "—"

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def format_age(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return tr("%1 s ago").replace("%1", str(seconds))
    if seconds < 3600:
        return tr("%1 min ago").replace("%1", str(seconds // 60))
    return tr("%1 h ago").replace("%1", str(seconds // 3600))


def field_of(spec: ColumnSpec, money: bool) -> str:
    """The room's attribute the column shows: its money one while money is shown."""
    return spec.money_field if money and spec.money_field else spec.field


def raw_value(spec: ColumnSpec, room: object, money: bool = False) -> object:
    """The value to sort by: the room's field, ``-1`` when not known yet."""
    result = getattr(room, field_of(spec, money))
    return -1 if result is None else result


def money_text(amount: Decimal, locale: QLocale, currency: str = "USD") -> str:
    """An amount as the user's locale writes it, exactly as the server computed it (no float):
    ``$1,234.50`` for dollars, ``20,954 COP`` for another currency."""
    places = max(0, -int(amount.as_tuple().exponent))
    whole, part = divmod(int(amount.scaleb(places)), 10**places)
    number = locale.toString(whole)
    if places:
        number += f"{locale.decimalPoint()}{part:0{places}d}"
    return f"${number}" if currency == "USD" else f"{number} {currency}"


def cell_text(
    spec: ColumnSpec, room: object, locale: QLocale, now: float, money: bool = False
) -> str:
    raw = raw_value(spec, room, money)
    if spec.follows is Follows.CLOCK:
        return format_age(now - float(raw))  # type: ignore[arg-type]
    if not spec.numeric:
        return str(raw)
    if raw is None or raw == -1:
        return UNKNOWN
    if isinstance(raw, Decimal):
        return money_text(raw, locale)
    return locale.toString(round(float(raw)))  # type: ignore[arg-type]


def alignment(spec: ColumnSpec) -> Qt.AlignmentFlag:
    return _RIGHT if spec.numeric else _LEFT
