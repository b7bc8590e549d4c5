"""``godmode-server user …``: accounts, roles, reports and monitors' rooms."""

from __future__ import annotations

import click

from godmode_common.rooms import RoomKey, parse_room
from godmode_server.cli.common import read_password, with_db
from godmode_server.http.authorization import ROLES


@click.group()
def user() -> None:
    """Manage dashboard users."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="manager", show_default=True)
def user_add(name: str, role: str) -> None:
    """Add a user; the password is prompted for, or read from standard input."""
    password = read_password(name)
    with_db(lambda db: db.add_user(name, password, role), ("user.add", name, f"role {role}"))
    click.echo(f"user {name!r} added with role {role}")


@user.command("passwd")
@click.argument("name")
def user_passwd(name: str) -> None:
    """Set a user's password (prompted for, or read from standard input).

    Every token issued before stops working on every server within a second, open dashboards
    included: the user logs in again with the new password."""
    password = read_password(name)
    with_db(lambda db: db.set_password(name, password), ("user.password", name, ""))
    click.echo(f"password of {name!r} changed; their earlier sessions are ended")


@user.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
def user_role(name: str, role: str) -> None:
    """Give a user another role (they log in again to get it)."""
    with_db(lambda db: db.set_role(name, role), ("user.role", name, role))
    click.echo(f"user {name!r} is now {role}; their earlier sessions are ended")


@user.command("reports")
@click.argument("name")
@click.argument("state", type=click.Choice(["on", "off"]))
def user_reports(name: str, state: str) -> None:
    """Open the earnings reports to a monitor, or close them (admins and managers always may)."""
    with_db(lambda db: db.set_can_report(name, state == "on"), ("user.reports", name, state))
    click.echo(f"reports {'opened to' if state == 'on' else 'closed to'} {name!r}")


def _room_ref(text: str) -> RoomKey:
    try:
        return parse_room(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@user.command("rooms")
@click.argument("name")
@click.argument("rooms", nargs=-1)
def user_rooms(name: str, rooms: tuple[str, ...]) -> None:
    """Set the rooms a monitor looks after, as ROOM@PLATFORM (none: no room)."""
    refs = [_room_ref(r) for r in rooms]
    with_db(
        lambda db: db.set_rooms(name, refs),
        ("user.rooms", name, " ".join(f"{r}@{p}" for r, p in sorted(set(refs)))[:500]),
    )
    click.echo(f"{name!r} looks after {len(set(refs))} room(s)")


@user.command("delete")
@click.argument("name")
@click.confirmation_option(prompt="Delete this user?")
def user_delete(name: str) -> None:
    """Delete a user; every token they hold stops working within a second."""
    with_db(lambda db: db.delete_user(name), ("user.delete", name, ""))
    click.echo(f"user {name!r} deleted")


@user.command("list")
def user_list() -> None:
    """List users."""
    for info in with_db(lambda db: db.list_users()):
        state = " (disabled)" if info.disabled else ""
        click.echo(f"{info.username}\t{info.role}{state}")


@user.command("disable")
@click.argument("name")
def user_disable(name: str) -> None:
    """Disable a user: logins are refused, and every token they hold stops working on every
    server within a second, open dashboards included."""
    with_db(lambda db: db.set_disabled(name, True), ("user.disable", name, ""))
    click.echo(f"user {name!r} disabled")


@user.command("enable")
@click.argument("name")
def user_enable(name: str) -> None:
    """Enable a disabled user."""
    with_db(lambda db: db.set_disabled(name, False), ("user.enable", name, ""))
    click.echo(f"user {name!r} enabled")
