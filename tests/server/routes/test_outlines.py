"""Page outlines (the extension's *Send page outline*) against a real production server: kept
per key and platform, read by administrators only; a malformed, oversized, too deep or too
frequent one is refused and nothing of it is kept."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from godmode_common.protocol import MAX_OUTLINE_BYTES
from tests.helpers.servers import STUDIO_PASSWORD, ServerProcess, admin_studio

OUTLINES = "/api/collectors/outlines"


def _outline(**changes: Any) -> dict[str, Any]:
    """What extension/src/outline.js sends for a small Chaturbate page."""
    outline: dict[str, Any] = {
        "platform": "chaturbate",
        "room_id": "alice_cb",
        "page": "/b/{room}/",
        "truncated": False,
        "nodes": 4,
        "root": {
            "t": "body",
            "c": ["room-{room}"],
            "k": [
                {
                    "t": "div",
                    "i": "user_information",
                    "d": ["data-user"],
                    "k": [
                        {"t": "span", "c": ["tokencount"], "x": "1,234"},
                    ],
                },
                {"t": "div", "i": "chat-list", "c": ["chat-list"], "o": True},
            ],
        },
    }
    outline.update(changes)
    return outline


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[tuple[ServerProcess, httpx.Client, str]]:
    with admin_studio(tmp_path, users=[("mona", "manager")]) as running:
        yield running


@pytest.fixture(scope="module")
def refusing_studio(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ServerProcess, httpx.Client, str]]:
    """One studio for every bad outline: each is refused, so none leaves anything behind."""
    with admin_studio(tmp_path_factory.mktemp("refusing")) as running:
        yield running


@pytest.fixture
def limited_studio(tmp_path: Path) -> Iterator[tuple[ServerProcess, httpx.Client, str]]:
    """The studio with rate limits on (the tests' servers have them off)."""
    with admin_studio(tmp_path, GODMODE_RATE_LIMITS="true") as running:
        yield running


def test_an_outline_is_kept_per_key_and_platform_and_read_by_admins(
    studio: tuple[ServerProcess, httpx.Client, str],
) -> None:
    server, admin, key = studio
    assert admin.get("/api/admin/outlines").json() == []

    sent = httpx.post(server.url + OUTLINES, json=_outline(), headers={"X-Api-Key": key})
    assert sent.status_code == 204, sent.text
    stripchat = _outline(platform="stripchat", room_id="bella.sc", page="/{room}")
    assert (
        httpx.post(server.url + OUTLINES, json=stripchat, headers={"X-Api-Key": key}).status_code
        == 204
    )

    listed = admin.get("/api/admin/outlines").json()
    assert sorted((o["key"], o["platform"], o["page"], o["nodes"]) for o in listed) == [
        ("pc-7", "chaturbate", "/b/{room}/", 4),
        ("pc-7", "stripchat", "/{room}", 4),
    ]
    kept = admin.get("/api/admin/outlines/pc-7/chaturbate").json()
    assert kept["key"] == "pc-7"
    assert kept["outline"]["root"] == _outline()["root"]

    # A later one replaces it.
    later = _outline(nodes=1, root={"t": "body"})
    assert (
        httpx.post(server.url + OUTLINES, json=later, headers={"X-Api-Key": key}).status_code == 204
    )
    assert admin.get("/api/admin/outlines/pc-7/chaturbate").json()["outline"]["root"] == {
        "t": "body"
    }
    assert admin.get("/api/admin/outlines/pc-7/camsoda").status_code == 404

    # Administrators only; collectors only post.
    manager = server.login("mona", STUDIO_PASSWORD)
    assert (
        httpx.get(
            server.url + "/api/admin/outlines", headers={"Authorization": f"Bearer {manager}"}
        ).status_code
        == 403
    )
    assert (
        httpx.get(server.url + "/api/admin/outlines", headers={"X-Api-Key": key}).status_code == 401
    )
    assert httpx.post(server.url + OUTLINES, json=_outline()).status_code == 401


def _deep(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"t": "div"}
    for _ in range(levels - 1):
        node = {"t": "div", "k": [node]}
    return node


def _with_node(**node: Any) -> dict[str, Any]:
    outline = _outline()
    outline["root"] = copy.deepcopy(outline["root"])
    outline["root"]["k"][0]["k"][0] = {"t": "span", **node}
    return outline


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (_with_node(x="alice"), 422, "x"),  # text that is not a count: a name, chat
        (_with_node(x="12 tokens"), 422, "x"),  # the words beside a count stay on the page
        (_with_node(text="hello there"), 422, "text"),  # no other field
        (_with_node(c=["a b"]), 422, "c"),
        (_with_node(d=["title"]), 422, "d"),  # data-* names only
        (_with_node(t="Script!"), 422, "t"),
        (_outline(nodes=5), 422, "nodes says 5"),
        (_outline(page="https://evil.example/"), 422, "page"),
        (_outline(platform="Not A Platform"), 422, "platform"),
        (_outline(nodes=100, root=_deep(100)), 422, "levels deep"),
        (
            _outline(
                nodes=1,
                root={"t": "div", "c": ["x" * 60] * 20, "k": []},
                pad="x" * MAX_OUTLINE_BYTES,
            ),
            413,
            None,
        ),
    ],
)
def test_a_bad_outline_is_refused_whole_and_nothing_is_kept(
    refusing_studio: tuple[ServerProcess, httpx.Client, str],
    body: dict[str, Any],
    status: int,
    field: str | None,
) -> None:
    server, admin, key = refusing_studio

    answer = httpx.post(server.url + OUTLINES, json=body, headers={"X-Api-Key": key})

    assert answer.status_code == status, answer.text
    if field is not None:
        assert field in json.dumps(answer.json()), answer.text
    assert admin.get("/api/admin/outlines").json() == []


def test_a_json_nested_past_any_parser_s_limit_is_refused_and_the_server_goes_on(
    studio: tuple[ServerProcess, httpx.Client, str],
) -> None:
    server, _, key = studio
    nested = '{"t":"div","k":[' * 20_000 + '{"t":"b"}' + "]}" * 20_000
    body = f'{{"platform":"chaturbate","page":"/","nodes":20001,"root":{nested}}}'
    assert len(body) < MAX_OUTLINE_BYTES

    answer = httpx.post(
        server.url + OUTLINES,
        content=body,
        headers={"X-Api-Key": key, "Content-Type": "application/json"},
    )

    assert answer.status_code in (400, 422), answer.text
    assert (
        httpx.post(server.url + OUTLINES, json=_outline(), headers={"X-Api-Key": key}).status_code
        == 204
    )


def test_a_key_sends_a_few_outlines_a_minute_at_most(
    limited_studio: tuple[ServerProcess, httpx.Client, str],
) -> None:
    server, _, key = limited_studio
    codes = [
        httpx.post(server.url + OUTLINES, json=_outline(), headers={"X-Api-Key": key}).status_code
        for _ in range(7)
    ]
    assert codes[:6] == [204] * 6
    assert codes[6] == 429


def test_strategies_are_tried_on_a_stored_outline(
    studio: tuple[ServerProcess, httpx.Client, str],
) -> None:
    server, admin, key = studio
    assert (
        admin.post(
            "/api/admin/outlines/pc-7/chaturbate/try", json={"strategies": [".x"]}
        ).status_code
        == 404
    )
    assert (
        httpx.post(server.url + OUTLINES, json=_outline(), headers={"X-Api-Key": key}).status_code
        == 204
    )

    strategies = [
        ".tokencount",
        {"kind": "css", "selector": "#user_information", "name": "the box"},
        ".nope",
        "div[[[",
        "#chat-list",
        {"kind": "json", "url": "/api/chatvideocontext/{room}/", "path": "num_users"},
    ]
    answer = admin.post("/api/admin/outlines/pc-7/chaturbate/try", json={"strategies": strategies})

    assert answer.status_code == 200, answer.text
    assert [(t["strategy"], t["result"], t.get("shown")) for t in answer.json()] == [
        (".tokencount", "reads", "1,234"),
        ("the box", "reads", "1,234"),  # the browser reads the whole box's text
        (".nope", "missing", None),
        ("div[[[", "malformed selector", None),
        ("#chat-list", "no count", None),
        ("json /api/chatvideocontext/{room}/ num_users", "untestable", None),
    ]
    refused = admin.post(
        "/api/admin/outlines/pc-7/chaturbate/try",
        json={"strategies": [{"kind": "json", "url": "//evil.example/x", "path": "a"}]},
    )
    assert refused.status_code == 422


def test_published_rules_are_served_to_every_collector_and_kept(
    studio: tuple[ServerProcess, httpx.Client, str],
) -> None:
    server, admin, key = studio
    served = admin.get("/api/admin/selectors").json()
    assert served["source"] == "file"
    rules = served["selectors"]
    fixed = copy.deepcopy(rules)
    fixed["platforms"]["camsoda"]["counters"]["tips_count"].insert(
        0, {"kind": "css", "selector": "[data-testid=tips]", "name": "tips testid"}
    )

    same = admin.put("/api/admin/selectors", json=fixed)
    assert same.status_code == 409, same.text
    assert f"version {rules['version']} is served already" in same.json()["message"]

    fixed["version"] = rules["version"] + 1
    published = admin.put("/api/admin/selectors", json=fixed)
    assert published.status_code == 200, published.text
    assert (published.json()["source"], published.json()["published_by"]) == ("published", "root")

    def collector_sees() -> dict[str, Any]:
        return httpx.get(
            server.url + "/api/collectors/selectors?strategies=1", headers={"X-Api-Key": key}
        ).json()

    assert collector_sees()["version"] == fixed["version"]
    assert (
        collector_sees()["platforms"]["camsoda"]["counters"]["tips_count"][0]["name"]
        == "tips testid"
    )
    older = httpx.get(server.url + "/api/collectors/selectors", headers={"X-Api-Key": key}).json()
    assert older["platforms"]["camsoda"]["counters"]["tips_count"][0] == "[data-testid=tips]"
    audit = admin.get("/api/admin/audit").json()
    assert any(r["action"] == "selectors.publish" and r["actor"] == "root" for r in audit), audit

    server.stop()
    server.start()  # kept in the database
    assert collector_sees()["version"] == fixed["version"]
