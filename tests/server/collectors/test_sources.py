"""Server-side collectors inside a running server: configuration, ingest, /readyz, /metrics."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from godmode_server.collectors.config import CollectorsConfig, load_collectors
from tests.helpers.databases import RedisProcess
from tests.helpers.servers import ServerFactory, ServerProcess
from tests.helpers.waiting import wait_until

from .fake_events_api import FakeEventsApi
from .fake_stats_api import FakeStatsApi

TOKEN = "tok-secret-1234567890"
BAD_TOKEN = "revoked-token-0987654321"
STATS_TOKEN = "stats-token-123456789012"


def collectors_file(tmp_path: Path, api: FakeEventsApi) -> Path:
    path = tmp_path / "collectors.toml"
    path.write_text(
        f"""
[[chaturbate_events]]
username = "{api.username}"
token = "{TOKEN}"
api_url = "{api.base_url}"
timeout = 1

[[chaturbate_events]]
username = "{api.username}"
room_id = "alice_backup"
token = "{BAD_TOKEN}"
api_url = "{api.base_url}"
"""
    )
    return path


def test_a_configured_room_is_collected_and_reported(
    make_server: ServerFactory, tmp_path: Path
) -> None:
    with FakeEventsApi(token=TOKEN) as api:
        server = make_server(GODMODE_COLLECTORS_FILE=str(collectors_file(tmp_path, api)))
        api.tip("bob", 50)
        api.enter("bob")

        def latest() -> dict | None:
            answer = httpx.get(server.url + "/api/tracking/telemetry/alice/chaturbate")
            return answer.json() if answer.status_code == 200 else None

        wait_until(lambda: (latest() or {}).get("viewers_count") == 1, what="the room's sample")
        sample = latest()
        assert sample is not None
        assert (sample["tokens_count"], sample["tips_count"]) == (50, 1)

        def ready() -> dict:
            return httpx.get(server.url + "/readyz").json()

        wait_until(
            lambda: (
                ready()["sources"].get("chaturbate_events:alice_backup", "").startswith("unhealthy")
            ),
            what="the refused token in /readyz",
        )
        body = ready()
        assert body["status"] == "degraded"
        assert body["sources"]["chaturbate_events:alice"] == "ok"
        assert "token refused (401)" in body["sources"]["chaturbate_events:alice_backup"]
        metrics = httpx.get(server.url + "/metrics").text
        assert 'godmode_source_healthy{source="chaturbate_events:alice"} 1.0' in metrics
        assert 'godmode_source_healthy{source="chaturbate_events:alice_backup"} 0.0' in metrics
        server.stop()
        log = server.log()
        assert "chaturbate_events:alice_backup" in log
        assert TOKEN not in log
        assert BAD_TOKEN not in log


def run_server(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "godmode_server", "run", "--dev", "--port", "0"],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_bad_collectors_file_stops_the_start_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "collectors.toml"
    path.write_text(f'[[chaturbate_events]]\nusername = "bad name"\ntoken = "{TOKEN}"\n')

    result = run_server(tmp_path, GODMODE_COLLECTORS_FILE=str(path))

    assert result.returncode != 0
    assert "chaturbate_events.0.username" in result.stderr
    assert TOKEN not in result.stderr


def test_a_room_configured_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "collectors.toml"
    room = f'[[chaturbate_events]]\nusername = "alice"\ntoken = "{TOKEN}"\n'
    path.write_text(room + room)

    result = run_server(tmp_path, GODMODE_COLLECTORS_FILE=str(path))

    assert result.returncode != 0
    assert "room alice is configured twice" in result.stderr


def test_with_redis_one_node_collects_and_another_takes_over(
    make_server: ServerFactory, redis_server: RedisProcess, tmp_path: Path
) -> None:
    with FakeEventsApi(token=TOKEN) as api:
        path = tmp_path / "collectors.toml"
        path.write_text(
            f'[[chaturbate_events]]\nusername = "{api.username}"\ntoken = "{TOKEN}"\n'
            f'api_url = "{api.base_url}"\ntimeout = 1\n'
        )
        env = {
            "GODMODE_COLLECTORS_FILE": str(path),
            "GODMODE_REDIS_URL": redis_server.url,
            "GODMODE_COLLECTOR_LEASE_TTL": "2",
        }
        nodes = [make_server(**env), make_server(**env)]

        def states() -> list[str]:
            return [
                httpx.get(n.url + "/readyz").json()["sources"].get("chaturbate_events:alice", "")
                for n in nodes
            ]

        wait_until(lambda: sorted(states()) == ["ok", "standby: another node collects"], 15)
        active = states().index("ok")
        api.tip("bob", 40)
        wait_until(lambda: _tokens(nodes[1 - active]) == 40, what="the tip, once")

        nodes[active].proc.kill()  # type: ignore[union-attr]
        nodes[active].proc.wait()  # type: ignore[union-attr]
        survivor = nodes[1 - active]
        wait_until(
            lambda: (
                httpx.get(survivor.url + "/readyz").json()["sources"]["chaturbate_events:alice"]
                == "ok"
            ),
            timeout=15,
            what="the standby taking over",
        )
        api.tip("dan", 2)
        wait_until(lambda: _tokens(survivor) == 42, what="the next tip, from the new holder")


def _tokens(node: ServerProcess) -> int | None:
    answer = httpx.get(node.url + "/api/tracking/telemetry/alice/chaturbate")
    return answer.json()["tokens_count"] if answer.status_code == 200 else None


def test_a_stats_api_account_is_collected_and_reported(
    make_server: ServerFactory, tmp_path: Path
) -> None:
    with FakeStatsApi(token=STATS_TOKEN) as api:
        api.set(balance=2500, viewers=31)
        path = tmp_path / "collectors.toml"
        path.write_text(
            f'[[chaturbate_stats]]\nusername = "{api.username}"\ntoken = "{STATS_TOKEN}"\n'
            f'api_url = "{api.url}"\ninterval = 1\n'
        )
        server = make_server(GODMODE_COLLECTORS_FILE=str(path))

        def latest() -> dict | None:
            answer = httpx.get(server.url + "/api/tracking/telemetry/alice/chaturbate")
            return answer.json() if answer.status_code == 200 else None

        wait_until(lambda: latest() is not None, what="the account's sample")
        sample = latest()
        assert sample is not None
        assert (sample["tokens_count"], sample["tips_count"], sample["viewers_count"]) == (
            2500,
            0,
            31,
        )
        assert httpx.get(server.url + "/readyz").json()["sources"] == {
            "chaturbate_stats:alice": "ok"
        }
        metrics = httpx.get(server.url + "/metrics").text
        assert 'godmode_source_token_balance{source="chaturbate_stats:alice"} 2500.0' in metrics
        assert 'godmode_source_healthy{source="chaturbate_stats:alice"} 1.0' in metrics
        server.stop()
        assert STATS_TOKEN not in server.log()


def test_a_room_fed_by_both_apis_is_refused_unless_the_stats_api_only_keeps_its_balance(
    tmp_path: Path,
) -> None:
    path = tmp_path / "collectors.toml"
    both = (
        f'[[chaturbate_events]]\nusername = "alice"\ntoken = "{TOKEN}"\n'
        f'[[chaturbate_stats]]\nusername = "alice"\ntoken = "{STATS_TOKEN}"\n'
    )
    path.write_text(both)

    result = run_server(tmp_path, GODMODE_COLLECTORS_FILE=str(path))

    assert result.returncode != 0
    assert "room alice would get samples from both chaturbate_events and" in result.stderr
    assert "samples = false" in result.stderr
    assert STATS_TOKEN not in result.stderr

    config = load_collectors_text(tmp_path, both + "samples = false\n")
    assert [r.source for r in config.chaturbate_stats] == ["chaturbate_stats:alice"]


def load_collectors_text(tmp_path: Path, text: str) -> CollectorsConfig:
    path = tmp_path / "checked.toml"
    path.write_text(text)
    return load_collectors(path)
