"""``godmode-server run``: serve, in one process or ``--workers N``."""

from __future__ import annotations

import asyncio
import socket
import sys

import click

from godmode_server.cli.common import load_settings, open_database
from godmode_server.settings import ConfigError, Settings
from godmode_server.sql import schema


@click.command()
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
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Processes serving the port as one server (one core each); more than one needs "
    "GODMODE_REDIS_URL.  [default: GODMODE_WORKERS, else 1]",
)
def run(
    dev: bool,
    migrate: bool,
    host: str | None,
    port: int | None,
    log_level: str,
    workers: int | None,
) -> None:
    """Run the server."""
    import uvicorn

    from godmode_server.app import create_app
    from godmode_server.serving import config, request_log
    from godmode_server.serving import workers as workers_

    overrides: dict[str, object] = {}
    if dev:
        overrides["dev"] = True
    if migrate:
        overrides["migrate"] = True
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    if workers is not None:
        overrides["workers"] = workers
    try:
        settings = load_settings(**overrides).resolved()
        workers_.check(settings.workers, settings.redis_url)
        app = create_app(settings) if settings.workers == 1 else None
    except (ConfigError, workers_.WorkersError) as exc:
        raise click.ClickException(str(exc)) from exc

    request_log.configure(log_level, settings.log_format)
    # The database and its schema first, with a plain message if they cannot be used (the
    # app checks again on start: a no-op by then).
    try:
        asyncio.run(open_database(settings.database_url, settings.migrate or settings.dev))
    except schema.SchemaError as exc:
        raise click.ClickException(str(exc)) from exc
    if app is not None:
        uvicorn.Server(config.server_config(app, settings, log_level)).run()
        return
    try:
        sock = workers_.listening_socket(settings.host, settings.port)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {settings.host}:{settings.port}: {exc}"
        ) from exc
    # The settings as resolved here (dev mode's generated secret included) go to every worker,
    # so a token one of them signs is good on all.
    sys.exit(workers_.supervise(settings.workers, _serve_worker, (settings, log_level), sock))


def _serve_worker(settings: Settings, log_level: str, sock: socket.socket) -> None:
    """One worker of ``run --workers``: the whole server, accepting on the shared socket."""
    import uvicorn

    from godmode_server.app import create_app
    from godmode_server.serving import config, request_log

    request_log.configure(log_level, settings.log_format)
    uvicorn.Server(config.server_config(create_app(settings), settings, log_level)).run(
        sockets=[sock]
    )
