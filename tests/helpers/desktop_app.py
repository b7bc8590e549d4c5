"""The real app, started and logged in through its own dialog, for the desktop's tests."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from godmode_desktop.app import GodModeApp
from godmode_desktop.net.feed import FeedConfig
from godmode_desktop.net.session import TokenVault
from godmode_desktop.net.status import ConnectionState
from godmode_desktop.settings import AppSettings

from .waiting import until

#: Quick to notice a lost link and to poll, so tests of the link take seconds.
FAST = FeedConfig(poll_after=0.3, poll_interval=0.3, backoff_base=0.05, backoff_cap=0.3)


def new_app(settings: AppSettings, *, use_tray: bool | None = False) -> GodModeApp:
    """``use_tray=None``: the app decides, as it does when run (only under a real tray host)."""
    return GodModeApp(settings, TokenVault(), feed_config=FAST, use_tray=use_tray)


async def log_in(app: GodModeApp, user: str, password: str) -> None:
    """Fill in the login dialog and press OK."""
    dialog = app.login_dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(password)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def state(app: GodModeApp) -> ConnectionState | None:
    return app.window.status.state if app.window is not None else None


async def live_app(
    settings: AppSettings,
    server_url: str,
    user: str = "demo",
    password: str = "demo",
    *,
    use_tray: bool | None = False,
) -> GodModeApp:
    """The app started, logged in through its dialog, and live."""
    settings.server = server_url
    app = new_app(settings, use_tray=use_tray)
    app.start()
    await log_in(app, user, password)
    await until(lambda: state(app) is ConnectionState.LIVE, what="Live")
    return app


async def account_known(app: GodModeApp) -> None:
    """Ask the server who is logged in again, and wait until the window has been told."""
    controller = app.controller
    assert controller is not None
    accounts: list[object] = []
    controller.account_loaded.connect(accounts.append)
    controller.request_account()
    await until(lambda: bool(accounts), what="the account")
