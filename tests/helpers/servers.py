"""``godmode-server run`` as the tests start it: the project's launcher, with the suite's
JWT secret and no rate limits, and the clients' side of it (TLS trust, the CLI, a login)."""

from __future__ import annotations

import ssl
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from godmode_common.launcher import LocalServer

JWT_SECRET = "test-secret-" + "x" * 60

#: What every test server gets unless the test says otherwise.
TEST_DEFAULTS = {
    "GODMODE_JWT_SECRET": JWT_SECRET,
    # The suite logs in and posts from one address far faster than any studio; the limits
    # have their own tests (tests/server/http/test_ratelimit.py).
    "GODMODE_RATE_LIMITS": "false",
}


#: Unset for a server left out of the coverage measurement (``make test``): a load test's server,
#: whose thousands of samples would take twice as long traced, for no line the other tests miss.
UNMEASURED = ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START")


@dataclass
class ServerProcess(LocalServer):
    """``godmode-server run`` in a child process, as an operator would start it."""

    startup_timeout: float = 20.0

    def environment(self) -> dict[str, str]:
        env = super().environment()
        for name, value in TEST_DEFAULTS.items():
            if name not in self.env and name not in self.unset:
                env[name] = value
        return env

    @property
    def verify(self) -> ssl.SSLContext | bool:
        """What clients trust: the test's CA (``GODMODE_TEST_CA_FILE``), else the system's."""
        ca_file = self.env.get("GODMODE_TEST_CA_FILE")
        return ssl.create_default_context(cafile=ca_file) if ca_file else True

    def ssl_context(self) -> ssl.SSLContext | None:
        verify = self.verify
        return verify if isinstance(verify, ssl.SSLContext) else super().ssl_context()

    def cli(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run another ``godmode-server`` command against the same database."""
        return subprocess.run(
            [sys.executable, "-m", "godmode_server", *args],
            env=self.environment(),
            input=input,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def login(self, username: str = "demo", password: str = "demo") -> str:
        answer = httpx.post(
            self.url + "/api/auth/login",
            json={"username": username, "password": password},
            verify=self.verify,
        )
        answer.raise_for_status()
        return str(answer.json()["access_token"])


ServerFactory = Callable[..., ServerProcess]


#: The administrator ``admin_studio`` adds.
STUDIO_ADMIN, STUDIO_PASSWORD, STUDIO_KEY = "root", "admin-pass-1", "pc-7"


@contextmanager
def admin_studio(
    workdir: Path, *, users: Sequence[tuple[str, str]] = (), **env: str
) -> Iterator[tuple[ServerProcess, httpx.Client, str]]:
    """A production server with an administrator (``root``), ``users`` as (name, role) with the
    same password, and an ingest key (``pc-7``): the server, an HTTP client logged in as the
    administrator, and the key."""
    server = ServerProcess(workdir, dev=False, env=env)
    for name, role in ((STUDIO_ADMIN, "admin"), *users):
        added = server.cli("user", "add", name, "--role", role, input=STUDIO_PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
    key = server.cli("key", "create", STUDIO_KEY).stdout.strip()
    server.start()
    token = server.login(STUDIO_ADMIN, STUDIO_PASSWORD)
    try:
        with httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}
        ) as admin:
            yield server, admin, key
    finally:
        server.stop()
