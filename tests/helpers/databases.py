"""Real Redis and PostgreSQL servers of the test run's own, on free loopback ports."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis

from godmode_common.launcher import free_port
from tests.helpers.waiting import wait_until

STARTUP_TIMEOUT = 20.0


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
    def _owner() -> dict[str, Any]:
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
                **self._owner(),
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
            **self._owner(),
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


def cluster_env(postgres: PostgresProcess, redis_server: RedisProcess) -> dict[str, str]:
    """What nodes of one cluster share: a new PostgreSQL database, and the Redis."""
    return {
        "GODMODE_DATABASE_URL": postgres.new_database(),
        "GODMODE_REDIS_URL": redis_server.url,
    }
