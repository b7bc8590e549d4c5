"""``godmode doctor`` against real servers: all ✓ when healthy, the right ✗ lines otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from godmode_common.launcher import free_port
from tests.helpers.bodies import sample_json
from tests.helpers.databases import RedisProcess
from tests.helpers.servers import ServerFactory, ServerProcess
from tests.helpers.waiting import wait_until
from tests.server.collectors.fake_events_api import FakeEventsApi


def _doctor(
    server_url: str, *args: str, password: str = "demo", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GODMODE_")}
    environment.update(GODMODE_PASSWORD=password, **env)
    return subprocess.run(
        [sys.executable, "-m", "godmode_desktop", "doctor", "--server", server_url, *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _marks(output: str) -> list[str]:
    return [line.split(" ", 1)[0] for line in output.splitlines() if line[:1] in "✓✗–"]


def test_a_healthy_dev_server_passes_every_check(dev_server: ServerProcess) -> None:
    result = _doctor(dev_server.url, "--user", "demo")

    assert result.returncode == 0, result.stdout + result.stderr
    assert _marks(result.stdout) == ["✓"] * 6 + ["–"]
    assert "the live feed delivered it" in result.stdout
    assert "Redis not configured (embedded store)" in result.stdout


def test_a_stopped_server_fails() -> None:
    result = _doctor(f"http://127.0.0.1:{free_port()}", "--user", "demo")

    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("✗ backend unreachable")


def test_a_wrong_password_fails_and_checks_that_cannot_run_are_skipped_with_why(
    make_server: ServerFactory,
) -> None:
    server = make_server(dev=False)
    assert (
        server.cli("user", "add", "ana", "--role", "admin", input="s3cret-pass\n").returncode == 0
    )
    key = server.cli("key", "create", "doctor").stdout.strip()

    wrong = _doctor(server.url, "--user", "ana", password="nope")
    no_key = _doctor(server.url, "--user", "ana", password="s3cret-pass")
    with_key = _doctor(server.url, "--user", "ana", "--api-key", key, password="s3cret-pass")

    assert wrong.returncode == 1
    assert "✗ login as 'ana' refused: Wrong user name or password." in wrong.stdout
    assert no_key.returncode == 0, no_key.stdout
    assert "✗" not in no_key.stdout, "what could not run did not fail"
    assert _marks(no_key.stdout) == ["✓", "✓", "✓", "–", "–", "–", "–"]
    assert "– POST not checked: this server takes samples with an API key (--api-key)" in (
        no_key.stdout
    )
    assert "– GET not checked: nothing was posted to read back" in no_key.stdout
    assert with_key.returncode == 0, with_key.stdout
    assert _marks(with_key.stdout) == ["✓"] * 6 + ["–"]

    # Nothing of it reaches what a manager sees: no report counts it, and its key does not feed
    # it (so no "collector silent" follows the check).  A room posted after it is, both ways.
    posted = httpx.post(
        server.url + "/api/tracking/telemetry", json=sample_json("ctrl"), headers={"X-Api-Key": key}
    )
    assert posted.status_code == 200
    token = server.login("ana", "s3cret-pass")
    headers = {"Authorization": f"Bearer {token}"}
    now = int(time.time()) // 60 * 60  # reports count whole minutes

    def report() -> str:
        answer = httpx.get(
            server.url + "/api/reports/earnings",
            params={"from": now - 3600, "to": now + 120, "group": "total"},
            headers=headers,
        )
        assert answer.status_code == 200, answer.text
        return answer.text

    def rooms() -> list[str]:
        [doctor] = httpx.get(server.url + "/api/admin/keys", headers=headers).json()
        return [r["room_id"] for r in doctor["rooms"]]

    wait_until(lambda: "ctrl" in report(), timeout=15, what="the room after it in the report")
    assert "godmode-doctor" not in report()
    wait_until(lambda: rooms() == ["ctrl"], timeout=15, what="the key's rooms")


def test_redis_is_checked_down_to_the_key_and_its_ttl(
    redis_server: RedisProcess, make_server: ServerFactory
) -> None:
    server = make_server(GODMODE_REDIS_URL=redis_server.url)

    healthy = _doctor(server.url, "--user", "demo", GODMODE_REDIS_URL=redis_server.url)
    redis_server.stop()
    without = _doctor(server.url, "--user", "demo", GODMODE_REDIS_URL=redis_server.url)

    assert healthy.returncode == 0, healthy.stdout
    assert "✓ Redis holds godmode:latest:chaturbate:godmode-doctor (TTL 3" in healthy.stdout
    assert without.returncode == 1
    assert "✗ the server works without Redis: degraded:" in without.stdout
    assert f"✗ Redis at {redis_server.url} does not answer" in without.stdout


def test_server_side_collectors_are_reported(make_server: ServerFactory, tmp_path: Path) -> None:
    with FakeEventsApi(token="the-right-token-123") as api:
        collectors = tmp_path / "collectors.toml"
        collectors.write_text(
            f'[[chaturbate_events]]\nusername = "{api.username}"\ntoken = "a-refused-token-456"\n'
            f'api_url = "{api.base_url}"\n'
        )
        server = make_server(GODMODE_COLLECTORS_FILE=str(collectors))
        wait_until(
            lambda: "unhealthy" in str(httpx.get(server.url + "/readyz").json()["sources"]),
            what="the refused token",
        )

        result = _doctor(server.url, "--user", "demo")

    assert result.returncode == 1
    assert "✗ collector chaturbate_events:alice: unhealthy: token refused (401)" in result.stdout
