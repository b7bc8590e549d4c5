"""Two administrators removing each other at the same moment (issue: on SQLite both removals
passed, leaving no enabled admin): disable, delete and demote, started together in both orders,
20 rounds each, on SQLite and PostgreSQL.  One of the two is always refused, and one enabled
admin is always left.  An admin deleted or demoted cannot act with the token they still hold.
Against a real production server on a loopback port."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.databases import PostgresProcess
from tests.helpers.servers import ServerProcess

pytestmark = pytest.mark.slow

ROUNDS = 20
PASSWORD = "admin-pass-1"
#: Each way of removing an administrator, as the admin API takes it.
REMOVALS: dict[str, tuple[str, dict[str, object] | None]] = {
    "disable": ("PATCH", {"disabled": True}),
    "delete": ("DELETE", None),
    "demote": ("PATCH", {"role": "manager"}),
}


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    # Many logins from one address in a minute: the test's own, not an attack.
    env = {"GODMODE_LOGIN_RATE_PER_ADDRESS": "10000/minute"}
    if request.param == "postgresql":
        postgres: PostgresProcess = request.getfixturevalue("postgres")
        env["GODMODE_DATABASE_URL"] = postgres.new_database()
    process = ServerProcess(tmp_path, dev=False, env=env)
    for name in ("ann", "bob"):
        added = process.cli("user", "add", name, "--role", "admin", input=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
    process.start()
    yield process
    process.stop()


async def _remove(http: httpx.AsyncClient, token: str, target: str, kind: str) -> httpx.Response:
    method, body = REMOVALS[kind]
    return await http.request(
        method,
        f"/api/admin/users/{target}",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )


async def _login(http: httpx.AsyncClient, name: str) -> str:
    answer = await http.post("/api/auth/login", json={"username": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


async def _enabled_admins(http: httpx.AsyncClient, token: str) -> list[str]:
    users = (
        await http.get("/api/admin/users", headers={"Authorization": f"Bearer {token}"})
    ).json()
    return sorted(u["username"] for u in users if u["role"] == "admin" and not u["disabled"])


async def _restore(http: httpx.AsyncClient, token: str, name: str, kind: str) -> None:
    """The survivor brings the removed admin back as it was."""
    auth = {"Authorization": f"Bearer {token}"}
    if kind == "delete":
        body = {"username": name, "password": PASSWORD, "role": "admin"}
        answer = await http.post("/api/admin/users", json=body, headers=auth)
    else:
        change = {"disabled": False} if kind == "disable" else {"role": "admin"}
        answer = await http.patch(f"/api/admin/users/{name}", json=change, headers=auth)
    assert answer.status_code in (200, 201), answer.text


@pytest.mark.parametrize("kind", list(REMOVALS))
async def test_two_admins_removing_each_other_at_once_leave_one(
    server: ServerProcess, kind: str
) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        for round_ in range(ROUNDS):
            ann, bob = await _login(http, "ann"), await _login(http, "bob")
            first, second = ("ann", "bob") if round_ % 2 else ("bob", "ann")  # both orders
            tokens = {"ann": ann, "bob": bob}
            answers = await asyncio.gather(
                _remove(http, tokens[first], second, kind),
                _remove(http, tokens[second], first, kind),
            )
            codes = sorted(a.status_code for a in answers)
            assert codes[0] in (200, 204), [a.text for a in answers]
            assert codes[1] in (401, 403, 409), (round_, [a.text for a in answers])
            done = answers[0] if answers[0].status_code < 300 else answers[1]
            survivor = first if done is answers[0] else second
            removed = second if survivor == first else first
            assert await _enabled_admins(http, tokens[survivor]) == [survivor], round_
            await _restore(http, tokens[survivor], removed, kind)


@pytest.mark.parametrize("kind", ["delete", "demote"])
async def test_a_removed_admin_cannot_act_with_the_token_they_hold(
    server: ServerProcess, kind: str
) -> None:
    """No window of the credentials poll: the very next request after the removal is refused,
    and the other admin is left as they were."""
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        ann, bob = await _login(http, "ann"), await _login(http, "bob")
        removed = await _remove(http, ann, "bob", kind)
        assert removed.status_code in (200, 204), removed.text

        refused = await _remove(http, bob, "ann", "demote")

        assert refused.status_code in (401, 403), refused.text
        assert await _enabled_admins(http, ann) == ["ann"]
