"""Token storage: memory-only when no keyring is usable, and restoring only live tokens."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import jwt
import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from godmode_desktop.net.api import ApiClient
from godmode_desktop.net.session import MIN_REFRESH_GAP, Session, TokenVault, account_name
from tests.helpers.servers import JWT_SECRET, ServerProcess


def _token(lifetime: int, issued_ago: int = 0) -> str:
    now = int(time.time()) - issued_ago
    return jwt.encode({"sub": "ana", "iat": now, "exp": now + lifetime}, "k" * 40)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


class BrokenKeyring(keyring.backend.KeyringBackend):
    """A backend that exists but fails, like a locked collection or a lost D-Bus."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


@pytest.fixture
def broken_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_token_lives_in_memory_only() -> None:
    vault = TokenVault()
    vault.save("ana@h:1", "tok")

    assert not vault.persistent
    assert vault.problem == "no keyring backend is available"
    assert vault.load("ana@h:1") == "tok"
    assert TokenVault().load("ana@h:1") is None, "nothing may survive the process"
    vault.delete("ana@h:1")
    assert vault.load("ana@h:1") is None


@pytest.mark.usefixtures("broken_keyring")
def test_a_failing_keyring_falls_back_once() -> None:
    vault = TokenVault()
    assert vault.persistent

    vault.save("ana@h:1", "tok")

    assert not vault.persistent
    assert "refused to store" in (vault.problem or "")
    assert vault.load("ana@h:1") == "tok"


@pytest.mark.usefixtures("no_keyring")
def test_restore_takes_only_a_token_with_life_left() -> None:
    vault = TokenVault()
    session = Session("http://h:1", "ana", vault)

    vault.save(session.account, _token(lifetime=10))
    assert not session.restore()
    vault.save(session.account, _token(lifetime=3600))
    assert session.restore()
    assert session.token is not None


@pytest.mark.usefixtures("no_keyring")
def test_a_restored_token_is_renewed_soon_after_start() -> None:
    """Its age by the server's clock is unknown here (timing by this machine's clock is what
    made a skewed client refresh in a loop): it is renewed after the minimum gap, and from
    then on at 80 % of the lifetime the server states (tests/desktop/net/test_hostile.py)."""
    vault = TokenVault()
    session = Session("http://h:1", "ana", vault)
    vault.save(session.account, _token(lifetime=1000, issued_ago=100))
    assert session.restore()
    assert session.refresh_delay() == MIN_REFRESH_GAP


def test_account_is_user_at_server() -> None:
    assert account_name("ana", "https://gm.example:8443/") == "ana@gm.example:8443"
    assert account_name("ana", "localhost:3000") == "ana@localhost:3000"


@pytest.mark.usefixtures("secret_service")
def test_the_token_is_stored_in_a_real_secret_service() -> None:
    vault = TokenVault()
    vault.save("ana@h:1", "tok-123")

    assert vault.persistent
    assert TokenVault().load("ana@h:1") == "tok-123", "another run must find it"
    assert keyring.get_password("godmode-desktop", "ana@h:1") == "tok-123"
    vault.delete("ana@h:1")
    assert TokenVault().load("ana@h:1") is None


async def test_login_stores_the_token_and_the_next_start_restores_it(
    dev_server: ServerProcess, secret_service: Path
) -> None:
    session = Session(dev_server.url, "demo", TokenVault())
    async with ApiClient(dev_server.url) as api:
        await session.login(api, "demo")

    restarted = Session(dev_server.url, "demo", TokenVault())
    assert restarted.restore()
    assert restarted.token == session.token
    assert session.token is not None
    assert _files_containing(secret_service, session.token) == [], "no file may hold the token"
    restarted.logout()
    assert not Session(dev_server.url, "demo", TokenVault()).restore()


def _files_containing(root: Path, text: str) -> list[Path]:
    return [f for f in root.rglob("*") if f.is_file() and text.encode() in f.read_bytes()]


@pytest.mark.usefixtures("no_keyring")
async def test_keep_fresh_renews_a_token_past_80_percent_of_its_life(
    dev_server: ServerProcess,
) -> None:
    now = int(time.time())
    aging = jwt.encode(
        {
            "sub": "demo",
            "role": "admin",
            "iat": now - 900,
            "exp": now + 100,  # 90 % of its life is gone
            "iss": "godmode",
            "aud": "godmode-dashboard",
        },
        JWT_SECRET,
    )
    session = Session(dev_server.url, "demo", TokenVault())
    session.token = aging
    renewed = asyncio.Event()
    session.on_token = lambda _: renewed.set()
    async with ApiClient(dev_server.url, token=aging) as api:
        refresher = asyncio.create_task(session.keep_fresh(api))
        try:
            await asyncio.wait_for(renewed.wait(), 10)
        finally:
            refresher.cancel()

    assert session.token != aging
    assert api.token == session.token
    assert session.vault.load(session.account) == session.token
    assert session.refresh_delay() > 60, "the new token has its whole life ahead"
