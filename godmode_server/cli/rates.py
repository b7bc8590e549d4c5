"""``godmode-server rate …``: the payout rates and the exchange rate tokens are priced with."""

from __future__ import annotations

import getpass
from collections.abc import Awaitable, Callable
from decimal import Decimal

import click

from godmode_common.money import MAX_UNITS_PER_USD, MAX_USD_PER_TOKEN, RateError, parse_rate
from godmode_common.rooms import parse_room
from godmode_server.cli.common import load_settings, with_db
from godmode_server.earnings import rates
from godmode_server.sql.database import Database


def _rate(text: str, field: str, maximum: Decimal) -> Decimal:
    try:
        return parse_rate(text, field, maximum)
    except RateError as exc:
        raise click.ClickException(str(exc)) from None


def _set(
    change: Callable[[Database, str], Awaitable[tuple[str, str]]], action: str
) -> tuple[str, str]:
    """Make ``change`` (given the database and who makes it), and note it in the audit log;
    what it set and how, as the log says it."""
    actor = f"cli:{getpass.getuser()}"

    async def run(db: Database) -> tuple[str, str]:
        target, detail = await change(db, actor)
        await db.record_audit(actor, action, target, detail, "command line")
        return target, detail

    try:
        return with_db(run)
    except RateError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def rate() -> None:
    """Set and list what a token pays (USD) and the studio's exchange rate.

    Each token is paid at the rates in force on the studio-local day it was earned: a rate
    applies from its --from day on, and one without --from before the first dated one."""


_FROM = click.option(
    "--from",
    "start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The first day (YYYY-MM-DD, the studio's calendar) it applies to; at most a year "
    "ahead.  Without it: every day before the next dated rate.",
)


# (a negative rate is read as one, and refused as such, rather than as an unknown option)
@rate.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("platform")
@click.argument("usd_per_token")
@click.option("--room", metavar="ROOM@PLATFORM", help="Only this room (overrides the platform's).")
@_FROM
def rate_set(platform: str, usd_per_token: str, room: str | None, start: object) -> None:
    """Set what a token of PLATFORM pays, in US dollars (e.g. 0.05)."""
    value = _rate(usd_per_token, "USD_PER_TOKEN", MAX_USD_PER_TOKEN)
    room_id = None
    if room is not None:
        try:
            room_id, room_platform = parse_room(room)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--room") from None
        if room_platform != platform:
            raise click.BadParameter(f"{room} is not a room of {platform}", param_hint="--room")
    settings = load_settings()
    day = start.date() if start is not None else None  # type: ignore[attr-defined]
    target, detail = _set(
        lambda db, actor: rates.set_payout_rate(
            db,
            settings,
            platform=platform,
            room_id=room_id,
            usd_per_token=value,
            start=day,
            actor=actor,
        ),
        "rate.set",
    )
    click.echo(f"rate set: {target}: {detail}")


@rate.command("currency", context_settings={"ignore_unknown_options": True})
@click.argument("code")
@click.argument("units_per_usd")
@_FROM
def rate_currency(code: str, units_per_usd: str, start: object) -> None:
    """Set how many units of the currency CODE (ISO 4217) a US dollar is worth."""
    value = _rate(units_per_usd, "UNITS_PER_USD", MAX_UNITS_PER_USD)
    settings = load_settings()
    day = start.date() if start is not None else None  # type: ignore[attr-defined]
    code, detail = _set(
        lambda db, actor: rates.set_currency_rate(
            db, settings, currency=code, units_per_usd=value, start=day, actor=actor
        ),
        "rate.currency",
    )
    click.echo(f"exchange rate set: {code}: {detail}")
    if code != settings.currency:
        click.echo(
            f"(the studio's currency is {settings.currency} (GODMODE_CURRENCY): this rate is "
            "used once it is set to that code)",
            err=True,
        )


@rate.command("list")
def rate_list() -> None:
    """List every rate: scope, first day, rate, who set it."""
    settings = load_settings()

    async def read(db: Database) -> tuple[list[str], list[str]]:
        payout = [
            f"{r.room_id + '@' if r.room_id else ''}{r.platform}\t{r.start or '-'}\t"
            f"{r.usd_per_token} USD/token\t{by}"
            for r, by, _ in await db.payout_rates()
        ]
        exchange = [
            f"{r.currency}\t{r.start or '-'}\t{r.units_per_usd} per USD\t{by}"
            for r, by, _ in await db.currency_rates()
        ]
        return payout, exchange

    payout, exchange = with_db(read)
    click.echo(f"currency: {settings.currency}")
    if not payout:
        click.echo("no payout rate set: reports show no money (godmode-server rate set …)")
    for line in payout + exchange:
        click.echo(line)
