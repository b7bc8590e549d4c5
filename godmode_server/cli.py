"""``godmode-server``: run the backend, manage users and ingest API keys."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import click
from pydantic import ValidationError

from godmode_desktop import __version__

from . import schema
from .db import ROLES, AccountError, Database
from .settings import ConfigError, Settings

if TYPE_CHECKING:
    import uvicorn

T = TypeVar("T")

#: Largest WebSocket message accepted from a dashboard (they send nothing useful).
WS_MAX_MESSAGE = 64 * 1024


def _with_db(action: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        db = Database(Settings().database_url)
        try:
            await db.start()
            return await action(db)
        finally:
            await db.close()

    try:
        return asyncio.run(run())
    except (AccountError, schema.SchemaError) as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="godmode-server")
def main() -> None:
    """God Mode tracking backend.

    Configuration comes from GODMODE_* environment variables (see the README); the options
    below override them.
    """


@main.command()
@click.option("--dev", is_flag=True, help="Development mode: anonymous ingest, demo/demo user.")
@click.option(
    "--migrate",
    is_flag=True,
    help="Migrate the database's schema if it is behind (else the server refuses to start).",
)
@click.option("--host", default=None, help="Address to listen on.  [default: 127.0.0.1]")
@click.option("--port", type=int, default=None, help="Port to listen on.  [default: 3000]")
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
)
def run(dev: bool, migrate: bool, host: str | None, port: int | None, log_level: str) -> None:
    """Run the server."""
    import uvicorn

    from .app import create_app

    overrides: dict[str, object] = {}
    if dev:
        overrides["dev"] = True
    if migrate:
        overrides["migrate"] = True
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    try:
        settings = Settings(**overrides).resolved()  # type: ignore[arg-type]
        app = create_app(settings)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"GODMODE_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in exc.errors()
        )
        raise click.ClickException(problems) from exc

    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # The schema first, with a plain message if it cannot be used (the app checks it again on
    # start: a no-op by then).
    try:
        asyncio.run(schema.prepare(settings.database_url, migrate=settings.migrate or settings.dev))
    except schema.SchemaError as exc:
        raise click.ClickException(str(exc)) from exc
    uvicorn.Server(server_config(app, settings, log_level)).run()


def server_config(app: object, settings: Settings, log_level: str = "info") -> uvicorn.Config:
    """How uvicorn serves ``app`` (also used by the benchmarks' variants of the app)."""
    import uvicorn

    from . import log_redaction
    from .http_guard import ConnectionLimits, connection_cap, guarded_http_protocol
    from .ws_protocol import SocketLimits, bounded_protocol

    config = uvicorn.Config(
        app,  # type: ignore[arg-type]
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        http=guarded_http_protocol(
            ConnectionLimits(
                max_connections=connection_cap(settings.max_connections),
                max_header_bytes=settings.max_header_bytes,
                max_headers=settings.max_headers,
                header_timeout=settings.header_timeout,
            )
        ),
        ws=bounded_protocol(
            SocketLimits(
                send_buffer=settings.ws_send_buffer,
                handshake_timeout=settings.header_timeout,
                client_rate=settings.ws_client_rate,
            )
        ),
        ws_max_size=WS_MAX_MESSAGE,
        # Events are serialized once for all dashboards; compression would redo it per client.
        ws_per_message_deflate=False,
        # Forwarded headers only from the proxies named (uvicorn would trust localhost's).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies),
        server_header=False,
        ssl_certfile=str(settings.tls_certfile) if settings.tls_certfile else None,
        ssl_keyfile=str(settings.tls_keyfile) if settings.tls_keyfile else None,
    )
    log_redaction.install()  # uvicorn has set up its loggers by now
    return config


@main.group()
def db() -> None:
    """The database's schema: which revision it is at, and migrating it."""


@db.command("current")
def db_current() -> None:
    """Print the schema's revision and this server's."""
    state = asyncio.run(schema.state(Settings().database_url))
    current = state.current or "none (an empty database, or one made before migrations)"
    click.echo(f"database: {current}")
    click.echo(f"this server: {state.head}")


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the schema to this server's revision (safe while other nodes start)."""
    url = Settings().database_url
    try:
        state = asyncio.run(_upgrade(url))
    except schema.SchemaError as exc:
        raise click.ClickException(str(exc)) from exc
    if state.current == state.head:
        click.echo(f"already at {state.head}")
    else:
        click.echo(f"migrated from {state.current or 'an empty database'} to {state.head}")


async def _upgrade(url: str) -> schema.SchemaState:
    database = Database(url)  # makes the SQLite file private first, like every start
    try:
        return await database.start(migrate=True)
    finally:
        await database.close()


@main.group()
def user() -> None:
    """Manage dashboard users."""


def _read_password(name: str) -> str:
    if sys.stdin.isatty():
        return click.prompt(
            f"Password for {name}", hide_input=True, confirmation_prompt=True, type=str
        )
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise click.ClickException("no password on standard input")
    return password


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
def user_add(name: str, role: str) -> None:
    """Add a user; the password is prompted for, or read from standard input."""
    password = _read_password(name)
    _with_db(lambda db: db.add_user(name, password, role))
    click.echo(f"user {name!r} added with role {role}")


@user.command("passwd")
@click.argument("name")
def user_passwd(name: str) -> None:
    """Set a user's password (prompted for, or read from standard input).

    Every token issued before stops working on every server within a second, open dashboards
    included: the user logs in again with the new password."""
    password = _read_password(name)
    _with_db(lambda db: db.set_password(name, password))
    click.echo(f"password of {name!r} changed; their earlier sessions are ended")


@user.command("list")
def user_list() -> None:
    """List users."""
    for info in _with_db(lambda db: db.list_users()):
        state = " (disabled)" if info.disabled else ""
        click.echo(f"{info.username}\t{info.role}{state}")


@user.command("disable")
@click.argument("name")
def user_disable(name: str) -> None:
    """Disable a user: logins are refused, and every token they hold stops working on every
    server within a second, open dashboards included."""
    _with_db(lambda db: db.set_disabled(name, True))
    click.echo(f"user {name!r} disabled")


@user.command("enable")
@click.argument("name")
def user_enable(name: str) -> None:
    """Enable a disabled user."""
    _with_db(lambda db: db.set_disabled(name, False))
    click.echo(f"user {name!r} enabled")


@main.group()
def key() -> None:
    """Manage ingest API keys (sent by collectors as X-Api-Key)."""


@key.command("create")
@click.argument("name")
def key_create(name: str) -> None:
    """Create a key and print it.  Only its hash is stored: this is the only time it is shown."""
    value = _with_db(lambda db: db.create_key(name))
    click.echo(value)
    click.echo(f"key {name!r} created; store it now, it cannot be shown again", err=True)


@key.command("list")
def key_list() -> None:
    """List keys (names only; the keys themselves are not stored)."""
    for info in _with_db(lambda db: db.list_keys()):
        state = " (revoked)" if info.revoked else ""
        click.echo(f"{info.name}{state}")


@key.command("revoke")
@click.argument("name")
def key_revoke(name: str) -> None:
    """Revoke a key; every server stops accepting it within a second."""
    _with_db(lambda db: db.revoke_key(name))
    click.echo(f"key {name!r} revoked")


@main.command()
@click.option(
    "--server",
    envvar="GODMODE_SERVER",
    default="http://127.0.0.1:3000",
    show_default=True,
    help="Server to post to (env GODMODE_SERVER).",
)
@click.option(
    "--api-key", envvar="GODMODE_API_KEY", default=None, help="Ingest key (env GODMODE_API_KEY)."
)
@click.option("--rooms", type=click.IntRange(1, 1000), default=24, show_default=True)
@click.option(
    "--rate",
    type=click.FloatRange(0.1, 10_000),
    default=10.0,
    show_default=True,
    help="Samples per second, all rooms together.",
)
@click.option("--seed", type=int, default=None, help="Same seed, same samples.")
@click.option("--duration", type=float, default=None, help="Stop after this many seconds.")
@click.option(
    "--backfill",
    type=click.IntRange(0, 24 * 60),
    default=0,
    help="First post this many minutes of past samples, so charts have a history.",
)
@click.option("-q", "--quiet", is_flag=True, help="Do not print each sample.")
def simulate(
    server: str,
    api_key: str | None,
    rooms: int,
    rate: float,
    seed: int | None,
    duration: float | None,
    backfill: int,
    quiet: bool,
) -> None:
    """Post a simulated studio's samples, as collectors would (Ctrl+C stops)."""
    from .simulator import Studio, post_history, post_samples

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    studio = Studio(rooms, rate=rate, seed=seed)
    if backfill:
        sent = asyncio.run(post_history(server, studio, backfill, api_key=api_key))
        click.echo(f"{sent} past samples posted ({backfill} minutes)", err=True)

    def show(sample: object, ok: bool) -> None:
        if not quiet:
            click.echo(("" if ok else "not accepted: ") + sample.model_dump_json())  # type: ignore[attr-defined]

    click.echo(f"simulating {rooms} rooms at {rate:g} samples/s against {server}", err=True)
    try:
        accepted = asyncio.run(
            post_samples(server, studio, api_key=api_key, duration=duration, on_sample=show)
        )
    except KeyboardInterrupt:
        return
    click.echo(f"{accepted} samples accepted", err=True)
