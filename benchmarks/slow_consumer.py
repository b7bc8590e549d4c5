"""A slow consumer: one dashboard that never reads, among 100 that do.

The readers' latency is measured without it and with it, in the same run, on one server (the
runs alternate, so drift on this shared machine hits both).  The non-reader is a real WebSocket
client that completes the handshake and then never reads: its socket fills, then its queue,
until the server closes it (4429); nothing of that may reach the others.
Target: the readers' p99 moves by no more than 20 %.

    python -m benchmarks.slow_consumer
    python -m benchmarks.slow_consumer --smoke
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import socket
import statistics
import time

from .harness import dev_token, generate, godmode_server, latencies, machine, start_receivers

READERS = 100
RATE = 50
TARGET_INCREASE = 0.20


def non_reader(url: str, token: str) -> socket.socket:
    """A dashboard that completes the WebSocket handshake and never reads again."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /ws/dashboard HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        ).encode()
    )
    head = sock.recv(4096)
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(f"the non-reader was refused: {head[:80]!r}")
    return sock


def run_once(url: str, token: str, seconds: float, with_slow: bool) -> tuple[float, int, int]:
    """The readers' p99 in ms, deliveries lost, and bytes the non-reader left unread (0 without)."""
    receivers = start_receivers(url, token, READERS, 4)
    slow = non_reader(url, token) if with_slow else None
    try:
        sent, failures = asyncio.run(generate(url, RATE, int(RATE * seconds)))
        result = latencies(sent, receivers.results())
        if failures:
            raise RuntimeError(f"{failures} POSTs were refused")
        pending = 0
        if slow is not None:
            slow.setblocking(False)
            try:
                while chunk := slow.recv(1 << 20):
                    pending += len(chunk)
            except (BlockingIOError, ConnectionResetError):
                pass
        return result.p99_ms, result.lost, pending
    finally:
        if slow is not None:
            slow.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one second, one round")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    seconds, rounds = (1.0, 1) if args.smoke else (args.seconds, args.rounds)
    print(f"# Slow consumer ({machine()}, {time.strftime('%Y-%m-%d')})")
    print(f"{READERS} readers at {RATE} samples/s, {seconds:g} s per run")
    print()
    print(
        "round | without: readers' p99 ms | with one non-reader: readers' p99 ms | lost | bytes it left unread"
    )
    print("---|---|---|---|---")
    without, with_slow = [], []
    with godmode_server() as url:
        token = dev_token(url)
        for n in range(1, rounds + 1):
            a, lost_a, _ = run_once(url, token, seconds, with_slow=False)
            b, lost_b, unread = run_once(url, token, seconds, with_slow=True)
            without.append(a)
            with_slow.append(b)
            print(f"{n} | {a:.2f} | {b:.2f} | {lost_a + lost_b} | {unread:,}", flush=True)
    base, slow = statistics.median(without), statistics.median(with_slow)
    change = slow / base - 1
    verdict = "met" if change <= TARGET_INCREASE else "MISSED"
    print(
        f"\nmedian p99: {base:.2f} ms without, {slow:.2f} ms with: {change:+.0%} "
        f"(target <= +{TARGET_INCREASE:.0%}: {verdict})"
    )


if __name__ == "__main__":
    main()
