"""The Administration window (admins only): users with their role, reports and rooms; ingest
keys with what they post (the collectors' health).

It shows what it is given and says what the admin wants through signals; the controller talks to
the server (which refuses non-admins whatever the app shows).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from godmode_common.rooms import RoomKey, parse_room
from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import CreatedKey, KeySummary, UserSummary

from .rooms_format import format_age

ROLES = ("admin", "manager", "monitor")


def parse_rooms(text: str) -> tuple[list[RoomKey], list[str]]:
    """``ROOM@PLATFORM`` per line (or separated by spaces or commas) → the rooms, and the
    entries that are not of that form."""
    rooms, bad = [], []
    for entry in text.replace(",", " ").split():
        try:
            rooms.append(parse_room(entry))
        except ValueError:
            bad.append(entry)
    return rooms, bad


def _collector_health(key: KeySummary, now: float) -> tuple[str, str]:
    """What the key's collector last said of itself: (version and age of the report, problems)."""
    if key.health is None:
        return tr("no report"), ""
    report = key.health.report
    collector = tr("{version}, reported {age}").format(
        version=report.version, age=format_age(max(0.0, now - key.health.received_at))
    )
    if report.managed:
        collector += tr(" (set by policy)")
    problems = [
        tr("{platform} {field} {kind} ×{count}").format(
            platform=m.platform,
            field=m.field,
            kind=tr("missing") if m.kind == "missing" else tr("malformed"),
            count=m.count,
        )
        for m in report.selector_misses
    ]
    if report.refused_posts:
        problems.append(tr("{count} posts refused").format(count=report.refused_posts))
    if report.queue_length:
        problems.append(tr("{count} waiting").format(count=report.queue_length))
    return collector, "; ".join(problems) or tr("none")


class NewUserDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Add user"))
        self.name_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.role_box = QComboBox()
        for role in ROLES:
            self.role_box.addItem(role, role)
        self.role_box.setCurrentIndex(ROLES.index("monitor"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("User name"), self.name_edit)
        form.addRow(tr("Password"), self.password_edit)
        form.addRow(tr("Role"), self.role_box)
        form.addRow(buttons)


class CreatedKeyDialog(QDialog):
    """A new key, shown this once, with a copy button."""

    def __init__(self, created: CreatedKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Key {0}").format(created.name))
        self.key_edit = QLineEdit(created.key)
        self.key_edit.setReadOnly(True)
        self.key_edit.setAccessibleName(tr("The new key"))
        copy = QPushButton(tr("Copy"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(created.key))
        warning = QLabel(
            tr("This key is shown once: copy it into the collector now. It cannot be shown again.")
        )
        warning.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.key_edit, 1)
        row.addWidget(copy)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addLayout(row)
        layout.addWidget(close)


def _table(headers: Iterable[str]) -> QTableWidget:
    names = list(headers)
    table = QTableWidget(0, len(names))
    table.setHorizontalHeaderLabels(names)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    selected = table.currentRow()
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    if 0 <= selected < len(rows):
        table.selectRow(selected)


class AdminWindow(QWidget):
    refresh_requested = Signal()
    #: name, password, role
    create_user_requested = Signal(str, str, str)
    #: name, {"role": …, "disabled": …, "reports": …}
    change_user_requested = Signal(str, dict)
    #: name, [(room_id, platform), …]
    rooms_requested = Signal(str, list)
    #: name, new password
    reset_requested = Signal(str, str)
    delete_requested = Signal(str)
    create_key_requested = Signal(str)
    revoke_key_requested = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(tr("God Mode — Administration"))
        self._clock = clock
        self.users: list[UserSummary] = []
        self.keys: list[KeySummary] = []
        self.status = QLabel()
        self.status.setWordWrap(True)

        # Users: the list, and the selected user's role, grants and rooms.
        self.users_table = _table([tr("User"), tr("Role"), tr("Reports"), tr("State"), tr("Rooms")])
        self.users_table.setAccessibleName(tr("Users"))
        self.role_box = QComboBox()
        for role in ROLES:
            self.role_box.addItem(role, role)
        self.reports_check = QCheckBox(tr("Reports open"))
        self.disabled_check = QCheckBox(tr("Disabled"))
        self.rooms_edit = QPlainTextEdit()
        self.rooms_edit.setPlaceholderText(tr("One room per line: ROOM@PLATFORM"))
        self.rooms_edit.setAccessibleName(tr("Rooms"))
        self.known_rooms = QComboBox()
        self.known_rooms.setAccessibleName(tr("Rooms the server knows"))
        self.add_room_button = QPushButton(tr("Add room"))
        self.apply_button = QPushButton(tr("Apply"))
        self.add_user_button = QPushButton(tr("Add user…"))
        self.reset_button = QPushButton(tr("Reset password…"))
        self.delete_button = QPushButton(tr("Delete user"))
        details = QFormLayout()
        details.addRow(tr("Role"), self.role_box)
        details.addRow(self.reports_check)
        details.addRow(self.disabled_check)
        details.addRow(tr("Rooms (monitors)"), self.rooms_edit)
        pick = QHBoxLayout()
        pick.addWidget(self.known_rooms, 1)
        pick.addWidget(self.add_room_button)
        details.addRow(pick)
        details.addRow(self.apply_button)
        buttons = QHBoxLayout()
        for button in (self.add_user_button, self.reset_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        users_tab = QWidget()
        users_layout = QVBoxLayout(users_tab)
        row = QHBoxLayout()
        row.addWidget(self.users_table, 3)
        row.addLayout(details, 2)
        users_layout.addLayout(row)
        users_layout.addLayout(buttons)

        # Keys: each with what it posts, how long it has been silent, and what its collector
        # says of itself (the extension's health reports).
        self.keys_table = _table(
            [
                tr("Key"),
                tr("State"),
                tr("Last post"),
                tr("Silent for"),
                tr("Rooms"),
                tr("Collector"),
                tr("Problems"),
            ]
        )
        self.keys_table.setAccessibleName(tr("Ingest keys"))
        self.create_key_button = QPushButton(tr("Create key…"))
        self.revoke_button = QPushButton(tr("Revoke key"))
        keys_tab = QWidget()
        keys_layout = QVBoxLayout(keys_tab)
        keys_layout.addWidget(self.keys_table)
        key_buttons = QHBoxLayout()
        key_buttons.addWidget(self.create_key_button)
        key_buttons.addWidget(self.revoke_button)
        key_buttons.addStretch(1)
        keys_layout.addLayout(key_buttons)

        self.tabs = QTabWidget()
        self.tabs.addTab(users_tab, tr("Users"))
        self.tabs.addTab(keys_tab, tr("Keys and collectors"))
        refresh = QPushButton(tr("Refresh"))
        refresh.clicked.connect(self.refresh_requested.emit)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.resize(900, 520)

        self.users_table.itemSelectionChanged.connect(self._show_selected)
        self.apply_button.clicked.connect(self._apply)
        self.add_room_button.clicked.connect(self._add_known_room)
        self.add_user_button.clicked.connect(self._add_user)
        self.reset_button.clicked.connect(self._reset)
        self.delete_button.clicked.connect(self._delete)
        self.create_key_button.clicked.connect(self._create_key)
        self.revoke_button.clicked.connect(self._revoke)

    # --- showing -------------------------------------------------------------------------------

    def show_users(self, users: list[UserSummary]) -> None:
        self.users = list(users)
        _fill(
            self.users_table,
            [
                [
                    u.username,
                    u.role,
                    tr("yes") if u.reports else tr("no"),
                    tr("disabled") if u.disabled else tr("enabled"),
                    ", ".join(f"{r.room_id}@{r.platform}" for r in u.rooms),
                ]
                for u in self.users
            ],
        )
        self._show_selected()

    def show_keys(self, keys: list[KeySummary]) -> None:
        self.keys = list(keys)
        now = self._clock()
        _fill(
            self.keys_table,
            [
                [
                    k.name,
                    tr("revoked") if k.revoked else tr("active"),
                    time.strftime("%Y-%m-%d %H:%M", time.localtime(k.last_post))
                    if k.last_post
                    else tr("never"),
                    format_age(now - k.last_post) if k.last_post else "",
                    ", ".join(f"{r.room_id}@{r.platform}" for r in k.rooms),
                    *_collector_health(k, now),
                ]
                for k in self.keys
            ],
        )

    def set_known_rooms(self, rooms: Iterable[RoomKey]) -> None:
        """The rooms the server knows (the grid's), to pick a monitor's from."""
        self.known_rooms.clear()
        for room_id, platform in sorted(rooms, key=lambda r: (r[1], r[0])):
            self.known_rooms.addItem(f"{room_id}@{platform}")

    def _add_known_room(self) -> None:
        room = self.known_rooms.currentText()
        rooms, _ = parse_rooms(self.rooms_edit.toPlainText())
        if room and room in {str(key) for key in rooms}:
            return
        if room:
            text = self.rooms_edit.toPlainText().rstrip()
            self.rooms_edit.setPlainText(f"{text}\n{room}" if text else room)

    def show_key_created(self, created: CreatedKey) -> CreatedKeyDialog:
        dialog = CreatedKeyDialog(created, self)
        dialog.show()
        return dialog

    def show_error(self, message: str) -> None:
        self.status.setText(tr("The server refused: {0}").format(message))

    def show_done(self, what: str) -> None:
        self.status.setText(what)

    # --- the selected user ---------------------------------------------------------------------

    def selected_user(self) -> UserSummary | None:
        row = self.users_table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def select_user(self, username: str) -> None:
        for row, user in enumerate(self.users):
            if user.username == username:
                self.users_table.selectRow(row)

    def _show_selected(self) -> None:
        user = self.selected_user()
        for widget in (self.apply_button, self.reset_button, self.delete_button):
            widget.setEnabled(user is not None)
        if user is None:
            return
        self.role_box.setCurrentIndex(ROLES.index(user.role))
        self.reports_check.setChecked(user.reports)
        self.disabled_check.setChecked(user.disabled)
        self.rooms_edit.setPlainText("\n".join(f"{r.room_id}@{r.platform}" for r in user.rooms))

    def _apply(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        rooms, bad = parse_rooms(self.rooms_edit.toPlainText())
        if bad:
            self.show_error(tr("not ROOM@PLATFORM: {0}").format(", ".join(bad)))
            return
        change: dict[str, object] = {}
        role = str(self.role_box.currentData())
        if role != user.role:
            change["role"] = role
        if self.disabled_check.isChecked() != user.disabled:
            change["disabled"] = self.disabled_check.isChecked()
        if self.reports_check.isChecked() != user.reports and role == "monitor":
            change["reports"] = self.reports_check.isChecked()
        if change:
            self.change_user_requested.emit(user.username, change)
        if sorted(set(rooms)) != sorted((r.room_id, r.platform) for r in user.rooms):
            self.rooms_requested.emit(user.username, sorted(set(rooms)))

    def _add_user(self) -> None:
        dialog = NewUserDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.create_user_requested.emit(
                dialog.name_edit.text().strip(),
                dialog.password_edit.text(),
                str(dialog.role_box.currentData()),
            )

    def _reset(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        password, ok = QInputDialog.getText(
            self,
            tr("Reset password"),
            tr("New password for {0} (their sessions end):").format(user.username),
            QLineEdit.EchoMode.Password,
        )
        if ok and password:
            self.reset_requested.emit(user.username, password)

    def _delete(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        answer = QMessageBox.question(
            self, tr("Delete user"), tr("Delete {0}? Their sessions end.").format(user.username)
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_requested.emit(user.username)

    def _create_key(self) -> None:
        name, ok = QInputDialog.getText(
            self, tr("Create key"), tr("Name of the key (e.g. the PC it goes on):")
        )
        if ok and name.strip():
            self.create_key_requested.emit(name.strip())

    def _revoke(self) -> None:
        row = self.keys_table.currentRow()
        if 0 <= row < len(self.keys):
            self.revoke_key_requested.emit(self.keys[row].name)
