"""The Administration's *Users* tab: the users with their role, reports and rooms, and the selected
user's changes, said through signals."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from godmode_common.rooms import RoomKey, parse_room
from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import UserSummary

from .admin_dialogs import ROLES, NewUserDialog
from .admin_tables import fill_table, make_table, rooms_list, rooms_summary

#: The users table's rooms column.
ROOMS_COLUMN = 4


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


class UsersTab(QWidget):
    #: name, password, role
    create_user_requested = Signal(str, str, str)
    #: name, what changed ({"role": …, "disabled": …, "reports": …}: only what differs), the
    #: rooms to set ([(room_id, platform), …]; None when they did not change)
    apply_requested = Signal(str, dict, object)
    #: name, new password
    reset_requested = Signal(str, str)
    delete_requested = Signal(str)
    #: What cannot be sent as typed (the window's status line says it).
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.users: list[UserSummary] = []
        #: A user asked to be added: selected when the list that has them arrives.
        self._added: str | None = None
        self.table = make_table([tr("User"), tr("Role"), tr("Reports"), tr("State"), tr("Rooms")])
        self.table.setAccessibleName(tr("Users"))
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
        self.add_room_button = QPushButton(tr("A&dd room"))
        self.apply_button = QPushButton(tr("A&pply"))
        self.add_user_button = QPushButton(tr("&Add user…"))
        self.reset_button = QPushButton(tr("Re&set password…"))
        self.delete_button = QPushButton(tr("De&lete user"))
        self.details = QWidget()
        details = QFormLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.addRow(tr("Role"), self.role_box)
        details.addRow(self.reports_check)
        details.addRow(self.disabled_check)
        details.addRow(tr("&Rooms (monitors)"), self.rooms_edit)
        pick = QHBoxLayout()
        pick.addWidget(self.known_rooms, 1)
        pick.addWidget(self.add_room_button)
        details.addRow(pick)
        details.addRow(self.apply_button)
        buttons = QHBoxLayout()
        for button in (self.add_user_button, self.reset_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        # Nothing selected: a sentence instead of the last user's settings.
        self.nobody = QLabel(tr("Select a user to change their role, reports and rooms."))
        self.nobody.setWordWrap(True)
        self.nobody.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.editor = QStackedWidget()
        self.editor.addWidget(self.nobody)
        self.editor.addWidget(self.details)
        row = QHBoxLayout()
        row.addWidget(self.table, 3)
        row.addWidget(self.editor, 2)
        layout.addLayout(row)
        layout.addLayout(buttons)

        self.table.itemSelectionChanged.connect(self._show_selected)
        self.apply_button.clicked.connect(self._apply)
        self.add_room_button.clicked.connect(self._add_known_room)
        self.add_user_button.clicked.connect(self._add_user)
        self.reset_button.clicked.connect(self._reset)
        self.delete_button.clicked.connect(self._delete)

    def show_users(self, users: list[UserSummary]) -> None:
        """The server's users; the one selected stays selected, a user just added is."""
        current = self.selected_user()
        wanted = self._added or (current.username if current is not None else None)
        self._added = None
        self.users = list(users)
        fill_table(
            self.table,
            [
                [
                    u.username,
                    u.role,
                    tr("yes") if u.reports else tr("no"),
                    tr("disabled") if u.disabled else tr("enabled"),
                    rooms_summary(u.rooms),
                ]
                for u in self.users
            ],
        )
        for row, user in enumerate(self.users):
            item = self.table.item(row, ROOMS_COLUMN)
            if item is not None:
                item.setToolTip(rooms_list(user.rooms))
        if wanted is not None:
            self.select_user(wanted)
        self._show_selected()

    def set_known_rooms(self, rooms: Iterable[RoomKey]) -> None:
        """The rooms the server knows (the grid's), to pick a monitor's from."""
        self.known_rooms.clear()
        for room in sorted(rooms, key=lambda r: (r.platform, r.room_id)):
            self.known_rooms.addItem(str(room))

    def _add_known_room(self) -> None:
        room = self.known_rooms.currentText()
        rooms, _ = parse_rooms(self.rooms_edit.toPlainText())
        if room and room in {str(key) for key in rooms}:
            return
        if room:
            text = self.rooms_edit.toPlainText().rstrip()
            self.rooms_edit.setPlainText(f"{text}\n{room}" if text else room)

    # --- the selected user ---------------------------------------------------------------------

    def selected_user(self) -> UserSummary | None:
        row = self.table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def select_user(self, username: str) -> None:
        for row, user in enumerate(self.users):
            if user.username == username:
                self.table.selectRow(row)

    def _show_selected(self) -> None:
        user = self.selected_user()
        for widget in (self.apply_button, self.reset_button, self.delete_button):
            widget.setEnabled(user is not None)
        self.editor.setCurrentWidget(self.nobody if user is None else self.details)
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
            self.problem.emit(tr("not ROOM@PLATFORM: {0}").format(", ".join(bad)))
            return
        change: dict[str, object] = {}
        role = str(self.role_box.currentData())
        if role != user.role:
            change["role"] = role
        if self.disabled_check.isChecked() != user.disabled:
            change["disabled"] = self.disabled_check.isChecked()
        if self.reports_check.isChecked() != user.reports and role == "monitor":
            change["reports"] = self.reports_check.isChecked()
        wanted = sorted(set(rooms))
        same_rooms = wanted == sorted((r.room_id, r.platform) for r in user.rooms)
        if not change and same_rooms:
            self.problem.emit(tr("Nothing to change for {0}").format(user.username))
            return
        self.apply_requested.emit(user.username, change, None if same_rooms else wanted)

    def _add_user(self) -> None:
        dialog = NewUserDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._added = dialog.name_edit.text().strip()
            self.create_user_requested.emit(
                self._added,
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
