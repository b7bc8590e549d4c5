"""``/api/tracking/*`` against a real server: the original contract, bulk reads, history, bad input."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.helpers.bodies import EARNED_FIELDS, SAMPLE_FIELDS, sample_json
from tests.helpers.dashboards import next_event, no_update_before, ws_connect
from tests.helpers.servers import ServerFactory, ServerProcess
from tests.helpers.waiting import wait_until


async def test_post_answers_with_the_original_shape(
    dev_server: ServerProcess, http: httpx.AsyncClient, room: str
) -> None:
    before = int(time.time())
    answer = await http.post(dev_server.url + "/api/tracking/telemetry", json=sample_json(room))

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert body["status"] == "success"
    assert body["message"] == f"Telemetría procesada para room {room}"
    assert isinstance(body["processed_at"], int)
    assert before <= body["processed_at"] <= int(time.time())
    assert body["applied"] is True
    assert isinstance(body["seq"], int)


async def test_get_returns_the_posted_fields_and_the_live_earnings(
    dev_server: ServerProcess, http: httpx.AsyncClient, room: str
) -> None:
    posted = sample_json(room, platform="stripchat", tokens_count=12, tips_count=3, viewers_count=7)
    await http.post(dev_server.url + "/api/tracking/telemetry", json=posted)

    answer = await http.get(f"{dev_server.url}/api/tracking/telemetry/{room}/stripchat")

    assert answer.status_code == 200
    body = answer.json()
    assert {k: body[k] for k in SAMPLE_FIELDS} == posted, "the original's fields, unchanged"
    earned = {k: v for k, v in body.items() if k not in SAMPLE_FIELDS}
    assert set(earned) == EARNED_FIELDS
    assert all(isinstance(v, int) and v >= 0 for v in earned.values())


async def test_get_unknown_room_is_a_json_404(
    dev_server: ServerProcess, http: httpx.AsyncClient, room: str
) -> None:
    answer = await http.get(f"{dev_server.url}/api/tracking/telemetry/{room}/chaturbate")

    assert answer.status_code == 404
    assert answer.json()["status"] == "error"
    assert room in answer.json()["message"]


def test_latest_sample_expires_after_its_lifetime(make_server: ServerFactory, room: str) -> None:
    server = make_server(GODMODE_LATEST_TTL="0.5")
    url = f"{server.url}/api/tracking/telemetry/{room}/chaturbate"
    assert (
        httpx.post(server.url + "/api/tracking/telemetry", json=sample_json(room)).status_code
        == 200
    )
    assert httpx.get(url).status_code == 200

    wait_until(lambda: httpx.get(url).status_code == 404, timeout=5, what="the sample to expire")
    bulk = httpx.get(server.url + "/api/tracking/telemetry").json()
    assert bulk["rooms"] == []


async def test_older_sample_is_answered_but_not_applied(
    dev_server: ServerProcess, http: httpx.AsyncClient, demo_token: str, room: str
) -> None:
    post_url = dev_server.url + "/api/tracking/telemetry"
    now = int(time.time())
    await http.post(post_url, json=sample_json(room, tokens_count=10, timestamp=now))
    async with ws_connect(dev_server, demo_token) as ws:
        await next_event(ws, "SNAPSHOT")
        answer = await http.post(
            post_url, json=sample_json(room, tokens_count=20, timestamp=now - 5)
        )

        assert answer.status_code == 200
        assert answer.json()["applied"] is False
        assert answer.json()["reason"] == "stale"
        latest = await http.get(f"{dev_server.url}/api/tracking/telemetry/{room}/chaturbate")
        assert latest.json()["tokens_count"] == 10
        await no_update_before(ws, dev_server, http, room)


async def test_identical_sample_produces_no_event(
    dev_server: ServerProcess, http: httpx.AsyncClient, demo_token: str, room: str
) -> None:
    post_url = dev_server.url + "/api/tracking/telemetry"
    body = sample_json(room)
    first = await http.post(post_url, json=body)
    async with ws_connect(dev_server, demo_token) as ws:
        await next_event(ws, "SNAPSHOT")
        again = await http.post(post_url, json=body)

        assert again.status_code == 200
        assert again.json()["applied"] is False
        assert again.json()["reason"] == "duplicate"
        assert first.json()["seq"] is not None
        await no_update_before(ws, dev_server, http, room)


def _big_body(room: str) -> dict[str, Any]:
    return sample_json(room, padding="x" * 17_000)


BAD_BODIES: list[tuple[str, Any, int, str]] = [
    # (case, body or raw bytes, expected status, field named in the errors)
    ("tokens as string", {"tokens_count": "5000"}, 422, "tokens_count"),
    ("tokens as float", {"tokens_count": 5000.0}, 422, "tokens_count"),
    ("tokens as bool", {"tokens_count": True}, 422, "tokens_count"),
    ("negative tips", {"tips_count": -1}, 422, "tips_count"),
    ("negative viewers", {"viewers_count": -3}, 422, "viewers_count"),
    ("counter too large", {"tokens_count": 2**64}, 422, "tokens_count"),
    ("missing viewers", {"viewers_count": None}, 422, "viewers_count"),
    ("unknown field", {"extra_field": 1}, 422, "extra_field"),
    ("room id too long", {"room_id": "r" * 65}, 422, "room_id"),
    ("room id empty", {"room_id": ""}, 422, "room_id"),
    ("room id with space", {"room_id": "room 1"}, 422, "room_id"),
    ("room id with slash", {"room_id": "room/1"}, 422, "room_id"),
    ("room id not ascii", {"room_id": "sala_ñ"}, 422, "room_id"),
    ("platform upper case", {"platform": "Chaturbate"}, 422, "platform"),
    ("platform unknown", {"platform": "nosuchsite"}, 422, "platform"),
    ("timestamp in milliseconds", {"timestamp": int(time.time() * 1000)}, 422, "timestamp"),
    ("timestamp negative", {"timestamp": -1}, 422, "timestamp"),
    ("not json", b"tokens=5000", 400, "body"),
    ("json array", b"[1, 2, 3]", 422, "body"),
    ("empty body", b"", 400, "body"),
]


@pytest.mark.parametrize(
    ("case", "change", "status", "field"), BAD_BODIES, ids=[c[0] for c in BAD_BODIES]
)
async def test_bad_input_is_refused_and_nothing_is_stored_or_sent(
    dev_server: ServerProcess,
    http: httpx.AsyncClient,
    demo_token: str,
    room: str,
    case: str,
    change: Any,
    status: int,
    field: str,
) -> None:
    if isinstance(change, bytes):
        kwargs: dict[str, Any] = {
            "content": change,
            "headers": {"content-type": "application/json"},
        }
    else:
        body = sample_json(room) | change
        body = {k: v for k, v in body.items() if v is not None}
        kwargs = {"json": body}
    async with ws_connect(dev_server, demo_token) as ws:
        snapshot = await next_event(ws, "SNAPSHOT")
        answer = await http.post(dev_server.url + "/api/tracking/telemetry", **kwargs)

        assert answer.status_code == status, answer.text
        error = answer.json()
        assert error["status"] == "error"
        assert error["message"]
        assert field in [item["field"] for item in error["errors"]]
        bulk = (await http.get(dev_server.url + "/api/tracking/telemetry")).json()
        assert bulk["seq"] == snapshot["seq"], "a refused sample must not create an event"
        assert room not in {r["room_id"] for r in bulk["rooms"]}
        await no_update_before(ws, dev_server, http, room)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_body_over_16_kib_is_413(
    dev_server: ServerProcess, http: httpx.AsyncClient, room: str, chunked: bool
) -> None:
    raw = httpx.Request("POST", "/", json=_big_body(room)).content
    assert len(raw) > 16 * 1024

    async def stream() -> Any:
        yield raw

    content: Any = stream() if chunked else raw
    answer = await http.post(
        dev_server.url + "/api/tracking/telemetry",
        content=content,
        headers={"content-type": "application/json"},
    )

    assert answer.status_code == 413
    assert answer.json()["status"] == "error"
    latest = await http.get(f"{dev_server.url}/api/tracking/telemetry/{room}/chaturbate")
    assert latest.status_code == 404


async def test_bulk_returns_all_rooms_then_only_changes(
    make_server: ServerFactory, http: httpx.AsyncClient
) -> None:
    server = make_server()
    post_url = server.url + "/api/tracking/telemetry"
    bulk_url = server.url + "/api/tracking/telemetry"
    await http.post(post_url, json=sample_json("a", tokens_count=1))
    await http.post(post_url, json=sample_json("b", tokens_count=1))

    full = (await http.get(bulk_url)).json()
    assert full["full"] is True
    assert full["seq"] == 2
    assert sorted(r["room_id"] for r in full["rooms"]) == ["a", "b"]
    assert set(full["rooms"][0]) == SAMPLE_FIELDS | EARNED_FIELDS

    params = {"since": full["seq"], "epoch": full["epoch"]}
    nothing = (await http.get(bulk_url, params=params)).json()
    assert nothing == nothing | {"full": False, "rooms": [], "seq": 2, "epoch": full["epoch"]}

    await http.post(post_url, json=sample_json("b", tokens_count=9))
    changed = (await http.get(bulk_url, params=params)).json()
    assert changed["full"] is False
    assert changed["seq"] == 3
    assert [(r["room_id"], r["tokens_count"]) for r in changed["rooms"]] == [("b", 9)]

    other_epoch = (await http.get(bulk_url, params={"since": 2, "epoch": "other"})).json()
    assert other_epoch["full"] is True
    assert len(other_epoch["rooms"]) == 2


async def test_bulk_since_older_than_the_log_is_a_full_answer(
    make_server: ServerFactory, http: httpx.AsyncClient
) -> None:
    server = make_server(GODMODE_EVENT_LOG_SIZE="2")
    for tokens in range(1, 6):
        await http.post(
            server.url + "/api/tracking/telemetry", json=sample_json("a", tokens_count=tokens)
        )
    epoch = (await http.get(server.url + "/api/tracking/telemetry")).json()["epoch"]

    answer = (
        await http.get(server.url + "/api/tracking/telemetry", params={"since": 1, "epoch": epoch})
    ).json()

    assert answer["full"] is True
    assert [(r["room_id"], r["tokens_count"]) for r in answer["rooms"]] == [("a", 5)]


@pytest.mark.parametrize("since", ["abc", "²", "١٢", " 12", "1_0", "+1", "1" * 17])
async def test_bulk_rejects_a_bad_since(
    dev_server: ServerProcess, http: httpx.AsyncClient, since: str
) -> None:
    answer = await http.get(
        dev_server.url + "/api/tracking/telemetry", params={"since": since, "epoch": "x"}
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "since"


async def test_a_sample_from_the_future_does_not_freeze_the_room(
    dev_server: ServerProcess, http: httpx.AsyncClient, room: str
) -> None:
    """A sample dated a minute ahead is refused with the reason; the genuine samples around it
    are applied as if it had never been sent."""
    url = dev_server.url + "/api/tracking/telemetry"
    now = int(time.time())
    first = await http.post(url, json=sample_json(room, tokens_count=1, timestamp=now - 1))
    ahead = await http.post(url, json=sample_json(room, tokens_count=999, timestamp=now + 60))
    after = await http.post(url, json=sample_json(room, tokens_count=2, timestamp=now))

    assert (first.status_code, ahead.status_code, after.status_code) == (200, 422, 200)
    [error] = ahead.json()["errors"]
    assert error["type"] == "timestamp_in_future"
    assert "more than 30 s in the future (the server's clock reads" in error["message"]
    assert after.json()["applied"] is True
    latest = await http.get(f"{url}/{room}/chaturbate")
    assert latest.json()["tokens_count"] == 2


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None]
)
@pytest.mark.parametrize("path", ["/api/tracking/telemetry", "/api/auth/login"])
async def test_json_endpoints_refuse_other_content_types_with_415(
    dev_server: ServerProcess, http: httpx.AsyncClient, room: str, path: str, content_type: str
) -> None:
    """What a web page may post cross-origin without a preflight is refused before it is read."""
    body = (
        sample_json(room) if path.endswith("telemetry") else {"username": "demo", "password": "x"}
    )
    headers = {"content-type": content_type} if content_type else {}
    request = http.build_request(
        "POST", dev_server.url + path, content=httpx.Request("POST", "/", json=body).content
    )
    request.headers.pop("content-type", None)
    request.headers.update(headers)

    answer = await http.send(request)

    assert answer.status_code == 415
    assert "Content-Type: application/json" in answer.json()["message"]
    latest = await http.get(f"{dev_server.url}/api/tracking/telemetry/{room}/chaturbate")
    assert latest.status_code == 404


async def test_history_returns_recent_samples_oldest_first(
    dev_server: ServerProcess, http: httpx.AsyncClient, room: str
) -> None:
    now = int(time.time())
    for i, tokens in enumerate([100, 150, 400]):
        await http.post(
            dev_server.url + "/api/tracking/telemetry",
            json=sample_json(room, tokens_count=tokens, timestamp=now - 10 + i),
        )
    url = f"{dev_server.url}/api/tracking/telemetry/{room}/chaturbate/history"

    everything = (await http.get(url)).json()
    last_two = (await http.get(url, params={"limit": 2})).json()

    assert everything["room_id"] == room
    assert [p["tokens_count"] for p in everything["samples"]] == [100, 150, 400]
    assert [p["timestamp"] for p in everything["samples"]] == [now - 10, now - 9, now - 8]
    assert [p["tokens_count"] for p in last_two["samples"]] == [150, 400]
    assert (await http.get(url, params={"limit": 0})).status_code == 422


async def test_history_of_unknown_room_is_404(
    dev_server: ServerProcess, http: httpx.AsyncClient, room: str
) -> None:
    url = f"{dev_server.url}/api/tracking/telemetry/{room}/chaturbate/history"
    answer = await http.get(url)
    assert answer.status_code == 404
    assert answer.json()["status"] == "error"


async def test_path_parameters_are_validated(
    dev_server: ServerProcess, http: httpx.AsyncClient
) -> None:
    answer = await http.get(f"{dev_server.url}/api/tracking/telemetry/{'r' * 65}/chaturbate")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "room_id"
