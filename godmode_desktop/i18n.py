"""Translation of the interface (Qt Linguist: resources/i18n/*.ts, compiled to .qm by make).

``tr("text")`` marks and translates a string; ``pyside6-lupdate -tr-function-alias tr+=tr``
finds every call, so the .ts files stay complete (see ``make translations``).  Numbers that
need plural forms use ``QCoreApplication.translate(context, text, None, n)`` directly.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

#: lupdate files strings found through the ``tr`` alias under the empty context.
CONTEXT = ""


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)
