"""The Reports window wired to the server: the studio's calendar asked for once, each report the
window asks for requested through the controller, and what comes back (or the refusal) shown.

The window (widgets/reports_window.py) never touches the network; this is the one place that
knows both it and the controller's report requests.
"""

from __future__ import annotations

from .controller import Controller
from .widgets.reports_window import ReportsWindow


class ReportsPresenter:
    def __init__(self, window: ReportsWindow, controller: Controller) -> None:
        self.window = window
        self._controller = controller
        window.report_requested.connect(self._request)
        controller.calendar_loaded.connect(window.set_calendar)
        controller.report_loaded.connect(window.show_report)
        controller.report_failed.connect(window.show_error)
        controller.request_calendar()

    def _request(self, start: int, end: int, group: str) -> None:
        self.window.show_loading()
        self._controller.request_report(start, end, group)
