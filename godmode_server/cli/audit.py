"""``godmode-server audit``: the latest administrative acts."""

from __future__ import annotations

import time

import click

from godmode_server.cli.common import with_db


@click.command("audit")
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
def audit(limit: int) -> None:
    """The latest administrative actions, newest first: when, who, what, on what, from where."""
    for entry in with_db(lambda db: db.audit_entries(limit)):
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry.at))
        click.echo(
            f"{when}  {entry.actor}  {entry.action}  {entry.target}  {entry.detail}  "
            f"({entry.address})"
        )
