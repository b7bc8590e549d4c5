"""Ingest throughput: ``POST /api/tracking/telemetry`` against a no-op POST on the same server.

``wrk`` (Debian's package) drives both endpoints of one server process in turn, with a Lua
script that makes every sample new (500 rooms, rising counters), so every POST is validated,
stored, logged and fanned out.  Reported: requests per second for each and their ratio
(target: ingest >= 0.5 x no-op), and with ``--profile`` the top functions of the ingest path
sampled by py-spy.

    python -m benchmarks.ingest [--seconds 10] [--profile]
    python -m benchmarks.ingest --smoke
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from .harness import machine, module_server

LUA = """
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local body = string.format(
    '{"room_id":"ingest_%d","platform":"chaturbate","tokens_count":%d,"tips_count":1,'
    .. '"viewers_count":1,"timestamp":%d}', n % 500, n, os.time())
  return wrk.format(nil, nil, nil, body)
end
"""


def noop_server() -> contextlib.AbstractContextManager[tuple[str, subprocess.Popen[bytes]]]:
    """The real app plus ``POST /bench/noop`` (benchmarks/noop_server.py), on a free port."""
    # The limiter runs as in production (it is on by default), with limits no load here reaches,
    # so its cost is in the figures but nothing is refused.
    return module_server(
        "benchmarks.noop_server",
        GODMODE_RATE_LIMITS="true",
        GODMODE_INGEST_RATE_PER_ADDRESS="1000000/second",
        GODMODE_INGEST_RATE_PER_KEY="1000000/second",
    )


def priced(url: str) -> None:
    """A payout rate for the platform posted to, as a studio sets one: every event then
    carries its room's day and shift in dollars too (the dev server's admin sets it)."""
    token = httpx.post(url + "/api/auth/login", json={"username": "demo", "password": "demo"})
    token.raise_for_status()
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    body = {"platform": "chaturbate", "usd_per_token": "0.05"}
    httpx.post(url + "/api/admin/rates", json=body, headers=headers).raise_for_status()


def wrk(url: str, seconds: float, connections: int, script: Path) -> tuple[float, int]:
    """Requests per second, and answers that were not 2xx."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (make bench installs it)")
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if rate is None:
        raise RuntimeError(result.stdout + result.stderr)
    return float(rate.group(1)), int(errors.group(1)) if errors else 0


def profile(pid: int, seconds: float, out: Path) -> list[tuple[str, float]]:
    """Sample the server with py-spy for ``seconds``; the functions holding most samples."""
    py_spy = Path(sys.executable).parent / "py-spy"
    subprocess.run(
        [
            *(str(py_spy), "record", "--pid", str(pid), "--duration", str(round(seconds))),
            *("--format", "raw", "--output", str(out), "--nonblocking"),
        ],
        check=True,
        capture_output=True,
    )
    own: Counter[str] = Counter()
    total = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        total += int(count)
        own[_short(frames[-1])] += int(count)
    return [(name, 100 * n / total) for name, n in own.most_common(12)]


def _short(frame: str) -> str:
    # "function (path/to/module.py:123)" -> "function (module.py)"
    match = re.match(r"(.*) \((.*?):\d+\)$", frame)
    if not match:
        return frame
    return f"{match.group(1)} ({Path(match.group(2)).name})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--no-rates",
        action="store_true",
        help="no payout rate: the live figures carry no dollars (as before issue 38's money)",
    )
    args = parser.parse_args()
    seconds = 1.0 if args.smoke else args.seconds
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "post.lua"
        script.write_text(LUA)
        with noop_server() as (url, proc):
            if not args.no_rates:
                priced(url)
            wrk(url + "/bench/noop", 1, args.connections, script)  # warm-up
            noop, noop_errors = wrk(url + "/bench/noop", seconds, args.connections, script)
            ingest, errors = wrk(url + "/api/tracking/telemetry", seconds, args.connections, script)
            top = []
            if args.profile:
                with subprocess.Popen(
                    [
                        *("wrk", "-t1", f"-c{args.connections}", f"-d{round(seconds) + 2}s"),
                        *("-s", str(script), url + "/api/tracking/telemetry"),
                    ],
                    stdout=subprocess.DEVNULL,
                ) as load:
                    time.sleep(1)  # let wrk reach full load before sampling
                    top = profile(proc.pid, seconds, Path(tmp) / "profile.txt")
                    load.wait()
    if noop_errors or errors:
        raise RuntimeError(f"non-2xx answers: no-op {noop_errors}, ingest {errors}")
    print(f"# Ingest ({machine()}, {time.strftime('%Y-%m-%d')}, wrk -t1 -c{args.connections})")
    print("endpoint | requests/s | ratio")
    print("---|---|---")
    print(f"no-op POST (baseline) | {noop:,.0f} | 1.00")
    print(f"POST /api/tracking/telemetry | {ingest:,.0f} | {ingest / noop:.2f}")
    if top:
        print("\nTop functions of the ingest path (py-spy, own samples):\n")
        print("function | share")
        print("---|---")
        for name, share in top:
            print(f"`{name}` | {share:.1f} %")


if __name__ == "__main__":
    main()
