"""Settings: server, its CA certificate, alert tiers, stale time, poll interval, language; and
"Send test alert"."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from godmode_desktop.alert_rules import AlertRules
from godmode_desktop.alerts import AlertTier
from godmode_desktop.i18n import tr

from .style import ALERT_SHOW_MS

SOUNDS = ("tip", "big-tip", "huge-tip")


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

        general = QFormLayout()
        general.addRow(tr("Server"), self.server_edit)
        general.addRow(tr("CA certificate"), ca_row)
        general.addRow("", self.ca_error)
        general.addRow(tr("Stale after"), self.stale_spin)
        general.addRow(tr("Keep silent rooms for"), self.keep_spin)
        general.addRow(tr("Poll every"), self.poll_spin)
        general.addRow(tr("Language"), self.language_box)
        self.scheme_box = QComboBox()
        for code, name in (
            ("system", tr("As the system")),
            ("light", tr("Light")),
            ("dark", tr("Dark")),
        ):
            self.scheme_box.addItem(name, code)
        self.scheme_box.setCurrentIndex(max(0, self.scheme_box.findData(scheme)))
        general.addRow(tr("Appearance"), self.scheme_box)
        self.close_to_tray_box = QCheckBox(tr("Keep running in the tray when the window is closed"))
        self.close_to_tray_box.setChecked(close_to_tray)
        general.addRow("", self.close_to_tray_box)
        self.start_at_login_box = QCheckBox(tr("Start God Mode when I log in"))
        self.start_at_login_box.setChecked(start_at_login)
        general.addRow("", self.start_at_login_box)

        self.tier_rows: list[tuple[QSpinBox, QLineEdit, QComboBox]] = []
        tiers_box = QGroupBox(tr("Tip alerts (tokens in one update)"))
        tiers_layout = QFormLayout(tiers_box)
        for n, tier in enumerate(tiers):
            threshold = QSpinBox()
            threshold.setRange(0, 10_000_000)
            threshold.setValue(tier.threshold)
            label = QLineEdit(tier.label)
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
        others_box = QGroupBox(tr("Other alerts"))
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
        drop_row = QHBoxLayout()
        drop_row.addWidget(self.drop_box)
        drop_row.addWidget(QLabel(tr("by")))
        drop_row.addWidget(self.drop_percent)
        drop_row.addWidget(QLabel(tr("within")))
        drop_row.addWidget(self.drop_minutes)
        drop_row.addStretch(1)
        others.addRow(drop_row)
        self.drop_min_viewers = QSpinBox()
        self.drop_min_viewers.setRange(1, 100_000)
        self.drop_min_viewers.setValue(rules.drop_min_viewers)
        self.drop_min_viewers.setAccessibleName(tr("Audience drop, smallest audience"))
        self.drop_min_lost = QSpinBox()
        self.drop_min_lost.setRange(1, 100_000)
        self.drop_min_lost.setValue(rules.drop_min_lost)
        self.drop_min_lost.setAccessibleName(tr("Audience drop, fewest viewers lost"))
        minimums = QHBoxLayout()
        minimums.addWidget(QLabel(tr("only in rooms of at least")))
        minimums.addWidget(self.drop_min_viewers)
        minimums.addWidget(QLabel(tr("viewers, losing at least")))
        minimums.addWidget(self.drop_min_lost)
        minimums.addStretch(1)
        others.addRow(minimums)
        self.collectors_box = QCheckBox(
            tr("A collector (an API key) stops posting, or starts again")
        )
        self.collectors_box.setChecked(rules.collectors)
        others.addRow(self.collectors_box)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(general)
        layout.addWidget(tiers_box)
        layout.addWidget(others_box)
        layout.addWidget(buttons)

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
        """The alert kinds as edited (the rooms' goals and mutes kept as they were)."""
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
        )

    def tiers(self) -> list[AlertTier]:
        """The tiers as edited; a threshold of 0 switches a tier off."""
        tiers = [
            AlertTier(t.value(), label.text().strip() or tr("Tip"), sound.currentData() or "tip")
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
