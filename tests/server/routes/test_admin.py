"""``/api/admin/*`` against a real production server: users, roles, monitors' rooms, report
grants, ingest keys, the audit log, the last administrator kept, and bad input refused."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers.bodies import sample_json
from tests.helpers.servers import ServerProcess, admin_studio
from tests.helpers.waiting import wait_until

PASSWORD = "admin-pass-1"


@pytest.fixture
def admin(tmp_path: Any) -> Iterator[tuple[ServerProcess, httpx.Client]]:
    server = ServerProcess(tmp_path, dev=False)
    added = server.cli("user", "add", "root", "--role", "admin", input=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    server.start()
    token = server.login("root", PASSWORD)
    with httpx.Client(
        base_url=server.url + "/api/admin", headers={"Authorization": f"Bearer {token}"}
    ) as client:
        yield server, client
    server.stop()


def test_an_admin_manages_a_monitor_and_every_change_is_audited(
    admin: tuple[ServerProcess, httpx.Client],
) -> None:
    server, api = admin
    created = api.post("/users", json={"username": "mo", "password": "mo-pass-123"})
    assert created.status_code == 201, created.text
    assert created.json() == {
        "username": "mo",
        "role": "monitor",
        "disabled": False,
        "reports": False,
        "rooms": [],
    }
    rooms = [
        {"room_id": "b", "platform": "stripchat"},
        {"room_id": "a", "platform": "chaturbate"},
        {"room_id": "a", "platform": "chaturbate"},  # twice: counted once
    ]
    assigned = api.put("/users/mo/rooms", json={"rooms": rooms})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["rooms"] == [
        {"room_id": "a", "platform": "chaturbate"},
        {"room_id": "b", "platform": "stripchat"},
    ]
    assert api.patch("/users/mo", json={"reports": True}).json()["reports"] is True
    token = server.login("mo", "mo-pass-123")
    calendar = httpx.get(
        server.url + "/api/reports/calendar", headers={"Authorization": f"Bearer {token}"}
    )
    assert calendar.status_code == 200, "the grant opens the reports"

    assert api.post("/users/mo/password", json={"password": "new-pass-456"}).status_code == 204
    wait_until(
        lambda: (
            httpx.get(
                server.url + "/api/auth/me", headers={"Authorization": f"Bearer {token}"}
            ).status_code
            == 401
        ),
        what="the monitor's session ended by the reset",
    )
    assert server.login("mo", "new-pass-456")

    users = {u["username"]: u["role"] for u in api.get("/users").json()}
    assert users == {"root": "admin", "mo": "monitor"}
    assert api.delete("/users/mo").status_code == 204
    audit = api.get("/audit").json()
    assert [(e["action"], e["target"]) for e in audit] == [
        ("user.delete", "mo"),
        ("user.password", "mo"),
        ("user.reports", "mo"),
        ("user.rooms", "mo"),
        ("user.add", "mo"),
        ("user.add", "root"),
    ]
    assert {e["actor"] for e in audit[:-1]} == {"root"}
    assert {e["address"] for e in audit[:-1]} == {"127.0.0.1"}
    assert audit[-1]["actor"].startswith("cli:"), "the command line's actions are there too"
    assert audit[3]["detail"] == "2 rooms: a@chaturbate b@stripchat"


def test_a_key_is_shown_once_works_and_stops_when_revoked(
    admin: tuple[ServerProcess, httpx.Client],
) -> None:
    server, api = admin
    created = api.post("/keys", json={"name": "studio-pc-3"})
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert key.startswith("gm_")
    listed = api.get("/keys").json()
    assert [k["name"] for k in listed] == ["studio-pc-3"]
    assert key not in str(listed), "the key itself is never shown again"

    def post() -> int:
        return httpx.post(
            server.url + "/api/tracking/telemetry",
            json=sample_json("r1"),
            headers={"X-Api-Key": key},
        ).status_code

    assert post() == 200
    assert api.get("/keys").json()[0]["last_post"] is None, "written every few seconds"

    def activity() -> dict[str, Any]:
        return dict(api.get("/keys").json()[0])

    wait_until(lambda: activity()["last_post"] is not None, timeout=15, what="the key's activity")
    assert activity()["rooms"] == [
        {"room_id": "r1", "platform": "chaturbate", "last_post": activity()["last_post"]}
    ]
    assert abs(activity()["last_post"] - time.time()) < 30
    assert api.delete("/keys/studio-pc-3").status_code == 204
    wait_until(lambda: post() == 401, timeout=3, what="the revoked key refused")
    assert api.get("/keys").json()[0]["revoked"] is True
    assert api.post("/keys", json={"name": "studio-pc-3"}).status_code == 409


def test_a_key_revoked_while_its_collector_posts_leaves_nothing_half_written(
    admin: tuple[ServerProcess, httpx.Client],
) -> None:
    """A collector posts as fast as it can while its key is revoked: each sample is either
    answered 200 and kept whole, or refused with 401 and not kept at all; once refused, the
    key stays refused."""
    server, api = admin
    key = api.post("/keys", json={"name": "busy-pc"}).json()["key"]
    answers: list[tuple[int, int]] = []  # (tokens_count, status)
    revoked = threading.Event()

    def collector() -> None:
        with httpx.Client(base_url=server.url, headers={"X-Api-Key": key}) as http:
            n = 0
            while not revoked.is_set() or len(answers) < 5 or answers[-1][1] != 401:
                n += 1
                answer = http.post(
                    "/api/tracking/telemetry", json=sample_json("busy", tokens_count=n)
                )
                answers.append((n, answer.status_code))
            for _ in range(20):  # and a while after
                n += 1
                status = http.post(
                    "/api/tracking/telemetry", json=sample_json("busy", tokens_count=n)
                ).status_code
                answers.append((n, status))

    posting = threading.Thread(target=collector)
    posting.start()
    wait_until(lambda: len(answers) >= 20, timeout=10, what="the collector posting")
    assert api.delete("/keys/busy-pc").status_code == 204
    revoked.set()
    posting.join(30)
    assert not posting.is_alive()

    statuses = [status for _, status in answers]
    assert set(statuses) <= {200, 401}, statuses
    first_refused = statuses.index(401)
    assert set(statuses[first_refused:]) == {401}, "a revoked key never works again"
    kept = {n for n, status in answers if status == 200}
    token = server.login("root", PASSWORD)
    history = httpx.get(
        server.url + "/api/tracking/telemetry/busy/chaturbate/history",
        params={"limit": 1000},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert history.status_code == 200, history.text
    stored = {sample["tokens_count"] for sample in history.json()["samples"]}
    assert stored == kept


def test_the_last_administrator_stays(admin: tuple[ServerProcess, httpx.Client]) -> None:
    server, api = admin
    for attempt in (
        api.patch("/users/root", json={"role": "manager"}),
        api.patch("/users/root", json={"disabled": True}),
        api.delete("/users/root"),
    ):
        assert attempt.status_code == 409, attempt.text
        assert "last enabled administrator" in attempt.json()["message"]
    assert api.get("/users").json()[0]["role"] == "admin", "nothing changed"

    assert (
        api.post(
            "/users", json={"username": "second", "password": "second-123", "role": "admin"}
        ).status_code
        == 201
    )
    assert api.patch("/users/second", json={"disabled": True}).status_code == 200
    assert api.delete("/users/root").status_code == 409, "a disabled admin does not count"
    assert api.patch("/users/second", json={"disabled": False}).status_code == 200
    assert api.patch("/users/root", json={"role": "manager"}).status_code == 200
    assert server.login("second", "second-123")


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        ("POST", "/users", {"username": "x", "password": "short"}, 422, "password"),
        ("POST", "/users", {"username": "bad name", "password": "long-enough"}, 422, "username"),
        (
            "POST",
            "/users",
            {"username": "x", "password": "long-enough", "role": "viewer"},
            422,
            "role",
        ),
        ("POST", "/users", {"username": "root", "password": "long-enough"}, 409, None),
        ("PATCH", "/users/nobody", {"disabled": True}, 404, None),
        ("PATCH", "/users/root", {"colour": "red"}, 422, "colour"),
        (
            "PUT",
            "/users/root/rooms",
            {"rooms": [{"room_id": "a b", "platform": "x"}]},
            422,
            "rooms.0.room_id",
        ),
        ("POST", "/users/nobody/password", {"password": "long-enough"}, 404, None),
        ("DELETE", "/keys/nothing", None, 404, None),
        ("POST", "/keys", {"name": ""}, 422, "name"),
    ],
)
def test_bad_administration_requests_are_clear_and_change_nothing(
    admin: tuple[ServerProcess, httpx.Client],
    method: str,
    path: str,
    body: dict[str, Any] | None,
    status: int,
    field: str | None,
) -> None:
    _, api = admin
    before = api.get("/users").json()
    audited = api.get("/audit").json()
    answer = api.request(method, path, json=body)
    assert answer.status_code == status, answer.text
    if field is not None:
        assert answer.json()["errors"][0]["field"] == field
    assert api.get("/users").json() == before
    after = api.get("/audit").json()
    if status == 422:  # malformed: nothing was attempted
        assert after == audited
    else:  # a change refused (no such user or key): recorded, with why
        [refusal, *rest] = after
        assert rest == audited
        assert (refusal["actor"], refusal["action"], refusal["address"]) == (
            "root",
            "refused",
            "127.0.0.1",
        )
        assert answer.json()["message"] in refusal["detail"]


def test_a_thousand_rooms_can_be_assigned_and_no_more(
    admin: tuple[ServerProcess, httpx.Client],
) -> None:
    _, api = admin
    assert api.post("/users", json={"username": "mo", "password": "mo-pass-123"}).status_code == 201

    def rooms(count: int) -> dict[str, Any]:
        return {
            "rooms": [{"room_id": f"r{n:060d}", "platform": "chaturbate"} for n in range(count)]
        }

    assert len(api.put("/users/mo/rooms", json=rooms(1000)).json()["rooms"]) == 1000
    too_many = api.put("/users/mo/rooms", json=rooms(1001))
    assert too_many.status_code in (413, 422), too_many.text
    (mo,) = [u for u in api.get("/users").json() if u["username"] == "mo"]
    assert len(mo["rooms"]) == 1000, "nothing changed"


@pytest.mark.parametrize("value", ["false", "true", 0, 1, None])
@pytest.mark.parametrize("field", ["disabled", "reports"])
def test_flags_take_only_true_or_false(
    admin: tuple[ServerProcess, httpx.Client], field: str, value: object
) -> None:
    """The fields are documented strict: "false" and 0 are not false (they were taken as it),
    and nothing changes."""
    _server, api = admin
    assert api.post("/users", json={"username": "mo", "password": "mo-pass-123"}).is_success
    before = api.get("/users").json()

    answer = api.patch("/users/mo", json={field: value})

    if value is None:  # null is "leave it as it is", as documented
        assert answer.status_code == 200, answer.text
    else:
        assert answer.status_code == 422, answer.text
        assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert api.get("/users").json() == before


def test_refused_attempts_are_audited_with_who_what_where_and_why_and_bounded(
    admin: tuple[ServerProcess, httpx.Client],
) -> None:
    server, api = admin
    assert api.post(
        "/users", json={"username": "boss", "password": "boss-pass-1", "role": "manager"}
    ).is_success
    token = server.login("boss", "boss-pass-1")
    auth = {"Authorization": f"Bearer {token}"}

    for _ in range(30):  # a manager trying the administration, over and over
        refused = httpx.post(server.url + "/api/admin/users", json={}, headers=auth)
        assert refused.status_code == 403
    last_admin = api.delete("/users/root")  # the last admin cannot go
    assert last_admin.status_code == 409

    audit = api.get("/audit").json()
    refusals = [e for e in audit if e["action"] == "refused"]
    assert [(e["actor"], e["target"]) for e in refusals] == [
        ("root", "root"),
        ("boss", "POST /api/admin/users"),
    ], "one entry for the manager's 30 tries: they cannot fill the log"
    assert "last enabled administrator" in refusals[0]["detail"]
    assert refusals[1]["address"] == "127.0.0.1"
    assert "manager may not use the administration" in refusals[1]["detail"]


def test_a_long_assignment_is_audited_whole(admin: tuple[ServerProcess, httpx.Client]) -> None:
    _, api = admin
    assert api.post("/users", json={"username": "mo", "password": "mo-pass-123"}).is_success
    rooms = [{"room_id": f"room_{i:04d}", "platform": "chaturbate"} for i in range(1000)]

    assert api.put("/users/mo/rooms", json={"rooms": rooms}).status_code == 200

    [entry] = [e for e in api.get("/audit").json() if e["action"] == "user.rooms"]
    assert entry["detail"].startswith("1000 rooms: room_0000@chaturbate ")
    assert all(f"{r['room_id']}@chaturbate" in entry["detail"] for r in rooms), "none cut"


def test_a_collector_that_stopped_posting_is_flagged_silent_in_the_keys_list(
    tmp_path: Any,
) -> None:
    with admin_studio(tmp_path, GODMODE_COLLECTOR_SILENT_AFTER="3") as (server, api, key):
        assert api.get("/api/admin/keys").json()[0]["silent"] is False, "never posted"
        posted = httpx.post(
            server.url + "/api/tracking/telemetry",
            json=sample_json("r1"),
            headers={"X-Api-Key": key},
        )
        assert posted.status_code == 200

        def listed() -> dict[str, Any]:
            return dict(api.get("/api/admin/keys").json()[0])

        wait_until(lambda: listed()["last_post"] is not None, timeout=15, what="the activity")
        assert listed()["silent"] is False or time.time() - listed()["last_post"] >= 3
        wait_until(lambda: listed()["silent"] is True, timeout=15, what="silent")
        assert time.time() - listed()["last_post"] >= 3
