"""Rate limits on a real server: 429 with Retry-After, per key, per address, per user name,
shared by two nodes through Redis, and CORS limited to the configured origins."""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter

import httpx
import pytest

from benchmarks.harness import metric
from tests.helpers.bodies import sample_json
from tests.helpers.databases import RedisProcess
from tests.helpers.servers import ServerFactory, ServerProcess

LIMITED = {"GODMODE_RATE_LIMITS": "true"}


def post(url: str, n: int, **headers: str) -> httpx.Response:
    return httpx.post(
        url + "/api/tracking/telemetry", json=sample_json("rl", tokens_count=n), headers=headers
    )


def test_ingest_over_the_key_budget_is_429_with_retry_after(make_server: ServerFactory) -> None:
    server = make_server(dev=False, GODMODE_INGEST_RATE_PER_KEY="5/minute", **LIMITED)
    key = server.cli("key", "create", "studio-a").stdout.strip()
    other = server.cli("key", "create", "studio-b").stdout.strip()

    answers = [post(server.url, n, **{"X-Api-Key": key}) for n in range(7)]

    assert [a.status_code for a in answers] == [200] * 5 + [429] * 2
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["message"].startswith("too many requests: API key 'studio-a'")
    # Another key has its own budget.
    assert post(server.url, 100, **{"X-Api-Key": other}).status_code == 200


def test_ingest_per_address_applies_without_a_key_in_dev_mode(make_server: ServerFactory) -> None:
    server = make_server(GODMODE_INGEST_RATE_PER_ADDRESS="3/minute", **LIMITED)

    codes = [post(server.url, n).status_code for n in range(5)]
    latest = httpx.get(server.url + "/api/tracking/telemetry/rl/chaturbate").json()

    assert codes == [200, 200, 200, 429, 429]
    assert latest["tokens_count"] == 2  # the last accepted one, nothing of the refused


def test_wrong_passwords_lock_the_user_name_not_others(make_server: ServerFactory) -> None:
    server = make_server(dev=False, GODMODE_LOGIN_FAILURES_PER_USER="3/minute", **LIMITED)
    for name in ("ana", "bea"):
        assert server.cli("user", "add", name, input="right-pass-123\n").returncode == 0

    def login(user: str, password: str) -> httpx.Response:
        return httpx.post(
            server.url + "/api/auth/login", json={"username": user, "password": password}
        )

    wrong = [login("ana", "guess").status_code for _ in range(3)]
    locked = login("ana", "right-pass-123")

    assert wrong == [401, 401, 401]
    assert locked.status_code == 429  # even the right password waits out the lock
    assert int(locked.headers["Retry-After"]) >= 1
    assert "wrong passwords for 'ana'" in locked.json()["message"]
    assert login("bea", "right-pass-123").status_code == 200


def test_a_good_login_clears_earlier_failures(make_server: ServerFactory) -> None:
    server = make_server(dev=False, GODMODE_LOGIN_FAILURES_PER_USER="3/minute", **LIMITED)
    assert server.cli("user", "add", "ana", input="right-pass-123\n").returncode == 0
    body = {"username": "ana", "password": "nope"}
    good = {"username": "ana", "password": "right-pass-123"}

    codes = [httpx.post(server.url + "/api/auth/login", json=body).status_code for _ in range(2)]
    codes.append(httpx.post(server.url + "/api/auth/login", json=good).status_code)
    codes += [httpx.post(server.url + "/api/auth/login", json=body).status_code for _ in range(2)]

    assert codes == [401, 401, 200, 401, 401]


def test_two_nodes_share_the_budget_through_redis(
    redis_server: RedisProcess, make_server: ServerFactory
) -> None:
    env = {"GODMODE_REDIS_URL": redis_server.url, "GODMODE_INGEST_RATE_PER_ADDRESS": "4/minute"}
    a = make_server(**env, **LIMITED)
    b = make_server(**env, **LIMITED)

    codes = [post(node.url, n).status_code for n, node in enumerate([a, b, a, b, a, b])]

    assert codes == [200, 200, 200, 200, 429, 429]


def test_limits_off_lets_everything_through(make_server: ServerFactory) -> None:
    server = make_server(GODMODE_RATE_LIMITS="false", GODMODE_INGEST_RATE_PER_ADDRESS="1/minute")

    assert [post(server.url, n).status_code for n in range(3)] == [200, 200, 200]


def test_a_malformed_limit_stops_the_start(make_server: ServerFactory) -> None:
    with pytest.raises(RuntimeError, match="GODMODE_INGEST_RATE_PER_KEY"):
        make_server(GODMODE_INGEST_RATE_PER_KEY="lots")


def test_cors_answers_only_configured_origins(make_server: ServerFactory) -> None:
    server = make_server(GODMODE_CORS_ORIGINS="https://tools.studio.example")

    def preflight(origin: str) -> httpx.Response:
        return httpx.options(
            server.url + "/api/tracking/telemetry",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,x-api-key",
            },
        )

    allowed = preflight("https://tools.studio.example")
    refused = preflight("https://evil.example")
    plain = httpx.get(server.url + "/healthz", headers={"Origin": "https://evil.example"})

    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://tools.studio.example"
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    assert "access-control-allow-origin" not in plain.headers


def test_no_cors_by_default(make_server: ServerFactory) -> None:
    server = make_server()
    answer = httpx.get(server.url + "/healthz", headers={"Origin": "https://tools.example"})
    assert "access-control-allow-origin" not in answer.headers


async def test_the_lock_holds_under_concurrent_guesses(make_server: ServerFactory) -> None:
    """Each attempt is counted before its password is checked: of 50 guesses sent at once,
    exactly as many as the budget are checked (401), the rest are refused (429) unchecked."""
    server = make_server(dev=False, GODMODE_LOGIN_FAILURES_PER_USER="10/minute", **LIMITED)
    assert server.cli("user", "add", "ana", input="right-pass-123\n").returncode == 0
    url = server.url + "/api/auth/login"

    async with httpx.AsyncClient(timeout=30) as client:
        answers = await asyncio.gather(
            *(client.post(url, json={"username": "ana", "password": f"g{n}"}) for n in range(50))
        )
        right = await client.post(url, json={"username": "ana", "password": "right-pass-123"})

    codes = Counter(a.status_code for a in answers)
    assert codes[401] == 10, codes
    assert codes[429] == 40, codes
    assert right.status_code == 429


async def test_password_checks_at_once_are_bounded(make_server: ServerFactory) -> None:
    """One check at a time, and a login that cannot start one at once is answered 503 with
    Retry-After (spending none of the user's attempts) instead of queueing without end."""
    server = make_server(
        dev=False,
        GODMODE_MAX_PASSWORD_CHECKS="1",
        GODMODE_PASSWORD_CHECK_WAIT="0.005",
        GODMODE_LOGIN_FAILURES_PER_USER="100/minute",
        **LIMITED,
    )
    assert server.cli("user", "add", "ana", input="right-pass-123\n").returncode == 0
    url = server.url + "/api/auth/login"
    body = {"username": "ana", "password": "right-pass-123"}

    async with httpx.AsyncClient(timeout=30) as client:
        answers = await asyncio.gather(*(client.post(url, json=body) for _ in range(12)))

    codes = Counter(a.status_code for a in answers)
    assert codes[200] >= 1, codes
    assert codes[503] >= 1, codes
    assert set(codes) <= {200, 503}, codes
    busy = next(a for a in answers if a.status_code == 503)
    assert busy.headers["Retry-After"] == "1"
    assert "too many logins at once" in busy.json()["message"]


def test_without_redis_each_node_counts_alone(
    redis_server: RedisProcess, make_server: ServerFactory
) -> None:
    """Redis gone: the limits hold, counted in the node's memory, and the node says so."""
    server = make_server(
        GODMODE_REDIS_URL=redis_server.url,
        GODMODE_REDIS_TIMEOUT="0.5",
        GODMODE_INGEST_RATE_PER_ADDRESS="3/minute",
        **LIMITED,
    )
    assert post(server.url, 0).status_code == 200
    assert metric(server.url, "godmode_ratelimit_local") == 0
    redis_server.stop()

    codes = [post(server.url, n).status_code for n in range(1, 6)]

    assert codes == [200, 200, 200, 429, 429]
    assert metric(server.url, "godmode_ratelimit_local") == 1
    assert "rate limits counted on this node only" in server.log()


def test_a_hung_redis_costs_a_post_at_most_the_redis_timeout(
    redis_server: RedisProcess, make_server: ServerFactory
) -> None:
    server = make_server(GODMODE_REDIS_URL=redis_server.url, GODMODE_REDIS_TIMEOUT="0.5", **LIMITED)
    assert post(server.url, 0).status_code == 200
    assert redis_server.proc is not None
    redis_server.proc.send_signal(signal.SIGSTOP)  # up, but answers nothing
    try:
        times = []
        for n in range(1, 8):
            started = time.monotonic()
            assert post(server.url, n).status_code == 200
            times.append(time.monotonic() - started)
    finally:
        redis_server.proc.send_signal(signal.SIGCONT)

    # The first post finds Redis hung (the limiter's and the store's timeouts); after it the
    # node counts locally and the store works degraded, without waiting on Redis again.
    assert times[0] < 2.5, times
    assert max(times[1:]) < 0.4, times


def _posts_from(server: ServerProcess, *forwarded_for: str) -> list[int]:
    """Ingest posts, each claiming (X-Forwarded-For) to come from the address given."""
    return [
        httpx.post(
            server.url + "/api/tracking/telemetry",
            json=sample_json("xff", tokens_count=n),
            headers={"X-Forwarded-For": address},
        ).status_code
        for n, address in enumerate(forwarded_for)
    ]


def test_forwarded_addresses_are_ignored_unless_from_a_trusted_proxy(
    make_server: ServerFactory,
) -> None:
    """A client cannot escape its budget by claiming another address; behind a trusted proxy,
    each real client has its own."""
    untrusted = make_server(GODMODE_INGEST_RATE_PER_ADDRESS="2/minute", **LIMITED)
    proxied = make_server(
        GODMODE_INGEST_RATE_PER_ADDRESS="2/minute",
        GODMODE_TRUSTED_PROXIES="127.0.0.1,10.1.0.0/16",
        **LIMITED,
    )
    spoofed = ["198.51.100.1", "198.51.100.2", "198.51.100.3"]

    assert _posts_from(untrusted, *spoofed) == [200, 200, 429]
    a, b = "198.51.100.7", "198.51.100.8"
    assert _posts_from(proxied, a, b, a, a) == [200, 200, 200, 429]
    assert f'{a}:0 - "POST /api/tracking/telemetry' in proxied.log()  # the log names the client
    assert "198.51.100" not in untrusted.log()


def test_a_malformed_trusted_proxy_stops_the_start(make_server: ServerFactory) -> None:
    with pytest.raises(RuntimeError, match="not an IP address or network"):
        make_server(GODMODE_TRUSTED_PROXIES="proxy.example")
