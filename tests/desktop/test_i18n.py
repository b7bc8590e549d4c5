"""English and Spanish: the catalogue covers the interface, and Spanish loads and translates."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from godmode_desktop import resources
from godmode_desktop.app import install_translator
from godmode_desktop.board import RoomBoard
from godmode_desktop.widgets.main_window import MainWindow
from godmode_desktop.widgets.rooms_columns import Column
from godmode_desktop.widgets.rooms_format import format_age
from godmode_desktop.widgets.rooms_model import RoomsModel

SPANISH = resources.translations() / "godmode_es.ts"
SOURCES = sorted(Path("godmode_desktop").rglob("*.py"))


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[list[QTranslator]]:
    translators = install_translator(qapp, "es")
    assert translators, "resources/i18n/godmode_es.qm is built by make translations"
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


@pytest.mark.usefixtures("spanish")
def test_the_spanish_window(qtbot: QtBot) -> None:
    window = MainWindow(RoomsModel(RoomBoard()), ["chaturbate"])
    qtbot.addWidget(window)

    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&God Mode", "&Cuenta", "&Ver", "&Alertas", "&Conexión", "&Ayuda"]
    assert window.filter_edit.placeholderText() == "Filtrar salas…"
    assert window.platform_box.itemText(0) == "Todas las plataformas"
    assert window.status.state_label.text() == "● Conectando"
    assert window.status.reconnect_button.text() == "Reconectar ahora"
    assert window.model.headerData(Column.ROOM, Qt.Orientation.Horizontal) == "Sala"
    assert window.totals_label.text() == "Turno 0 · Hoy 0 · Espectadores 0 · En vivo 0"
    assert format_age(5) == "hace 5 s"


def test_the_catalogue_has_every_string_translated(tmp_path: Path) -> None:
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    assert lupdate is not None
    fresh = tmp_path / "fresh.ts"
    shutil.copy(SPANISH, fresh)
    result = subprocess.run(
        [lupdate, "-tr-function-alias", "tr+=tr", *map(str, SOURCES), "-ts", str(fresh)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "0 new" in result.stdout, f"strings missing from godmode_es.ts:\n{result.stdout}"
    unfinished = [
        message.findtext("source")
        for message in ET.parse(fresh).getroot().iter("message")
        if message.find("translation[@type='unfinished']") is not None
        or message.find("translation[@type='vanished']") is not None
    ]
    assert unfinished == [], "run make i18n-update and translate these"
