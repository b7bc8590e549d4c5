"""Settings, in tabs that each fit a laptop's screen at a large text size: *General* (server,
its CA certificate, polling, language, the tray), *Display* (light or dark, text size, row
density, stale time), *Tip alerts* (tiers, "Send test alert"), *Other alerts* and *Muted
rooms* (each with *Unmute*, and *Unmute all*)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from godmode_common.rooms import RoomKey
from godmode_desktop.alert_rules import AlertRules
from godmode_desktop.alerts import AlertTier
from godmode_desktop.appearance import TEXT_SIZES
from godmode_desktop.i18n import tr

from .alert_banner import tier_label, tier_source
from .style import ALERT_SHOW_MS

SOUNDS = ("tip", "big-tip", "huge-tip")
#: The muted rooms list's data role: the room's key.
KEY_ROLE = Qt.ItemDataRole.UserRole


class SettingsDialog(QDialog):
    test_alert_requested = Signal()

    def __init__(
        self,
        *,
        server: str,
        tiers: list[AlertTier],
        stale_after: int,
        poll_interval: int,
        keep_silent_hours: int = 8,
        language: str,
        ca_file: str = "",
        close_to_tray: bool = True,
        start_at_login: bool = False,
        rules: AlertRules | None = None,
        scheme: str = "system",
        text_size: int = 100,
        density: str = "comfortable",
        show_seconds: int = ALERT_SHOW_MS // 1000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Settings"))
        self.server_edit = QLineEdit(server)
        self.ca_edit = QLineEdit(ca_file)
        self.ca_edit.setPlaceholderText(tr("The system's authorities only"))
        self.ca_edit.setClearButtonEnabled(True)
        self.ca_edit.setAccessibleName(tr("CA certificate"))
        browse = QPushButton(tr("Choose…"))
        browse.clicked.connect(self._choose_ca_file)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(browse)
        self.ca_error = QLabel()
        self.ca_error.setStyleSheet("color: #c0392b;")
        self.ca_error.hide()
        self.stale_spin = QSpinBox()
        self.stale_spin.setRange(10, 86400)
        self.stale_spin.setSuffix(tr(" s"))
        self.stale_spin.setValue(stale_after)
        self.keep_spin = QSpinBox()
        self.keep_spin.setRange(1, 24 * 7)
        self.keep_spin.setSuffix(tr(" h"))
        self.keep_spin.setValue(keep_silent_hours)
        self.keep_spin.setToolTip(
            tr(
                "A room that stops sending stays in the grid, greyed with its last values, this long"
            )
        )
        self.poll_spin = QSpinBox()
        self.poll_spin.setRange(1, 300)
        self.poll_spin.setSuffix(tr(" s"))
        self.poll_spin.setValue(poll_interval)
        self.language_box = QComboBox()
        for code, name in (("", tr("System language")), ("en", "English"), ("es", "Español")):
            self.language_box.addItem(name, code)
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(language)))

        self._language = language
        self.language_note = QLabel(tr("A new language applies when God Mode starts again."))
        self.language_note.setWordWrap(True)
        self.language_note.setVisible(False)
        self.language_box.currentIndexChanged.connect(
            lambda _: self.language_note.setVisible(self.language != self._language)
        )

        general_tab = QWidget()
        general = QFormLayout(general_tab)
        general.addRow(tr("Server"), self.server_edit)
        general.addRow(tr("CA certificate"), ca_row)
        general.addRow("", self.ca_error)
        general.addRow(tr("Poll every"), self.poll_spin)
        general.addRow(tr("Language"), self.language_box)
        general.addRow("", self.language_note)
        self.close_to_tray_box = QCheckBox(tr("Keep running in the tray when the window is closed"))
        self.close_to_tray_box.setChecked(close_to_tray)
        general.addRow("", self.close_to_tray_box)
        self.start_at_login_box = QCheckBox(tr("Start God Mode when I log in"))
        self.start_at_login_box.setChecked(start_at_login)
        general.addRow("", self.start_at_login_box)

        display_tab = QWidget()
        display = QFormLayout(display_tab)
        self.scheme_box = QComboBox()
        for code, name in (
            ("system", tr("As the system")),
            ("light", tr("Light")),
            ("dark", tr("Dark")),
        ):
            self.scheme_box.addItem(name, code)
        self.scheme_box.setCurrentIndex(max(0, self.scheme_box.findData(scheme)))
        display.addRow(tr("Appearance"), self.scheme_box)
        self.text_size_box = QComboBox()
        for percent in TEXT_SIZES:
            self.text_size_box.addItem(f"{percent} %", percent)
        found = self.text_size_box.findData(text_size)
        self.text_size_box.setCurrentIndex(found if found >= 0 else TEXT_SIZES.index(100))
        self.text_size_box.setToolTip(tr("On top of the system's text size (View → Text size)"))
        display.addRow(tr("Text size"), self.text_size_box)
        self.density_box = QComboBox()
        self.density_box.addItem(tr("Comfortable"), "comfortable")
        self.density_box.addItem(tr("Compact (more rooms on screen)"), "compact")
        self.density_box.setCurrentIndex(max(0, self.density_box.findData(density)))
        display.addRow(tr("Rows"), self.density_box)
        display.addRow(tr("Stale after"), self.stale_spin)
        display.addRow(tr("Keep silent rooms for"), self.keep_spin)

        self.tier_rows: list[tuple[QSpinBox, QLineEdit, QComboBox]] = []
        tiers_box = QWidget()
        tiers_layout = QFormLayout(tiers_box)
        tiers_layout.addRow(QLabel(tr("Tokens in one update that raise each alert:")))
        for n, tier in enumerate(tiers):
            threshold = QSpinBox()
            threshold.setRange(0, 10_000_000)
            threshold.setValue(tier.threshold)
            label = QLineEdit(tier_label(tier.label))
            sound = QComboBox()
            sound.setAccessibleName(tr("Sound of tier %1").replace("%1", str(n + 1)))
            for name in SOUNDS:
                sound.addItem(name, name)
            if tier.sound not in SOUNDS:  # the user's own file
                sound.addItem(Path(tier.sound).name, tier.sound)
            sound.addItem(tr("Your own file…"), None)
            sound.setCurrentIndex(max(0, sound.findData(tier.sound)))
            sound.setProperty("previous", sound.currentIndex())
            sound.activated.connect(lambda index, box=sound: self._maybe_choose_sound(box, index))
            threshold.setAccessibleName(tr("Tokens for tier %1").replace("%1", str(n + 1)))
            label.setAccessibleName(tr("Label of tier %1").replace("%1", str(n + 1)))
            row = QHBoxLayout()
            row.addWidget(threshold)
            row.addWidget(label, 1)
            row.addWidget(sound)
            tiers_layout.addRow(tr("Tier %1").replace("%1", str(n + 1)), row)
            self.tier_rows.append((threshold, label, sound))
        self.tips_box = QCheckBox(tr("Alert on tips"))
        tiers_layout.insertRow(0, self.tips_box)
        # A threshold of 0 switches a tier off.
        self.show_spin = QSpinBox()
        self.show_spin.setRange(2, 60)
        self.show_spin.setSuffix(tr(" s"))
        self.show_spin.setValue(show_seconds)
        tiers_layout.addRow(tr("Show each alert for"), self.show_spin)
        self.test_button = QPushButton(tr("Send test alert"))
        self.test_button.clicked.connect(self.test_alert_requested)
        tiers_layout.addRow(self.test_button)

        # The other kinds (alert_rules.py); goals and muted rooms are set per room in the grid.
        rules = rules or AlertRules()
        self._rules = rules
        self.tips_box.setChecked(rules.tips)
        others_box = QWidget()
        others = QFormLayout(others_box)
        self.offline_box = QCheckBox(
            tr("A room goes off line (nothing for the stale time) or comes back")
        )
        self.offline_box.setChecked(rules.offline)
        others.addRow(self.offline_box)
        self.drop_box = QCheckBox(tr("The audience drops"))
        self.drop_box.setChecked(rules.audience_drop)
        self.drop_percent = QSpinBox()
        self.drop_percent.setRange(5, 95)
        self.drop_percent.setSuffix(" %")
        self.drop_percent.setValue(int(rules.drop_percent))
        self.drop_percent.setAccessibleName(tr("Audience drop, percent"))
        self.drop_minutes = QSpinBox()
        self.drop_minutes.setRange(1, 120)
        self.drop_minutes.setSuffix(tr(" min"))
        self.drop_minutes.setValue(int(rules.drop_minutes))
        self.drop_minutes.setAccessibleName(tr("Audience drop, within minutes"))
        others.addRow(self.drop_box)
        others.addRow(tr("by at least"), self.drop_percent)
        others.addRow(tr("within"), self.drop_minutes)
        self.drop_min_viewers = QSpinBox()
        self.drop_min_viewers.setRange(1, 100_000)
        self.drop_min_viewers.setValue(rules.drop_min_viewers)
        self.drop_min_viewers.setAccessibleName(tr("Audience drop, smallest audience"))
        self.drop_min_lost = QSpinBox()
        self.drop_min_lost.setRange(1, 100_000)
        self.drop_min_lost.setValue(rules.drop_min_lost)
        self.drop_min_lost.setAccessibleName(tr("Audience drop, fewest viewers lost"))
        self.drop_min_viewers.setSuffix(tr(" viewers"))
        self.drop_min_lost.setSuffix(tr(" viewers"))
        others.addRow(tr("in rooms of at least"), self.drop_min_viewers)
        others.addRow(tr("losing at least"), self.drop_min_lost)
        self.collectors_box = QCheckBox(
            tr("A collector (an API key) stops posting, or starts again")
        )
        self.collectors_box.setChecked(rules.collectors)
        others.addRow(self.collectors_box)

        muted_tab = QWidget()
        muted_layout = QVBoxLayout(muted_tab)
        self.muted_list = QListWidget()
        self.muted_list.setAccessibleName(tr("Muted rooms"))
        self.muted_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for room, platform in sorted(rules.muted_rooms):
            item = QListWidgetItem(f"{room} ({platform})")
            item.setData(KEY_ROLE, (room, platform))
            self.muted_list.addItem(item)
        self.muted_empty = QLabel(tr("No room is muted. Mute one from its menu in the grid."))
        self.muted_empty.setWordWrap(True)
        self.unmute_button = QPushButton(tr("Unmute"))
        self.unmute_button.clicked.connect(self._unmute_selected)
        self.unmute_all_button = QPushButton(tr("Unmute all"))
        self.unmute_all_button.clicked.connect(self.muted_list.clear)
        self.muted_list.itemSelectionChanged.connect(self._muted_changed)
        self.muted_list.model().rowsRemoved.connect(self._muted_changed)
        muted_buttons = QHBoxLayout()
        muted_buttons.addStretch(1)
        muted_buttons.addWidget(self.unmute_button)
        muted_buttons.addWidget(self.unmute_all_button)
        muted_layout.addWidget(self.muted_empty)
        muted_layout.addWidget(self.muted_list, 1)
        muted_layout.addLayout(muted_buttons)
        self._muted_changed()

        self.tabs = QTabWidget()
        self.tabs.addTab(general_tab, tr("General"))
        self.tabs.addTab(display_tab, tr("Display"))
        self.tabs.addTab(tiers_box, tr("Tip alerts"))
        self.tabs.addTab(others_box, tr("Other alerts"))
        self.tabs.addTab(muted_tab, tr("Muted rooms"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def _muted_changed(self) -> None:
        rooms = self.muted_list.count()
        self.muted_empty.setVisible(not rooms)
        self.muted_list.setVisible(bool(rooms))
        self.unmute_button.setEnabled(bool(self.muted_list.selectedItems()))
        self.unmute_all_button.setEnabled(bool(rooms))

    def _unmute_selected(self) -> None:
        for item in self.muted_list.selectedItems():
            self.muted_list.takeItem(self.muted_list.row(item))

    def muted_rooms(self) -> frozenset[RoomKey]:
        """The rooms still muted (the others were unmuted here)."""
        return frozenset(
            RoomKey(*self.muted_list.item(row).data(KEY_ROLE))
            for row in range(self.muted_list.count())
        )

    def _maybe_choose_sound(self, box: QComboBox, index: int) -> None:
        """The last entry, "Your own file…": pick a .wav; cancelled, the previous sound stays."""
        if box.itemData(index) is not None:
            box.setProperty("previous", index)
            return
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Alert sound"), str(Path.home()), tr("Sounds (*.wav)")
        )
        if not path:
            box.setCurrentIndex(int(box.property("previous") or 0))
            return
        found = box.findData(path)
        if found < 0:
            box.insertItem(index, Path(path).name, path)
            found = index
        box.setCurrentIndex(found)
        box.setProperty("previous", found)

    def rules(self) -> AlertRules:
        """The alert kinds and muted rooms as edited (the rooms' goals kept as they were)."""
        return replace(
            self._rules,
            tips=self.tips_box.isChecked(),
            offline=self.offline_box.isChecked(),
            audience_drop=self.drop_box.isChecked(),
            collectors=self.collectors_box.isChecked(),
            drop_percent=float(self.drop_percent.value()),
            drop_minutes=float(self.drop_minutes.value()),
            drop_min_viewers=self.drop_min_viewers.value(),
            drop_min_lost=self.drop_min_lost.value(),
            muted_rooms=self.muted_rooms(),
        )

    def tiers(self) -> list[AlertTier]:
        """The tiers as edited; a threshold of 0 switches a tier off."""
        tiers = [
            AlertTier(
                t.value(), tier_source(label.text().strip()) or "Tip", sound.currentData() or "tip"
            )
            for t, label, sound in self.tier_rows
        ]
        return sorted(tiers, key=lambda t: t.threshold)

    @property
    def server(self) -> str:
        return self.server_edit.text().strip()

    @property
    def ca_file(self) -> str:
        return self.ca_edit.text().strip()

    def _choose_ca_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("CA certificate"), self.ca_file, tr("Certificates (*.pem *.crt *.cer)")
        )
        if path:
            self.ca_edit.setText(path)

    def accept(self) -> None:
        """Close only with a CA file that exists (the app checks that it holds a certificate)."""
        if self.ca_file and not Path(self.ca_file).is_file():
            self.ca_error.setText(tr("No file at %1").replace("%1", self.ca_file))
            self.ca_error.show()
            return
        super().accept()

    @property
    def language(self) -> str:
        return str(self.language_box.currentData())
