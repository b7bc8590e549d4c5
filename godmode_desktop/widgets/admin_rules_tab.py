"""The Administration's *Reading rules* tab: fix how the collectors read a counter without going
to the broadcaster's PC.  Pick a page outline a collector sent (the extension's *Send page
outline*) and a counter, edit its strategies (JSON, tried in order), try them on the outline,
and publish them to every collector.

It asks through signals; its presenter has the server try and publish (the widgets never touch
the network).
"""

from __future__ import annotations

import json
import time
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import (
    KeptOutline,
    OutlineNode,
    OutlineSummary,
    ServedSelectors,
    StrategyTrial,
)

from .admin_tables import fill_table, make_table

COUNTERS = ("tokens_count", "tips_count", "viewers_count")


def outline_lines(root: OutlineNode) -> list[str]:
    """An outline as indented lines, each element as a CSS selector would name it:
    ``span.tokencount = 1,234``, ``div#chat (left out)``, ``div.panel [data-testid]``."""
    lines: list[str] = []
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        text = node.t + (f"#{node.i}" if node.i else "") + "".join(f".{c}" for c in node.c)
        if node.d:
            text += " " + " ".join(f"[{d}]" for d in node.d)
        if node.x is not None:
            text += f" = {node.x}"
        if node.o:
            text += " " + tr("(left out: private)")
        lines.append("  " * depth + text)
        stack.extend((kid, depth + 1) for kid in reversed(node.k))
    return lines


def _result(trial: StrategyTrial) -> str:
    return {
        "reads": tr("reads"),
        "no count": tr("found, no count in it"),
        "missing": tr("not found"),
        "malformed selector": tr("malformed selector"),
        "untestable": tr("not in an outline: use Check this page"),
    }.get(trial.result, trial.result)


class RulesTab(QWidget):
    #: (key, platform, strategies): try them on that key's outline of the platform.
    try_requested = Signal(str, str, list)
    #: (key, platform): show that key's outline of the platform.
    outline_requested = Signal(str, str)
    #: A whole rules document to publish (its version one above the served one).
    publish_requested = Signal(dict)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outlines: list[OutlineSummary] = []
        self.served: ServedSelectors | None = None
        self.outline_box = QComboBox()
        self.outline_box.setAccessibleName(tr("Page outline"))
        self.counter_box = QComboBox()
        self.counter_box.addItems(COUNTERS)
        self.counter_box.setAccessibleName(tr("Counter"))
        self.served_label = QLabel()
        self.served_label.setWordWrap(True)
        self.outline_view = QPlainTextEdit()
        self.outline_view.setReadOnly(True)
        self.outline_view.setAccessibleName(tr("The page's outline"))
        self.outline_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(tr("Strategies, in order (JSON)"))
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.try_button = QPushButton(tr("Try on this outline"))
        self.publish_button = QPushButton(tr("Publish to every collector"))
        self.table = make_table([tr("Strategy"), tr("Result"), tr("Count shown")])
        self.table.setAccessibleName(tr("What each strategy reads"))
        form = QFormLayout()
        form.addRow(tr("Page outline"), self.outline_box)
        form.addRow(tr("Counter"), self.counter_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.try_button)
        buttons.addWidget(self.publish_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.served_label)
        panes = QHBoxLayout()
        panes.addWidget(self.outline_view, 3)
        panes.addWidget(self.editor, 2)
        layout.addLayout(panes, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.outline_box.currentIndexChanged.connect(self._load_strategies)
        self.outline_box.currentIndexChanged.connect(self._ask_outline)
        self.counter_box.currentIndexChanged.connect(self._load_strategies)
        self.try_button.clicked.connect(self._try)
        self.publish_button.clicked.connect(self._publish)
        self._enable()

    # --- what the server says -----------------------------------------------------------------

    def show_outlines(self, outlines: list[OutlineSummary]) -> None:
        chosen = self._outline()
        self.outlines = list(outlines)
        self.outline_box.blockSignals(True)
        self.outline_box.clear()
        for o in self.outlines:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(o.received_at))
            self.outline_box.addItem(f"{o.platform} · {o.page} · {o.key} · {when}")
        if chosen is not None:
            for i, o in enumerate(self.outlines):
                if (o.key, o.platform) == (chosen.key, chosen.platform):
                    self.outline_box.setCurrentIndex(i)
        self.outline_box.blockSignals(False)
        self._load_strategies()
        self._ask_outline()

    def show_served(self, served: ServedSelectors) -> None:
        self.served = served
        if served.source == "published":
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(served.published_at or 0))
            self.served_label.setText(
                tr("Served to collectors: version {version}, published by {who} at {when}").format(
                    version=served.selectors.version, who=served.published_by, when=when
                )
            )
        else:
            self.served_label.setText(
                tr("Served to collectors: version {version}, from the server's file").format(
                    version=served.selectors.version
                )
            )
        self._load_strategies()

    def show_outline(self, kept: KeptOutline) -> None:
        chosen = self._outline()
        if chosen is None or (chosen.key, chosen.platform) != (kept.key, kept.outline.platform):
            return  # another outline was picked meanwhile
        lines = outline_lines(kept.outline.root)
        if kept.outline.truncated:
            lines.append(
                tr("(the page was larger: cut at {0} elements)").format(kept.outline.nodes)
            )
        self.outline_view.setPlainText("\n".join(lines))

    def show_trials(self, trials: list[StrategyTrial]) -> None:
        fill_table(self.table, [[t.strategy, _result(t), t.shown or ""] for t in trials])

    # --- what the admin does ------------------------------------------------------------------

    def _outline(self) -> OutlineSummary | None:
        index = self.outline_box.currentIndex()
        return self.outlines[index] if 0 <= index < len(self.outlines) else None

    def _ask_outline(self) -> None:
        self.outline_view.clear()
        outline = self._outline()
        if outline is not None:
            self.outline_requested.emit(outline.key, outline.platform)

    def _enable(self) -> None:
        ready = self._outline() is not None and self.served is not None
        self.try_button.setEnabled(ready)
        self.publish_button.setEnabled(ready)
        if self._outline() is None:
            self.editor.setPlaceholderText(
                tr(
                    "No page outline yet: on the broadcaster's PC, open the broadcast page and "
                    "click Send page outline in the collector's popup."
                )
            )

    def _load_strategies(self) -> None:
        outline, served = self._outline(), self.served
        self._enable()
        if outline is None or served is None:
            return
        platform = served.selectors.platforms.get(outline.platform)
        counter = self.counter_box.currentText()
        entries: list[Any] = []
        if platform is not None:
            entries = [
                e if isinstance(e, str) else e.model_dump(mode="json", exclude_none=True)
                for e in getattr(platform.counters, counter)
            ]
        self.editor.setPlainText(json.dumps(entries, indent=2, ensure_ascii=False))
        fill_table(self.table, [])

    def _strategies(self) -> list[Any] | None:
        try:
            entries = json.loads(self.editor.toPlainText())
        except ValueError as exc:
            self.problem.emit(tr("the strategies are not JSON: {0}").format(exc))
            return None
        if not isinstance(entries, list) or not entries:
            self.problem.emit(tr("the strategies are a JSON list of one or more entries"))
            return None
        return entries

    def _try(self) -> None:
        outline, entries = self._outline(), self._strategies()
        if outline is not None and entries is not None:
            self.try_requested.emit(outline.key, outline.platform, entries)

    def _publish(self) -> None:
        outline, served, entries = self._outline(), self.served, self._strategies()
        if outline is None or served is None or entries is None:
            return
        document = served.selectors.model_dump(mode="json", exclude_none=True)
        platform = document["platforms"].get(outline.platform)
        if platform is None:
            self.problem.emit(tr("{0} has no reading rules to change").format(outline.platform))
            return
        platform["counters"][self.counter_box.currentText()] = entries
        document["version"] = served.selectors.version + 1
        self.publish_requested.emit(document)
