"""Ports for servers started at once by several processes (godmode_common/launcher.py): never the
same one twice, never one listened on, never one the kernel may give an outgoing connection."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from godmode_common import launcher
from godmode_common.launcher import free_port

#: How many ports each side takes in the race below.
TAKEN = 60

_HOLDER = textwrap.dedent(
    f"""
    import sys
    from godmode_common.launcher import free_port
    ports = [free_port() for _ in range({TAKEN})]
    print(" ".join(map(str, ports)), flush=True)
    sys.stdin.read()  # hold them until told to go
    """
)


def _ephemeral_start() -> int:
    return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])


def test_two_processes_taking_ports_at_once_never_get_the_same_one() -> None:
    holders = [
        subprocess.Popen(
            [sys.executable, "-c", _HOLDER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        mine = [free_port() for _ in range(TAKEN)]
        theirs = [[int(p) for p in h.stdout.readline().split()] for h in holders if h.stdout]
    finally:
        for holder in holders:
            holder.communicate("", timeout=30)
    everyone = [*mine, *theirs[0], *theirs[1]]
    assert len(everyone) == 3 * TAKEN
    assert len(set(everyone)) == len(everyone)
    assert all(port < _ephemeral_start() for port in everyone)


def test_a_port_someone_listens_on_is_skipped_and_a_full_range_falls_back_to_the_kernel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as listening:  # someone's server, on a port nobody reserved
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        # A range of three ports around it (the kernel's own ports, for the test's sake).
        monkeypatch.setattr(launcher, "_PORTS_FROM", port - 1)
        monkeypatch.setattr(launcher, "_ephemeral_start", lambda: port + 2)
        if not all(launcher._bindable(p) for p in (port - 1, port + 1)):
            pytest.skip("the ports beside the kernel's are in use")
        given = [launcher.free_port() for _ in range(3)]
    assert sorted(given[:2]) == [port - 1, port + 1]
    assert given[2] not in (port - 1, port, port + 1)  # all taken: the kernel's answer
