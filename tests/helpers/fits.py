"""Does every text fit its widget?  Font metrics against each shown widget's size, for the
window tests that walk every window in both languages, both schemes and two text sizes.

A widget may say it elides on purpose (a long path with its whole text in the tool tip) by the
dynamic property ``elides`` set to true; it is then skipped.  A table whose cells may be cut
(a free text column with its whole text in the tool tip) says so by ``elides_cells``, and one
meant to scroll sideways (an editor of long lines) by ``scrolls_sideways``.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenuBar,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QTableView,
    QTreeView,
    QWidget,
)

#: A line edit's frame and text margins, each side, in pixels (Fusion's: 2 + 2, and a pixel).
LINE_EDIT_MARGINS = 6


def _name(widget: QWidget) -> str:
    window = widget.window().windowTitle() or type(widget.window()).__name__
    label = widget.objectName() or widget.accessibleName() or type(widget).__name__
    return f"{window} › {label}"


def _shown(root: QWidget) -> Iterable[QWidget]:
    yield root
    for child in root.findChildren(QWidget):
        if child.isVisibleTo(root) and child.isVisible():
            yield child


def _label(label: QLabel) -> str | None:
    text = label.text()
    if not text:
        return None
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if need > label.height():
            return f"{text!r} needs {need} px of height, has {label.height()}"
        # A word longer than the whole line cannot wrap.
        metrics = label.fontMetrics()
        plain = text if label.textFormat() is Qt.TextFormat.PlainText else _plain(text)
        widest = max((metrics.horizontalAdvance(word) for word in plain.split()), default=0)
        room = label.contentsRect().width() - 2 * label.margin() - 2 * label.indent()
        if widest > room:
            return f"{text!r}: a word {widest} px wide in {room} px"
        return None
    hint = label.minimumSizeHint()
    if label.width() < hint.width() or label.height() < hint.height():
        return (
            f"{text!r} needs {hint.width()}×{hint.height()}, has {label.width()}×{label.height()}"
        )
    return None


def _plain(text: str) -> str:
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def _button(button: QAbstractButton) -> str | None:
    if not button.text():
        return None
    hint = button.sizeHint()
    if button.width() < hint.width() or button.height() < hint.height():
        return (
            f"{button.text()!r} needs {hint.width()}×{hint.height()}, "
            f"has {button.width()}×{button.height()}"
        )
    return None


def _line_edit(edit: QLineEdit) -> str | None:
    text = edit.text() or edit.placeholderText()
    if not text or isinstance(edit.parent(), QComboBox):
        return None
    metrics = edit.fontMetrics()
    need = metrics.horizontalAdvance(text) + LINE_EDIT_MARGINS * 2
    if isinstance(edit.parent(), QAbstractSpinBox):
        need -= LINE_EDIT_MARGINS * 2  # the spin box's field has no frame of its own
    if edit.isClearButtonEnabled():
        need += edit.height()  # the clear button's square, when there is text
    room = edit.width()
    if need > room or metrics.height() > edit.height():
        return f"{text!r} needs {need}×{metrics.height()}, has {room}×{edit.height()}"
    return None


def _combo(combo: QComboBox) -> str | None:
    text = combo.currentText()
    if not text:
        return None
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field: QRect = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    need = combo.fontMetrics().horizontalAdvance(text)
    if need > field.width():
        return f"{text!r} needs {need} px, its field has {field.width()}"
    return None


def _tabs(bar: QTabBar) -> list[str]:
    problems = []
    for index in range(bar.count()):
        text = bar.tabText(index).replace("&", "")
        need = bar.fontMetrics().horizontalAdvance(text)
        if need > bar.tabRect(index).width():
            problems.append(f"tab {text!r} needs {need} px, has {bar.tabRect(index).width()}")
    return problems


def _group(box: QGroupBox) -> str | None:
    title = box.title().replace("&", "")
    need = box.fontMetrics().horizontalAdvance(title)
    if title and need > box.width():
        return f"title {title!r} needs {need} px, has {box.width()}"
    return None


def _header(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or header.isHidden():
        return []
    problems = []
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        text = model.headerData(logical, header.orientation(), Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        need = header.sectionSizeFromContents(logical).width()
        size = header.sectionSize(logical)
        if need > size:
            problems.append(f"column {text!r} needs {need} px, has {size}")
    return problems


def _sideways(view: QAbstractScrollArea) -> str | None:
    """A table or list that must be scrolled sideways to read its columns."""
    bar = view.horizontalScrollBar()
    if bar.maximum() > 0 and not view.property("scrolls_sideways"):
        return f"scrolls sideways by {bar.maximum()} px"
    return None


def _cells(view: QTableView | QTreeView) -> list[str]:
    """Cells narrower than their text (for the rows on screen)."""
    model = view.model()
    if model is None or not model.rowCount():
        return []
    header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    problems = []
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        need = view.sizeHintForColumn(logical)
        size = header.sectionSize(logical)
        if need > size:
            title = model.headerData(logical, Qt.Orientation.Horizontal)
            problems.append(f"cells of {title!r} need {need} px, have {size}")
    return problems


def clipped(root: QWidget) -> list[str]:
    """What is cut short in ``root`` and its shown children, one line each: empty when every
    text fits."""
    problems: list[str] = []
    for widget in _shown(root):
        if widget.property("elides"):
            continue
        found: list[str | None] = []
        if isinstance(widget, QLabel):
            found.append(_label(widget))
        elif isinstance(widget, QAbstractButton) and not isinstance(widget.parent(), QTabBar):
            found.append(_button(widget))
        elif isinstance(widget, QLineEdit):
            found.append(_line_edit(widget))
        elif isinstance(widget, QComboBox):
            found.append(_combo(widget))
        elif isinstance(widget, QTabBar):
            found.extend(_tabs(widget))
        elif isinstance(widget, QGroupBox):
            found.append(_group(widget))
        elif isinstance(widget, QHeaderView):
            found.extend(_header(widget))
        elif isinstance(widget, QTableView | QTreeView):
            found.append(_sideways(widget))
            if not widget.property("elides_cells"):
                found.extend(_cells(widget))
        elif isinstance(widget, QMenuBar):
            pass  # Qt folds what does not fit into an extension menu
        problems.extend(f"{_name(widget)}: {p}" for p in found if p)
    return problems


def off_screen(window: QWidget) -> str | None:
    """Whether ``window`` (frame included) runs off its screen's available area."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    frame = window.frameGeometry()
    if area.contains(frame):
        return None
    return (
        f"{window.windowTitle() or type(window).__name__}: {frame.width()}×{frame.height()} at "
        f"({frame.x()}, {frame.y()}) off the screen's {area.width()}×{area.height()}"
    )


def over(window: QWidget, main: QWidget) -> str | None:
    """Whether ``window`` opened over ``main`` (its centre inside the main window)."""
    if main.frameGeometry().contains(window.frameGeometry().center()):
        return None
    return f"{window.windowTitle()} opened at {window.frameGeometry()} away from the main window"
