"""A server of one's own: ``godmode-server run`` in a child process, and when it answers.

One launcher for everything that starts a server for itself: ``godmode demo``, the test suite and
the benchmarks.  The server gets a working folder of its own (its SQLite database, its log, and
``XDG_CONFIG_HOME``, so the settings file of a real installation on the machine is never read)
and none of the environment's ``GODMODE_*`` settings that would tie it to something shared
(Redis, an env file, a secrets folder) unless the caller passes them again.

Standard library only, and it starts the server by its command line, never by importing it:
the app's demo uses it, and the app imports nothing of the server (import-linter checks).
"""

from __future__ import annotations

import atexit
import collections
import itertools
import os
import random
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Self

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

#: Settings of the environment a launched server does not inherit: each would connect it to
#: something shared with other servers on the machine.
ISOLATED = ("GODMODE_REDIS_URL", "GODMODE_ENV_FILE", "GODMODE_SECRETS_DIR", "GODMODE_DATABASE_URL")


def server_command(*args: str) -> list[str]:
    """The command line of ``godmode-server ARGS`` in this installation: ``python -m
    godmode_server`` normally, or the bundle's own executable with ``server`` in a standalone
    bundle (PyInstaller's, where there is no separate Python to run a module with)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "server", *args]
    return [sys.executable, "-m", "godmode_server", *args]


class ServerDidNotStart(RuntimeError):
    """The server exited, or did not answer in time; the message holds its log."""


#: The ports this process reserved last (see :func:`free_port`): the open, locked files that
#: hold them, at most :data:`_HELD` (one file descriptor each).
_reserved: collections.deque[IO[bytes]] = collections.deque()
_HELD = 128


@atexit.register
def _release_ports() -> None:
    while _reserved:
        _reserved.popleft().close()


def free_port() -> int:
    """A loopback port nobody listens on, for a server to be started on it.

    Asking the kernel for any free port (binding port 0) is not enough when several processes
    start servers at once (the test suite's workers, its lowest-versions stage beside them): the
    port is free again the moment it is answered, so two of them can be given the same one, and
    the server that loses the race exits while the one that won answers the other's health check.
    A port from the kernel's ephemeral range may also be taken meanwhile by any outgoing
    connection.  So where ``fcntl`` exists (not on Windows: there, the kernel's answer) the port
    comes from below the ephemeral range, which the kernel never hands out by itself, and is
    reserved by a lock on a file named after it: every caller of this function on the machine
    skips a port another one holds.  The lock is held while this process reserves its next
    :data:`_HELD` ports (long past the server's start, and through a restart on the same port)
    or until it exits, however it ends.  A port still listened on is skipped whether locked or
    not.
    """
    if fcntl is None:
        return _kernel_port()
    folder = Path(tempfile.gettempdir()) / f"godmode-ports-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    low = _PORTS_FROM
    high = _ephemeral_start()
    start = random.randrange(low, high)
    for port in itertools.chain(range(start, high), range(low, start)):
        lock = (folder / str(port)).open("ab")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another process holds it
            lock.close()
            continue
        if _bindable(port):
            _reserved.append(lock)
            if len(_reserved) > _HELD:
                _reserved.popleft().close()
            return port
        lock.close()
    return _kernel_port()


#: The lowest port :func:`free_port` hands out.
_PORTS_FROM = 20000


def _ephemeral_start() -> int:
    """The first port of the kernel's range for outgoing connections (Linux: 32768)."""
    try:
        first = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768
    return first if first > _PORTS_FROM + 1000 else 32768


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _kernel_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalServer:
    """``python -m godmode_server run`` (or another ``command`` taking ``--port``) on loopback."""

    workdir: Path
    dev: bool = True
    #: Environment variables for the server, over the isolated environment.
    env: dict[str, str] = field(default_factory=dict)
    #: Variables taken out of the environment (to test settings read from files instead).
    unset: tuple[str, ...] = ()
    #: Arguments after the command (before ``--port``).
    args: tuple[str, ...] = ()
    #: The program and its arguments; default: ``godmode-server run`` (see :func:`server_command`).
    command: tuple[str, ...] = ()
    port: int = 0
    startup_timeout: float = 30.0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def tls(self) -> bool:
        """Serving HTTPS/WSS (``GODMODE_TLS_CERTFILE`` given)."""
        return bool(self.env.get("GODMODE_TLS_CERTFILE"))

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"{'wss' if self.tls else 'ws'}://127.0.0.1:{self.port}/ws/dashboard"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"server-{self.port}.log"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ISOLATED}
        env.update(
            GODMODE_DATABASE_URL=f"sqlite:///{self.workdir / 'godmode.db'}",
            PYTHONUNBUFFERED="1",
            XDG_CONFIG_HOME=str(self.workdir / "config"),
        )
        env.update(self.env)
        for name in self.unset:
            env.pop(name, None)
        return env

    def launch(self, port: int | None = None) -> Self:
        """Start the process without waiting for it (see :meth:`wait_ready`); on ``port``, or on
        a free one, and on the same one again after :meth:`stop`."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or self.port or free_port()
        command = [sys.executable, *self.command] if self.command else server_command("run")
        argv = [*command, *self.args]
        if self.dev:
            argv.append("--dev")
        argv += ["--port", str(self.port)]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                argv, env=self.environment(), stdout=log, stderr=subprocess.STDOUT
            )
        return self

    def wait_ready(self) -> Self:
        """Return once ``/healthz`` answers; stop the process and raise if it does not."""
        deadline = time.monotonic() + self.startup_timeout
        try:
            while not self.answers():
                if time.monotonic() > deadline:
                    raise ServerDidNotStart(
                        f"no answer from {self.url} in {self.startup_timeout:g} s:\n{self.log()}"
                    )
                time.sleep(0.02)
        except BaseException:
            self.stop()
            raise
        return self

    def start(self, port: int | None = None) -> Self:
        return self.launch(port).wait_ready()

    def ssl_context(self) -> ssl.SSLContext | None:
        """How to check the server's certificate when it serves TLS (the system's CAs)."""
        return ssl.create_default_context() if self.tls else None

    def answers(self) -> bool:
        if self.proc is None:
            return False
        if self.proc.poll() is not None:
            raise ServerDidNotStart(f"server exited at start:\n{self.log()}")
        try:
            with urllib.request.urlopen(
                self.url + "/healthz", timeout=1, context=self.ssl_context()
            ) as answer:
                return bool(answer.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    def stop(self) -> None:
        """Terminate and wait (kill after 10 s); nothing to do when it is not running."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()
