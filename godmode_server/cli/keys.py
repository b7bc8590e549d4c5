"""``godmode-server key …``: the collectors' ingest API keys."""

from __future__ import annotations

import click

from godmode_server.cli.common import with_db


@click.group()
def key() -> None:
    """Manage ingest API keys (sent by collectors as X-Api-Key)."""


@key.command("create")
@click.argument("name")
def key_create(name: str) -> None:
    """Create a key and print it.  Only its hash is stored: this is the only time it is shown."""
    _show_key(name, "created", with_db(lambda db: db.create_key(name), ("key.create", name, "")))


@key.command("rotate")
@click.argument("name")
def key_rotate(name: str) -> None:
    """Give a key a new value and print it; the old value stops working within a second."""
    _show_key(name, "rotated", with_db(lambda db: db.rotate_key(name), ("key.rotate", name, "")))


def _show_key(name: str, done: str, value: str) -> None:
    """The key on standard output (for scripts), the warning that it is shown once beside."""
    click.echo(value)
    click.echo(f"key {name!r} {done}; store it now, it cannot be shown again", err=True)


@key.command("list")
@click.option(
    "--metrics-ids",
    is_flag=True,
    help="Also the label each key has in /metrics (unless GODMODE_METRICS_KEY_NAMES).",
)
def key_list(metrics_ids: bool) -> None:
    """List keys (names only; the keys themselves are not stored)."""
    from godmode_server.collectors.health import metric_label

    for info in with_db(lambda db: db.list_keys()):
        state = " (revoked)" if info.revoked else ""
        label = f"\t{metric_label(info.name, named=False)}" if metrics_ids else ""
        click.echo(f"{info.name}{label}{state}")


@key.command("revoke")
@click.argument("name")
def key_revoke(name: str) -> None:
    """Revoke a key; every server stops accepting it within a second."""
    with_db(lambda db: db.revoke_key(name), ("key.revoke", name, ""))
    click.echo(f"key {name!r} revoked")
