"""``godmode``: the desktop app's command line.  ``godmode`` opens the window; ``godmode watch``
follows a server in a terminal.

Qt is imported only to open the window: ``watch`` needs only the net layer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

import click

from godmode_common.protocol import DEFAULT_SERVER_URL
from godmode_desktop import __version__

from .board import RoomBoard
from .net.api import ApiClient
from .net.errors import NetError
from .net.feed import LiveFeed
from .net.protocol import BulkTelemetry, CollectorStatus, Snapshot, TelemetryUpdate
from .net.session import Session, TokenVault
from .net.status import ConnectionState, FeedStatus
from .net.tls import CA_FILE_ENV

#: Exit status when the server refuses the credentials or the token.
EXIT_AUTH = 3

F = TypeVar("F", bound=Callable[..., object])


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(__version__, prog_name="godmode")
@click.option(
    "--ca-file",
    envvar=CA_FILE_ENV,
    type=click.Path(exists=True, dir_okay=False),
    help="Also trust this CA certificate (PEM) for https:// and wss:// (env GODMODE_CA_FILE).",
)
@click.pass_context
def main(ctx: click.Context, ca_file: str | None) -> None:
    """God Mode: live tracking of webcam rooms.

    Without a command, opens the God Mode window (it asks for the server, user and password
    unless a valid session is stored in the keyring).
    """
    if ca_file:
        os.environ[CA_FILE_ENV] = ca_file  # every client made from here on trusts it
    if ctx.invoked_subcommand is None:
        from .app import main as run_app  # Qt is needed only here

        sys.exit(run_app())


def _server_and_user(command: F) -> F:
    """The ``--server`` and ``--user`` options shared by the commands that log in."""
    command = click.option(
        "--user", envvar="GODMODE_USER", required=True, help="User name (env GODMODE_USER)."
    )(command)
    return click.option(
        "--server",
        envvar="GODMODE_SERVER",
        default=DEFAULT_SERVER_URL,
        show_default=True,
        help="Server URL (env GODMODE_SERVER).",
    )(command)


class WatchPrinter:
    """Prints what the feed delivers: one JSON object per line, or a readable line."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.board = RoomBoard()

    def _emit(self, obj: Mapping[str, object], text: str) -> None:
        line = json.dumps(obj, ensure_ascii=False) if self.as_json else text
        click.echo(line)
        sys.stdout.flush()

    def feed_snapshot(self, snapshot: Snapshot) -> None:
        self.board.apply_snapshot(snapshot)
        self._emit(
            snapshot.model_dump(),
            f"{_clock()}  snapshot: {len(snapshot.rooms)} live rooms (seq {snapshot.seq})",
        )

    def feed_update(self, update: TelemetryUpdate) -> None:
        self.board.apply_update(update)
        d = update.data
        self._emit(
            update.model_dump(),
            f"{_clock()}  {update.room_id}@{d.platform}  tokens {d.tokens} ({d.tokens_delta:+d})  "
            f"tips {d.tips} ({d.tips_delta:+d})  viewers {d.viewers} ({d.viewers_delta:+d})",
        )

    def feed_poll(self, bulk: BulkTelemetry) -> None:
        changes = self.board.apply_poll(bulk)
        obj = {"event_type": "POLL"} | bulk.model_dump()
        kind = "all rooms" if bulk.full else "changed rooms"
        self._emit(obj, f"{_clock()}  poll: {len(bulk.rooms)} {kind}, {len(changes)} changes")

    def feed_collector(self, status: CollectorStatus) -> None:
        pass  # the watch prints rooms, not collectors

    def feed_status(self, status: FeedStatus) -> None:
        obj = {
            "event_type": "STATE",
            "state": status.state.name,
            "newest_data_at": status.newest_data_at,
            "detail": status.detail,
            "timestamp": int(time.time()),
        }
        detail = f" ({status.detail})" if status.detail else ""
        self._emit(obj, f"{_clock()}  -- {status.state.name.lower()}{detail}")


def _clock() -> str:
    return time.strftime("%H:%M:%S")


async def _watch(server: str, user: str, as_json: bool) -> int:
    vault = TokenVault()
    if vault.problem:
        click.echo(f"note: the token is kept in memory only: {vault.problem}", err=True)
    session = Session(server, user, vault)
    async with ApiClient(server) as api:
        if session.restore():
            api.token = session.token
        else:
            password = os.environ.get("GODMODE_PASSWORD")
            if password is None:
                password = click.prompt(f"Password for {user}", hide_input=True, err=True)
            await session.login(api, password)
        feed = LiveFeed(api, WatchPrinter(as_json))
        refresher = asyncio.create_task(session.keep_fresh(api))
        refresher.add_done_callback(lambda _: feed.stop())
        try:
            await feed.run()
        finally:
            refresher.cancel()
        if feed.state is ConnectionState.AUTH_REQUIRED:
            session.logout()
            click.echo("The server refused the session; run the command again to log in.", err=True)
            return EXIT_AUTH
    return 0


@main.command()
@_server_and_user
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("-v", "--verbose", is_flag=True, help="Log connection details to stderr.")
def watch(server: str, user: str, as_json: bool, verbose: bool) -> None:
    """Follow the live feed and print every event and connection state.

    Uses the token stored in the keyring when it is still valid; otherwise logs in with the
    password from GODMODE_PASSWORD, or asks for it.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr)
    try:
        status = asyncio.run(_watch(server, user, as_json))
    except NetError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        status = 0
    sys.exit(status)


@main.command()
@click.option("--rooms", type=click.IntRange(12, 40), default=24, show_default=True)
@click.option(
    "--rate",
    type=click.FloatRange(0.5, 200),
    default=10.0,
    show_default=True,
    help="Samples per second posted by the simulated studio.",
)
@click.option("--seed", type=int, default=None, help="Same seed, same studio.")
@click.option(
    "--screenshot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Render the window offscreen once it is busy, save it as PNG, and exit.",
)
@click.option(
    "--reports-screenshot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Post a simulated past week, save the Reports window showing it as PNG, and exit.",
)
@click.option(
    "--admin-screenshot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Add a monitor and a key, save the Administration window as PNG, and exit.",
)
@click.option("--duration", type=float, default=None, help="Stop after this many seconds.")
@click.option(
    "--language", type=click.Choice(["", "en", "es"]), default="", help="Interface language."
)
@click.option(
    "--scheme",
    type=click.Choice(["system", "light", "dark"]),
    default="system",
    help="Light or dark (default: as the system).",
)
def demo(
    rooms: int,
    rate: float,
    seed: int | None,
    screenshot: Path | None,
    reports_screenshot: Path | None,
    admin_screenshot: Path | None,
    duration: float | None,
    language: str,
    scheme: str,
) -> None:
    """Run a dev server, a simulated studio posting to it, and the app logged in as demo.

    Closing the window, Quit or Ctrl+C stops everything.
    """
    from .demo import run_demo  # Qt is needed only here

    sys.exit(
        run_demo(
            rooms=rooms,
            rate=rate,
            seed=seed,
            screenshot=screenshot,
            duration=duration,
            language=language,
            reports_screenshot=reports_screenshot,
            scheme=scheme,
            admin_screenshot=admin_screenshot,
        )
    )


@main.command()
@_server_and_user
@click.option(
    "--api-key",
    envvar="GODMODE_API_KEY",
    default=None,
    help="Ingest key for the test POST (env GODMODE_API_KEY); not needed in dev mode.",
)
def doctor(server: str, user: str, api_key: str | None) -> None:
    """Check a deployment: backend, login, WebSocket, POST, GET, Redis.

    Prints one line per check (✓ passed, ✗ failed, – not applicable) and exits with status 1 if
    any failed.  The password comes from GODMODE_PASSWORD or is asked for.  With
    GODMODE_REDIS_URL (and GODMODE_REDIS_PREFIX) set as on the server, the stored key and its TTL
    are checked in Redis itself.
    """
    from .doctor import redis_settings_from_env, run_doctor

    password = os.environ.get("GODMODE_PASSWORD")
    if password is None:
        password = click.prompt(f"Password for {user}", hide_input=True, err=True)
    redis_url, prefix = redis_settings_from_env()
    report = asyncio.run(
        run_doctor(
            server,
            user,
            password,
            api_key=api_key,
            redis_url=redis_url,
            redis_prefix=prefix,
            print_line=click.echo,
        )
    )
    sys.exit(0 if report.ok else 1)
