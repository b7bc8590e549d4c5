"""``godmode-server simulate`` and ``simulate-week``: a simulated studio posting as collectors do."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from datetime import tzinfo
from pathlib import Path

import click
from click.core import ParameterSource

from godmode_common.protocol import DEFAULT_SERVER_URL
from godmode_server.cli.common import F


def _ingest_key_options(command: F) -> F:
    """The simulators' ``--api-key`` and ``--api-key-file`` (read by :func:`_ingest_key`)."""
    command = click.option(
        "--api-key-file",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        default=None,
        help="Read the ingest key from this file.",
    )(command)
    return click.option(
        "--api-key",
        envvar="GODMODE_API_KEY",
        default=None,
        help="Ingest key; safer from the environment (GODMODE_API_KEY) or --api-key-file, "
        "since other users of the machine can read a command line.",
    )(command)


def _ingest_key(api_key: str | None, api_key_file: Path | None) -> str | None:
    """The simulators' ingest key: from --api-key-file, the environment, or (said to be
    unsafe) the command line."""
    given = click.get_current_context().get_parameter_source("api_key")
    if api_key_file is not None:
        if given is ParameterSource.COMMANDLINE:
            raise click.UsageError("give the key by --api-key or --api-key-file, not both")
        key = api_key_file.read_text().strip()
        if not key:
            raise click.UsageError(f"{api_key_file} holds no key")
        return key
    if given is ParameterSource.COMMANDLINE:
        click.echo(
            "warning: a key on the command line is visible to every user of this machine "
            "(ps); set GODMODE_API_KEY or use --api-key-file",
            err=True,
        )
    return api_key


@click.command()
@click.option(
    "--server",
    envvar="GODMODE_SERVER",
    default=DEFAULT_SERVER_URL,
    show_default=True,
    help="Server to post to (env GODMODE_SERVER).",
)
@_ingest_key_options
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
    api_key_file: Path | None,
    rooms: int,
    rate: float,
    seed: int | None,
    duration: float | None,
    backfill: int,
    quiet: bool,
) -> None:
    """Post a simulated studio's samples, as collectors would (Ctrl+C stops)."""
    from godmode_server.simulation.studio import Studio, post_history, post_samples

    api_key = _ingest_key(api_key, api_key_file)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    studio = Studio(rooms, rate=rate, seed=seed)
    if backfill:
        say = _say
        sent = asyncio.run(post_history(server, studio, backfill, api_key=api_key, say=say))
        click.echo(f"{sent} past samples accepted ({backfill} minutes)", err=True)

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


@click.command("simulate-week")
@click.option(
    "--server",
    "servers",
    multiple=True,
    default=[DEFAULT_SERVER_URL],
    show_default=True,
    help="Node to post to; repeat to spread the rooms over several nodes.",
)
@_ingest_key_options
@click.option("--rooms", type=click.IntRange(1, 80), default=5, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same week.")
@click.option(
    "--timezone",
    default="Europe/Madrid",
    show_default=True,
    help="The studio's zone: the week holds its latest daylight-saving change.",
)
@click.option(
    "--history-days",
    type=click.IntRange(8, 36500),
    default=30,
    show_default=True,
    help="What the server's archive keeps (its GODMODE_HISTORY_DAYS): a daylight-saving "
    "change older than that is passed over for the last seven days, which it keeps.",
)
@click.option(
    "--truth",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write what each room earned per day (the ground truth) to this JSON file.",
)
def simulate_week(
    servers: tuple[str, ...],
    api_key: str | None,
    api_key_file: Path | None,
    rooms: int,
    seed: int,
    timezone: str,
    history_days: int,
    truth: str | None,
) -> None:
    """Post a simulated past week whose earnings are known (docs/PROTOCOL.md, "Earnings"):
    resets, outages, duplicates, late and out-of-order samples, a DST change."""
    import json
    from zoneinfo import ZoneInfo

    import httpx

    from godmode_server.reports.earnings import day_periods
    from godmode_server.simulation.posting import Refused
    from godmode_server.simulation.week import StudioWeek, post, week_with_dst_change

    api_key = _ingest_key(api_key, api_key_file)
    zone = ZoneInfo(timezone)
    start, end = week_with_dst_change(zone, int(time.time()), kept_days=history_days)
    week = StudioWeek(start=start, end=end, rooms=rooms, seed=seed, nodes=len(servers))
    deliveries = week.deliveries()
    click.echo(
        f"posting {len(deliveries)} samples of {rooms} rooms, {_day(start, zone)} to "
        f"{_day(end, zone)} ({'with' if _has_dst_change(start, end) else 'without'} a "
        f"daylight-saving change), to {', '.join(servers)}",
        err=True,
    )
    try:
        posted = asyncio.run(post(servers, deliveries, api_key=api_key, say=_say))
    except Refused as exc:
        raise click.ClickException(
            f"the server refused a sample, so the week's truth would not hold: {exc}"
        ) from None
    except httpx.HTTPError as exc:
        raise click.ClickException(f"cannot post to the server: {exc}") from None
    click.echo(f"{posted} posted", err=True)
    if truth:
        rows = [
            {"room_id": room_id, "platform": platform, "period_start": period, **figures}
            for (room_id, platform, period), figures in sorted(
                week.truth(day_periods(start, end, zone)).items()
            )
        ]
        with open(truth, "w", encoding="utf-8") as out:
            json.dump({"from": start, "to": end, "timezone": timezone, "rows": rows}, out, indent=1)


def _say(line: str) -> None:
    click.echo(line, err=True)


def _day(timestamp: int, zone: tzinfo) -> str:
    return dt.datetime.fromtimestamp(timestamp, zone).strftime("%Y-%m-%d")


def _has_dst_change(start: int, end: int) -> bool:
    return (end - start) % 86400 != 0
