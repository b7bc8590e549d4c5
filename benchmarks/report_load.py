"""Reports under load: many concurrent year-by-shift earnings reports while a dashboard follows
the live feed -- how late the feed's deliveries are, against the same feed with no report
running, in the same run (issue: 50 legitimate year-by-shift reports at once delayed dashboard
updates by 531 ms).

A year of hour rollups for ``--rooms`` rooms (what the archive keeps for them) is written to a
SQLite database, a real server (dev mode, embedded store) serves it, a poster posts a sample of
one room every 50 ms and a dashboard in the same process times each one from its POST to its
``TELEMETRY_UPDATE``.  Meanwhile, in another process, ``--reports`` clients each ask for a year by
shift, again and again.

    python -m benchmarks.report_load [--rooms 20] [--reports 50] [--seconds 20]
    python -m benchmarks.report_load --smoke
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from websockets.asyncio.client import connect

from godmode_server.sql.database import Database
from godmode_server.sql.tables import ROLLUP_COLUMNS as COLUMNS

from .harness import dev_token, godmode_server, machine
from .reports import DAY, ZONE, Studio

#: Between two samples of the followed room, seconds.
POST_EVERY = 0.05
#: The target: no delivery later than this while the reports run, seconds.
TARGET = 0.050


def _fill(path: Path, studio: Studio, days: int) -> None:
    """``days`` days of hour rollups, and the last day's minute rollups too."""
    import sqlite3

    marks = ",".join("?" * len(COLUMNS))
    with contextlib.closing(sqlite3.connect(path)) as db:
        for k in range(-(days - 1), 1):
            db.executemany(
                f"INSERT INTO hour_rollups ({','.join(COLUMNS)}) VALUES ({marks})",
                studio.day(studio.hours, k),
            )
        db.executemany(
            f"INSERT INTO minute_rollups ({','.join(COLUMNS)}) VALUES ({marks})",
            studio.day(studio.minutes, 0),
        )
        db.commit()


def _reports(url: str, token: str, clients: int, span: dict[str, int], done: object) -> None:
    """In its own process: ``clients`` reports at a time, again and again, until killed; each
    one's duration is written to ``done`` (a queue)."""

    async def client(http: httpx.AsyncClient) -> None:
        while True:
            started = time.monotonic()
            answer = await http.get("/api/reports/earnings", params={**span, "group": "shift"})
            answer.raise_for_status()
            done.put((time.monotonic() - started, len(answer.content)))  # type: ignore[attr-defined]

    async def main() -> None:
        limits = httpx.Limits(max_connections=clients)
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(
            base_url=url, headers=headers, limits=limits, timeout=600
        ) as http:
            await asyncio.gather(*(client(http) for _ in range(clients)))

    asyncio.run(main())


async def _follow(url: str, token: str, seconds: float) -> list[float]:
    """Post a sample every POST_EVERY s for ``seconds``; each one's delay to the dashboard."""
    sent: dict[int, float] = {}
    delays: list[float] = []
    ws_url = url.replace("http://", "ws://") + "/ws/dashboard"
    async with (
        connect(ws_url, additional_headers={"Authorization": f"Bearer {token}"}) as ws,
        httpx.AsyncClient(base_url=url) as http,
    ):

        async def receive() -> None:
            async for message in ws:
                event = json.loads(message)
                if event.get("event_type") != "TELEMETRY_UPDATE":
                    continue
                if event["room_id"] != "followed":
                    continue
                at = sent.pop(event["data"]["tokens"], None)
                if at is not None:
                    delays.append(time.monotonic() - at)

        reader = asyncio.create_task(receive())
        base = int(time.time() * 1000) % 10**9
        deadline = time.monotonic() + seconds
        n = 0
        while time.monotonic() < deadline:
            n += 1
            body = {
                "room_id": "followed",
                "platform": "chaturbate",
                "tokens_count": base + n,
                "tips_count": n,
                "viewers_count": 10,
                "timestamp": int(time.time()),
            }
            sent[base + n] = time.monotonic()
            (await http.post("/api/tracking/telemetry", json=body)).raise_for_status()
            await asyncio.sleep(POST_EVERY)
        await asyncio.sleep(1.0)  # the last ones arrive
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
    return delays


def _row(label: str, delays: list[float], extra: str = "") -> str:
    ordered = sorted(delays)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("nan")
    return (
        f"| {label} | {len(ordered)} | {statistics.median(ordered) * 1000:.1f} ms | "
        f"{p99 * 1000:.1f} ms | {ordered[-1] * 1000:.1f} ms | {extra} |"
    )


def run(rooms: int, clients: int, seconds: float, days: int = 365) -> bool:
    today = int(dt.datetime.combine(dt.date.today(), dt.time(), tzinfo=ZoneInfo(ZONE)).timestamp())
    studio = Studio(rooms, today - DAY)
    span = {"from": studio.first_day - (days - 1) * DAY, "to": studio.first_day + DAY}
    print(
        f"# Reports under load — {clients} concurrent {days}-day reports by shift of {rooms} "
        f"rooms, a sample every {POST_EVERY * 1000:.0f} ms followed; {machine()}\n"
    )
    with tempfile.TemporaryDirectory(prefix="gm-bench-") as folder:
        path = Path(folder) / "reports.db"
        url = f"sqlite+aiosqlite:///{path}"

        async def schema() -> None:
            db = Database(url)
            await db.start(migrate=True)
            await db.close()

        asyncio.run(schema())
        _fill(path, studio, days)
        with godmode_server(
            GODMODE_DATABASE_URL=url,
            GODMODE_TIMEZONE=ZONE,
            GODMODE_HISTORY_DAYS=str(days + 2),
            GODMODE_ROLLUP_DAYS=str(days + 2),
        ) as server:
            token = dev_token(server)
            quiet = asyncio.run(_follow(server, token, seconds))
            context = multiprocessing.get_context("spawn")
            done = context.Queue()
            load = context.Process(target=_reports, args=(server, token, clients, span, done))
            load.start()
            try:
                time.sleep(2)  # the reports under way
                loaded = asyncio.run(_follow(server, token, seconds))
            finally:
                load.kill()
                load.join()
            reports = []
            while not done.empty():
                reports.append(done.get())
    print("| feed | deliveries | median | p99 | max | reports |")
    print("|---|---|---|---|---|---|")
    print(_row("alone (baseline)", quiet))
    took = sorted(r[0] for r in reports)
    size = statistics.median(r[1] for r in reports) / 1e6 if reports else 0
    note = (
        f"{len(reports)} done, median {statistics.median(took):.2f} s, {size:.1f} MB each"
        if reports
        else "none finished"
    )
    print(_row(f"with {clients} reports at once", loaded, note))
    met = bool(loaded) and max(loaded) <= TARGET
    print(
        f"\ntarget: no delivery later than {TARGET * 1000:.0f} ms under the reports: "
        f"{'met' if met else 'NOT met'}"
    )
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--smoke", action="store_true", help="a month of 3 rooms, 4 reports, 3 s")
    args = parser.parse_args()
    if args.smoke:
        run(3, 4, 3.0, days=31)
    else:
        run(args.rooms, args.reports, args.seconds)


if __name__ == "__main__":
    main()
