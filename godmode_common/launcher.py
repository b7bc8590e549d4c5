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

import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

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


def free_port() -> int:
    """A loopback port nobody listens on right now."""
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
