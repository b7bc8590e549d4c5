"""Shared fixtures: real server processes on loopback ports, and clients for them."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import redis

# Qt draws into memory: the suite runs without a display (CI has none).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

JWT_SECRET = "test-secret-" + "x" * 60
STARTUP_TIMEOUT = 20.0
POLL_INTERVAL = 0.02


def wait_until(predicate: Callable[[], object], timeout: float = 5.0, what: str = "") -> None:
    """Return once ``predicate()`` is true; fail the test if it is not within ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(POLL_INTERVAL)


class Changes:
    """Something that changes as events are delivered, and a way to await a condition on it."""

    def __init__(self) -> None:
        self._changed = asyncio.Event()

    def changed(self) -> None:
        self._changed.set()

    async def until(
        self, predicate: Callable[[], object], timeout: float = 10.0, what: str = ""
    ) -> None:
        """Return once ``predicate()`` holds after some change; fail the test after ``timeout``."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            pytest.fail(f"timed out after {timeout} s waiting for {what or predicate}; {self!r}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    """``godmode-server run`` in a child process, as an operator would start it."""

    workdir: Path
    dev: bool = True
    env: dict[str, str] = field(default_factory=dict)
    #: Variables taken out of the environment (to test settings read from files instead).
    unset: tuple[str, ...] = ()
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def tls(self) -> bool:
        """Serving HTTPS/WSS (GODMODE_TLS_CERTFILE set); then ``verify`` is the CA to trust."""
        return bool(self.env.get("GODMODE_TLS_CERTFILE"))

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"{'wss' if self.tls else 'ws'}://127.0.0.1:{self.port}/ws/dashboard"

    @property
    def verify(self) -> ssl.SSLContext | bool:
        ca_file = self.env.get("GODMODE_TEST_CA_FILE")
        return ssl.create_default_context(cafile=ca_file) if ca_file else True

    @property
    def log_path(self) -> Path:
        return self.workdir / f"server-{self.port}.log"

    def base_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "GODMODE_DATABASE_URL": f"sqlite:///{self.workdir / 'godmode.db'}",
                "GODMODE_JWT_SECRET": JWT_SECRET,
                "PYTHONUNBUFFERED": "1",
                # The suite logs in and posts from one address far faster than any studio;
                # the limits have their own tests (tests/server/test_ratelimit.py).
                "GODMODE_RATE_LIMITS": "false",
                # The settings file `godmode-server init` writes is looked for here: the test's
                # own, never the machine's.
                "XDG_CONFIG_HOME": str(self.workdir / "config"),
            }
        )
        env.update(self.env)
        for name in self.unset:
            env.pop(name, None)
        return env

    def cli(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run another ``godmode-server`` command against the same database."""
        return subprocess.run(
            [sys.executable, "-m", "godmode_server", *args],
            env=self.base_env(),
            input=input,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def start(self, port: int | None = None) -> ServerProcess:
        """Start on ``port``, or on a free one; starting again after :meth:`stop` reuses it."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or self.port or free_port()
        args = [sys.executable, "-m", "godmode_server", "run", "--port", str(self.port)]
        if self.dev:
            args.append("--dev")
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                args, env=self.base_env(), stdout=log, stderr=subprocess.STDOUT
            )
        try:
            wait_until(self._answers, STARTUP_TIMEOUT, f"the server on port {self.port}")
        except BaseException:
            self.stop()
            raise
        return self

    def _answers(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise RuntimeError(f"server exited at start:\n{self.log()}")
        try:
            return (
                httpx.get(self.url + "/healthz", timeout=1, verify=self.verify).status_code == 200
            )
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def login(self, username: str = "demo", password: str = "demo") -> str:
        answer = httpx.post(
            self.url + "/api/auth/login", json={"username": username, "password": password}
        )
        answer.raise_for_status()
        return str(answer.json()["access_token"])


@dataclass
class RedisProcess:
    """A real ``redis-server`` on a free loopback port; ``persistent`` keeps data across restarts
    (append-only file, synced on every write), as a production Redis would."""

    workdir: Path
    persistent: bool = False
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisProcess:
        """Start, on a free port the first time and on the same port after :meth:`stop`."""
        if shutil.which("redis-server") is None:
            pytest.fail("redis-server is needed (make test installs it)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--dir", str(self.workdir)]
        args += (
            ["--appendonly", "yes", "--appendfsync", "always"]
            if self.persistent
            else [
                "--appendonly",
                "no",
            ]
        )
        log = (self.workdir / "redis.log").open("ab")
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        wait_until(self._answers, STARTUP_TIMEOUT, f"redis-server on port {self.port}")
        return self

    def _answers(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise RuntimeError((self.workdir / "redis.log").read_text(errors="replace"))
        try:
            with redis.Redis(port=self.port, socket_timeout=1) as client:
                return bool(client.ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, decode_responses=True, socket_timeout=5)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisProcess]:
    """A Redis of the test's own, stopped at its end."""
    server = RedisProcess(tmp_path / "redis").start()
    yield server
    server.stop()


def _postgres_bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL's server binaries are needed (make test installs postgresql)")
    return found[-1].parent


@dataclass
class PostgresProcess:
    """A real PostgreSQL server of the test run's own, on a free loopback port.

    PostgreSQL refuses to run as root, so under root it runs as the ``postgres`` user that the
    Debian package creates, in a directory under /tmp that user can reach (pytest's own temporary
    directories are private to root).
    """

    port: int = 0
    workdir: Path | None = None
    proc: subprocess.Popen[bytes] | None = None

    @staticmethod
    def _owner() -> dict[str, object]:
        """Popen arguments that run a child as ``postgres`` when we are root."""
        if os.geteuid() != 0:
            return {}
        return {"user": "postgres", "group": "postgres", "extra_groups": []}

    def start(self) -> PostgresProcess:
        """Create the cluster and start it; after :meth:`stop`, start it again as it was."""
        bindir = _postgres_bindir()
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="gm-postgres-", dir="/tmp"))
            if os.geteuid() == 0:
                shutil.chown(self.workdir, "postgres", "postgres")
            subprocess.run(
                [
                    str(bindir / "initdb"),
                    *("-D", str(self.workdir / "data"), "-U", "godmode"),
                    *("--auth=trust", "--encoding=UTF8", "--no-sync"),
                ],
                check=True,
                capture_output=True,
                cwd=self.workdir,
                **self._owner(),  # type: ignore[arg-type]
            )
            self.port = free_port()
        log = (self.workdir / "postgres.log").open("ab")
        self.proc = subprocess.Popen(
            [
                str(bindir / "postgres"),
                *("-D", str(self.workdir / "data"), "-p", str(self.port)),
                *("-k", str(self.workdir), "-c", "listen_addresses=127.0.0.1"),
                *("-c", "fsync=off", "-c", "max_connections=200"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.workdir,
            **self._owner(),  # type: ignore[arg-type]
        )
        log.close()
        wait_until(self._answers, STARTUP_TIMEOUT, f"PostgreSQL on port {self.port}")
        return self

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [
                "psql",
                *("-h", "127.0.0.1", "-p", str(self.port), "-U", "godmode", "-d", database),
                *("-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        return result.stdout

    def _answers(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            assert self.workdir is not None
            raise RuntimeError((self.workdir / "postgres.log").read_text(errors="replace"))
        try:
            return self.psql("SELECT 1").strip() == "1"
        except RuntimeError:
            return False

    def new_database(self) -> str:
        """A fresh, empty database; its URL as an operator would write it."""
        name = "gm_" + uuid.uuid4().hex[:12]
        self.psql(f"CREATE DATABASE {name}")
        return f"postgresql://godmode@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        """Stop the server, keeping its data: SIGINT is PostgreSQL's fast shutdown, which ends
        open sessions (SIGTERM would wait for every client to leave)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            self.proc.wait(timeout=20)

    def close(self) -> None:
        """Stop and delete everything."""
        self.stop()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresProcess]:
    """One PostgreSQL for the run; each user of it takes a database of its own."""
    server = PostgresProcess().start()
    yield server
    server.close()


@pytest.fixture
def own_postgres() -> Iterator[PostgresProcess]:
    """A PostgreSQL the test may stop and start."""
    server = PostgresProcess().start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One ``--dev`` server for the whole session; tests use their own room ids."""
    server = ServerProcess(tmp_path_factory.mktemp("dev-server")).start()
    yield server
    server.stop()


ServerFactory = Callable[..., ServerProcess]


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[ServerFactory]:
    """Start a server with particular settings; stopped at the end of the test."""
    started: list[ServerProcess] = []

    def start(*, dev: bool = True, **env: str) -> ServerProcess:
        server = ServerProcess(tmp_path / f"server{len(started)}", dev=dev, env=env).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def demo_token(dev_server: ServerProcess) -> str:
    return dev_server.login()


@pytest.fixture
def room() -> str:
    """A room id no other test uses, so tests can share one server."""
    return "room_" + uuid.uuid4().hex[:12]
