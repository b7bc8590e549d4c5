"""The Administration's *Rates* tab: what a token pays per platform or room, and the exchange
rate of the studio's currency, each from a day on (docs/PROTOCOL.md, "Money").

A rate is checked as typed (a number more than 0 with at most six decimals) before it is sent;
what only the server can judge (a day more than a year ahead, an unknown currency) comes back
on the window's status line.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from godmode_common.money import MAX_UNITS_PER_USD, MAX_USD_PER_TOKEN, RateError, parse_rate
from godmode_common.platforms import DEFAULT_PLATFORMS
from godmode_common.rooms import ROOM_ID_PATTERN
from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import RatesInfo

from .admin_tables import fill_table, make_table


class _Start(QWidget):
    """ "From a day" (a checkbox and a date) or undated."""

    def __init__(self) -> None:
        super().__init__()
        self.dated = QCheckBox(tr("From"))
        self.dated.setToolTip(
            tr("Unticked: the rate applies to every day before the next dated one.")
        )
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setEnabled(False)
        self.dated.toggled.connect(self.day.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.dated)
        layout.addWidget(self.day)
        layout.addStretch(1)

    def value(self) -> dt.date | None:
        return self.day.date().toPython() if self.dated.isChecked() else None  # type: ignore[return-value]


class RatesTab(QWidget):
    #: Set a payout rate: platform, room (None: the platform's), rate as typed, first day.
    payout_requested = Signal(str, object, str, object)
    #: Set an exchange rate: currency, units per dollar as typed, first day.
    currency_requested = Signal(str, str, object)
    #: What cannot be sent as typed.
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rates: RatesInfo | None = None
        self.currency_label = QLabel()
        self.currency_label.setWordWrap(True)
        self.payout_table = make_table(
            [tr("Platform"), tr("Room"), tr("From"), tr("USD per token"), tr("Set by")]
        )
        self.payout_table.setAccessibleName(tr("Payout rates"))
        self.exchange_table = make_table(
            [tr("Currency"), tr("From"), tr("Per US dollar"), tr("Set by")]
        )
        self.exchange_table.setAccessibleName(tr("Exchange rates"))

        self.platform_box = QComboBox()
        for platform in DEFAULT_PLATFORMS:
            self.platform_box.addItem(platform, platform)
        self.room_edit = QLineEdit()
        self.room_edit.setPlaceholderText(tr("every room of the platform"))
        self.rate_edit = QLineEdit()
        self.rate_edit.setPlaceholderText("0.05")
        self.payout_start = _Start()
        self.set_rate_button = QPushButton(tr("&Set rate"))
        payout_form = QFormLayout()
        payout_form.addRow(tr("Platform"), self.platform_box)
        payout_form.addRow(tr("Room"), self.room_edit)
        payout_form.addRow(tr("USD per token"), self.rate_edit)
        payout_form.addRow("", self.payout_start)
        payout_form.addRow("", self.set_rate_button)
        payout = QGroupBox(tr("What a token pays"))
        payout.setLayout(payout_form)

        self.currency_edit = QLineEdit()
        self.currency_edit.setMaxLength(3)
        self.units_edit = QLineEdit()
        self.units_edit.setPlaceholderText("4100.5")
        self.exchange_start = _Start()
        self.set_exchange_button = QPushButton(tr("Set e&xchange rate"))
        exchange_form = QFormLayout()
        exchange_form.addRow(tr("Currency"), self.currency_edit)
        exchange_form.addRow(tr("Per US dollar"), self.units_edit)
        exchange_form.addRow("", self.exchange_start)
        exchange_form.addRow("", self.set_exchange_button)
        exchange = QGroupBox(tr("The studio's currency"))
        exchange.setLayout(exchange_form)

        forms = QHBoxLayout()
        forms.addWidget(payout, 1)
        forms.addWidget(exchange, 1)
        # Side by side, so that the forms keep their height on a laptop at a large text size.
        tables = QHBoxLayout()
        tables.addWidget(self.payout_table, 3)
        tables.addWidget(self.exchange_table, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.currency_label)
        layout.addLayout(tables, 1)
        layout.addLayout(forms)
        self.set_rate_button.clicked.connect(self._set_rate)
        self.set_exchange_button.clicked.connect(self._set_exchange)
        self.rate_edit.returnPressed.connect(self._set_rate)
        self.units_edit.returnPressed.connect(self._set_exchange)

    def show_rates(self, rates: RatesInfo) -> None:
        self.rates = rates
        self.currency_label.setText(
            tr(
                "The studio's currency: {0}. Each token is paid at the rates of the day it was "
                "earned; a room's own rate wins over its platform's."
            ).format(rates.currency)
        )
        if not self.currency_edit.text():
            self.currency_edit.setText(rates.currency)
        fill_table(
            self.payout_table,
            [
                [
                    r.platform,
                    r.room_id or tr("every room"),
                    str(r.start) if r.start else tr("always before"),
                    r.usd_per_token,
                    r.set_by,
                ]
                for r in rates.payout
            ],
        )
        fill_table(
            self.exchange_table,
            [
                [
                    r.currency,
                    str(r.start) if r.start else tr("always before"),
                    r.units_per_usd,
                    r.set_by,
                ]
                for r in rates.exchange
            ],
        )

    def _set_rate(self) -> None:
        room = self.room_edit.text().strip()
        if room and not re.fullmatch(ROOM_ID_PATTERN.strip("^$"), room):
            self.problem.emit(tr("{0} is not a room name.").format(room))
            return
        try:
            rate = parse_rate(self.rate_edit.text(), tr("USD per token"), MAX_USD_PER_TOKEN)
        except RateError as exc:
            self.problem.emit(str(exc))
            return
        platform = str(self.platform_box.currentData())
        self.payout_requested.emit(platform, room or None, str(rate), self.payout_start.value())

    def _set_exchange(self) -> None:
        code = self.currency_edit.text().strip().upper()
        if not re.fullmatch("[A-Z]{3}", code):
            self.problem.emit(
                tr("{0} is not a currency code such as USD, EUR or COP.").format(code)
            )
            return
        try:
            units = parse_rate(self.units_edit.text(), tr("Per US dollar"), MAX_UNITS_PER_USD)
        except RateError as exc:
            self.problem.emit(str(exc))
            return
        self.currency_requested.emit(code, str(units), self.exchange_start.value())
