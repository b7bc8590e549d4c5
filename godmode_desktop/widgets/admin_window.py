"""The Administration window (admins only): a *Users* tab (admin_users_tab.py), a *Keys and
collectors* tab (admin_keys_tab.py), a *Reading rules* tab (admin_rules_tab.py), the *Rates*
(admin_rates_tab.py) and the *Audit log* (admin_audit_tab.py) under one status line.

It shows what it is given and says what the admin wants through its tabs' signals; its presenter
(godmode_desktop/admin_presenter.py) has the server carry them out (the server refuses non-admins
whatever the app shows).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from godmode_common.rooms import RoomKey
from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import (
    AuditRecord,
    CreatedKey,
    KeptOutline,
    KeySummary,
    OutlineSummary,
    RatesInfo,
    ServedSelectors,
    StrategyTrial,
    UserSummary,
)

from .admin_audit_tab import AuditTab
from .admin_dialogs import CreatedKeyDialog
from .admin_keys_tab import KeysTab
from .admin_rates_tab import RatesTab
from .admin_rules_tab import RulesTab
from .admin_users_tab import UsersTab
from .placement import text_size


class AdminWindow(QWidget):
    refresh_requested = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(tr("God Mode — Administration"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.users_tab = UsersTab()
        self.keys_tab = KeysTab(clock=clock)
        self.rules_tab = RulesTab()
        self.rates_tab = RatesTab()
        self.users_tab.problem.connect(self.show_problem)
        self.rules_tab.problem.connect(self.show_problem)
        self.rates_tab.problem.connect(self.show_problem)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.users_tab, tr("Users"))
        self.tabs.addTab(self.keys_tab, tr("Keys and collectors"))
        self.tabs.addTab(self.rules_tab, tr("Reading rules"))
        self.tabs.addTab(self.rates_tab, tr("Rates"))
        self.audit_tab = AuditTab(clock=clock)
        self.tabs.addTab(self.audit_tab, tr("Audit log"))
        refresh = QPushButton(tr("Re&fresh"))
        refresh.clicked.connect(self.refresh_requested.emit)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def sizeHint(self) -> QSize:
        return text_size(self, 150, 40)

    def show_users(self, users: list[UserSummary]) -> None:
        self.users_tab.show_users(users)

    def show_keys(self, keys: list[KeySummary]) -> None:
        self.keys_tab.show_keys(keys)

    def set_known_rooms(self, rooms: Iterable[RoomKey]) -> None:
        self.users_tab.set_known_rooms(rooms)

    def show_key_created(self, created: CreatedKey) -> CreatedKeyDialog:
        dialog = CreatedKeyDialog(created, self)
        dialog.show()
        return dialog

    def show_outlines(self, outlines: list[OutlineSummary]) -> None:
        self.rules_tab.show_outlines(outlines)

    def show_served(self, served: ServedSelectors) -> None:
        self.rules_tab.show_served(served)

    def show_outline(self, kept: KeptOutline) -> None:
        self.rules_tab.show_outline(kept)

    def show_trials(self, trials: list[StrategyTrial]) -> None:
        self.rules_tab.show_trials(trials)

    def show_audit(self, records: list[AuditRecord]) -> None:
        self.audit_tab.show_records(records)

    def show_rates(self, rates: RatesInfo) -> None:
        self.rates_tab.show_rates(rates)

    def show_problem(self, message: str) -> None:
        """A mistake caught before asking the server."""
        self.status.setText(message)

    def show_error(self, message: str) -> None:
        self.status.setText(tr("The server refused: {0}").format(message))

    def show_done(self, what: str) -> None:
        self.status.setText(what)
