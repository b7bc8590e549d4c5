"""Render the extension's toolbar icons from the app's icon (resources/godmode.svg).

    QT_QPA_PLATFORM=offscreen .venv/bin/python extension/make_icons.py

The PNGs are committed: the extension is loaded as a folder and builds nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SIZES = (16, 32, 48, 128)


def main() -> None:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - Qt needs it for painting
    renderer = QSvgRenderer(str(HERE.parent / "resources" / "godmode.svg"))
    (HERE / "icons").mkdir(exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(HERE / "icons" / f"icon{size}.png"))
        print(f"icons/icon{size}.png")


if __name__ == "__main__":
    main()
