"""The database's own file: readable by the server's user only."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.helpers.servers import ServerFactory


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_database_is_private(make_server: ServerFactory, tmp_path: Path) -> None:
    database = tmp_path / "data" / "godmode" / "godmode.db"
    server = make_server(GODMODE_DATABASE_URL=f"sqlite:///{database}")
    assert server.login()  # written to: the account exists

    assert mode(database) == 0o600
    assert mode(database.parent) == 0o700


def test_an_existing_database_file_is_made_private(
    make_server: ServerFactory, tmp_path: Path
) -> None:
    database = tmp_path / "godmode.db"
    database.touch(mode=0o644)
    database.chmod(0o644)

    make_server(GODMODE_DATABASE_URL=f"sqlite:///{database}")

    assert mode(database) == 0o600
