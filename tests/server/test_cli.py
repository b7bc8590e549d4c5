"""``godmode-server``: refusing unsafe start-ups, managing users and keys."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import ServerProcess


@pytest.fixture
def cli_env(tmp_path: Path) -> ServerProcess:
    return ServerProcess(tmp_path)


def test_production_refuses_to_start_without_a_secret(cli_env: ServerProcess) -> None:
    cli_env.env["GODMODE_JWT_SECRET"] = ""
    result = cli_env.cli("run", "--port", "1")
    assert result.returncode != 0
    assert "GODMODE_JWT_SECRET is not set" in result.stderr


def test_production_refuses_a_short_secret(cli_env: ServerProcess) -> None:
    cli_env.env["GODMODE_JWT_SECRET"] = "too-short"
    result = cli_env.cli("run", "--port", "1")
    assert result.returncode != 0
    assert "at least 32 are required" in result.stderr


def test_a_redis_url_that_is_not_redis_is_refused(cli_env: ServerProcess) -> None:
    cli_env.env["GODMODE_REDIS_URL"] = "http://127.0.0.1:6379/0"
    result = cli_env.cli("run", "--dev", "--port", "1")
    assert result.returncode != 0
    assert "GODMODE_REDIS_URL must start with redis://" in result.stderr


def test_dev_mode_generates_a_secret_and_creates_demo(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, env={"GODMODE_JWT_SECRET": ""}).start()
    try:
        token = server.login("demo", "demo")
        assert token
        assert "user 'demo', password 'demo'" in server.log()
        assert "DEV MODE" in server.log()
    finally:
        server.stop()


def test_user_add_reads_the_password_from_stdin(cli_env: ServerProcess) -> None:
    added = cli_env.cli("user", "add", "carla", "--role", "admin", input="pw-123\n")
    duplicate = cli_env.cli("user", "add", "carla", input="pw-456\n")
    listing = cli_env.cli("user", "list")

    assert added.returncode == 0, added.stderr
    assert duplicate.returncode != 0
    assert "already exists" in duplicate.stderr
    assert "carla\tadmin" in listing.stdout

    server = cli_env.start()
    try:
        assert server.login("carla", "pw-123")
        refused = httpx.post(
            server.url + "/api/auth/login", json={"username": "carla", "password": "pw-456"}
        )
        assert refused.status_code == 401
    finally:
        server.stop()


def test_user_add_without_a_password_fails(cli_env: ServerProcess) -> None:
    result = cli_env.cli("user", "add", "dora", input="")
    assert result.returncode != 0
    assert "no password" in result.stderr


def test_key_create_prints_the_key_once(cli_env: ServerProcess) -> None:
    created = cli_env.cli("key", "create", "studio-a")
    again = cli_env.cli("key", "create", "studio-a")

    assert created.returncode == 0
    assert created.stdout.strip().startswith("gm_")
    assert "cannot be shown again" in created.stderr
    assert again.returncode != 0
    assert "already exists" in again.stderr
    assert cli_env.cli("key", "list").stdout.strip() == "studio-a"
