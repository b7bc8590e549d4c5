"""Login, refresh, token checks and ingest API keys, against a production-mode server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from websockets.exceptions import ConnectionClosed

from godmode_common.protocol import CLOSE_AUTH_REQUIRED
from tests.helpers.bodies import sample_json
from tests.helpers.dashboards import next_event, recv, ws_connect
from tests.helpers.databases import PostgresProcess
from tests.helpers.servers import JWT_SECRET, ServerFactory, ServerProcess
from tests.helpers.waiting import wait_until


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def prod_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """A production-mode server with users ``ana`` (viewer) and ``bob`` (to be disabled), on
    each database backend: every test here runs against SQLite and against PostgreSQL."""
    env = {}
    if request.param == "postgresql":
        postgres: PostgresProcess = request.getfixturevalue("postgres")
        env["GODMODE_DATABASE_URL"] = postgres.new_database()
    server = ServerProcess(tmp_path_factory.mktemp("prod-server"), dev=False, env=env)
    for name in ("ana", "bob"):
        result = server.cli("user", "add", name, input="s3cret-pass\n")
        assert result.returncode == 0, result.stderr
    server.start()
    yield server
    server.stop()


def _login(server: ServerProcess, username: str, password: str) -> httpx.Response:
    return httpx.post(
        server.url + "/api/auth/login", json={"username": username, "password": password}
    )


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "sub": "ana",
        "role": "manager",
        "iat": now,
        "exp": now + 600,
        "iss": "godmode",
        "aud": "godmode-dashboard",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def test_login_returns_a_bearer_token(prod_server: ServerProcess) -> None:
    answer = _login(prod_server, "ana", "s3cret-pass")

    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] > 0
    claims = jwt.decode(
        body["access_token"], JWT_SECRET, algorithms=["HS256"], audience="godmode-dashboard"
    )
    assert claims["sub"] == "ana"
    assert claims["role"] == "manager"
    assert claims["exp"] - claims["iat"] == body["expires_in"]


@pytest.mark.parametrize(
    ("username", "password"),
    [("ana", "wrong"), ("nobody", "s3cret-pass")],
    ids=["password", "user"],
)
def test_login_with_bad_credentials_is_401(
    prod_server: ServerProcess, username: str, password: str
) -> None:
    answer = _login(prod_server, username, password)

    assert answer.status_code == 401
    assert answer.json()["message"] == "wrong user name or password"
    assert "access_token" not in answer.text


def test_login_with_a_malformed_body_is_422(prod_server: ServerProcess) -> None:
    answer = httpx.post(prod_server.url + "/api/auth/login", json={"username": "ana"})
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["password"]


def test_refresh_renews_a_valid_token(prod_server: ServerProcess) -> None:
    token = prod_server.login("ana", "s3cret-pass")

    answer = httpx.post(
        prod_server.url + "/api/auth/refresh", headers={"Authorization": f"Bearer {token}"}
    )

    assert answer.status_code == 200
    renewed = answer.json()["access_token"]
    reads = httpx.get(
        prod_server.url + "/api/tracking/telemetry", headers={"Authorization": f"Bearer {renewed}"}
    )
    assert reads.status_code == 200


def test_refresh_without_a_token_is_401(prod_server: ServerProcess) -> None:
    answer = httpx.post(prod_server.url + "/api/auth/refresh")
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"


async def test_disabled_user_can_neither_log_in_nor_refresh_nor_connect(
    prod_server: ServerProcess,
) -> None:
    token = prod_server.login("bob", "s3cret-pass")
    assert prod_server.cli("user", "disable", "bob").returncode == 0

    async with httpx.AsyncClient() as http:
        refresh = await http.post(
            prod_server.url + "/api/auth/refresh", headers={"Authorization": f"Bearer {token}"}
        )
        login = await http.post(
            prod_server.url + "/api/auth/login",
            json={"username": "bob", "password": "s3cret-pass"},
        )
    async with ws_connect(prod_server, token) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await recv(ws)

    assert refresh.status_code == 401
    assert login.status_code == 401
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == CLOSE_AUTH_REQUIRED


BAD_TOKENS = {
    "garbage": lambda: "not-a-jwt",
    "bad signature": lambda: jwt.encode(_claims(), "another-secret-" + "y" * 40, algorithm="HS256"),
    "expired": lambda: jwt.encode(
        _claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600), JWT_SECRET
    ),
    "alg none": lambda: jwt.encode(_claims(), "", algorithm="none"),
    "alg switched to HS512": lambda: jwt.encode(_claims(), JWT_SECRET, algorithm="HS512"),
    "wrong audience": lambda: jwt.encode(_claims(aud="someone-else"), JWT_SECRET),
    "wrong issuer": lambda: jwt.encode(_claims(iss="someone-else"), JWT_SECRET),
    "no expiry": lambda: jwt.encode(_claims(exp=None), JWT_SECRET),
}


@pytest.mark.parametrize("kind", list(BAD_TOKENS))
async def test_bad_tokens_are_refused_on_the_websocket(
    prod_server: ServerProcess, kind: str
) -> None:
    async with ws_connect(prod_server, BAD_TOKENS[kind]()) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await recv(ws)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == CLOSE_AUTH_REQUIRED


@pytest.mark.parametrize("kind", list(BAD_TOKENS))
def test_bad_tokens_are_refused_on_reads(prod_server: ServerProcess, kind: str) -> None:
    answer = httpx.get(
        prod_server.url + "/api/tracking/telemetry",
        headers={"Authorization": f"Bearer {BAD_TOKENS[kind]()}"},
    )
    assert answer.status_code == 401


async def test_websocket_without_a_token_is_closed_4401(prod_server: ServerProcess) -> None:
    async with ws_connect(prod_server, None) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await recv(ws)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == CLOSE_AUTH_REQUIRED


async def test_a_valid_token_opens_the_feed(prod_server: ServerProcess) -> None:
    token = prod_server.login("ana", "s3cret-pass")
    async with ws_connect(prod_server, token) as ws:
        first = await next_event(ws, "SNAPSHOT")
    assert first["epoch"]


def test_production_reads_need_a_token(prod_server: ServerProcess, room: str) -> None:
    for path in ("/api/tracking/telemetry", f"/api/tracking/telemetry/{room}/chaturbate"):
        assert httpx.get(prod_server.url + path).status_code == 401


def test_production_ingest_needs_a_valid_api_key(prod_server: ServerProcess, room: str) -> None:
    created = prod_server.cli("key", "create", "extension-1")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    post_url = prod_server.url + "/api/tracking/telemetry"

    anonymous = httpx.post(post_url, json=sample_json(room))
    wrong = httpx.post(post_url, json=sample_json(room), headers={"X-Api-Key": "gm_wrong"})
    good = httpx.post(post_url, json=sample_json(room), headers={"X-Api-Key": key})

    assert anonymous.status_code == 401
    assert wrong.status_code == 401
    assert good.status_code == 200
    token = prod_server.login("ana", "s3cret-pass")
    stored = httpx.get(
        f"{prod_server.url}/api/tracking/telemetry/{room}/chaturbate",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert stored.json()["tokens_count"] == 5000


def test_revoked_api_key_is_refused(prod_server: ServerProcess, room: str) -> None:
    key = prod_server.cli("key", "create", "to-revoke").stdout.strip()
    assert prod_server.cli("key", "revoke", "to-revoke").returncode == 0

    answer = httpx.post(
        prod_server.url + "/api/tracking/telemetry",
        json=sample_json(room),
        headers={"X-Api-Key": key},
    )

    assert answer.status_code == 401


def _stored(server: ServerProcess, request: pytest.FixtureRequest) -> bytes:
    """Everything the server's database holds in its account tables, as bytes."""
    url = server.environment()["GODMODE_DATABASE_URL"]
    if url.startswith("sqlite"):
        return (server.workdir / "godmode.db").read_bytes()
    postgres: PostgresProcess = request.getfixturevalue("postgres")
    database = url.rsplit("/", 1)[1]
    rows = [postgres.psql(f"SELECT * FROM {table}", database) for table in ("users", "api_keys")]
    return "".join(rows).encode()


def test_api_keys_are_stored_hashed(
    prod_server: ServerProcess, request: pytest.FixtureRequest
) -> None:
    key = prod_server.cli("key", "create", "hashed").stdout.strip()
    database = _stored(prod_server, request)
    assert key.startswith("gm_")
    assert key.encode() not in database
    listing = prod_server.cli("key", "list").stdout
    assert "hashed" in listing
    assert key not in listing


def test_passwords_are_stored_with_argon2(
    prod_server: ServerProcess, request: pytest.FixtureRequest
) -> None:
    database = _stored(prod_server, request)
    assert b"s3cret-pass" not in database
    assert b"$argon2id$" in database


def test_a_user_changes_their_password_and_only_their_other_sessions_end(
    make_server: ServerFactory,
) -> None:
    server = make_server(dev=False)
    assert server.cli("user", "add", "cara", input="old-password\n").returncode == 0
    first = _login(server, "cara", "old-password").json()["access_token"]
    second = _login(server, "cara", "old-password").json()["access_token"]

    def change(token: str, old: str, new: str) -> httpx.Response:
        return httpx.post(
            server.url + "/api/auth/password",
            json={"old_password": old, "new_password": new},
            headers={"Authorization": f"Bearer {token}"},
        )

    wrong = change(first, "not-it", "new-password")
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "old_password"
    short = change(first, "old-password", "short")
    assert short.status_code == 422
    assert short.json()["errors"][0]["field"] == "new_password"

    changed = change(first, "old-password", "new-password")
    assert changed.status_code == 200, changed.text
    renewed = changed.json()["access_token"]

    def me(token: str) -> httpx.Response:
        return httpx.get(server.url + "/api/auth/me", headers={"Authorization": f"Bearer {token}"})

    wait_until(lambda: me(second).status_code == 401, what="the other session ended")
    assert me(renewed).json() == {
        "username": "cara",
        "role": "manager",
        "reports": True,
        "rooms": [],
    }
    assert _login(server, "cara", "old-password").status_code == 401
    assert _login(server, "cara", "new-password").status_code == 200


def test_a_monitor_learns_their_rooms_and_whether_reports_are_open(
    make_server: ServerFactory,
) -> None:
    server = make_server(dev=False)
    assert server.cli("user", "add", "mo", "--role", "monitor", input="pass-word\n").returncode == 0
    assert (
        server.cli("user", "rooms", "mo", "b@stripchat", "a@chaturbate", "a@chaturbate").returncode
        == 0
    )
    bad = server.cli("user", "rooms", "mo", "no-platform")
    assert bad.returncode != 0
    assert "ROOM@PLATFORM" in bad.stderr
    token = _login(server, "mo", "pass-word").json()["access_token"]
    answer = httpx.get(server.url + "/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.json() == {
        "username": "mo",
        "role": "monitor",
        "reports": False,
        "rooms": [
            {"room_id": "a", "platform": "chaturbate"},
            {"room_id": "b", "platform": "stripchat"},
        ],
    }
