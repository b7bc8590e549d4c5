"""Start-up and the application's life: login, the window and its live feed, logout, quit.

Qt and asyncio share one event loop (qasync), so network coroutines and widgets run in the same
thread and talk through plain calls and signals.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import sys
import time
from collections.abc import Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from godmode_common.platforms import DEFAULT_PLATFORMS
from godmode_common.rooms import RoomKey

from . import autostart, resources, single_instance, support
from .admin_presenter import AdminPresenter
from .alert_center import AlertCenter
from .alert_log import AlertLog, LoggedAlert
from .alert_rules import AlertRules
from .alerts import Alert
from .appearance import Appearance, text_size_step
from .board import RoomBoard
from .controller import Controller
from .i18n import tr
from .messages import describe
from .net.api import ApiClient
from .net.errors import NetError, TokenExpired
from .net.feed import FeedConfig
from .net.protocol import TelemetryUpdate
from .net.server_clock import ServerClock
from .net.session import Session, TokenVault
from .net.tls import BadCaFile, client_tls
from .reports_presenter import ReportsPresenter
from .settings import AppSettings
from .sound import SoundPlayer
from .widgets.about_dialog import AboutDialog
from .widgets.admin_window import AdminWindow
from .widgets.alert_banner import Tray
from .widgets.alerts_model import AlertsModel
from .widgets.alerts_panel import AlertsPanel
from .widgets.error_dialog import ErrorDialog
from .widgets.login_dialog import LoginDialog
from .widgets.main_window import MainWindow
from .widgets.password_dialog import PasswordDialog
from .widgets.placement import keep_on_screen, place
from .widgets.reports_window import ReportsWindow
from .widgets.rooms_model import RoomsModel
from .widgets.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)

#: How often the app looks for a system tray while it has none, milliseconds.
TRAY_WATCH_MS = 2000


def install_translator(app: QApplication, language: str) -> list[QTranslator]:
    """Load ``resources/i18n/godmode_<lang>.qm`` (the system's language when ``language`` is
    empty) and Qt's own catalogue for its standard buttons and dialogs (*Cancel*, *Close*, the
    file dialog); English needs none.  The translators installed, for removing them again."""
    code = language or QLocale.system().name().split("_")[0]
    if code in ("en", "C"):
        # English; a bare "C" locale would also print numbers without digit grouping.
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    ours = QTranslator(app)
    if not ours.load(f"godmode_{code}", str(resources.translations())):
        return []
    installed = [ours]
    qt = QTranslator(app)
    if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        installed.append(qt)
    else:  # a Qt built without its translations: its buttons stay in English
        log.info("Qt's own %s translations are not installed", code)
    for translator in installed:
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(code))
    return installed


class GodModeApp(QObject):
    """Owns the session, the window and the feed; shows the login dialog when needed."""

    def __init__(
        self,
        settings: AppSettings,
        vault: TokenVault | None = None,
        *,
        feed_config: FeedConfig | None = None,
        use_tray: bool | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.vault = vault if vault is not None else TokenVault()
        self._feed_config = feed_config
        self.finished: asyncio.Future[None] = asyncio.get_event_loop().create_future()
        self.login_dialog: LoginDialog | None = None
        self.window: MainWindow | None = None
        self.reports: ReportsWindow | None = None
        self.admin: AdminWindow | None = None
        #: What wires the Reports and Administration windows to the server (one each, per session).
        self._reports_presenter: ReportsPresenter | None = None
        self._admin_presenter: AdminPresenter | None = None
        self.controller: Controller | None = None
        self.session: Session | None = None
        self.api: ApiClient | None = None
        self._feed_task: asyncio.Task[object] | None = None
        self._tasks: set[asyncio.Task[object]] = set()
        self.sounds = SoundPlayer(self)
        app = QApplication.instance()
        #: Light or dark, following the system (None when there is no QApplication).
        self.appearance = (
            Appearance(app, settings.scheme, self, text_size=settings.text_size)
            if isinstance(app, QApplication)
            else None
        )
        #: The server's time: every age, stale mark and off-line alert is counted on it.
        self.server_clock = ServerClock()
        now = self.server_clock.now
        self.alerts = AlertCenter(
            settings.tiers,
            rules=settings.alert_rules,
            show_ms=settings.alert_show_seconds * 1000,
            play_sound=self.sounds.play,
            clock=now,
            parent=self,
        )
        self.alerts.set_muted(settings.muted)
        self.board = RoomBoard(now, forget_after=settings.keep_silent_hours * 3600)
        self.model = RoomsModel(
            self.board, stale_after=settings.stale_after, clock=now, parent=self
        )
        self._use_tray = QSystemTrayIcon.isSystemTrayAvailable() if use_tray is None else use_tray
        self.tray: Tray | None = None
        # A tray that starts after the app (a panel that comes up after an autostarted app at
        # login) is docked into when it appears.  Qt tells no change of the tray's availability
        # (Qt 6's xcb platform re-docks an icon already shown, but only then): it is asked.
        self._tray_watch = QTimer(self)
        self._tray_watch.setInterval(TRAY_WATCH_MS)
        self._tray_watch.timeout.connect(self._look_for_tray)
        if use_tray is None and not self._use_tray:
            self._tray_watch.start()
        self.log_file = support.log_folder() / support.LOG_FILE
        self.about_dialog: AboutDialog | None = None
        self._told_about_tray = False
        self.error_dialog: ErrorDialog | None = None
        self.alerts.alert_shown.connect(self._show_alert)
        #: Every alert of the session, for the alerts panel.
        self.alert_log = AlertLog()
        self.alerts_model = AlertsModel(self.alert_log, self)
        self.alerts.alert_raised.connect(self._log_alert)

    # --- start ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the window at once with a stored valid token, else the login dialog."""
        if self.vault.problem:
            log.warning("the token is kept in memory only: %s", self.vault.problem)
        if self.settings.user:
            session = Session(self.settings.server, self.settings.user, self.vault)
            if session.restore():
                self._open(session, self._client(session.server_url, session.token))
                return
        self.show_login()

    async def run(self) -> None:
        self.start()
        await self.finished

    def _spawn(self, coro: Coroutine[object, object, object]) -> asyncio.Task[object]:
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # --- login ---------------------------------------------------------------------------------

    def show_login(self, message: str = "") -> None:
        dialog = LoginDialog(self.settings.server, self.settings.user)
        dialog.login_requested.connect(lambda *a: self._spawn(self.login(*a)))
        dialog.rejected.connect(self._login_cancelled)
        self.login_dialog = dialog
        if message:
            dialog.show_error(message)
        dialog.show()
        log.info("login dialog shown")

    def _login_cancelled(self) -> None:
        self.login_dialog = None
        if self.window is None or not self.window.isVisible():
            self.quit()

    async def login(self, server: str, user: str, password: str) -> bool:
        """Log in from the dialog; on failure the dialog says why and stays open."""
        api = self._client(server)
        session = Session(server, user, self.vault)
        try:
            await session.login(api, password)
        except NetError as exc:
            await api.aclose()
            if self.login_dialog is not None:
                self.login_dialog.show_error(describe(exc))
            return False
        self.settings.server, self.settings.user = session.server_url, user
        self.settings.sync()
        if self.login_dialog is not None:
            self.login_dialog.accept()
            self.login_dialog = None
        self._open(session, api)
        return True

    # --- the window and its feed ---------------------------------------------------------------

    def _open(self, session: Session, api: ApiClient) -> None:
        self.session, self.api = session, api
        window = self._window()
        window.status.set_account(session.server_url, session.username)
        config = self._feed_config or FeedConfig(poll_interval=self.settings.poll_interval)
        self.controller = controller = Controller(
            api,
            session,
            self.board,
            self.model,
            self.alerts,
            config,
            parent=self,
            server_clock=self.server_clock,
        )
        controller.status_changed.connect(window.status.show_status)
        controller.data_arrived.connect(window.status.note_data)
        controller.history_loaded.connect(window.chart.set_history)
        controller.update_applied.connect(self._extend_chart)
        controller.session_ended.connect(self._session_ended)
        controller.account_loaded.connect(window.show_account)
        window.show()
        log.info("window shown")
        # Everything built so far lives as long as the app: out of the collector's sight, a full
        # collection no longer walks it (a 100 ms pause under a busy feed, measured).
        gc.freeze()
        self._feed_task = self._spawn(controller.run())
        controller.request_account()
        controller.watched_room = window.selected_room
        if window.selected_room is not None:
            controller.request_history(window.selected_room, window.chart.time_range())

    def _window(self) -> MainWindow:
        if self.window is not None:
            return self.window
        window = MainWindow(self.model, list(DEFAULT_PLATFORMS), clock=self.server_clock.now)
        window.setWindowIcon(QIcon(str(resources.icon())))
        geometry, header = self.settings.window_state()
        if geometry is not None and window.restoreGeometry(geometry):
            keep_on_screen(window)
        if header is not None:
            window.table.horizontalHeader().restoreState(header)
            window.fit_columns()  # a larger text than when it was saved: no clipped header
        window.set_density(self.settings.density)
        window.set_money(self.settings.money)
        window.money_toggled.connect(self._set_money)
        window.restore_split(self.settings.splitter_state())
        window.set_chart_visible(self.settings.chart_visible)  # after the splitter's state
        window.restore_view(self.settings.view_state())
        window.density_changed.connect(self._set_density)
        window.chart_toggled.connect(self._set_chart_visible)
        window.text_size_requested.connect(self._step_text_size)
        window.mute_action.setChecked(self.alerts.muted)
        window.mute_action.toggled.connect(self._set_muted)
        self.alerts.muted_changed.connect(window.mute_action.setChecked)
        window.test_alert_requested.connect(self.alerts.send_test)
        window.logout_requested.connect(lambda: self._spawn(self.logout()))
        window.settings_requested.connect(self.open_settings)
        window.close_requested.connect(self._window_closed)
        window.about_requested.connect(self.open_about)
        window.reports_requested.connect(self.open_reports)
        window.password_requested.connect(self.open_password_dialog)
        window.admin_requested.connect(self.open_admin)
        window.quit_requested.connect(self.quit)
        window.status.reconnect_requested.connect(self._reconnect)
        window.room_selected.connect(self._room_selected)
        window.chart.range_changed.connect(lambda: self._room_selected(window.selected_room))
        panel = AlertsPanel(self.alerts_model, window)
        window.add_alerts_panel(panel)
        panel.hide()  # View it from the Alerts menu (Ctrl+L); the title counts what is new
        panel.visibilityChanged.connect(self._alerts_panel_shown)
        window.muted_rooms = self.alerts.rules.muted_rooms
        window.goals = dict(self.alerts.rules.goals)
        window.room_mute_changed.connect(self._mute_room)
        window.room_goal_changed.connect(self._set_goal)
        self.window = window
        if self._use_tray:
            self._dock(window)
        return window

    def _dock(self, window: MainWindow) -> None:
        """The tray icon, its menu and its notifications."""
        self.tray = Tray(QIcon(str(resources.icon())), window.mute_action, window)
        self.tray.alert_clicked.connect(lambda alert: window.bring_up(alert.key))
        self.tray.toggle_window.connect(
            lambda: window.hide() if window.isVisible() else window.bring_up()
        )
        self.tray.quit_requested.connect(self.quit)
        self.tray.show_unread(self.alert_log.unread)
        self.tray.show()

    def _look_for_tray(self) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        self._tray_watch.stop()
        self._use_tray = True
        log.info("a system tray appeared: alerts go there from now on")
        if self.window is not None and self.tray is None:
            self._dock(self.window)

    def _client(self, server: str, token: str | None = None) -> ApiClient:
        """A client trusting the system's authorities and the CA file of the settings (when
        it cannot be read, the system's alone, and the log says why)."""
        try:
            tls = client_tls(self.settings.ca_file or None)
        except BadCaFile as exc:
            log.warning("the CA certificate of the settings is not used: %s", exc)
            tls = client_tls(None)
        return ApiClient(server, token=token, tls=tls)

    # --- support -------------------------------------------------------------------------------

    def report_errors(self, log_file: Path) -> None:
        """Log every uncaught exception (Qt slots and asyncio tasks alike) and show it in a
        dialog that offers to copy the details; fatal errors go to crash.log."""
        self.log_file = log_file
        support.install_crash_handlers(self.show_error, log_file.parent)
        asyncio.get_event_loop().set_exception_handler(self._loop_exception)

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if isinstance(error, BaseException):
            sys.excepthook(type(error), error, error.__traceback__)
        else:
            loop.default_exception_handler(context)

    def show_error(self, details: str) -> None:
        self.error_dialog = ErrorDialog(details, str(self.log_file), self.window)
        self.error_dialog.open()

    def _window_closed(self) -> None:
        """The close button: hide to the tray when there is one and the setting says so (once
        a session, a notification says where the app went), else quit."""
        if self.window is None:
            return
        if self.tray is None or not self.settings.close_to_tray:
            self.quit()
            return
        self.window.hide()
        if not self._told_about_tray:
            self._told_about_tray = True
            self.tray.showMessage(
                "God Mode",
                tr("God Mode keeps running here; its menu has Quit."),
                QSystemTrayIcon.MessageIcon.Information,
                5000,
            )

    def bring_up(self) -> None:
        """Show the window (or the login dialog) in front: a second launch asked for it."""
        if self.window is not None and self.session is not None:
            self.window.bring_up()
        elif self.login_dialog is not None:
            self.login_dialog.showNormal()
            self.login_dialog.raise_()
            self.login_dialog.activateWindow()

    def open_about(self) -> None:
        import PySide6
        from PySide6.QtCore import qVersion

        running = {
            "server": self.session.server_url if self.session else self.settings.server,
            "user": self.session.username if self.session else self.settings.user,
            "qt_version": qVersion(),
            "pyside_version": PySide6.__version__,
        }
        self.about_dialog = AboutDialog(
            support.facts(**running), support.diagnostics(**running), self.window
        )
        self.about_dialog.open()

    def open_reports(self) -> ReportsWindow | None:
        """The Reports window (one), asking the server for its calendar and a report."""
        if self.controller is None:
            return None
        if self.reports is None:
            self.reports = ReportsWindow()
            self.reports.setWindowIcon(QIcon(str(resources.icon())))
            self.reports.money_box.setChecked(self.settings.money)  # as the grid, at first
            self._reports_presenter = ReportsPresenter(self.reports, self.controller)
        _present(self.reports, self.window)
        return self.reports

    def open_admin(self) -> AdminWindow | None:
        """The Administration window (one), for admins; the server refuses anyone else."""
        if self.controller is None or self.api is None:
            return None
        if self.admin is None or self._admin_presenter is None:
            self.admin = AdminWindow()
            self.admin.setWindowIcon(QIcon(str(resources.icon())))
            self._admin_presenter = AdminPresenter(self.admin, self.controller, self.api)
        self._admin_presenter.refresh(room.key for room in self.board)
        _present(self.admin, self.window)
        return self.admin

    def open_password_dialog(self) -> PasswordDialog | None:
        """*Account → Change password*; the session goes on with the new token."""
        if self.session is None or self.api is None or self.window is None:
            return None
        dialog = PasswordDialog(self.window)
        dialog.setModal(True)
        dialog.change_requested.connect(
            lambda old, new: self._spawn(self._change_password(dialog, old, new))
        )
        dialog.show()
        return dialog

    async def _change_password(self, dialog: PasswordDialog, old: str, new: str) -> None:
        session, api = self.session, self.api
        if session is None or api is None:
            return
        try:
            await session.change_password(api, old, new)
        except NetError as exc:
            dialog.failed(describe(exc))
            return
        log.info("password changed; the other sessions end")
        dialog.done_changing()

    def _set_muted(self, muted: bool) -> None:
        self.alerts.set_muted(muted)
        self.settings.muted = muted

    def _log_alert(self, alert: Alert) -> None:
        silenced = self.alerts.muted or alert.key in self.alerts.rules.muted_rooms
        # In the log folder too: "was I alerted about X?" is then answered after the fact.
        log.info(
            "alert: %s in %s %+d%s",
            alert.kind.value,
            ", ".join(str(key) for key, _ in alert.rooms) or str(alert.key),
            alert.tokens_delta,
            " (silenced)" if silenced else "",
        )
        self.alerts_model.add(LoggedAlert(time.time(), alert, silenced))
        window = self.window
        panel = window.alerts_panel if window is not None else None
        if panel is not None and panel.isVisible() and panel.window().isActiveWindow():
            self.alert_log.mark_read()  # seen as it arrives
        self._show_unread()

    def _alerts_panel_shown(self, shown: bool) -> None:
        if shown:
            self.alert_log.mark_read()
            self._show_unread()

    def _show_unread(self) -> None:
        unread = self.alert_log.unread
        if self.window is not None:
            self.window.show_unread(unread)
        if self.tray is not None:
            self.tray.show_unread(unread)

    def _change_rules(self, rules: AlertRules) -> None:
        self.alerts.set_rules(rules)
        self.settings.alert_rules = rules
        if self.window is not None:
            self.window.muted_rooms = rules.muted_rooms
            self.window.goals = dict(rules.goals)

    def _mute_room(self, key: RoomKey, muted: bool) -> None:
        rooms = self.alerts.rules.muted_rooms
        self._change_rules(
            replace(self.alerts.rules, muted_rooms=rooms | {key} if muted else rooms - {key})
        )

    def _set_goal(self, key: RoomKey, tokens: int) -> None:
        goals = {k: v for k, v in self.alerts.rules.goals.items() if k != key}
        if tokens > 0:
            goals[key] = tokens
        self._change_rules(replace(self.alerts.rules, goals=goals))

    def _show_alert(self, alert: Alert) -> None:
        if self.tray is not None:
            self.tray.show_alert(alert, self.alerts.show_ms)
        elif self.window is not None:
            self.window.show_alert_in_window(alert, self.alerts.show_ms)

    def _room_selected(self, key: RoomKey | None) -> None:
        if self.controller is not None:
            self.controller.watched_room = key
            if key is not None and self.window is not None:
                self.controller.request_history(key, self.window.chart.time_range())

    def _extend_chart(self, update: TelemetryUpdate) -> None:
        if self.window is not None:
            data = update.data
            key = RoomKey(update.room_id, data.platform)
            self.window.chart.extend(key, data.timestamp, data.tokens, data.viewers)

    def _reconnect(self) -> None:
        if self.controller is not None:
            self.controller.reconnect_now()

    async def _stop_feed(self) -> None:
        for window in (self.reports, self.admin):  # they belong to the session that ends
            if window is not None:
                window.close()
                window.deleteLater()
        self.reports = self.admin = None
        self._reports_presenter = self._admin_presenter = None
        if self.controller is not None:
            self.controller.stop()
        if self._feed_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._feed_task
            self._feed_task = None
        if self.api is not None:
            await self.api.aclose()
            self.api = None
        self._forget_session()

    def _forget_session(self) -> None:
        """Nothing of a session outlives it: the next user of this PC (a monitor after an
        admin, say) must not see another room's name, tip or alert anywhere -- the grid, the
        chart, the alerts panel and its unread count, a banner, the tray's tooltip, an alert
        still waiting to be shown, the alert rules' memory of rooms."""
        self.alerts.reset()
        self.alerts_model.clear()
        self.model.apply(self.board.clear())
        self.model.tick()  # the rows go now, not at the next frame
        if self.window is not None:
            self.window.forget_session()
        if self.tray is not None:
            self.tray.forget_alert()

    async def logout(self) -> None:
        """Forget the token (keyring included) and go back to the login dialog."""
        await self._stop_feed()
        if self.session is not None:
            self.session.logout()
            self.session = None
        if self.window is not None:
            self.window.hide()
        self.show_login()

    def _session_ended(self, why: str) -> None:
        async def back_to_login() -> None:
            await self._stop_feed()
            if self.session is not None:
                self.session.logout()
            self.show_login(describe(TokenExpired()))

        log.info("session ended (%s)", why)
        self._spawn(back_to_login())

    # --- settings ------------------------------------------------------------------------------

    def _set_money(self, on: bool) -> None:
        self.settings.money = on

    def _set_density(self, density: str) -> None:
        self.settings.density = density

    def _set_chart_visible(self, visible: bool) -> None:
        self.settings.chart_visible = visible

    def _step_text_size(self, step: int) -> None:
        """View → Text size: larger, smaller or the system's, kept for the next start."""
        if self.appearance is None:
            return
        self.appearance.set_text_size(text_size_step(self.appearance.text_size, step))
        self.settings.text_size = self.appearance.text_size

    def open_settings(self) -> SettingsDialog:
        s = self.settings
        dialog = SettingsDialog(
            server=s.server,
            tiers=s.tiers,
            stale_after=s.stale_after,
            poll_interval=s.poll_interval,
            keep_silent_hours=s.keep_silent_hours,
            language=s.language,
            ca_file=s.ca_file,
            close_to_tray=s.close_to_tray,
            start_at_login=autostart.is_enabled(),
            rules=s.alert_rules,
            show_seconds=s.alert_show_seconds,
            scheme=s.scheme,
            text_size=s.text_size,
            density=s.density,
            parent=self.window,
        )
        dialog.test_alert_requested.connect(self.alerts.send_test)
        dialog.accepted.connect(lambda: self.apply_settings(dialog))
        dialog.open()
        return dialog

    def apply_settings(self, dialog: SettingsDialog) -> None:
        s = self.settings
        s.server = dialog.server or s.server
        s.tiers = dialog.tiers()
        s.alert_show_seconds = dialog.show_spin.value()
        s.scheme = str(dialog.scheme_box.currentData())
        s.text_size = int(dialog.text_size_box.currentData())
        s.density = str(dialog.density_box.currentData())
        if self.appearance is not None:
            self.appearance.set_scheme(s.scheme)
            self.appearance.set_text_size(s.text_size)
        if self.window is not None:
            self.window.set_density(s.density)
            self.window.muted_rooms = dialog.muted_rooms()
        s.alert_rules = replace(dialog.rules(), stale_after=float(dialog.stale_spin.value()))
        s.stale_after = dialog.stale_spin.value()
        s.keep_silent_hours = dialog.keep_spin.value()
        s.poll_interval = dialog.poll_spin.value()
        s.language = dialog.language
        s.ca_file = dialog.ca_file  # used from the next connection (login) on
        s.close_to_tray = dialog.close_to_tray_box.isChecked()
        s.sync()
        wanted = dialog.start_at_login_box.isChecked()
        if wanted != autostart.is_enabled():
            try:
                autostart.set_enabled(wanted)
            except OSError as exc:
                log.warning("start at login could not be %s: %s", "set" if wanted else "unset", exc)
        self.alerts.tiers = s.tiers
        self.alerts.queue.show_ms = s.alert_show_seconds * 1000
        self.alerts.set_rules(s.alert_rules)
        self.model.stale_after = s.stale_after
        self.board.forget_after = s.keep_silent_hours * 3600
        self.model.refresh_clock()

    # --- quit ----------------------------------------------------------------------------------

    def quit(self) -> None:
        if self.finished.done():
            return
        self._spawn(self._shutdown())

    async def _shutdown(self) -> None:
        if self.window is not None:
            self.settings.save_window_state(
                self.window.saveGeometry(), self.window.table.horizontalHeader().saveState()
            )
            self.settings.save_splitter_state(self.window.splitter.saveState())
            self.settings.save_view_state(self.window.view_state())
            self.settings.sync()
            self.window.hide()
        if self.tray is not None:
            self.tray.hide()
        await self._stop_feed()
        if not self.finished.done():
            self.finished.set_result(None)


def _present(window: QWidget, main: QWidget | None) -> None:
    """Show a window of the app's (made once) in front: the first time, over the main window
    and no larger than the screen."""
    if not window.property("placed"):
        window.setProperty("placed", True)
        place(window, window.sizeHint(), main)
    window.show()
    window.raise_()
    window.activateWindow()


def main(argv: list[str] | None = None) -> int:
    """Run the app until the window is closed or Quit is chosen."""
    log_file = support.install_logging()
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    name = single_instance.server_name()
    if single_instance.ask_running_instance(name):
        print("God Mode is already running: its window is brought to the front.")
        return 0
    instance = single_instance.SingleInstance(name, app)
    instance.listen()
    app.setApplicationName("God Mode")
    app.setOrganizationName("GodMode")
    app.setQuitOnLastWindowClosed(False)
    settings = AppSettings()
    install_translator(app, settings.language)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        gm = GodModeApp(settings)
        gm.report_errors(log_file)
        instance.raise_requested.connect(gm.bring_up)
        loop.run_until_complete(gm.run())
    return 0
