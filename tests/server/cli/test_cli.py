"""``godmode-server``: refusing unsafe start-ups, managing users and keys."""

from __future__ import annotations

import re
import sqlite3
import stat
import time
from contextlib import closing
from pathlib import Path

import httpx
import jwt
import pytest
from alembic import command
from click.testing import CliRunner
from sqlalchemy import create_engine

from godmode_server.cli import main
from godmode_server.sql import schema
from tests.helpers.servers import ServerProcess
from tests.helpers.source_tree import REPO
from tests.helpers.waiting import wait_until


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


def test_init_writes_private_settings_that_run_reads(tmp_path: Path) -> None:
    """The first run as an operator does it: init, then run with nothing in the environment."""
    server = ServerProcess(
        tmp_path, dev=False, unset=("GODMODE_JWT_SECRET", "GODMODE_DATABASE_URL")
    )
    database = tmp_path / "data" / "godmode.db"
    done = server.cli(
        "init", "--database-url", f"sqlite:///{database}", "--admin", "boss", input="b0ss-pass\n"
    )
    assert done.returncode == 0, done.stderr
    settings = tmp_path / "config" / "godmode" / "server.env"
    assert f"settings written to {settings}" in done.stdout
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
    values = dict(line.split("=", 1) for line in settings.read_text().splitlines() if "=" in line)
    assert len(values["GODMODE_JWT_SECRET"]) >= 64  # 48 random bytes, base64
    assert values["GODMODE_DATABASE_URL"] == f"sqlite:///{database}"

    again = server.cli("init", input="x\n")
    assert again.returncode != 0
    assert "exists (--force" in again.stderr

    server.start()
    try:
        assert server.login("boss", "b0ss-pass")
    finally:
        server.stop()


def test_settings_from_a_secrets_folder(tmp_path: Path) -> None:
    secrets_dir = tmp_path / "secrets"
    secrets_dir.mkdir()
    (secrets_dir / "godmode_jwt_secret").write_text("s" * 48)
    server = ServerProcess(
        tmp_path,
        dev=False,
        env={"GODMODE_SECRETS_DIR": str(secrets_dir)},
        unset=("GODMODE_JWT_SECRET",),
    )
    assert server.cli("user", "add", "ana", input="ana-pass-1\n").returncode == 0
    server.start()
    try:
        token = server.login("ana", "ana-pass-1")
    finally:
        server.stop()
    assert jwt.decode(token, "s" * 48, algorithms=["HS256"], audience="godmode-dashboard")


@pytest.mark.parametrize(
    ("option", "content", "message"),
    [
        ("--env-file", None, "no settings file at"),
        (
            "--env-file",
            "GODMODE_HISTORY_DAYS=eighty\n",
            "GODMODE_HISTORY_DAYS: Input should be a valid integer",
        ),
        ("--secrets-dir", None, "no secrets folder at"),
    ],
)
def test_a_missing_or_bad_settings_file_is_a_clear_error(
    cli_env: ServerProcess, tmp_path: Path, option: str, content: str | None, message: str
) -> None:
    path = tmp_path / "settings.env"
    if content is not None:
        path.write_text(content)
    result = cli_env.cli(option, str(path), "db", "current")
    assert result.returncode != 0
    assert message in result.stderr
    assert "eighty" not in result.stderr  # a settings file may hold secrets: no values shown


def test_backup_while_running_and_restore(tmp_path: Path) -> None:
    """A copy taken while samples stream in restores to a working server with what it held."""
    server = ServerProcess(tmp_path / "live", dev=False)
    assert server.cli("user", "add", "ana", input="ana-pass-1\n").returncode == 0
    key = server.cli("key", "create", "pc").stdout.strip()
    server.start()
    copy = tmp_path / "backup.db"
    start = int(time.time()) - 100
    try:
        for n in range(20):
            posted = httpx.post(
                server.url + "/api/tracking/telemetry",
                json={
                    "room_id": "r1",
                    "platform": "chaturbate",
                    "tokens_count": n,
                    "tips_count": 0,
                    "viewers_count": 1,
                    "timestamp": start + n,
                },
                headers={"X-Api-Key": key},
            )
            assert posted.status_code == 200
            if n == 9:  # the copy is taken once the archive holds some of them
                wait_until(lambda: _archived(server) >= 1, 10, "the archive to write")
                made = server.cli("backup", str(copy))
                assert made.returncode == 0, made.stderr
    finally:
        server.stop()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert server.cli("backup", str(copy)).returncode != 0  # never over an existing file

    # Restore: the copy in the database's place, a new server process on it.
    database = tmp_path / "live" / "godmode.db"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    copy.rename(database)
    restored = ServerProcess(tmp_path / "live", dev=False).start()
    try:
        token = restored.login("ana", "ana-pass-1")
        history = httpx.get(
            restored.url + "/api/tracking/telemetry/r1/chaturbate/history",
            params={"from": 0},
            headers={"Authorization": f"Bearer {token}"},
        ).json()["samples"]
    finally:
        restored.stop()
    counts = [s["tokens_count"] for s in history]
    assert counts, "the backup holds the archived samples"
    assert counts == list(range(len(counts)))  # a prefix, in order: one consistent moment
    assert len(counts) <= 10


def _archived(server: ServerProcess) -> float:
    text = httpx.get(server.url + "/metrics").text
    for line in text.splitlines():
        if line.startswith("godmode_archive_samples_written_total "):
            return float(line.split()[1])
    return 0.0


def test_backup_is_for_sqlite(cli_env: ServerProcess) -> None:
    cli_env.env["GODMODE_DATABASE_URL"] = "postgresql://u@127.0.0.1:1/db"
    result = cli_env.cli("backup", "/tmp/never.db")
    assert result.returncode != 0
    assert "for PostgreSQL use pg_dump" in result.stderr


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        (
            "GODMODE_TIMEZONE",
            "Europe/Madridd",
            "GODMODE_TIMEZONE: Value error, 'Europe/Madridd' is not a time zone name",
        ),
        (
            "GODMODE_SHIFTS",
            "06:00,30:00",
            "GODMODE_SHIFTS: Value error, '30:00' is not a local time",
        ),
        (
            "GODMODE_ONLINE_GAP",
            "0",
            "GODMODE_ONLINE_GAP: Input should be greater than or equal to 1",
        ),
    ],
)
def test_a_bad_report_setting_stops_the_server_at_start(
    tmp_path: Path, setting: str, value: str, message: str
) -> None:
    with pytest.raises(RuntimeError, match=re.escape(message)):
        ServerProcess(tmp_path, env={setting: value}).start()


def test_administrative_commands_are_kept_in_the_audit_log(cli_env: ServerProcess) -> None:
    assert cli_env.cli("user", "add", "mo", "--role", "monitor", input="pw-123\n").returncode == 0
    assert cli_env.cli("user", "rooms", "mo", "b@stripchat", "a@chaturbate").returncode == 0
    assert cli_env.cli("user", "reports", "mo", "on").returncode == 0
    assert cli_env.cli("key", "create", "studio-a").returncode == 0
    assert cli_env.cli("user", "rooms", "nobody", "a@chaturbate").returncode != 0, "refused"

    lines = cli_env.cli("audit").stdout.splitlines()
    assert [line.split("  ")[2:4] for line in lines] == [
        ["key.create", "studio-a"],
        ["user.reports", "mo"],
        ["user.rooms", "mo"],
        ["user.add", "mo"],
    ], "newest first; a refused command is not an action"
    assert "a@chaturbate b@stripchat" in lines[2]
    assert lines[0].split("  ")[1].startswith("cli:")
    assert lines[0].endswith("(command line)")
    assert len(cli_env.cli("audit", "--limit", "2").stdout.splitlines()) == 2


def test_a_backup_is_private_from_its_first_byte(
    cli_env: ServerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When SQLite opens the copy to write it, the file already exists, 0600, in a folder only
    its owner can enter (the copy used to be 0644 until the last moment, and an interrupted
    backup left it so).  In-process, to look at the file at that very moment."""
    assert cli_env.cli("user", "add", "ana", input="ana-pass-1\n").returncode == 0
    target = tmp_path / "copies" / "copy.db"
    target.parent.mkdir()
    seen: list[tuple[int | None, int]] = []
    connect = sqlite3.connect

    def spy(database: str | Path, *args: object, **kwargs: object) -> sqlite3.Connection:
        if Path(str(database)).name == "copy.db":  # the copy (not the source, nor the audit)
            path = Path(database)
            mode = path.stat().st_mode & 0o777 if path.exists() else None
            seen.append((mode, path.parent.stat().st_mode & 0o777))
        return connect(database, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(sqlite3, "connect", spy)
    result = CliRunner().invoke(main, ["backup", str(target)], env=cli_env.environment())

    assert result.exit_code == 0, result.output
    assert seen == [(0o600, 0o700)]
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["copy.db"], "nothing else is left"


def test_the_simulators_take_the_key_from_a_file_and_warn_about_the_command_line(
    tmp_path: Path,
) -> None:
    server = ServerProcess(tmp_path / "server", dev=False)
    key = server.cli("key", "create", "pc").stdout.strip()
    server.start()
    try:
        key_file = tmp_path / "key"
        key_file.write_text(key + "\n")
        base = ("simulate", "--server", server.url, "--rooms", "2", "--duration", "0")
        from_file = server.cli(*base, "--backfill", "1", "--api-key-file", str(key_file))
        on_command_line = server.cli(*base, "--api-key", key)
        both = server.cli(*base, "--api-key", key, "--api-key-file", str(key_file))
    finally:
        server.stop()

    assert from_file.returncode == 0, from_file.stderr
    posted = re.search(r"(\d+) past samples accepted", from_file.stderr)
    assert posted is not None, from_file.stderr
    assert int(posted.group(1)) > 0, "the key from the file was accepted"
    assert "warning" not in from_file.stderr
    assert on_command_line.returncode == 0, on_command_line.stderr
    assert "visible to every user of this machine" in on_command_line.stderr
    assert both.returncode == 2
    assert "not both" in both.stderr


@pytest.mark.parametrize(
    ("url", "shown", "command"),
    [
        # (commands that write make a missing SQLite file; `db current` only reads)
        (
            "sqlite:///{tmp}/no/such/folder/godmode.db",
            "no database at",
            ("db", "current"),
        ),
        *(
            ("postgresql://ana:hunter22@127.0.0.1:1/godmode", "Connect call failed", command)
            for command in [("db", "current"), ("key", "list"), ("user", "list")]
        ),
    ],
)
def test_a_database_that_cannot_be_used_is_one_line_without_a_traceback(
    cli_env: ServerProcess, tmp_path: Path, url: str, shown: str, command: tuple[str, ...]
) -> None:
    cli_env.env["GODMODE_DATABASE_URL"] = url.format(tmp=tmp_path)

    result = cli_env.cli(*command)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert shown in line
    assert "godmode-server init" in line
    assert "hunter22" not in line, "the password is never printed"


def _audit_log(database: Path) -> list[tuple[str, str, str, str, str]]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        rows = db.execute(
            "SELECT actor, action, target, detail, address FROM audit_log ORDER BY id"
        )
        return list(rows)


def test_the_command_lines_administrative_acts_are_audited(tmp_path: Path) -> None:
    """init (and init --force: a new secret), db upgrade, backup, extension key and pack: each
    in the audit log, as cli:<user> from the command line."""
    server = ServerProcess(
        tmp_path, dev=False, unset=("GODMODE_JWT_SECRET", "GODMODE_DATABASE_URL")
    )
    database = tmp_path / "data" / "godmode.db"
    url = f"sqlite:///{database}"
    for admin, extra in (("boss", ()), ("boss2", ("--force",))):
        made = server.cli(
            "init", "--database-url", url, "--admin", admin, *extra, input="b0ss-pass\n"
        )
        assert made.returncode == 0, made.stderr
    server.env["GODMODE_DATABASE_URL"] = url
    engine = create_engine(url)  # as if made by an older server: migrated back to 0006
    try:
        with engine.begin() as connection:
            config = schema.alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0006")
    finally:
        engine.dispose()
    assert server.cli("db", "upgrade").returncode == 0
    assert server.cli("backup", str(tmp_path / "copy.db")).returncode == 0
    key = tmp_path / "keys" / "studio.pem"
    assert server.cli("extension", "key", "--out", str(key)).returncode == 0
    source = REPO / "extension"
    packed = server.cli(
        "extension",
        "pack",
        "--source",
        str(source),
        "--key",
        str(key),
        "--out",
        str(tmp_path / "x"),
    )
    assert packed.returncode == 0, packed.stderr

    entries = _audit_log(database)
    actions = [action for _actor, action, *_ in entries]
    assert actions == [
        "init",
        "init",
        "db.upgrade",
        "db.backup",
        "extension.key",
        "extension.pack",
    ]
    assert all(actor.startswith("cli:") for actor, *_ in entries)
    assert all(address == "command line" for *_, address in entries)
    assert "first admin 'boss'" in entries[0][3]
    assert "replaced the earlier settings (--force)" in entries[1][3]
    assert str(tmp_path / "copy.db") in entries[3][3]
    assert str(key) in entries[5][3]
