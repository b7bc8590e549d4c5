"""Reconnect storm: 1,000 dashboards connecting at once to a server holding 700 live rooms.

What happens after a proxy restart or a network blip: every dashboard of a studio connects in
the same instant and waits for its snapshot.  The dashboards are spread over four processes,
each ready before the start is given, so the time measured is the server's (and the machine's):
from the start to each dashboard holding its snapshot.  Reported: the median and the slowest
dashboard, and how many failed.  Target: all live within 3 s.

    python -m benchmarks.storm
    python -m benchmarks.storm --dashboards 2000 --runs 5
    python -m benchmarks.storm --smoke
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import time
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event as EventType

import httpx

from .harness import ROOMS, dashboard, dev_token, machine, sample_body, served, spawn_ready

TARGET_SECONDS = 3.0
PROCESSES = 4


def _storm_main(
    ws_url: str, token: str, clients: int, go: EventType, ready: EventType, out: Connection
) -> None:
    gc.disable()  # a collection here would read as the server's time
    ready.set()
    go.wait()
    started = time.monotonic()
    try:
        out.send((started, asyncio.run(_connect_all(ws_url, token, clients))))
    except Exception as exc:  # the parent raises it
        out.send(RuntimeError(f"storm process failed: {exc!r}"))
    out.close()


async def _connect_all(ws_url: str, token: str, clients: int) -> list[float | None]:
    """Each dashboard's arrival time of its first message (None: it failed)."""

    async def one() -> float | None:
        try:
            async with dashboard(ws_url, token) as ws:
                await asyncio.wait_for(ws.recv(decode=False), 60)
                return time.monotonic()
        except Exception:
            return None

    return list(await asyncio.gather(*(one() for _ in range(clients))))


def storm(url: str, token: str, dashboards: int) -> tuple[list[float], int]:
    """Seconds from the start to each dashboard's snapshot, and how many failed."""
    ws_url = url.replace("http://", "ws://") + "/ws/dashboard"
    from multiprocessing import get_context

    go = get_context("spawn").Event()
    shares = [dashboards // PROCESSES + (i < dashboards % PROCESSES) for i in range(PROCESSES)]
    procs, pipes = spawn_ready(
        _storm_main, [(ws_url, token, share, go) for share in shares if share], "storm processes"
    )
    start = time.monotonic()
    go.set()
    times: list[float] = []
    failed = 0
    for pipe in pipes:
        got = pipe.recv()
        if isinstance(got, Exception):
            raise got
        _, arrivals = got
        times += [arrived - start for arrived in arrivals if arrived is not None]
        failed += sum(arrived is None for arrived in arrivals)
    for proc in procs:
        proc.join(timeout=30)
    return sorted(times), failed


def fill(url: str) -> None:
    """Every room of the studio live, so each snapshot holds all of them (posted as a
    collector does in dev mode: a user's token never ingests)."""
    headers = {"Content-Type": "application/json"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        for n in range(ROOMS):
            http.post("/api/tracking/telemetry", content=sample_body(n)).raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="50 dashboards, one run")
    parser.add_argument("--dashboards", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--servers", default="godmode,starlette,node")
    args = parser.parse_args()
    dashboards = 50 if args.smoke else args.dashboards
    runs = 1 if args.smoke else args.runs
    print(f"# Reconnect storm ({machine()}, {time.strftime('%Y-%m-%d')}), {ROOMS} rooms live")
    print("server | dashboards | run | median s | slowest s | failed")
    print("---|---|---|---|---|---")
    slowest: dict[str, list[float]] = {}
    for kind in args.servers.split(","):
        with served(kind) as (url, _):
            token = dev_token(url)
            fill(url)
            for run in range(1, runs + 1):
                times, failed = storm(url, token, dashboards)
                worst = times[-1] if times and not failed else float("inf")
                slowest.setdefault(kind, []).append(worst)
                median = statistics.median(times) if times else float("nan")
                print(f"{kind} | {dashboards:,} | {run} | {median:.2f} | {worst:.2f} | {failed}")
    print()
    for kind, values in slowest.items():
        print(
            f"{kind}: all {dashboards:,} live within {statistics.median(values):.2f} s (median run)"
        )
    if "godmode" in slowest:
        ours = statistics.median(slowest["godmode"])
        verdict = "met" if ours <= TARGET_SECONDS else "MISSED"
        print(f"target (all live within {TARGET_SECONDS:g} s): {verdict}")


if __name__ == "__main__":
    main()
