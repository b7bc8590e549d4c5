"""Settings: server, alert tiers, stale time, poll interval, language; and "Send test alert"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from godmode_desktop.alerts import AlertTier
from godmode_desktop.i18n import tr

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
        language: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Settings"))
        self.server_edit = QLineEdit(server)
        self.stale_spin = QSpinBox()
        self.stale_spin.setRange(10, 86400)
        self.stale_spin.setSuffix(tr(" s"))
        self.stale_spin.setValue(stale_after)
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
        general.addRow(tr("Stale after"), self.stale_spin)
        general.addRow(tr("Poll every"), self.poll_spin)
        general.addRow(tr("Language"), self.language_box)

        self.tier_rows: list[tuple[QSpinBox, QLineEdit, QComboBox]] = []
        tiers_box = QGroupBox(tr("Tip alerts (tokens in one update)"))
        tiers_layout = QFormLayout(tiers_box)
        for n, tier in enumerate(tiers):
            threshold = QSpinBox()
            threshold.setRange(0, 10_000_000)
            threshold.setValue(tier.threshold)
            label = QLineEdit(tier.label)
            sound = QComboBox()
            sound.addItems(SOUNDS)
            sound.setCurrentText(tier.sound)
            row = QHBoxLayout()
            row.addWidget(threshold)
            row.addWidget(label, 1)
            row.addWidget(sound)
            tiers_layout.addRow(tr("Tier %1").replace("%1", str(n + 1)), row)
            self.tier_rows.append((threshold, label, sound))
        self.test_button = QPushButton(tr("Send test alert"))
        self.test_button.clicked.connect(self.test_alert_requested)
        tiers_layout.addRow(self.test_button)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(general)
        layout.addWidget(tiers_box)
        layout.addWidget(buttons)

    def tiers(self) -> list[AlertTier]:
        """The tiers as edited; a threshold of 0 switches a tier off."""
        tiers = [
            AlertTier(t.value(), label.text().strip() or tr("Tip"), sound.currentText())
            for t, label, sound in self.tier_rows
        ]
        return sorted(tiers, key=lambda t: t.threshold)

    @property
    def server(self) -> str:
        return self.server_edit.text().strip()

    @property
    def language(self) -> str:
        return str(self.language_box.currentData())
